#!/usr/bin/env bash
# End-to-end: two real bookstore-book processes on ONE database (a shared
# SQLite file, and PostgreSQL when BOOKSTORE_TEST_PG_URL is set). 50 parallel
# one-unit orders for a book with stock 20, split across both processes,
# must give exactly 20 x 201 and 30 x 409 and leave the stock at 0.
# Tokens come from tests/support/mint_token with a key made by openssl; the
# JWKS is served by python3 -m http.server. SIGTERM must drain and exit 0.
set -euo pipefail

BOOK=${BOOKSTORE_BOOK_BIN:?BOOKSTORE_BOOK_BIN must name the bookstore-book binary}
MINT=${BOOKSTORE_MINT_TOKEN_BIN:-$(dirname "$BOOK")/../tests/mint_token}
[ -x "$MINT" ] || { echo "mint_token not found at $MINT (build target mint_token)"; exit 1; }
ISSUER=http://issuer.e2e.test

work=$(mktemp -d)
pids=()
pg_db=""
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$pg_db" ]; then psql "$BOOKSTORE_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
json_field() {  # json_field FIELD < json
  python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"
}
wait_http() {  # wait_http URL: until it answers 200 (start-up), at most 30 s
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $1"; return 1
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
mkdir "$work/www"
"$MINT" jwks --key "$work/key.pem" > "$work/www/jwks.json"
JWKS_PORT=$(free_port)
python3 -m http.server "$JWKS_PORT" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$JWKS_PORT/jwks.json"

export AUTH_ISSUER=$ISSUER AUTH_JWKS_URL=http://127.0.0.1:$JWKS_PORT/jwks.json
export BOOKSTORE_ACCESS_LOG=false LOG_LEVEL=warn PASSWORD_HASH_OPS=1 PASSWORD_HASH_MEM_KIB=8
export BOOKSTORE_DATA_DIR=$work/data

run_case() {
  local label=$1
  export BOOKSTORE_DATABASE_URL=$2
  echo "== $label"
  "$BOOK" init-db >/dev/null
  local p1 p2 s1 s2
  p1=$(free_port); p2=$(free_port)
  BOOK_PORT=$p1 "$BOOK" serve & s1=$!
  BOOK_PORT=$p2 "$BOOK" serve & s2=$!
  pids+=("$s1" "$s2")
  wait_http "http://127.0.0.1:$p1/readyz"
  wait_http "http://127.0.0.1:$p2/readyz"

  local admin user_id customer book_id
  admin=$("$MINT" sign --key "$work/key.pem" --iss "$ISSUER" --sub 1 --role admin \
          --scope "books:write users:manage orders orders:manage")
  user_id=$(curl -sf -X POST "http://127.0.0.1:$p1/register" -H 'Content-Type: application/json' \
            -d "{\"username\":\"e2e_$RANDOM$RANDOM\",\"password\":\"e2e-password\"}" | json_field id)
  customer=$("$MINT" sign --key "$work/key.pem" --iss "$ISSUER" --sub "$user_id" --role customer --scope orders)
  book_id=$(curl -sf -X POST "http://127.0.0.1:$p2/books" -H 'Content-Type: application/json' \
            -H "Authorization: Bearer $admin" \
            -d "{\"code\":\"E2E-$RANDOM$RANDOM\",\"name\":\"Hot book\",\"quantity\":20,\"sell_price\":5}" | json_field id)

  local curls=() i port
  for i in $(seq 1 50); do
    if (( i % 2 )); then port=$p1; else port=$p2; fi
    curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$port/orders" \
      -H 'Content-Type: application/json' -H "Authorization: Bearer $customer" \
      -d "{\"items\":[{\"book_id\":$book_id,\"quantity\":1}]}" > "$work/code.$label.$i" &
    curls+=($!)
  done
  for p in "${curls[@]}"; do wait "$p"; done

  local created conflict stock orders
  created=$(cat "$work"/code."$label".* | grep -c '^201$' || true)
  conflict=$(cat "$work"/code."$label".* | grep -c '^409$' || true)
  stock=$(curl -sf "http://127.0.0.1:$p1/books/$book_id" | json_field quantity)
  orders=$(curl -sf "http://127.0.0.1:$p2/orders?user_id=$user_id" -H "Authorization: Bearer $admin" | json_field total)
  echo "201: $created  409: $conflict  stock: $stock  orders: $orders"
  [ "$created" = 20 ] && [ "$conflict" = 30 ] && [ "$stock" = 0 ] && [ "$orders" = 20 ] \
    || { echo "FAIL ($label)"; exit 1; }

  kill -TERM "$s1" "$s2"
  local rc1=0 rc2=0
  wait "$s1" || rc1=$?
  wait "$s2" || rc2=$?
  [ "$rc1" = 0 ] && [ "$rc2" = 0 ] || { echo "FAIL ($label): serve exited $rc1/$rc2 on SIGTERM"; exit 1; }
}

run_case sqlite "sqlite:$work/shared.db"

if [ -n "${BOOKSTORE_TEST_PG_URL:-}" ] && command -v psql >/dev/null; then
  pg_db="bookstore_e2e_$$_$RANDOM"
  psql "$BOOKSTORE_TEST_PG_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
  pg_url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$BOOKSTORE_TEST_PG_URL" "$pg_db")
  run_case postgresql "$pg_url"
fi
echo "PASS"
