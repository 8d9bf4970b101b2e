-- Not a scenario: issues the single-use authorization codes CODE exchanges.
-- GET /authorize (BENCH_AUTHORIZE_PATH: path and query, PKCE S256) with
-- the login session's cookie (BENCH_COOKIE) answers 302 with a fresh code
-- at once (no form, no password hash). Each thread appends the codes of
-- its answers, one per line, to BENCH_CODES_OUT .. "." .. thread id; a
-- failed answer is counted. bench/run.sh runs it for a fixed time, so the
-- pool is as large as the server can issue in that time.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local out, req

function init(args)
  out = assert(io.open(os.getenv("BENCH_CODES_OUT") .. "." .. (id or 1), "w"))
  req = wrk.format("GET", os.getenv("BENCH_AUTHORIZE_PATH"), {["Cookie"] = os.getenv("BENCH_COOKIE")})
end

function request() return req end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  local code = location:match("[?&]code=([^&]+)")
  if status == 302 and code then
    out:write(code, "\n")
    out:flush()
  else
    failures = failures + 1
  end
end
