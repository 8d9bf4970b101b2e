#!/usr/bin/env bash
# Browser login through the real bookstore-auth binary with Debian's
# headless Chromium (selenium + chromedriver): the login page, CSP, the form
# post, the redirect with code/state/iss, the token exchange and single
# sign-on. Fails (never skips) when a piece is missing: CI installs them.
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BOOKSTORE_AUTH_BIN:-$SRC/build/debug/auth_service/bookstore-auth}
for need in "$BIN" /usr/bin/chromium /usr/bin/chromedriver /usr/bin/python3; do
  if [ ! -x "$need" ]; then
    echo "FAIL: $need is missing (scripts/bootstrap.sh installs it)" >&2
    exit 1
  fi
done
exec timeout --kill-after=10 240 /usr/bin/python3 "$SRC/tests/e2e/browser_login.py" "$BIN"
