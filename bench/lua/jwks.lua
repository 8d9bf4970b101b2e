-- JWKS: GET /jwks.json, the auth service's public signing keys (jwks_uri).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
fixed_request("GET", "/jwks.json")
