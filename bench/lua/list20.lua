-- LIST20: GET /books?page_size=20 (first page, default sort, with total).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local req = wrk.format("GET", "/books?page_size=20")
function request() return req end
