#!/usr/bin/env bash
# Throughput through the gateway of the local topology (scripts/topology.sh):
# GET /books/{id}, and POST /orders (deploy/bench/orders.lua) for one hot
# book and spread over BENCH_BOOKS books (default 50), with wrk, for each
# number of book instances given (default: 1 then 3). Release binaries by
# default. Short runs: WRK_ARGS (default -t1 -c64 -d5s).
#   source scripts/pg-test-env.sh && make release && deploy/bench/gateway_bench.sh 1 3
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "${BOOKSTORE_TEST_PG_URL:-}${BOOKSTORE_DATABASE_URL:-}" ] \
  || { echo "set BOOKSTORE_TEST_PG_URL (source scripts/pg-test-env.sh)"; exit 2; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }
export BOOKSTORE_AUTH_BIN=${BOOKSTORE_AUTH_BIN:-$SRC/build/release/auth_service/bookstore-auth}
export BOOKSTORE_BOOK_BIN=${BOOKSTORE_BOOK_BIN:-$SRC/build/release/book_service/bookstore-book}
read -r -a WRK <<< "${WRK_ARGS:--t1 -c64 -d5s}"

work=$(mktemp -d)
chmod 755 "$work"
export TOPOLOGY_DIR=$work/topology GATEWAY_PORT=0 TOPOLOGY_SEED_DEMO=0 LOG_LEVEL=warn
export BOOKSTORE_ACCESS_LOG=${BOOKSTORE_ACCESS_LOG:-false}
BOOKSTORE_ADMIN_PASSWORD="bench-$(openssl rand -hex 8)"
export BOOKSTORE_ADMIN_PASSWORD
trap '"$SRC/scripts/topology.sh" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 3)
for instances in "${counts[@]}"; do
  BOOK_INSTANCES=$instances "$SRC/scripts/topology.sh" start >/dev/null
  # shellcheck disable=SC1091
  source "$TOPOLOGY_DIR/topology.env"
  # A book with the largest stock and a customer token, through the real OAuth flow.
  read -r BOOK_ID TOKEN < <(/usr/bin/python3 - "$TOPOLOGY_DIR/topology.env" "$BOOKSTORE_ADMIN_PASSWORD" \
                             "$SRC/tests/e2e" "${BENCH_BOOKS:-50}" <<'PY'
import secrets, sys
sys.path.insert(0, sys.argv[3])
import topology_client as t
env = t.load_env(sys.argv[1]); gw = env["GATEWAY_URL"]
admin = t.oauth_login("admin", sys.argv[2], gw, gw, gw, gw)["access_token"]
tag = secrets.token_hex(3)
ids = [t.create_book(gw, admin, f"BENCH-{tag}-{i}", 1000000, 9.5) for i in range(int(sys.argv[4]))]
assert ids == list(range(ids[0], ids[0] + len(ids))), "book ids not consecutive"
book = ids[0]
user, pw = "bench_" + secrets.token_hex(3), "bench-" + secrets.token_hex(8)
r = t.request(gw, "POST", "/register", {"username": user, "password": pw})
assert r.status == 201, r.status
print(book, t.oauth_login(user, pw, gw, gw, gw, gw)["access_token"])
PY
)
  echo "== $instances book instance(s), gateway $GATEWAY_URL, wrk ${WRK[*]}"
  echo "-- GET /books/$BOOK_ID"
  wrk "${WRK[@]}" --latency "$GATEWAY_URL/books/$BOOK_ID" | grep -E 'Requests/sec|Non-2xx|Socket errors|  50%|  99%'
  for books in 1 "${BENCH_BOOKS:-50}"; do
    echo "-- POST /orders, one unit of one of $books book(s)"
    BOOK_ID=$BOOK_ID BOOK_COUNT=$books TOKEN=$TOKEN wrk "${WRK[@]}" -s "$SRC/deploy/bench/orders.lua" \
      "$GATEWAY_URL/orders" | grep -E 'Non-2xx|Socket errors|^orders:'
  done
  "$SRC/scripts/topology.sh" stop >/dev/null
done
