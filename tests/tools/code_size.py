#!/usr/bin/env python3
# Code-section size of instrumented.wasm relative to original.wasm in each end-to-end work folder.
# usage: python3 tests/tools/code_size.py build/e2e/checkpoint_resume/*
import sys, math
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
def code_size(path):
    b = open(path, 'rb').read(); i = 8
    while i < len(b):
        sid = b[i]; n, j = leb(b, i + 1)
        if sid == 10: return n
        i = j + n
rows = []
for d in sys.argv[1:]:
    o, n = code_size(d + '/original.wasm'), code_size(d + '/instrumented.wasm')
    rows.append((d, o, n, n / o))
for r in sorted(rows, key=lambda r: r[3]): print('%-28s %9d %9d %.2f' % r)
print('geomean %.2f' % math.exp(sum(math.log(r[3]) for r in rows) / len(rows)))
