#!/usr/bin/env bash
# Both OpenAPI documents (served as /openapi.json) pass redocly's
# recommended rules with every warning an error (tools/openapi/redocly.yaml,
# exceptions with reasons in tools/openapi/.redocly.lint-ignore.yaml). The
# linter is pinned (tools/openapi/package-lock.json) and installed from the
# npm registry into the build folder once. Exits 77 (skipped) without npm.
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TOOLS=${BOOKSTORE_NPM_TOOLS:-$SRC/build/npm-tools/openapi}
command -v npm >/dev/null || { echo "SKIP: npm is not installed"; exit 77; }
mkdir -p "$TOOLS"
if ! cmp -s "$SRC/tools/openapi/package-lock.json" "$TOOLS/package-lock.json" ||
   [ ! -x "$TOOLS/node_modules/.bin/redocly" ]; then
  cp "$SRC/tools/openapi/package.json" "$SRC/tools/openapi/package-lock.json" "$TOOLS/"
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
cd "$SRC/tools/openapi"
"$TOOLS/node_modules/.bin/redocly" lint --config redocly.yaml --format=summary \
  ../../docs/openapi/book.json ../../docs/openapi/auth.json 2>&1 | grep -v "║\|╔\|╚" || {
  echo "FAIL: the OpenAPI documents do not pass the lint (run this script for the details)" >&2
  "$TOOLS/node_modules/.bin/redocly" lint --config redocly.yaml \
    ../../docs/openapi/book.json ../../docs/openapi/auth.json >&2 || true
  exit 1
}
echo "PASS: OpenAPI lint"
