#!/usr/bin/env bash
# The walkthroughs of the docs, run as written: every ```bash walkthrough
# block of README.md and docs/auth.md, in the order a reader follows them
# (README's first block, docs/auth.md's flow, README's protected calls),
# against both real services set up as `make run` sets them up. Only the
# ports are changed (free ones instead of 5000/5001); every curl fails the
# test on an HTTP error. A doc that drifts from the services fails here.
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
AUTH=${BOOKSTORE_AUTH_BIN:-$SRC/build/debug/auth_service/bookstore-auth}
BOOK=${BOOKSTORE_BOOK_BIN:-$SRC/build/debug/book_service/bookstore-book}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The ```bash walkthrough blocks of a Markdown file, NUL-separated.
blocks() {
  awk '/^```bash walkthrough$/ { inside = 1; next }
       /^```$/ && inside { inside = 0; printf "%c", 0; next }
       inside { print }' "$1"
}
mapfile -d '' readme < <(blocks "$SRC/README.md")
mapfile -d '' auth_doc < <(blocks "$SRC/docs/auth.md")
[ "${#readme[@]}" -eq 2 ] || fail "README.md has ${#readme[@]} walkthrough blocks, expected 2"
[ "${#auth_doc[@]}" -eq 1 ] || fail "docs/auth.md has ${#auth_doc[@]} walkthrough blocks, expected 1"

AP=$(free_port) BP=$(free_port)
export BOOKSTORE_DATA_DIR="$WORK/data" AUTH_PORT=$AP BOOK_PORT=$BP AUTH_ISSUER="http://localhost:$AP"
export LOG_LEVEL=warn PASSWORD_HASH_OPS=1 PASSWORD_HASH_MEM_KIB=8
export BOOKSTORE_ADMIN_PASSWORD="walkthrough-$RANDOM-$RANDOM"
unset BOOKSTORE_DATABASE_URL AUTH_SIGNING_KEY_FILE AUTH_JWKS_URL BOOKSTORE_ADMIN_USERNAME
# As make run (scripts/run.sh) does.
"$AUTH" init-db >/dev/null
"$BOOK" init-db >/dev/null
"$AUTH" init-admin >/dev/null
"$BOOK" seed-demo >/dev/null
"$AUTH" serve 2>"$WORK/auth.log" & PIDS+=($!)
"$BOOK" serve 2>"$WORK/book.log" & PIDS+=($!)
for _ in $(seq 1 200); do
  curl -sf -o /dev/null "http://localhost:$BP/readyz" && break
  sleep 0.05  # waiting for start-up, not synchronising a test
done

script="$WORK/walkthrough.sh"
{
  echo 'set -euo pipefail'
  echo 'curl() { command curl --fail-with-body "$@"; }'
  echo "PASSWORD='$BOOKSTORE_ADMIN_PASSWORD'"
  printf '%s\n' "${readme[0]}" "${auth_doc[0]}" "${readme[1]}"
  # What the reader should have at the end.
  echo '[ -n "$ACCESS" ] && [ "$ACCESS" != null ] || { echo "no ACCESS" >&2; exit 1; }'
  echo 'curl -s "localhost:5001/books?q=NEW-1" | grep -q "\"code\":\"NEW-1\"" || exit 1'
} | sed -e "s/localhost:5000/localhost:$AP/g" -e "s/localhost:5001/localhost:$BP/g" >"$script"
(cd "$WORK" && bash "$script" >"$WORK/out.txt" 2>&1) || {
  cat "$WORK/out.txt" >&2
  fail "a documented walkthrough failed (script: the blocks above, ports changed)"
}
echo "PASS: the docs' walkthroughs run as written"
