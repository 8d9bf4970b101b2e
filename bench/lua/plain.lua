-- PLAIN: GET /healthz (the framework's floor; every ratio is against it).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
fixed_request("GET", "/healthz")
