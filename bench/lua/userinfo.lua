-- USERINFO: GET /userinfo (OIDC Core §5.3) with the customer's bearer
-- access token of scope "openid profile orders" (BENCH_OIDC_TOKEN).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
fixed_request("GET", "/userinfo", {["Authorization"] = "Bearer " .. os.getenv("BENCH_OIDC_TOKEN")})
