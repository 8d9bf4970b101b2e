#!/usr/bin/env bash
# The auth service as an OpenID Provider (contract §5) for two widely used
# client libraries, against the real binaries: oidc-client-ts in headless
# Chromium (playwright-core) as a single-page app, and openid-client in Node
# as a backend-for-frontend (tools/oidc-e2e/). The libraries are pinned
# (tools/oidc-e2e/package-lock.json) and installed from the npm registry into
# the build folder once. Fails (never skips) when Chromium, node or npm is
# missing: CI installs them.
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
AUTH_BIN=${BOOKSTORE_AUTH_BIN:-$SRC/build/debug/auth_service/bookstore-auth}
BOOK_BIN=${BOOKSTORE_BOOK_BIN:-$SRC/build/debug/book_service/bookstore-book}
TOOLS=${BOOKSTORE_NPM_TOOLS_OIDC:-$SRC/build/npm-tools/oidc-e2e}
for need in node npm; do
  command -v "$need" >/dev/null || { echo "FAIL: $need is not installed (scripts/bootstrap.sh installs it)" >&2; exit 1; }
done
for need in /usr/bin/chromium "$AUTH_BIN" "$BOOK_BIN"; do
  [ -x "$need" ] || { echo "FAIL: $need is missing" >&2; exit 1; }
done
mkdir -p "$TOOLS"
if ! cmp -s "$SRC/tools/oidc-e2e/package-lock.json" "$TOOLS/package-lock.json" ||
   [ ! -d "$TOOLS/node_modules/openid-client" ] || [ ! -d "$TOOLS/node_modules/oidc-client-ts" ] ||
   [ ! -d "$TOOLS/node_modules/playwright-core" ]; then
  rm -f "$TOOLS/package-lock.json"
  cp "$SRC/tools/oidc-e2e/package.json" "$SRC/tools/oidc-e2e/package-lock.json" "$TOOLS/"
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
    rm -f "$TOOLS/package-lock.json"
    echo "FAIL: npm ci of tools/oidc-e2e failed" >&2
    exit 1
  }
fi
# The programs run from a fresh copy below $TOOLS so that Node finds the
# packages in $TOOLS/node_modules.
RUN=$(mktemp -d "$TOOLS/run.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
cp "$SRC"/tools/oidc-e2e/*.mjs "$RUN/"
rc=0
timeout --kill-after=10 300 node "$RUN/run.mjs" "$AUTH_BIN" "$BOOK_BIN" || rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "FAIL: the OIDC library test ran longer than 300 s" >&2
fi
exit "$rc"
