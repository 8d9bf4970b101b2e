#!/usr/bin/env bash
# `make test`: every test of the debug build, and a loud account of what did
# not run. As root, with the Debian PostgreSQL packages (scripts/bootstrap.sh
# installs them), it starts the local PostgreSQL 15 cluster first
# (scripts/pg-test-env.sh), so the PostgreSQL cases run too; elsewhere it
# says how many PostgreSQL cases did not run and how to run them.
# BOOKSTORE_TEST_PG=off leaves PostgreSQL alone (and says so).
# Usage: scripts/test.sh PRESET [ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=$1
shift

if [ -z "${BOOKSTORE_TEST_PG_URL:-}" ] && [ "${BOOKSTORE_TEST_PG:-}" != off ] &&
   [ "$(id -u)" = 0 ] && command -v pg_createcluster >/dev/null; then
  # shellcheck source=scripts/pg-test-env.sh
  source ./scripts/pg-test-env.sh
  echo "test: PostgreSQL cases on the local cluster ($BOOKSTORE_TEST_PG_URL)"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
ctest --preset "$preset" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

skipped=$(grep -c ' (Skipped)$' "$log" || true)
if [ "$skipped" -gt 0 ]; then
  echo
  echo "test: $skipped test(s) SKIPPED:"
  # Each skipped test's own reason, its "SKIP: ..." line.
  awk '/^[0-9]+\/[0-9]+ Test: / { name = $3 } /^SKIP: / { print "  " name ": " substr($0, 7) }' \
    "build/$preset/Testing/Temporary/LastTest.log" 2>/dev/null || true
fi
if [ -z "${BOOKSTORE_TEST_PG_URL:-}" ]; then
  # The PostgreSQL cases exist only with a URL: count them by listing.
  missing=0
  for bin in build/"$preset"/tests/*_integration_tests build/"$preset"/tests/*_api_tests; do
    [ -x "$bin" ] || continue
    with=$(BOOKSTORE_TEST_PG_URL=postgresql://list-only@127.0.0.1:1/x "$bin" --gtest_list_tests | grep -c '^  ' || true)
    without=$("$bin" --gtest_list_tests | grep -c '^  ' || true)
    missing=$((missing + with - without))
  done
  echo
  echo "test: PostgreSQL NOT TESTED: $missing PostgreSQL case(s) of the integration and api layers"
  echo "      did not run (BOOKSTORE_TEST_PG_URL is unset). Run make test as root to start the"
  echo "      local cluster, or: source scripts/pg-test-env.sh && make test"
fi
exit "$rc"
