-- GET1: GET /books/{id} with a random id among the seeded books.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local books = tonumber(os.getenv("BENCH_BOOKS") or "10000")
function init(args)
  seed_random()
  pregenerate(4096, function() return wrk.format("GET", "/books/" .. math.random(1, books)) end)
end
function request() return wrk.format("GET", "/books/1") end  -- replaced in init()
