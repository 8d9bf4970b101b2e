#!/usr/bin/env bash
# Both real services on one SQLite file; tokens from the real OAuth flow used
# at the book service (see full_flow.py).
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec /usr/bin/python3 "$SRC/tests/e2e/full_flow.py" \
  "${BOOKSTORE_AUTH_BIN:-$SRC/build/debug/auth_service/bookstore-auth}" \
  "${BOOKSTORE_BOOK_BIN:-$SRC/build/debug/book_service/bookstore-book}"
