#!/usr/bin/env bash
# The compose file as Debian 12's docker-compose 1.29 reads it (the Compose
# v1 that `apt install docker-compose` gives; v2 reads the same file), and the
# build context filter every builder reads. Exits 77 (skipped) without
# docker-compose (scripts/bootstrap.sh installs it).
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$SRC"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Secrets and local state never enter a build context: the filter is the
# root .dockerignore (the classic builder reads no other), and there is no
# deploy/Dockerfile.dockerignore that BuildKit would read instead.
[ -f .dockerignore ] || fail "no .dockerignore at the repository root"
[ ! -e deploy/Dockerfile.dockerignore ] || fail "deploy/Dockerfile.dockerignore would shadow .dockerignore under BuildKit"
for pattern in .git build/ data/ deploy/secrets/ '**/*.pem' '**/*.db'; do
  grep -qxF -- "$pattern" .dockerignore || fail ".dockerignore lacks $pattern"
done
grep -q '^HEALTHCHECK ' deploy/Dockerfile || fail "the image has no HEALTHCHECK"

command -v docker-compose >/dev/null || { echo "SKIP: docker-compose is not installed (make bootstrap)"; exit 77; }
out=$(BOOKSTORE_DB_PASSWORD=check docker-compose -f docker-compose.yml config 2>&1) ||
  fail "docker-compose config: $out"
# Without the database password the file refuses to start, naming it.
if msg=$(env -u BOOKSTORE_DB_PASSWORD docker-compose -f docker-compose.yml config 2>&1); then
  fail "config accepted without BOOKSTORE_DB_PASSWORD"
fi
grep -q BOOKSTORE_DB_PASSWORD <<<"$msg" || fail "no BOOKSTORE_DB_PASSWORD in: $msg"
# --compatibility turns deploy.replicas into instances: 2 auth, 3 book.
COMPAT=$(BOOKSTORE_DB_PASSWORD=check docker-compose -f docker-compose.yml --compatibility config) \
python3 - <<'PY' || fail "--compatibility does not give 2 auth and 3 book instances"
import os, sys, yaml  # python3-yaml comes with docker-compose
services = yaml.safe_load(os.environ["COMPAT"])["services"]
def count(name):
    s = services[name]
    return s.get("scale", s.get("deploy", {}).get("replicas"))
sys.exit(0 if (count("auth"), count("book")) == (2, 3) else 1)
PY
echo "compose: ok"
