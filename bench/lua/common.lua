-- Shared by every bench scenario (loaded with dofile by each script):
-- prints one machine-readable line at the end:
--   BENCH_RESULT {"requests":..,"rps":..,"p50_ms":..,"p99_ms":..,"failures":..,...}
-- A scenario defines request() (and may pre-build requests in init()).
-- Requests are formatted in init() or later, never when the script loads:
-- only then does wrk.format add the Host header, which HTTP/1.1 requires
-- (the server answers 400 without it) and every real client sends, so
-- every scenario, PLAIN included, sends requests of the same shape.
--
-- Answers outside 2xx ("a fast error is not a result") are counted by the
-- server under test: bench/run.sh reads its /metrics before and after the
-- run. No script defines response() unless it needs the body (refresh.lua,
-- which then counts its failed answers into the global `failures`): with it, wrk
-- builds a Lua table of the headers and a Lua string of the body for every
-- answer, which costs the load generator, on the cores it shares with the
-- server, about as much CPU as a point read costs the server
-- (bench/README.md, round 7). wrk's own count of answers >= 400 is
-- reported too (status_errors) as a check. A script whose single-use pool
-- (codes, refresh tokens) runs dry counts the requests it then sends
-- without one into the global `exhausted` (reported as "exhausted", so
-- bench/run.sh can say why they failed).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)  -- 1-based, for scripts that partition data
end

failures = 0
exhausted = 0

-- Thread count, for scripts that split a pool between threads (set by wrk's
-- main environment before init() runs).
function thread_count()
  return tonumber(os.getenv("BENCH_THREADS") or "1")
end

-- "quantiles": [[p, ms], ...] for p = 1..99, 99.1..99.9 and 100, from which
-- bench/run.sh merges the percentiles of several runs (slices).
function done(summary, latency, requests)
  local bad, dry = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("failures") or 0)
    dry = dry + (t:get("exhausted") or 0)
  end
  local e = summary.errors
  local q = {}
  local function add(p) q[#q + 1] = string.format("[%g,%.3f]", p, latency:percentile(p) / 1000) end
  for p = 1, 99 do add(p) end
  for i = 1, 9 do add(99 + i / 10) end
  q[#q + 1] = string.format("[100,%.3f]", latency.max / 1000)  -- percentile(100) gives 0
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,' ..
    '"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"failures":%d,"status_errors":%d,' ..
    '"socket_errors":%d,"exhausted":%d,"quantiles":[%s]}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad, e.status,
    e.connect + e.read + e.write + e.timeout, dry, table.concat(q, ",")))
end

-- Random integer in [1, n] from a per-thread generator.
function seed_random()
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
end

-- `count` requests built by `make(i)`, served in random order by request().
function pregenerate(count, make)
  local reqs = {}
  for i = 1, count do reqs[i] = make(i) end
  local n = #reqs
  request = function() return reqs[math.random(1, n)] end
end

-- One request, wrk.format(method, path, headers, body), sent every time.
function fixed_request(method, path, headers, body)
  local req
  init = function(args) req = wrk.format(method, path, headers, body) end
  request = function() return req end
end
