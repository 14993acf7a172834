// A binary module's section framing for the test scripts: LEB128 numbers and the sections'
// spans, read leniently (damaged modules are read as far as their framing holds).

// The unsigned LEB128 number at byte p: { value, length }, or null if the bytes end first.
export function readLeb(b, p) {
  let value = 0, shift = 0, length = 0;
  while (p + length < b.length) {
    const byte = b[p + length++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return { value, length };
  }
  return null;
}

// The sections as far as their headers fit the bytes: { id, at (the id byte), start (after the
// size), end }.
export function sections(b) {
  const list = [];
  for (let p = 8; p < b.length;) {
    const size = readLeb(b, p + 1);
    if (!size) break;
    const start = p + 1 + size.length, end = start + size.value;
    if (end > b.length) break;
    list.push({ id: b[p], at: p, start, end });
    p = end;
  }
  return list;
}
