#!/usr/bin/env bash
# End-to-end over the scaled-out topology (scripts/topology.sh): a fresh
# PostgreSQL database, 2 bookstore-auth + 3 bookstore-book processes and an
# nginx gateway with deploy/nginx/routes.conf, on free loopback ports.
# tests/e2e/topology_check.py then checks the OAuth flow across auth
# instances, 300 concurrent orders against stock 100 spread over the book
# instances, and a load during which one book instance is SIGKILLed.
# Needs BOOKSTORE_TEST_PG_URL (source scripts/pg-test-env.sh); without it the
# test is skipped (exit 77).
set -euo pipefail

if [ -z "${BOOKSTORE_TEST_PG_URL:-}" ]; then
  echo "SKIP: BOOKSTORE_TEST_PG_URL is not set (source scripts/pg-test-env.sh)"
  exit 77
fi
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export BOOKSTORE_AUTH_BIN=${BOOKSTORE_AUTH_BIN:-$SRC/build/debug/auth_service/bookstore-auth}
export BOOKSTORE_BOOK_BIN=${BOOKSTORE_BOOK_BIN:-$SRC/build/debug/book_service/bookstore-book}
for tool in psql curl openssl /usr/sbin/nginx /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is needed (scripts/bootstrap.sh installs it)"; exit 1; }
done

work=$(mktemp -d)
chmod 755 "$work"  # nginx workers (nobody) reach their temp folders below it
export TOPOLOGY_DIR=$work/topology
cleanup() {
  local rc=$?
  if [ $rc -ne 0 ] && [ -d "$TOPOLOGY_DIR/logs" ]; then
    echo "--- last log lines (exit $rc)"
    for f in "$TOPOLOGY_DIR"/logs/*.log; do
      [ -s "$f" ] || continue
      echo "--- $(basename "$f")"; tail -n 8 "$f"
    done
  fi
  timeout 60 "$SRC/scripts/topology.sh" stop >/dev/null 2>&1 || echo "topology stop failed"
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 143' TERM INT

export GATEWAY_PORT=0 TOPOLOGY_SEED_DEMO=0 LOG_LEVEL=warn BOOKSTORE_ACCESS_LOG=false
export PASSWORD_HASH_OPS=1 PASSWORD_HASH_MEM_KIB=8  # cheap argon2id for tests only
BOOKSTORE_ADMIN_PASSWORD="e2e-$(openssl rand -hex 12)"
export BOOKSTORE_ADMIN_USERNAME=admin BOOKSTORE_ADMIN_PASSWORD
unset BOOKSTORE_DATABASE_URL AUTH_ISSUER AUTH_JWKS_URL AUTH_SIGNING_KEY_FILE BOOKSTORE_DATA_DIR

timeout 120 "$SRC/scripts/topology.sh" start
"$SRC/scripts/topology.sh" status

# One key file, owner-only, shared by every auth instance; one key published.
# shellcheck disable=SC1091
source "$TOPOLOGY_DIR/topology.env"
[ "$(stat -c %a "$SIGNING_KEY_FILE")" = 600 ] || { echo "FAIL: key file not 0600"; exit 1; }
keys=$(curl -sf "$GATEWAY_URL/jwks.json" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))')
[ "$keys" = 1 ] || { echo "FAIL: $keys keys published, expected 1"; exit 1; }

timeout 240 /usr/bin/python3 "$SRC/tests/e2e/topology_check.py" "$TOPOLOGY_DIR/topology.env" \
  "$BOOKSTORE_ADMIN_USERNAME" "$BOOKSTORE_ADMIN_PASSWORD"

# The killed instance shows as down; the others are still up.
set +e
status=$("$SRC/scripts/topology.sh" status); rc=$?
set -e
echo "$status"
if [ $rc != 3 ] || ! echo "$status" | grep -q '^book-2 .*DOWN' \
   || [ "$(echo "$status" | grep -c ' up ')" != 5 ]; then
  echo "FAIL: status after the kill"; exit 1
fi
echo "PASS"
