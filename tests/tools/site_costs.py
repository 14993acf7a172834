#!/usr/bin/env python3
# Where a fast copy's bytes go, per function: a least-squares fit of each instrumented function's
# fast-copy size against its original size, its numbers of poll points and of calls that can
# unwind (other resume points), and a constant.
# usage: wasm-ckpt plan --json --strategy S ORIGINAL.wasm > plan.json
#        python3 tests/tools/site_costs.py ORIGINAL.wasm INSTRUMENTED.wasm plan.json
# (INSTRUMENTED made with the same strategy). Fast copies keep their function's index among the
# defined functions; the tool's own functions come after them (checked by name).
import json, sys

from code_size import function_bodies

def solve(a, y):
    """Least squares through the normal equations (Gaussian elimination with pivoting)."""
    n = len(a[0])
    m = [[sum(r[i] * r[j] for r in a) for j in range(n)] + [sum(r[i] * v for r, v in zip(a, y))] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c])); m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * z for x, z in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]

orig_imports, orig_bodies, _ = function_bodies(sys.argv[1])
inst_imports, inst_bodies, names = function_bodies(sys.argv[2])
plan = json.load(open(sys.argv[3]))
rows, fast = [], []
for f in plan['functions']:
    d = f['index'] - orig_imports
    if d < 0 or not f['instrumented']: continue
    name = names.get(inst_imports + d, '')
    if name.startswith('wasm_ckpt$'): sys.exit('site_costs.py: function %d is %s, not a fast copy' % (f['index'], name))
    rows.append([orig_bodies[d], f['poll_points'], f['resume_points'] - f['poll_points'], 1])
    fast.append(inst_bodies[d])
coef = solve(rows, fast)
totals = [sum(r[k] for r in rows) for k in range(4)]
print('%d functions: %d bytes originally, %d in fast copies' % (len(rows), totals[0], sum(fast)))
print('fast copy = %.3f x original + %.1f per poll + %.1f per unwinding call + %.1f' % tuple(coef))
print('shares of the fast copies: original %.2f, polls %.2f, calls %.2f, constant %.2f' %
      tuple(c * t / sum(fast) for c, t in zip(coef, totals)))
