-- CODE: the authorization-code grant at POST /token (public client
-- bookstore-web, PKCE). A code works once, so every request presents a
-- fresh one: BENCH_CODES names a file of codes (one per line) issued by
-- /authorize for a logged-in session (no password hash involved), all with
-- the challenge of BENCH_VERIFIER. Each request takes the next code; a pool
-- that runs dry answers 400 and is counted, so size it above the request
-- count the duration allows.
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
  local code = codes[next_code] or "pool-exhausted"
  next_code = next_code + 1
  return wrk.format("POST", "/token", headers,
                    "grant_type=authorization_code&client_id=bookstore-web&code=" .. code .. suffix)
end
