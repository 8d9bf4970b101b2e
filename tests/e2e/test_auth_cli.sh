#!/usr/bin/env bash
# bookstore-auth's command line against a temp SQLite database: init-db,
# init-admin, client add/list, keys rotate (also to ES256), configuration errors, serve's
# schema check and SIGTERM drain.
set -euo pipefail
SRC=${BOOKSTORE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BOOKSTORE_AUTH_BIN:-$SRC/build/debug/auth_service/bookstore-auth}
WORK=$(mktemp -d)
SERVE_PID=""
cleanup() {
  if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then kill -KILL "$SERVE_PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export BOOKSTORE_DATA_DIR="$WORK/data" LOG_LEVEL=warn PASSWORD_HASH_OPS=1 PASSWORD_HASH_MEM_KIB=8
unset BOOKSTORE_DATABASE_URL AUTH_SIGNING_KEY_FILE BOOKSTORE_ADMIN_PASSWORD BOOKSTORE_ADMIN_USERNAME

# serve before init-db: one clear line, non-zero.
set +e
out=$(timeout 20 "$BIN" serve 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "serve started without a schema"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "expected one line, got: $out"
printf %s "$out" | grep -q "init-db" || fail "serve did not point to init-db: $out"

"$BIN" init-db >/dev/null
"$BIN" init-db | grep -q "0 default client" || fail "init-db is not idempotent"
[ "$(stat -c %a "$BOOKSTORE_DATA_DIR/auth-signing-key.pem")" = 600 ] || fail "key file not 0600"

# init-admin: generated password printed once; a second run changes nothing.
out=$("$BIN" init-admin)
printf %s "$out" | grep -q "created with password: " || fail "no generated password: $out"
out=$("$BIN" init-admin)
printf %s "$out" | grep -q "already exists" || fail "second init-admin: $out"
BOOKSTORE_ADMIN_PASSWORD=short "$BIN" init-admin --username other >/dev/null 2>&1 \
  && fail "a 5-character password was accepted"

# client add / list.
out=$("$BIN" client add --client-id svc --redirect-uri http://svc.test/cb --confidential --scope orders)
/usr/bin/python3 -c 'import json,sys; o=json.loads(sys.argv[1]); assert set(o)=={"client_id","client_secret"} and o["client_id"]=="svc" and len(o["client_secret"])>=43, o' "$out" \
  || fail "client add printed $out"
out=$("$BIN" client add --client-id pub --redirect-uri http://pub.test/cb --redirect-uri http://pub.test/cb2)
[ "$out" = '{"client_id":"pub"}' ] || fail "public client add printed $out"
"$BIN" client add --client-id svc --redirect-uri http://svc.test/cb 2>/dev/null && fail "duplicate client id accepted"
"$BIN" client add --client-id bad --redirect-uri not-a-uri 2>/dev/null && fail "bad redirect URI accepted"
list=$("$BIN" client list)
/usr/bin/python3 -c 'import json,sys; l=json.loads(sys.argv[1]); ids=[c["client_id"] for c in l]; assert ids==["bookstore-admin","bookstore-web","pub","svc"], ids; assert all("secret" not in json.dumps(c) for c in l)' "$list" \
  || fail "client list: $list"

# client update replaces the fields given; --rotate-secret prints the new secret.
out=$("$BIN" client update --client-id pub --redirect-uri https://pub.example/cb --name "Public App")
[ "$out" = '{"client_id":"pub"}' ] || fail "client update printed $out"
"$BIN" client list | /usr/bin/python3 -c 'import json,sys; c=[c for c in json.load(sys.stdin) if c["client_id"]=="pub"][0]; assert c["redirect_uris"]==["https://pub.example/cb"] and c["name"]=="Public App", c' \
  || fail "client update did not apply"
out=$("$BIN" client update --client-id svc --rotate-secret)
/usr/bin/python3 -c 'import json,sys; o=json.loads(sys.argv[1]); assert len(o["client_secret"])>=43, o' "$out" \
  || fail "rotate-secret printed $out"
set +e
out=$("$BIN" client update --client-id nobody --name x 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && printf %s "$out" | grep -q "unknown client" || fail "update of an unknown client: $rc $out"
"$BIN" client delete --client-id pub | grep -q "deleted" || fail "client delete"
"$BIN" client list | grep -q '"pub"' && fail "deleted client still listed"
"$BIN" client delete --client-id pub 2>/dev/null && fail "second delete succeeded"

# init-admin --reset-password: a lost admin password is replaced, printed once.
out=$("$BIN" init-admin --reset-password)
printf %s "$out" | grep -q "password reset to: " || fail "reset printed: $out"
out=$(BOOKSTORE_ADMIN_PASSWORD=chosen-password-1 "$BIN" init-admin --reset-password)
printf %s "$out" | grep -q "password reset" && ! printf %s "$out" | grep -q "chosen-password-1" ||
  fail "reset with a given password printed: $out"

# Bad configuration: exit 2, one line naming the variable.
set +e
out=$(ACCESS_TOKEN_TTL=abc "$BIN" serve 2>&1); rc=$?
set -e
[ $rc -eq 2 ] || fail "bad ACCESS_TOKEN_TTL exit $rc"
printf %s "$out" | grep -q "ACCESS_TOKEN_TTL" || fail "message does not name ACCESS_TOKEN_TTL: $out"
set +e
out=$(AUTH_CODE_TTL=600 "$BIN" serve 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && printf %s "$out" | grep -q "AUTH_CODE_TTL" || fail "AUTH_CODE_TTL=600: $rc $out"

# Operator mistakes get a message naming what was tried and why it failed.
# A key file in a folder that does not exist (a typo) is refused, never
# created (that would silently start a new key).
set +e
out=$(AUTH_SIGNING_KEY_FILE="$WORK/no-such-dir/key.pem" "$BIN" serve 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "serve started with a key file in a missing folder"
[ ! -e "$WORK/no-such-dir" ] || fail "the missing key folder was created"
printf %s "$out" | grep -q "AUTH_SIGNING_KEY_FILE" && printf %s "$out" | grep -q "$WORK/no-such-dir" &&
  printf %s "$out" | grep -q "does not exist" || fail "missing key folder message: $out"
# A key file that is not a PEM key: its path and the reason.
printf 'not a key\n' >"$WORK/garbage.pem"
set +e
out=$(AUTH_SIGNING_KEY_FILE="$WORK/garbage.pem" "$BIN" init-db 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "init-db accepted a non-PEM key file"
printf %s "$out" | grep -q "$WORK/garbage.pem" && printf %s "$out" | grep -q "not a PEM private key" ||
  fail "non-PEM key message: $out"
# An unreachable PostgreSQL: its host and port and the driver's reason, never the password.
set +e
out=$(BOOKSTORE_DATABASE_URL="postgresql://someone:s3cret-pw@127.0.0.1:1/shop" "$BIN" client list 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "client list succeeded without a database"
printf %s "$out" | grep -q "postgresql://someone@127.0.0.1:1/shop" || fail "no database named: $out"
printf %s "$out" | grep -qi "refused\|failed" || fail "no driver reason: $out"
printf %s "$out" | grep -q "s3cret-pw" && fail "the password was printed: $out"
printf %s "$out" | grep -q "init-db" && fail "an unreachable database is not a missing schema: $out"
# Run from another folder: the fresh database it would use is named.
set +e
mkdir "$WORK/elsewhere"
out=$(cd "$WORK/elsewhere" && env -u BOOKSTORE_DATA_DIR "$BIN" client list 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "client list worked on an empty database"
printf %s "$out" | grep -qF "SQLite file $(realpath "$WORK")/elsewhere/data/bookstore.db" ||
  fail "database not named: $out"
printf %s "$out" | grep -q "0 of [0-9]* migrations applied): run init-db" || fail "schema message: $out"

# A configuration file with a typo: exit 2, file and line, the closest key.
printf 'log-level = "warn"\n[auth]\nprot = 5001\n' >"$WORK/typo.toml"
set +e
out=$("$BIN" --config "$WORK/typo.toml" client list 2>&1); rc=$?
set -e
[ $rc -eq 2 ] || fail "a config file typo gave exit $rc: $out"
printf %s "$out" | grep -qF "$WORK/typo.toml:3: unknown setting 'prot'; did you mean 'port'?" ||
  fail "config typo message: $out"
# The example file of docs/ works as it is.
"$BIN" --config "$SRC/docs/bookstore.example.toml" client list >/dev/null || fail "example config refused"

# keys rotate keeps the old key and publishes both.
old_kid=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["previous_kid"])' "$("$BIN" keys rotate)")
ls "$BOOKSTORE_DATA_DIR"/auth-signing-key.pem."$old_kid".old >/dev/null || fail "old key not kept"

# AUTH_SIGNING_ALG=ES256 with the RSA key file: serve refuses in one line
# naming the way out; keys rotate with it writes a P-256 key, kept published
# next to the RSA keys.
set +e
out=$(AUTH_SIGNING_ALG=ES256 timeout 20 "$BIN" serve 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "serve started with an RS256 key file under AUTH_SIGNING_ALG=ES256"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "expected one line, got: $out"
printf %s "$out" | grep -q "holds an RS256 key, but AUTH_SIGNING_ALG is ES256: run .bookstore-auth keys rotate." ||
  fail "alg mismatch message: $out"
AUTH_SIGNING_ALG=ES256 "$BIN" keys rotate >/dev/null
grep -q "BEGIN PRIVATE KEY" "$BOOKSTORE_DATA_DIR/auth-signing-key.pem" || fail "no PEM after rotate"

# serve, then SIGTERM drains and exits 0.
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
AUTH_SIGNING_ALG=ES256 AUTH_PORT=$PORT ACCESS_TOKEN_TTL=5 "$BIN" serve 2>"$WORK/serve.log" &  # 5 s: allowed, warned
SERVE_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1  # waiting for start-up, not synchronising a test
done
jwks=$(curl -sf "http://127.0.0.1:$PORT/jwks.json") || fail "jwks unreachable"
# Two rotations: the first key, the second (both RSA, retiring) and the EC key.
/usr/bin/python3 -c 'import json,sys; k=json.loads(sys.argv[1])["keys"]; ec=[x for x in k if x["kty"]=="EC"]; assert sorted(x["kty"] for x in k)==["EC","RSA","RSA"] and ec[0]["alg"]=="ES256" and ec[0]["crv"]=="P-256", k' "$jwks" || fail "expected two RSA keys and one EC key after the rotations: $jwks"
meta=$(curl -sf "http://127.0.0.1:$PORT/.well-known/openid-configuration") || fail "discovery unreachable"
/usr/bin/python3 -c 'import json,sys; assert json.loads(sys.argv[1])["id_token_signing_alg_values_supported"]==["ES256"]' "$meta" || fail "discovery does not name ES256: $meta"
kill -TERM "$SERVE_PID"
set +e
wait "$SERVE_PID"; rc=$?
set -e
SERVE_PID=""
[ $rc -eq 0 ] || fail "serve exited $rc on SIGTERM"
grep -q "ACCESS_TOKEN_TTL=5 s is below 60 s" "$WORK/serve.log" || fail "no warning for a 5 s access token TTL"
echo "PASS: bookstore-auth command line"
