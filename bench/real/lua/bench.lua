-- bench.lua: a mixed Lua workload for the wasm-ckpt benchmark (deterministic; no coroutines or
-- errors, which need setjmp/longjmp in this wasm32-wasi build).
local seed = 12345
local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648; return (seed // 65536) % n end

-- 1. tables and closures: word frequencies over generated text
local words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"}
local freq = {}
for i = 1, 300000 do
  local w = words[rand(#words) + 1] .. (rand(50))
  freq[w] = (freq[w] or 0) + 1
end
local keys = {}
for k in pairs(freq) do keys[#keys + 1] = k end
table.sort(keys, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
print("distinct words", #keys, "top", keys[1], freq[keys[1]])

-- 2. objects with metatables: 2-D vectors
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec:scale(s) return Vec.new(self.x * s, self.y * s) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local acc = Vec.new(0, 0)
for i = 1, 400000 do acc = acc + Vec.new(i % 7, i % 11):scale(0.5) end
print(string.format("vector sum %.1f %.1f len2 %.3e", acc.x, acc.y, acc:len2()))

-- 3. recursion: naive fibonacci and a recursive permutation counter
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(27)", fib(27))

-- 4. strings: build, gsub, find, byte checksums
local parts = {}
for i = 1, 60000 do parts[#parts + 1] = string.format("%d:%s", i, words[i % #words + 1]) end
local s = table.concat(parts, ",")
local replaced, n = s:gsub("a", "A")
local count = 0
for _ in s:gmatch("eta") do count = count + 1 end
local h = 0
for i = 1, #replaced, 7 do h = (h * 31 + replaced:byte(i)) % 4294967296 end
print("string length", #s, "replacements", n, "matches", count, string.format("hash %08x", h))

-- 5. numeric: sieve and matrix multiply with nested tables
local N = 300000
local comp = {}
local primes = 0
for i = 2, N do
  if not comp[i] then primes = primes + 1; for j = i * i, N, i do comp[j] = true end end
end
print("primes below", N, primes)
local M = 70
local A, B, C = {}, {}, {}
for i = 1, M do A[i], B[i], C[i] = {}, {}, {}; for j = 1, M do A[i][j] = (i + j) % 5; B[i][j] = (i * j) % 7; C[i][j] = 0 end end
for r = 1, 3 do
  for i = 1, M do local Ai, Ci = A[i], C[i]
    for j = 1, M do local sum = 0; for k = 1, M do sum = sum + Ai[k] * B[k][j] end; Ci[j] = sum end end
end
local tr = 0
for i = 1, M do tr = tr + C[i][i] end
print("matrix trace", tr)
print(string.format("checksum: %08x", (h + tr + primes + #keys) % 4294967296))
