-- LIST20: GET /books?page_size=20 (first page, default sort, with total).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
fixed_request("GET", "/books?page_size=20")
