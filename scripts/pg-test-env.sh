# Sourced: makes sure the local Debian PostgreSQL 15 cluster runs and exports
# BOOKSTORE_TEST_PG_URL for a test role and database. Needs root. Safe to run
# many times and under `set -euo pipefail`.
_pg_version=15
_pg_cluster=main
_pg_clusters=$(pg_lsclusters -h 2>/dev/null || true)
if ! awk -v v=$_pg_version -v c=$_pg_cluster '$1==v && $2==c {found=1} END {exit !found}' <<<"$_pg_clusters"; then
  pg_createcluster $_pg_version $_pg_cluster >/dev/null
  _pg_clusters=$(pg_lsclusters -h)
fi
if ! awk -v v=$_pg_version -v c=$_pg_cluster '$1==v && $2==c && $4=="online" {found=1} END {exit !found}' <<<"$_pg_clusters"; then
  pg_ctlcluster $_pg_version $_pg_cluster start
fi
_pg_port=$(pg_lsclusters -h | awk -v v=$_pg_version -v c=$_pg_cluster '$1==v && $2==c {print $3}')
_pg_psql() { su postgres -c "psql -p $_pg_port -qtAc \"$1\""; }
if [ "$(_pg_psql "SELECT count(*) FROM pg_roles WHERE rolname='bookstore_test'")" != 1 ]; then
  _pg_psql "CREATE ROLE bookstore_test LOGIN PASSWORD 'bookstore_test' CREATEDB" >/dev/null
fi
if [ "$(_pg_psql "SELECT count(*) FROM pg_database WHERE datname='bookstore_test'")" != 1 ]; then
  su postgres -c "createdb -p $_pg_port -O bookstore_test bookstore_test"
fi
BOOKSTORE_TEST_PG_URL="postgresql://bookstore_test:bookstore_test@127.0.0.1:${_pg_port}/bookstore_test"
export BOOKSTORE_TEST_PG_URL
unset -f _pg_psql
