#!/usr/bin/env bash
# `make bench`: the benchmark suite of issue 6 (see bench/README.md).
#
# Builds the release binaries (and bench/hello_beast), starts both services
# on a fresh SQLite database in a temp dir on free ports, seeds 10,000 books,
# a customer with 5 orders of 2 items and real tokens through the OAuth flow,
# runs every scenario with wrk, prints one table and writes JSON
# (bench/results/latest.json). The services run with the defaults a user
# gets (access log on, synchronous=FULL), their logs go to files in the temp
# dir.
#
# Environment:
#   BENCH_DURATION (10s)  BENCH_CONNECTIONS (64)  BENCH_THREADS (1)  wrk settings
#   BENCH_SLICES (5)      a scenario with a target runs in this many slices of
#                         BENCH_DURATION / BENCH_SLICES, interleaved with PLAIN
#   BENCH_WARMUP (2s)     a discarded wrk run before each scenario ("0" skips)
#   BENCH_SCENARIOS       space-separated subset, e.g. "PLAIN GET1" (default: all)
#   BENCH_SKIP_BUILD=1    use the binaries already in BOOKSTORE_BIN_DIR (build/release)
#   BENCH_KEEP=1          keep the temp dir (database, logs) for a look afterwards
#   BENCH_OUT             JSON output (bench/results/latest.json)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-1}
WARMUP=${BENCH_WARMUP:-2s}
SCENARIOS=${BENCH_SCENARIOS:-"PLAIN GET1 LIST20 AUTH_ORDERS PLACE CODE REFRESH SEARCH FRAMEWORK"}
BIN=$(realpath -m "${BOOKSTORE_BIN_DIR:-build/release}")
OUT=${BENCH_OUT:-bench/results/latest.json}
BOOKS=10000
SEARCH_BOOKS=100000
SEARCH_WORDS=dragon,silver,harbor,lantern,phoenix,library,voyage,crimson
REFRESH_POOL=200  # refresh tokens (one family each); at least 2 x connections
CODE_POOL=${BENCH_CODE_POOL:-4000}      # authorization codes for CODE (each works once)
CODE_DURATION=${BENCH_CODE_DURATION:-3s}  # the CODE run; the pool must outlast it

# The machine's speed changes within seconds (this VM: PLAIN 50k-96k req/s
# in one run), so a scenario with a target ratio runs in $SLICES slices of
# DURATION / SLICES (whole seconds) interleaved with as many PLAIN slices
# (X P P X X P ...: each pair in alternating order), and its ratio is to
# the PLAIN of those slices.
SECONDS_TOTAL=${DURATION%s}
SLICES=${BENCH_SLICES:-5}
if ! [[ "$SECONDS_TOTAL" =~ ^[0-9]+$ && "$SLICES" =~ ^[0-9]+$ ]] || ((SLICES < 1 || SECONDS_TOTAL < SLICES)); then
  echo "bench: BENCH_DURATION must be whole seconds (e.g. 10s), at least BENCH_SLICES ($SLICES)" >&2
  exit 1
fi
SLICE="$((SECONDS_TOTAL / SLICES))s"

for tool in wrk sqlite3 curl jq openssl; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (make bootstrap)" >&2; exit 1; }
done

# --- build ------------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: building release binaries..."
  cmake --preset release -DBOOKSTORE_BENCH=ON >/tmp/bookstore-bench-build.log 2>&1 &&
    cmake --build --preset release -j "$(nproc)" \
      --target bookstore-auth bookstore-book hello_beast >>/tmp/bookstore-bench-build.log 2>&1 ||
    { cat /tmp/bookstore-bench-build.log >&2; exit 1; }
fi
AUTH_BIN="$BIN/auth_service/bookstore-auth"
BOOK_BIN="$BIN/book_service/bookstore-book"
HELLO_BIN="$BIN/bench/hello_beast"
for b in "$AUTH_BIN" "$BOOK_BIN" $(case " $SCENARIOS " in *" FRAMEWORK "*) echo "$HELLO_BIN" ;; esac); do
  [ -x "$b" ] || { echo "bench: $b not built" >&2; exit 1; }
done

