#!/usr/bin/env bash
# End-to-end tests: the real binary on a free port with a fresh, seeded
# database, driven by playwright-core in Debian's headless Chromium.
#   scripts/e2e.sh [SPEC...]   all scenarios, or only those whose file names match
# E2E_DB names the database (default youthhub_e2e) and YOUTHHUB_BIN the
# binary (default ./bin/youthhub), so that two runs can go side by side.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v chromium >/dev/null; then
  echo "e2e: installing Debian's chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

admin=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable}
db=${E2E_DB:-youthhub_e2e}
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
psql "$admin" -qc "CREATE DATABASE $db" >/dev/null
export DATABASE_URL="${admin%/postgres*}/$db?sslmode=disable"

port=$((20000 + RANDOM % 20000))
export PORT=$port BASE_URL="http://localhost:$port"
bin=$(realpath "${YOUTHHUB_BIN:-./bin/youthhub}")
export YOUTHHUB_BIN=$bin
"$bin" migrate up
"$bin" seed >/dev/null
log=$(mktemp)
"$bin" serve 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://localhost:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://localhost:$port/readyz" >/dev/null || { echo "e2e: server did not start"; cat "$log"; exit 1; }

cd frontend
E2E_BASE_URL="http://localhost:$port" npm run e2e -- "$@"
