-- PLACE: POST /orders, one item (quantity 1) of a random seeded book, as
-- the customer (BENCH_TOKEN). No Idempotency-Key. Stock is large enough
-- that every order must succeed.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local books = tonumber(os.getenv("BENCH_BOOKS") or "10000")
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  ["Content-Type"] = "application/json",
}
function init(args)
  seed_random()
  pregenerate(4096, function()
    return wrk.format("POST", "/orders", headers,
                      '{"items":[{"book_id":' .. math.random(1, books) .. ',"quantity":1}]}')
  end)
end
function request() return wrk.format("POST", "/orders", headers, '{"items":[]}') end
