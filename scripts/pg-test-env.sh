# Sourced: makes sure a local PostgreSQL 15 cluster runs and exports
# BOOKSTORE_TEST_PG_URL for a test role and database. Needs root (or the
# postgres user via sudo). Safe to run many times.
PG_VERSION=15
PG_CLUSTER=main
if ! pg_lsclusters -h 2>/dev/null | grep -q "^${PG_VERSION} ${PG_CLUSTER} "; then
  pg_createcluster ${PG_VERSION} ${PG_CLUSTER} >/dev/null
fi
if ! pg_lsclusters -h | grep -q "^${PG_VERSION} ${PG_CLUSTER} .* online"; then
  pg_ctlcluster ${PG_VERSION} ${PG_CLUSTER} start
fi
PG_PORT=$(pg_lsclusters -h | awk -v v=${PG_VERSION} -v c=${PG_CLUSTER} '$1==v && $2==c {print $3}')
su postgres -c "psql -p ${PG_PORT} -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='bookstore_test'\"" | grep -q 1 \
  || su postgres -c "psql -p ${PG_PORT} -qc \"CREATE ROLE bookstore_test LOGIN PASSWORD 'bookstore_test' CREATEDB\""
su postgres -c "psql -p ${PG_PORT} -qtAc \"SELECT 1 FROM pg_database WHERE datname='bookstore_test'\"" | grep -q 1 \
  || su postgres -c "createdb -p ${PG_PORT} -O bookstore_test bookstore_test"
BOOKSTORE_TEST_PG_URL="postgresql://bookstore_test:bookstore_test@127.0.0.1:${PG_PORT}/bookstore_test"
