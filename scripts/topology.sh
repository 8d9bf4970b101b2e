#!/usr/bin/env bash
# The scaled-out system without containers, for tests and local trials: one
# PostgreSQL database, 2 bookstore-auth + 3 bookstore-book processes on
# loopback ports, and Debian's nginx as the gateway with the routing that
# docker-compose uses (deploy/nginx/routes.conf, included, not copied).
#
#   scripts/topology.sh start    # prints the gateway URL and every instance
#   scripts/topology.sh status   # one line per process; exit 3 when one is down
#   scripts/topology.sh stop     # stops by PID file, drops the database it made
#   scripts/topology.sh restart NAME   # e.g. auth-1: SIGTERM (drain), start again on
#                                      # its port (rolling restart after `keys rotate`)
#
# Environment (all optional unless said):
#   BOOKSTORE_DATABASE_URL   postgresql://... to use as is (never dropped), or else
#   BOOKSTORE_TEST_PG_URL    a server where a fresh database is created (dropped by stop)
#   TOPOLOGY_DIR             state folder (default <repo>/data/topology): PID files,
#                            logs, the generated nginx.conf, the signing key
#   GATEWAY_PORT             gateway port on 127.0.0.1 (default 8080; 0 = a free port)
#   AUTH_INSTANCES / BOOK_INSTANCES   how many processes (default 2 / 3)
#   BOOKSTORE_AUTH_BIN / BOOKSTORE_BOOK_BIN   binaries (default build/release, else build/debug)
#   BOOKSTORE_ADMIN_USERNAME / BOOKSTORE_ADMIN_PASSWORD   for init-admin (password
#                            generated and printed once when unset)
#   TOPOLOGY_SEED_DEMO       1 (default) loads the demo catalogue, 0 skips it
#   TOPOLOGY_JWKS_URL        where book instances fetch keys (default the gateway's /jwks.json)
#   TOPOLOGY_START_TIMEOUT   seconds to wait for each process to be ready (default 60)
#   NGINX                    the nginx binary (default /usr/sbin/nginx)
# Everything else (LOG_LEVEL, BOOKSTORE_ACCESS_LOG, PASSWORD_HASH_OPS,
# PASSWORD_HASH_MEM_KIB, BOOKSTORE_WORKER_THREADS, ...) is passed to every
# instance as it is. Tests set PASSWORD_HASH_OPS=1 PASSWORD_HASH_MEM_KIB=8 to
# keep argon2id cheap.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${TOPOLOGY_DIR:-$SRC/data/topology}
RUN=$DIR/run
LOGS=$DIR/logs
ENV_FILE=$DIR/topology.env
NGINX=${NGINX:-/usr/sbin/nginx}
START_TIMEOUT=${TOPOLOGY_START_TIMEOUT:-60}

