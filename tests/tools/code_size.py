#!/usr/bin/env python3
# Code-section sizes of instrumented modules.
# usage: python3 tests/tools/code_size.py build/e2e/checkpoint_resume/*
#          instrumented.wasm relative to original.wasm in each end-to-end work folder
#        python3 tests/tools/code_size.py --by-copy ORIGINAL.wasm INSTRUMENTED.wasm
#          function bodies of the instrumented module by kind, relative to the original's Code
#          section: fast copies (and functions left alone), rewind copies, run-time code (told
#          apart by the name section: wasm_ckpt$rewind$* and wasm_ckpt$*)
import sys, math
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]; n, j = leb(b, i + 1)
        yield sid, j, j + n
        i = j + n
def code_size(path):
    for sid, start, end in sections(open(path, 'rb').read()):
        if sid == 10: return end - start
def imported_functions(b, start):
    count, i = leb(b, start); funcs = 0
    for _ in range(count):
        for _ in range(2):
            n, i = leb(b, i); i += n
        kind = b[i]; i += 1
        if kind == 0: _, i = leb(b, i); funcs += 1
        elif kind == 1: i += 1; flags, i = leb(b, i); _, i = leb(b, i); i = leb(b, i)[1] if flags & 1 else i
        elif kind == 2: flags, i = leb(b, i); _, i = leb(b, i); i = leb(b, i)[1] if flags & 1 else i
        elif kind == 3: i += 2
    return funcs
def function_bodies(path):
    """(imported functions, body sizes of the defined functions, names by function index)"""
    b = open(path, 'rb').read(); imports = 0; sizes = []; names = {}
    for sid, start, end in sections(b):
        if sid == 2: imports = imported_functions(b, start)
        if sid == 10:
            count, i = leb(b, start)
            for _ in range(count):
                n, i = leb(b, i); sizes.append(n); i += n
        if sid == 0:
            n, i = leb(b, start)
            if b[i:i + n] != b'name': continue
            i += n
            while i < end:
                sub = b[i]; n, i = leb(b, i + 1); sub_end = i + n
                if sub == 1:
                    count, i = leb(b, i)
                    for _ in range(count):
                        index, i = leb(b, i); n, i = leb(b, i)
                        names[index] = b[i:i + n].decode(); i += n
                i = sub_end
    return imports, sizes, names
def bodies_by_copy(path):
    imports, sizes, names = function_bodies(path)
    kinds = {'fast copies': 0, 'rewind copies': 0, 'run-time code': 0}
    for k, size in enumerate(sizes):
        name = names.get(imports + k, '')
        kind = 'rewind copies' if name.startswith('wasm_ckpt$rewind$') else 'run-time code' if name.startswith('wasm_ckpt$') else 'fast copies'
        kinds[kind] += size
    return kinds
if __name__ == '__main__':
    if sys.argv[1:2] == ['--by-copy']:
        original = code_size(sys.argv[2])
        for kind, size in bodies_by_copy(sys.argv[3]).items(): print('%-14s %9d bytes %.2fx' % (kind, size, size / original))
        sys.exit(0)
    rows = []
    for d in sys.argv[1:]:
        o, n = code_size(d + '/original.wasm'), code_size(d + '/instrumented.wasm')
        rows.append((d, o, n, n / o))
    for r in sorted(rows, key=lambda r: r[3]): print('%-28s %9d %9d %.2f' % r)
    print('geomean %.2f' % math.exp(sum(math.log(r[3]) for r in rows) / len(rows)))