# --- environment: temp dir, free ports, fresh database ---------------------
TMP=$(mktemp -d /tmp/bookstore-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
AUTH_PORT=$(free_port) BOOK_PORT=$(free_port) HELLO_PORT=$(free_port)
A="http://127.0.0.1:$AUTH_PORT"
B="http://127.0.0.1:$BOOK_PORT"
ADMIN_PASSWORD=$(openssl rand -hex 16)
CUSTOMER_PASSWORD=$(openssl rand -hex 16)
export BOOKSTORE_DATA_DIR="$TMP" AUTH_PORT BOOK_PORT AUTH_ISSUER="$A"
export BOOKSTORE_ADMIN_USERNAME=admin BOOKSTORE_ADMIN_PASSWORD="$ADMIN_PASSWORD"
export BOOKSTORE_BIND_ADDRESS=127.0.0.1
DB="$TMP/bookstore.db"

echo "bench: temp dir $TMP, auth :$AUTH_PORT, book :$BOOK_PORT"
"$AUTH_BIN" init-db >/dev/null
"$BOOK_BIN" init-db >/dev/null
"$AUTH_BIN" init-admin >/dev/null 2>>"$TMP/auth.log"  # its audit line goes to the log
./bench/seed_books.sh "$DB" 1 "$BOOKS"

now_ms() { date +%s%3N; }

# start NAME BIN URL: starts `BIN serve` (stderr to $TMP/NAME.log), waits
# for URL to answer 200 and records the milliseconds that took.
declare -A READY_MS PID_OF BASE_OF
start() {
  local name=$1 bin=$2 url=$3 t0
  t0=$(now_ms)
  "$bin" serve 2>>"$TMP/$name.log" >/dev/null &
  PIDS+=($!)
  PID_OF[$name]=$!
  for _ in $(seq 1 1000); do
    if curl -sf -o /dev/null "$url"; then
      READY_MS[$name]=$(($(now_ms) - t0))
      return 0
    fi
    kill -0 "${PID_OF[$name]}" 2>/dev/null || { echo "bench: $name exited" >&2; tail "$TMP/$name.log" >&2; exit 1; }
    sleep 0.005
  done
  echo "bench: $name not ready after 5 s" >&2
  exit 1
}
start auth "$AUTH_BIN" "$A/readyz"
start book "$BOOK_BIN" "$B/readyz"
BASE_OF[auth]=$A BASE_OF[book]=$B
echo "bench: ready after ${READY_MS[auth]} ms (auth), ${READY_MS[book]} ms (book)"

# --- the customer, its tokens (real authorization-code flow) and orders ----
curl -sf -o /dev/null "$B/register" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench_customer\",\"password\":\"$CUSTOMER_PASSWORD\"}"

VERIFIER=$(openssl rand -base64 48 | tr -d '=+/\n' | cut -c1-64)
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
REDIRECT=http://localhost:3000/callback
Q="response_type=code&client_id=bookstore-web&redirect_uri=$REDIRECT&scope=orders&state=bench&code_challenge=$CHALLENGE&code_challenge_method=S256"
JAR="$TMP/cookies"

# Logs the customer in once through the login form (the session cookie
# then skips the form), so each further token costs one /authorize + /token.
PAGE=$(curl -sf -c "$JAR" -b "$JAR" "$A/authorize?$Q")
CSRF=$(printf %s "$PAGE" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p')
curl -sf -c "$JAR" -b "$JAR" -o /dev/null "$A/authorize" --data-urlencode "csrf_token=$CSRF" \
  -d "$Q" -d username=bench_customer --data-urlencode "password=$CUSTOMER_PASSWORD"

# Prints the token response of one authorization-code grant.
token_response() {
  local loc code
  loc=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{redirect_url}' "$A/authorize?$Q")
  code=$(printf %s "$loc" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
  [ -n "$code" ] || { echo "bench: no authorization code (got '$loc')" >&2; exit 1; }
  curl -sf "$A/token" -d grant_type=authorization_code -d client_id=bookstore-web \
    -d code="$code" -d redirect_uri="$REDIRECT" -d code_verifier="$VERIFIER"
}
TOKEN=$(token_response | jq -r .access_token)
printf %s "$TOKEN" >"$TMP/access_token"  # for profiling with BENCH_KEEP=1
echo "bench: obtaining $REFRESH_POOL refresh tokens..."
: >"$TMP/refresh_tokens"
for _ in $(seq 1 "$REFRESH_POOL"); do
  token_response | jq -r .refresh_token >>"$TMP/refresh_tokens"
done

for i in 1 2 3 4 5; do
  curl -sf -o /dev/null "$B/orders" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"items\":[{\"book_id\":$((i * 2)),\"quantity\":1},{\"book_id\":$((i * 2 + 1)),\"quantity\":2}]}"
done
[ "$(curl -sf "$B/orders" -H "Authorization: Bearer $TOKEN" | jq .total)" = 5 ] ||
  { echo "bench: the customer should have 5 orders" >&2; exit 1; }

# --- scenarios ---------------------------------------------------------------
export BENCH_LUA_DIR="$ROOT/bench/lua" BENCH_THREADS="$THREADS" BENCH_BOOKS="$BOOKS"
export BENCH_TOKEN="$TOKEN" BENCH_SEARCH_WORDS="$SEARCH_WORDS"
RESULTS="$TMP/results.jsonl"
: >"$RESULTS"

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# CPU time (user + system, all threads) process $1 has used, in µs.
TICK_US=$((1000000 / $(getconf CLK_TCK)))
cpu_us() { awk -v t="$TICK_US" '{ print ($14 + $15) * t }' "/proc/$1/stat"; }

# Answers outside 2xx the service at base URL $1 has sent so far, by its
# /metrics (http_requests_total by status); "null" without a URL (the bare
# Beast server has no metrics) or when /metrics does not answer.
non2xx_sent() {
  local metrics
  [ -n "$1" ] && metrics=$(curl -sf "$1/metrics") || { echo null; return; }
  awk '/^http_requests_total\{/ && !/status="2[0-9][0-9]"/ { n += $NF } END { print n + 0 }' \
    <<<"$metrics"
}

# run_wrk SERVICE URL SCRIPT DURATION: one wrk run against SERVICE; prints
# its BENCH_RESULT with the CPU time the serving process (all threads, user
# + system) and wrk spent on it, in µs, and the answers outside 2xx the
# server counted meanwhile.
run_wrk() {
  local service=$1 url=$2 script=$3 duration=$4 pid=${PID_OF[$1]} line cpu0 cpu1 sent0 sent1 wrk_us
  sent0=$(non2xx_sent "${BASE_OF[$service]:-}")
  cpu0=$(cpu_us "$pid")
  # `times` in the subshell: its second line is the children's user and system time.
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" -s "bench/lua/$script" "$url" |
         sed -n 's/^BENCH_RESULT //p'; times >"$TMP/wrk.times")
  cpu1=$(cpu_us "$pid")
  sent1=$(non2xx_sent "${BASE_OF[$service]:-}")
  [ -n "$line" ] || { echo "bench: wrk gave no result for $url" >&2; exit 1; }
  wrk_us=$(sed -n 2p "$TMP/wrk.times" | tr 'ms' '  ' | awk '{ printf "%.0f", ($1 * 60 + $2 + $3 * 60 + $4) * 1e6 }')
  jq -c --argjson server_us "$((cpu1 - cpu0))" --argjson wrk_us "$wrk_us" \
     --argjson sent0 "$sent0" --argjson sent1 "$sent1" \
     '. + {server_us: $server_us, wrk_us: $wrk_us,
           server_non2xx: (if $sent0 != null and $sent1 != null then $sent1 - $sent0 else null end)}' \
     <<<"$line"
}

# record NAME SERVICE TARGET PLAIN_RPS: merges the runs (run_wrk lines on
# stdin) into one result and appends it to $RESULTS: requests, time, errors
# and CPU added up (req/s and CPU per request from the sums); p50, p90 and
# p99 of all their requests together (from each run's quantiles, weighted by
# its requests: the lowest latency that at least that share of all requests
# did not exceed, never below the true value); max the highest. Failed
# answers (non2xx) are the most any counter saw: the server, wrk (>= 400),
# the script. PLAIN_RPS: the PLAIN measured interleaved with it, or null.
record() {
  jq -s -c --arg name "$1" --arg service "$2" --argjson target "$3" --argjson plain "$4" \
     --argjson rss "$(rss_mb "${PID_OF[$2]}")" '
    def sum(f): map(f) | add;
    . as $runs
    | sum(.requests) as $total
    # The share of all requests with a latency <= x: per run, the highest
    # quantile whose latency is <= x (a lower bound), weighted by its requests.
    | def share($x): $runs | map(.requests * (([.quantiles[] | select(.[1] <= $x) | .[0]] | max) // 0))
                    | add / 100 / $total;
    # The lowest latency that at least p % of all requests did not exceed.
    def merged($p): if $total == 0 then null
                   else first([$runs[].quantiles[][1]] | unique | .[] | select(share(.) >= $p / 100 - 1e-9))
                   end;
    {scenario: $name, service: $service, target_ratio: $target, rss_mb: $rss, runs: length,
     requests: $total, duration_s: sum(.duration_s),
     p50_ms: merged(50), p90_ms: merged(90), p99_ms: merged(99), max_ms: (map(.max_ms) | max),
     failures: sum(.failures), status_errors: sum(.status_errors),
     socket_errors: sum(.socket_errors),
     server_non2xx: (if any(.[]; .server_non2xx == null) then null else sum(.server_non2xx) end),
     server_us: sum(.server_us), wrk_us: sum(.wrk_us)}
    | .rps = .requests / .duration_s
    | .server_cpu_us = (if .requests > 0 then .server_us / .requests else null end)
    | .wrk_cpu_us = (if .requests > 0 then .wrk_us / .requests else null end)
    | .non2xx = ([.server_non2xx // 0, .status_errors, .failures] | max)
    | if $plain != null then .plain_rps = $plain else . end' >>"$RESULTS"
  echo "bench: $1 $(tail -n 1 "$RESULTS" | jq -r '"\(.rps | floor) req/s, p99 \(.p99_ms) ms, non-2xx \(.non2xx)"')"
}


# scenario NAME SERVICE URL SCRIPT [TARGET_RATIO]
scenario() {
  local name=$1 service=$2 url=$3 script=$4 target=${5:-null} i
  case " $SCENARIOS " in *" $name "*) ;; *) return 0 ;; esac
  if [ "$WARMUP" != 0 ] && [ "$name" != REFRESH ] && [ "$name" != CODE ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "bench/lua/$script" "$url" >/dev/null
  fi
  : >"$TMP/$service.log"  # keep the log files small between runs
  if [ "$target" != null ] && [[ " $SCENARIOS " == *" PLAIN "* ]]; then
    : >"$TMP/runs.jsonl"
    : >"$TMP/plains.jsonl"
    for i in $(seq 1 "$SLICES"); do
      if ((i % 2)); then
        run_wrk "$service" "$url" "$script" "$SLICE" >>"$TMP/runs.jsonl"
        run_wrk book "$B/healthz" plain.lua "$SLICE" >>"$TMP/plains.jsonl"
      else
        run_wrk book "$B/healthz" plain.lua "$SLICE" >>"$TMP/plains.jsonl"
        run_wrk "$service" "$url" "$script" "$SLICE" >>"$TMP/runs.jsonl"
      fi
    done
    record PLAIN book null null <"$TMP/plains.jsonl"
    record "$name" "$service" "$target" "$(tail -n 1 "$RESULTS" | jq .rps)" <"$TMP/runs.jsonl"
    return 0
  fi
  run_wrk "$service" "$url" "$script" "$DURATION" | record "$name" "$service" "$target" null
  # Scenarios without a target: PLAIN again right after, and the ratio is
  # to the mean of the PLAIN runs just before and just after.
  if [ "$name" != PLAIN ] && [ "$name" != HELLO_BEAST ]; then
    case " $SCENARIOS " in *" PLAIN "*)
      WARMUP=0 scenario PLAIN book "$B/healthz" plain.lua ;;
    esac
  fi
}

REFRESH_FILE="$TMP/refresh_tokens"
scenario PLAIN book "$B/healthz" plain.lua
scenario GET1 book "$B/books/1" get1.lua 0.85
scenario LIST20 book "$B/books" list20.lua 0.6
scenario AUTH_ORDERS book "$B/orders" orders.lua 0.5
scenario PLACE book "$B/orders" place.lua 0.25
# CODE: codes live AUTH_CODE_TTL (60 s), so they are obtained right before
# the run: /authorize with the session cookie answers with a code at once
# (one curl process, 8 requests in parallel); the exchange itself is what
# CODE measures, for CODE_DURATION (the pool must outlast it).
case " $SCENARIOS " in *" CODE "*)
  echo "bench: obtaining $CODE_POOL authorization codes..."
  for _ in $(seq 1 "$CODE_POOL"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$A/authorize?$Q"; done \
    >"$TMP/codes.curl"
  curl -s -b "$JAR" --parallel --parallel-max 8 -K "$TMP/codes.curl" -w '%{redirect_url}\n' \
    2>/dev/null |
    sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' >"$TMP/codes"
  [ "$(wc -l <"$TMP/codes")" -eq "$CODE_POOL" ] || { echo "bench: could not obtain the codes" >&2; exit 1; }
  BENCH_CODES="$TMP/codes" BENCH_VERIFIER="$VERIFIER" BENCH_REDIRECT="$REDIRECT" \
    DURATION="$CODE_DURATION" scenario CODE auth "$A/token" code.lua ;;
esac
BENCH_REFRESH_TOKENS="$REFRESH_FILE" scenario REFRESH auth "$A/token" refresh.lua

case " $SCENARIOS " in *" SEARCH "*)
  echo "bench: seeding up to $SEARCH_BOOKS books for SEARCH..."
  ./bench/seed_books.sh "$DB" $((BOOKS + 1)) "$SEARCH_BOOKS"
  scenario SEARCH book "$B/books" search.lua 0.15 ;;
esac

# Framework overhead: the same /healthz against a bare Beast server.
case " $SCENARIOS " in *" FRAMEWORK "*)
  "$HELLO_BIN" "$HELLO_PORT" "$(nproc)" &
  PIDS+=($!)
  PID_OF[hello]=$!
  for _ in $(seq 1 200); do curl -sf -o /dev/null "http://127.0.0.1:$HELLO_PORT/" && break; sleep 0.01; done
  SCENARIOS="$SCENARIOS HELLO_BEAST"
  scenario HELLO_BEAST hello "http://127.0.0.1:$HELLO_PORT/healthz" plain.lua ;;
esac

# --- report ------------------------------------------------------------------
FINAL_RSS_AUTH=$(rss_mb "${PID_OF[auth]}")
FINAL_RSS_BOOK=$(rss_mb "${PID_OF[book]}")
mkdir -p "$(dirname "$OUT")"
jq -s --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
   --arg machine "$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -r)" \
   --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo +dirty)" \
   --arg wrk "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (with a target: $SLICES x $SLICE, interleaved with PLAIN)" \
   --argjson ready_auth "${READY_MS[auth]}" --argjson ready_book "${READY_MS[book]}" \
   --argjson rss_auth "$FINAL_RSS_AUTH" --argjson rss_book "$FINAL_RSS_BOOK" '
  def mean: if length > 0 then add / length else null end;
  . as $runs
  | [$runs[] | select(.scenario == "PLAIN") | .rps] as $plains
  | ($plains | mean) as $plain
  # Every other scenario: the PLAIN interleaved with it, or else its PLAIN
  # neighbours (the runs just before and after).
  | [range(0; $runs | length) as $i | $runs[$i] | select(.scenario != "PLAIN")
     | ([$runs[:$i][] | select(.scenario == "PLAIN")] | last | .rps) as $before
     | ([$runs[$i + 1:][] | select(.scenario == "PLAIN")] | first | .rps) as $after
     | ([$before, $after] | map(select(. != null)) | mean) as $base
     | (.plain_rps // $base) as $base
     | . + {plain_rps: $base, ratio: (if $base then .rps / $base else null end)}] as $others
  | {when: $when, machine: $machine, commit: $commit, load: $wrk,
     ready_ms: {auth: $ready_auth, book: $ready_book},
     final_rss_mb: {auth: $rss_auth, book: $rss_book},
     plain_runs: $plains,
     plain_p99_ms: [$runs[] | select(.scenario == "PLAIN") | .p99_ms],
     scenarios: ((if $plain then [($runs | map(select(.scenario == "PLAIN")) | first)
                                  + {rps: $plain, plain_rps: $plain, ratio: 1,
                                     p99_ms: ($runs | map(select(.scenario == "PLAIN") | .p99_ms) | max),
                                     server_cpu_us: ($runs | map(select(.scenario == "PLAIN") | .server_cpu_us) | mean),
                                     wrk_cpu_us: ($runs | map(select(.scenario == "PLAIN") | .wrk_cpu_us) | mean),
                                     non2xx: ($runs | map(select(.scenario == "PLAIN") | .non2xx) | add),
                                     socket_errors: ($runs | map(select(.scenario == "PLAIN") | .socket_errors) | add)}]
                  else [] end) + $others)}
  | .framework_ratio = ((.scenarios | map(select(.scenario == "HELLO_BEAST"))[0]) as $h
                        | if $h and $h.plain_rps then $h.plain_rps / $h.rps else null end)' \
   "$RESULTS" >"$OUT"

echo
echo "$(jq -r .machine "$OUT"); $(jq -r .load "$OUT"); commit $(jq -r .commit "$OUT")"
echo
jq -r '
  def f(n): if n == null then "-" else (n * 1000 | round / 1000 | tostring) end;
  def mark: if .target_ratio == null then ""
            elif .ratio >= .target_ratio then " (>= \(.target_ratio) ok)"
            else " (< \(.target_ratio) MISSED)" end;
  def us(n): if n == null then "-" else (n * 10 | round / 10 | tostring) end;
  "| scenario | req/s | PLAIN around it | ratio to PLAIN | p50 ms | p99 ms | non-2xx | server RSS MB | CPU µs/req server | CPU µs/req wrk |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  (.scenarios[] | "| \(.scenario) | \(.rps | floor) | \(.plain_rps // 0 | floor) | \(f(.ratio))\(mark) | \(f(.p50_ms)) | \(f(.p99_ms)) | \(.non2xx + .socket_errors) | \(.rss_mb) | \(us(.server_cpu_us)) | \(us(.wrk_cpu_us)) |"),
  "",
  "PLAIN: mean of \(.plain_runs | length) results (\([.plain_runs, .plain_p99_ms] | transpose | map("\(.[0] | floor) (p99 \(.[1]) ms)") | join(", ")) req/s): one run before the first scenario, the slices interleaved with each scenario that has a target (its ratio is to those), and one run after each other scenario (its ratio is to the mean of the PLAIN just before and after it)."
' "$OUT"
echo
jq -r '"framework overhead: book /healthz = \(.framework_ratio // "-" | if type == "number" then (. * 1000 | round / 1000) else . end) x bare Beast; ready after \(.ready_ms.auth) ms (auth), \(.ready_ms.book) ms (book); RSS after the run: auth \(.final_rss_mb.auth) MB, book \(.final_rss_mb.book) MB"' "$OUT"
jq -r '
  [ (.scenarios[] | select(.target_ratio != null and .ratio < .target_ratio)
     | "\(.scenario) ratio \(.ratio * 1000 | round / 1000) < \(.target_ratio)"),
    (.scenarios[] | select((.scenario | IN("PLAIN", "GET1", "LIST20", "AUTH_ORDERS", "SEARCH")) and .p99_ms > 5)
     | "\(.scenario) p99 \(.p99_ms) ms > 5 ms"),
    (.scenarios[] | select(.non2xx + .socket_errors > 0) | "\(.scenario) has \(.non2xx + .socket_errors) failed requests"),
    (.final_rss_mb | to_entries[] | select(.value >= 64) | "\(.key) RSS \(.value) MB >= 64 MB"),
    (.ready_ms | to_entries[] | select(.value > 500) | "\(.key) ready after \(.value) ms > 500 ms")
  ] | if length == 0 then "targets: all met" else "targets MISSED: " + join("; ") end' "$OUT"
echo "bench: wrote $OUT"