say() { echo "topology: $*" >&2; }
die() { say "$*"; exit 1; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pick_bin() {  # pick_bin VAR NAME SUBDIR
  local given=${!1:-}
  if [ -n "$given" ]; then echo "$given"; return; fi
  for kind in release debug; do
    if [ -x "$SRC/build/$kind/$3/$2" ]; then echo "$SRC/build/$kind/$3/$2"; return; fi
  done
  die "no $2 binary: build it or set $1"
}

# alive PID NAME: the process exists, is not a zombie and runs NAME (so a
# recycled PID is never signalled).
alive() {
  local pid=$1 name=$2 state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"
}

# stop_pidfile FILE NAME: SIGTERM (drain), then SIGKILL after 15 s.
stop_pidfile() {
  local file=$1 name=$2 pid
  pid=$(cat "$file" 2>/dev/null || true)
  if alive "$pid" "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do alive "$pid" "$name" || break; sleep 0.1; done
    if alive "$pid" "$name"; then
      say "$(basename "$file" .pid) did not stop on SIGTERM; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

wait_ready() {  # wait_ready NAME URL PID BINNAME
  local name=$1 url=$2 pid=$3 bin=$4 deadline=$((SECONDS + START_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if ! alive "$pid" "$bin"; then
      say "$name exited during start-up; last lines of $LOGS/$name.log:"
      tail -n 20 "$LOGS/$name.log" >&2 || true
      return 1
    fi
    [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    sleep 0.1
  done
  say "$name not ready at $url after ${START_TIMEOUT}s; last lines of $LOGS/$name.log:"
  tail -n 20 "$LOGS/$name.log" >&2 || true
  return 1
}

# db_url_with_name URL NAME: URL with its database replaced by NAME.
db_url_with_name() {
  local url=$1 name=$2 base query=""
  base=${url%%\?*}
  [ "$base" != "$url" ] && query="?${url#*\?}"
  echo "${base%/*}/$name$query"
}

# launch NAME PORT BIN: one instance in the background (environment already
# exported), its PID and port recorded under run/, output appended to its log.
launch() {
  local name=$1 port=$2 bin=$3
  case $name in
    auth-*) AUTH_PORT=$port "$bin" serve </dev/null >>"$LOGS/$name.log" 2>&1 & ;;
    *) BOOK_PORT=$port "$bin" serve </dev/null >>"$LOGS/$name.log" 2>&1 & ;;
  esac
  echo $! >"$RUN/$name.pid"
  echo "$port" >"$RUN/$name.port"
}

cmd_start() {
  if [ -f "$ENV_FILE" ]; then
    die "already started ($ENV_FILE exists); run '$0 stop' first"
  fi
  command -v curl >/dev/null || die "curl is needed"
  command -v openssl >/dev/null || die "openssl is needed"
  [ -x "$NGINX" ] || die "nginx not found at $NGINX (apt-get install nginx-light)"
  local auth_bin book_bin
  auth_bin=$(pick_bin BOOKSTORE_AUTH_BIN bookstore-auth auth_service)
  book_bin=$(pick_bin BOOKSTORE_BOOK_BIN bookstore-book book_service)
  local n_auth=${AUTH_INSTANCES:-2} n_book=${BOOK_INSTANCES:-3}
  [[ $n_auth =~ ^[1-9][0-9]?$ && $n_book =~ ^[1-9][0-9]?$ ]] || die "AUTH_INSTANCES/BOOK_INSTANCES: 1..99"

  # nginx workers run as nobody when started by root: the state folder must
  # be traversable; the secrets folder stays owner-only.
  mkdir -p "$DIR" "$RUN" "$LOGS" "$DIR/nginx/tmp" "$DIR/data"
  chmod 755 "$DIR" "$DIR/nginx" "$DIR/nginx/tmp" "$LOGS"
  rm -f "$RUN"/*.pid

  # Anything that fails from here on (set -e, die) undoes what was started.
  START_OK=0
  trap 'if [ "$START_OK" != 1 ]; then say "start failed; cleaning up"; cmd_stop >/dev/null 2>&1 || true; fi' EXIT

  # 1. The database: as given, or a fresh one on the test server.
  local db_url created_db=""
  if [ -n "${BOOKSTORE_DATABASE_URL:-}" ]; then
    db_url=$BOOKSTORE_DATABASE_URL
  elif [ -n "${BOOKSTORE_TEST_PG_URL:-}" ]; then
    command -v psql >/dev/null || die "psql is needed to create the database"
    created_db="bookstore_topology_$(date +%s)_$$"
    psql "$BOOKSTORE_TEST_PG_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $created_db" >/dev/null
    db_url=$(db_url_with_name "$BOOKSTORE_TEST_PG_URL" "$created_db")
  else
    die "set BOOKSTORE_DATABASE_URL (postgresql://...) or BOOKSTORE_TEST_PG_URL (source scripts/pg-test-env.sh)"
  fi

  local gw_port=${GATEWAY_PORT:-8080}
  [ "$gw_port" = 0 ] && gw_port=$(free_port)
  local gateway="http://127.0.0.1:$gw_port"
  local jwks=${TOPOLOGY_JWKS_URL:-$gateway/jwks.json}
  local auth_ports=() book_ports=() i
  for ((i = 0; i < n_auth; i++)); do auth_ports+=("$(free_port)"); done
  for ((i = 0; i < n_book; i++)); do book_ports+=("$(free_port)"); done

  # Written first so that stop can undo a half-made start. Owner-only: it
  # holds the database URL.
  (
    umask 077
    echo "# written by scripts/topology.sh start; read by stop/status and the e2e test"
    printf '%s=%q\n' GATEWAY_URL "$gateway" DATABASE_URL "$db_url" \
      CREATED_DB "$created_db" SERVER_URL "${BOOKSTORE_TEST_PG_URL:-}" \
      AUTH_PORTS "${auth_ports[*]}" BOOK_PORTS "${book_ports[*]}" \
      AUTH_BIN "$auth_bin" BOOK_BIN "$book_bin" SIGNING_KEY_FILE "$DIR/secrets/auth-signing-key.pem" \
      JWKS_URL "$jwks" \
      LOG_DIR "$LOGS" RUN_DIR "$RUN"
  ) > "$ENV_FILE"
  chmod 600 "$ENV_FILE"

  # 2. One signing key for every auth instance (owner-only).
  mkdir -p "$DIR/secrets"
  chmod 700 "$DIR/secrets"
  local key="$DIR/secrets/auth-signing-key.pem"
  if [ ! -s "$key" ]; then
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null)
  fi
  chmod 600 "$key"

  export BOOKSTORE_DATABASE_URL=$db_url AUTH_ISSUER=$gateway AUTH_JWKS_URL=$jwks \
         AUTH_SIGNING_KEY_FILE=$key BOOKSTORE_BIND_ADDRESS=127.0.0.1 BOOKSTORE_DATA_DIR=$DIR/data \
         BOOKSTORE_TRUSTED_PROXIES=${BOOKSTORE_TRUSTED_PROXIES:-127.0.0.1}

  # 3. Schema, default clients, the published key, the admin: once.
  "$auth_bin" init-db >"$LOGS/init.log" 2>&1 || { cat "$LOGS/init.log" >&2; false; }
  "$book_bin" init-db >>"$LOGS/init.log" 2>&1 || { cat "$LOGS/init.log" >&2; false; }
  local admin_out
  admin_out=$("$auth_bin" init-admin 2>&1) || { echo "$admin_out" >&2; false; }
  if [ "${TOPOLOGY_SEED_DEMO:-1}" = 1 ]; then
    "$book_bin" seed-demo >>"$LOGS/init.log" 2>&1 || { cat "$LOGS/init.log" >&2; false; }
  fi

  # 4. The processes.
  local pids=() names=() bins=() urls=() n pid
  for ((i = 0; i < n_auth; i++)); do
    n=auth-$((i + 1))
    launch "$n" "${auth_ports[i]}" "$auth_bin"
    pids+=("$(cat "$RUN/$n.pid")"); names+=("$n"); bins+=(bookstore-auth)
    urls+=("http://127.0.0.1:${auth_ports[i]}/readyz")
  done

  local auth_servers="" book_servers="" p
  for p in "${auth_ports[@]}"; do auth_servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'; done
  for p in "${book_ports[@]}"; do book_servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'; done
  AUTH_SERVERS=$auth_servers BOOK_SERVERS=$book_servers NGINX_DIR=$DIR/nginx LOG_DIR=$LOGS \
  GATEWAY_LISTEN=127.0.0.1:$gw_port ROUTES_CONF=$SRC/deploy/nginx/routes.conf \
    /usr/bin/python3 - "$SRC/deploy/nginx/nginx.local.conf.template" "$DIR/nginx/nginx.conf" <<'EOF'
import os, sys
text = open(sys.argv[1]).read()
for k in ("AUTH_SERVERS", "BOOK_SERVERS", "NGINX_DIR", "LOG_DIR", "GATEWAY_LISTEN", "ROUTES_CONF"):
    text = text.replace("@%s@" % k, os.environ[k].rstrip("\n"))
assert "@" not in "".join(l for l in text.splitlines() if not l.lstrip().startswith("#")), "unfilled placeholder"
open(sys.argv[2], "w").write(text)
EOF
  "$NGINX" -t -q -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" 2>"$LOGS/nginx-check.log" \
    || { cat "$LOGS/nginx-check.log" >&2; false; }
  "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -g 'daemon off;' </dev/null \
    >"$LOGS/gateway.log" 2>&1 &
  pid=$!; echo "$pid" >"$RUN/gateway.pid"; echo "$gw_port" >"$RUN/gateway.port"
  pids+=("$pid"); names+=(gateway); bins+=(nginx); urls+=("$gateway/healthz")

  for ((i = 0; i < ${#pids[@]}; i++)); do
    wait_ready "${names[i]}" "${urls[i]}" "${pids[i]}" "${bins[i]}"
  done
  # Book instances need the JWKS, served by the auth pool through the gateway.
  local first_book=${#pids[@]}
  for ((i = 0; i < n_book; i++)); do
    n=book-$((i + 1))
    launch "$n" "${book_ports[i]}" "$book_bin"
    pids+=("$(cat "$RUN/$n.pid")"); names+=("$n"); bins+=(bookstore-book)
    urls+=("http://127.0.0.1:${book_ports[i]}/readyz")
  done
  for ((i = first_book; i < ${#pids[@]}; i++)); do
    wait_ready "${names[i]}" "${urls[i]}" "${pids[i]}" "${bins[i]}"
  done
  START_OK=1

  echo "gateway:  $gateway   (issuer; JWKS for book instances: $jwks)"
  echo "database: ${db_url%%://*}://…${db_url##*@}${created_db:+ (created; dropped by stop)}"
  for ((i = 0; i < n_auth; i++)); do echo "auth-$((i + 1)):   http://127.0.0.1:${auth_ports[i]}"; done
  for ((i = 0; i < n_book; i++)); do echo "book-$((i + 1)):   http://127.0.0.1:${book_ports[i]}"; done
  echo "$admin_out"
  echo "state:    $DIR (logs in $LOGS); stop with: $0 stop"
}

cmd_stop() {
  local f name
  # Gateway first (no new requests), then book, then auth instances.
  for f in "$RUN"/gateway.pid "$RUN"/book-*.pid "$RUN"/auth-*.pid; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .pid)
    case $name in gateway) stop_pidfile "$f" nginx ;; book-*) stop_pidfile "$f" bookstore-book ;;
      auth-*) stop_pidfile "$f" bookstore-auth ;; esac
    rm -f "$RUN/$name.port"
  done
  if [ -f "$ENV_FILE" ]; then
    local CREATED_DB="" SERVER_URL=""
    # shellcheck disable=SC1090
    source "$ENV_FILE"
    if [ -n "$CREATED_DB" ] && [ -n "$SERVER_URL" ] && [ "${TOPOLOGY_KEEP_DB:-0}" != 1 ]; then
      psql "$SERVER_URL" -qc "DROP DATABASE IF EXISTS $CREATED_DB WITH (FORCE)" >/dev/null 2>&1 \
        || say "could not drop database $CREATED_DB"
    fi
    rm -f "$ENV_FILE"
  fi
  rm -rf "$DIR/secrets"
  echo "topology stopped (logs kept in $LOGS)"
}

cmd_restart() {
  local name=${1:-} bin
  [[ $name =~ ^(auth|book)-[0-9]+$ ]] || die "usage: $0 restart auth-N|book-N"
  if [ ! -f "$ENV_FILE" ] || [ ! -f "$RUN/$name.port" ]; then die "$name: not started"; fi
  local DATABASE_URL GATEWAY_URL JWKS_URL SIGNING_KEY_FILE AUTH_BIN BOOK_BIN
  # shellcheck disable=SC1090
  source "$ENV_FILE"
  export BOOKSTORE_DATABASE_URL=$DATABASE_URL AUTH_ISSUER=$GATEWAY_URL AUTH_JWKS_URL=$JWKS_URL \
         AUTH_SIGNING_KEY_FILE=$SIGNING_KEY_FILE BOOKSTORE_BIND_ADDRESS=127.0.0.1 BOOKSTORE_DATA_DIR=$DIR/data
  local port
  port=$(cat "$RUN/$name.port")
  case $name in auth-*) bin=$AUTH_BIN ;; *) bin=$BOOK_BIN ;; esac
  stop_pidfile "$RUN/$name.pid" "$(basename "$bin")"
  launch "$name" "$port" "$bin"
  wait_ready "$name" "http://127.0.0.1:$port/readyz" "$(cat "$RUN/$name.pid")" "$(basename "$bin")"
  echo "$name restarted (pid $(cat "$RUN/$name.pid"), port $port)"
}

cmd_status() {
  [ -f "$ENV_FILE" ] || { echo "not started"; return 3; }
  local f name pid port bin code down=0
  for f in "$RUN"/gateway.pid "$RUN"/auth-*.pid "$RUN"/book-*.pid; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .pid)
    pid=$(cat "$f"); port=$(cat "$RUN/$name.port" 2>/dev/null || echo "?")
    case $name in gateway) bin=nginx; path=/healthz ;; book-*) bin=bookstore-book; path=/readyz ;;
      *) bin=bookstore-auth; path=/readyz ;; esac
    if alive "$pid" "$bin"; then
      code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port$path" || true)
      printf '%-8s pid %-7s port %-5s up    %s %s\n' "$name" "$pid" "$port" "$path" "$code"
      [ "$code" = 200 ] || down=1
    else
      printf '%-8s pid %-7s port %-5s DOWN\n' "$name" "$pid" "$port"
      down=1
    fi
  done
  [ $down = 0 ] || return 3
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_restart "${2:-}" ;;
  *) echo "usage: $0 start|stop|status|restart NAME   (see the comment at the top)" >&2; exit 2 ;;
esac
