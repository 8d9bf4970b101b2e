-- CODE: the authorization-code grant at POST /token (public client
-- bookstore-web, PKCE). A code works once, so every request presents a
-- fresh one: BENCH_CODES names a file of codes (one per line) issued by
-- /authorize for a logged-in session (no password hash involved; see
-- issue_codes.lua), all with the challenge of BENCH_VERIFIER. Each request
-- takes the next code; once the pool is dry a request is sent with a bogus
-- code (answered 400, counted as failed and as `exhausted`).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local codes, next_code = {}, 1
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
local suffix = "&redirect_uri=" .. os.getenv("BENCH_REDIRECT") ..
               "&code_verifier=" .. os.getenv("BENCH_VERIFIER")

function init(args)
  local i, threads = 0, thread_count()
  for line in io.lines(os.getenv("BENCH_CODES")) do
    if line ~= "" then
      if i % threads == (id or 1) - 1 then codes[#codes + 1] = line end
      i = i + 1
    end
  end
end

function request()
  local code = codes[next_code]
  next_code = next_code + 1
  if not code then
    code = "pool-exhausted"
    exhausted = exhausted + 1
  end
  return wrk.format("POST", "/token", headers,
                    "grant_type=authorization_code&client_id=bookstore-web&code=" .. code .. suffix)
end
