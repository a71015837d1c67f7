#!/usr/bin/env bash
# Private PostgreSQL cluster for development and tests, kept under .data/pg.
# It never touches the system cluster and never listens on 5432.
#   scripts/pg.sh start   initdb if needed, start (safe to run twice)
#   scripts/pg.sh stop    stop it
#   scripts/pg.sh url     print the admin URL
#   scripts/pg.sh ensure-db NAME   start, and create database NAME if missing
#   scripts/pg.sh drop-test-dbs    drop the Go tests' databases (pgtestdb keeps a
#                                  failed test's database to look at; they pile up)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${YOUTHHUB_PGDATA:-$root/.data/pg}
port=${YOUTHHUB_PGPORT:-54329}
bin=/usr/lib/postgresql/15/bin
url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_pg() {
  if [ ! -x "$bin/initdb" ]; then
    echo "pg.sh: installing PostgreSQL 15 (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql-15 postgresql-contrib-15 >/dev/null \
      || apt-get install -y -qq postgresql >/dev/null
  fi
}

start() {
  install_pg
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ] && [ "$(stat -c %U "$data")" != postgres ]; then chown -R postgres:postgres "$data"; fi
  if [ ! -s "$data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$data/postgresql.conf" <<CONF
# youthhub private cluster: loopback only, fast and not crash-safe (dev/test data only).
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
CONF
  fi
  if as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    return 0
  fi
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
}

stop() {
  if [ -s "$data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

ensure_db() {
  start
  local name=$1
  if ! psql "$url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$url" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

drop_test_dbs() {
  start
  local n=0
  for name in $(psql "$url" -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'testdb\_%'"); do
    psql "$url" -qc "ALTER DATABASE \"$name\" IS_TEMPLATE false" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
    n=$((n + 1))
  done
  [ "$n" = 0 ] || echo "pg: dropped $n test databases left by earlier runs"
}

case "${1:-}" in
  ensure-db) ensure_db "${2:?database name}" ;;
  drop-test-dbs) drop_test_dbs ;;
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  *) echo "usage: $0 start|stop|url|ensure-db NAME|drop-test-dbs" >&2; exit 2 ;;
esac
