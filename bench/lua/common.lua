-- Shared by every bench scenario (loaded with dofile by each script):
-- counts answers outside 2xx per wrk thread ("a fast error is not a
-- result") and prints one machine-readable line at the end:
--   BENCH_RESULT {"requests":..,"rps":..,"p50_ms":..,"p99_ms":..,"non2xx":..,...}
-- A scenario defines request() (and may pre-build requests in init()).
-- Requests are formatted in init() or later, never when the script loads:
-- only then does wrk.format add the Host header, which HTTP/1.1 requires
-- (the server answers 400 without it) and every real client sends, so
-- every scenario, PLAIN included, sends requests of the same shape.
-- scripts that need the body (refresh.lua) replace response() but must keep
-- counting into the global `non2xx`.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)  -- 1-based, for scripts that partition data
end

non2xx = 0

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

-- Thread count, for scripts that split a pool between threads (set by wrk's
-- main environment before init() runs).
function thread_count()
  return tonumber(os.getenv("BENCH_THREADS") or "1")
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,' ..
    '"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad,
    e.connect + e.read + e.write + e.timeout))
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
