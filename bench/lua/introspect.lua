-- INTROSPECT: POST /introspect (RFC 7662) of the customer's access token
-- (BENCH_INTROSPECT_TOKEN) by a confidential client registered with
-- `bookstore-auth client add --confidential`, authenticated with HTTP Basic
-- (BENCH_CLIENT_BASIC: base64 of "client_id:client_secret"), as a resource
-- server would. bench/run.sh checks once that the answer is active.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
fixed_request("POST", "/introspect", {
  ["Authorization"] = "Basic " .. os.getenv("BENCH_CLIENT_BASIC"),
  ["Content-Type"] = "application/x-www-form-urlencoded",
}, "token=" .. os.getenv("BENCH_INTROSPECT_TOKEN") .. "&token_type_hint=access_token")
