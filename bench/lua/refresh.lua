-- REFRESH (and REFRESH_OIDC): the refresh-token grant at POST /token
-- (public client bookstore-web). Refresh tokens rotate and a reused one
-- revokes its family, so every request must present a token never used before:
-- BENCH_REFRESH_TOKENS names a file of refresh tokens (one per line, each of
-- its own family, obtained through the real authorization-code flow), kept
-- in a FIFO queue; each request takes the oldest, each 200 answer appends
-- the rotated token it returns. The pool must hold at least one token per
-- connection; a failed answer loses its token (and is counted). A pool is
-- good for one wrk run: the tokens in flight when it ends are lost, so
-- bench/run.sh obtains a fresh pool for every run (slice).
-- BENCH_EXPECT_ID_TOKEN=1 (REFRESH_OIDC, families of scope "openid profile
-- ..."): an answer without an id_token counts as failed too.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local queue, head, tail = {}, 1, 0
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
local prefix = "grant_type=refresh_token&client_id=bookstore-web&refresh_token="
local expect_id_token = os.getenv("BENCH_EXPECT_ID_TOKEN") == "1"

function init(args)
  local i, threads = 0, thread_count()
  for line in io.lines(os.getenv("BENCH_REFRESH_TOKENS")) do
    if line ~= "" then
      if i % threads == (id or 1) - 1 then
        tail = tail + 1
        queue[tail] = line
      end
      i = i + 1
    end
  end
end

function request()
  local token = "pool-exhausted"  -- answered 400 and counted
  if head > tail then
    exhausted = exhausted + 1
  else
    token = queue[head]
    queue[head] = nil
    head = head + 1
  end
  return wrk.format("POST", "/token", headers, prefix .. token)
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    return
  end
  local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if expect_id_token and not body:find('"id_token"', 1, true) then
    failures = failures + 1  -- the rotated token still goes back into the queue
  end
  if token then
    tail = tail + 1
    queue[tail] = token
  else
    failures = failures + 1
  end
end
