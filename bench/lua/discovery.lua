-- DISCOVERY: GET /.well-known/openid-configuration (OIDC Discovery 1.0).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
fixed_request("GET", "/.well-known/openid-configuration")
