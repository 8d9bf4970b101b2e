#!/usr/bin/env bash
# The command-line conventions both programs share: --version, a command
# is required (and listed), --help shows the kind of every value, port 0
# means any free port.
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
AUTH=${BOOKSTORE_AUTH_BIN:-$SRC/build/debug/auth_service/bookstore-auth}
BOOK=${BOOKSTORE_BOOK_BIN:-$SRC/build/debug/book_service/bookstore-book}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export BOOKSTORE_DATA_DIR="$WORK/data" LOG_LEVEL=warn
unset BOOKSTORE_DATABASE_URL AUTH_SIGNING_KEY_FILE AUTH_PORT BOOK_PORT

version=$(sed -n 's/^project(bookstore VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
for bin in "$AUTH" "$BOOK"; do
  name=$(basename "$bin")
  out=$("$bin" --version) || fail "$name --version failed"
  [ "$(printf '%s\n' "$out" | head -1)" = "$name $version" ] || fail "$name --version: $out"
  printf %s "$out" | grep -q "SQLite 3\." || fail "$name --version names no SQLite: $out"

  set +e
  out=$("$bin" 2>&1); rc=$?
  set -e
  [ $rc -eq 2 ] || fail "$name without a command exited $rc (expected 2): $out"
  printf %s "$out" | grep -q "a command is required: serve, init-db" || fail "$name without a command: $out"

  help=$("$bin" --help)
  printf %s "$help" | grep -q -- "--io-threads INT" || fail "$name --help: no INT for --io-threads"
  printf %s "$help" | grep -q -- "--version" || fail "$name --help lists no --version"
done
set +e
out=$("$AUTH" client 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && printf %s "$out" | grep -q "a command is required: add, list" || fail "auth client: $rc $out"
"$BOOK" serve --help | grep -q -- "--port INT=5001" || fail "book serve --help shows no INT port"

# Port 0 is any free port for both: the programs start and say which.
"$AUTH" init-db >/dev/null
for pair in "$AUTH:AUTH_PORT" "$BOOK:BOOK_PORT"; do
  bin=${pair%:*} var=${pair#*:}
  env "$var=0" LOG_LEVEL=info "$bin" serve 2>"$WORK/serve.log" &
  pid=$!
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p; s/.*listening on port \([0-9]*\).*/\1/p' "$WORK/serve.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1  # waiting for start-up, not synchronising a test
  done
  [ -n "$port" ] && [ "$port" != 0 ] || { kill "$pid"; fail "$(basename "$bin") with $var=0: $(cat "$WORK/serve.log")"; }
  curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" || { kill "$pid"; fail "no answer on port $port"; }
  kill -TERM "$pid"
  wait "$pid" || fail "$(basename "$bin") exit status after SIGTERM"
done
echo "PASS: command-line conventions"
