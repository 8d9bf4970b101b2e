-- wrk script: POST /orders, one unit per request of a book picked at random
-- among BOOK_COUNT (default 1) consecutive ids from BOOK_ID, as the customer
-- whose access token is TOKEN (all from the environment).
--   BOOK_ID=1 BOOK_COUNT=50 TOKEN=eyJ... wrk -t1 -c64 -d5s -s deploy/bench/orders.lua http://127.0.0.1:8080/orders
-- wrk counts every status outside 2xx/3xx in "Non-2xx or 3xx responses";
-- done() prints the 201 rate.
local token = (assert(os.getenv("TOKEN"), "TOKEN not set"))
local first = tonumber((assert(os.getenv("BOOK_ID"), "BOOK_ID not set")))
local count = tonumber(os.getenv("BOOK_COUNT") or "1")
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))
end

function request()
  local id = first + math.random(0, count - 1)
  return wrk.format("POST", nil, headers, '{"items":[{"book_id":' .. id .. ',"quantity":1}]}')
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("orders: %d requests, %d non-2xx, %d socket errors, %.0f created/s, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    (summary.requests - non2xx) / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
