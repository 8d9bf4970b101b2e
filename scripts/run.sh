#!/usr/bin/env bash
# Starts the whole system on SQLite in the foreground: schema, default
# clients, admin (a generated password is printed once), demo catalogue,
# then the auth service (AUTH_PORT, 5000) and the book service (BOOK_PORT,
# 5001). Ctrl-C (or SIGTERM) stops both cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BOOKSTORE_BIN_DIR:-build/release}
AUTH="$BIN/auth_service/bookstore-auth"
BOOK="$BIN/book_service/bookstore-book"
export BOOKSTORE_DATA_DIR=${BOOKSTORE_DATA_DIR:-$PWD/data}
mkdir -p "$BOOKSTORE_DATA_DIR"

"$AUTH" init-db
"$BOOK" init-db
"$AUTH" init-admin
"$BOOK" seed-demo

pids=()
stop() {
  trap - INT TERM
  echo "stopping..."
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait
  exit 0
}
trap stop INT TERM

"$AUTH" serve & pids+=($!)
"$BOOK" serve & pids+=($!)
echo "auth service: http://localhost:${AUTH_PORT:-5000}   book service: http://localhost:${BOOK_PORT:-5001}   (Ctrl-C stops both)"

# If either service exits on its own, stop the other one too.
status=0
wait -n || status=$?
trap - INT TERM
echo "a service exited (status $status); stopping the other"
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
wait || true
exit "$status"
