-- AUTH_ORDERS: GET /orders with the customer's RS256 bearer token
-- (BENCH_TOKEN): token verification, the customer's orders with items.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
fixed_request("GET", "/orders", {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")})
