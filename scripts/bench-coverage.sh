#!/usr/bin/env bash
# Coverage benchmark: the Go engine (internal/coverage) against PostGIS on the
# same data, in the same run on the same machine.
#
# Data: all 35,672 LSOAs (2021) of England and Wales with their 13-19-year-olds
# (internal/area.LoadEnglandWales) and 3,300 centres (3,000 open) at real
# postcodes drawn with a fixed seed; written by the coverage tests
# (TestWriteBenchCSV) so that both sides read identical numbers.
#
# PostGIS: a throwaway PostgreSQL 15 cluster under .data/bench-postgis on port
# $BENCH_POSTGIS_PORT (default 54391), socket inside the data dir, installed
# with apt-get (postgresql-15-postgis-3) when missing, stopped and removed on
# exit. The query is the nearest open centre of every area: KNN (<->) on
# geography with a GiST index, in a LATERAL join; its server-side execution
# time (EXPLAIN ANALYZE, TIMING OFF) is the median of $BENCH_RUNS runs after
# a warm-up.
#
# Go: BenchmarkNationalNearest (the same nearest-centre work, one goroutine)
# and BenchmarkNationalRecompute (nearest, shares, 2SFCA and breakdowns),
# median of $BENCH_RUNS runs.
#
# Memory: the coverage test binary runs TestNationalRSS twice under
# /usr/bin/time -v, reading the same CSV: once building the national engine
# and computing ten times, once without the engine (the baseline). Both
# "Maximum resident set size" figures and their difference are reported.
#
# Output: the markdown section for docs/benchmarks.md, written to
# $BENCH_COVERAGE_OUT (default .data/bench/coverage.md, which scripts/bench.sh
# includes) and printed on stdout; progress on stderr.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
data=$root/.data/bench-postgis
port=${BENCH_POSTGIS_PORT:-54391}
runs=${BENCH_RUNS:-5}
md_out=${BENCH_COVERAGE_OUT:-$root/.data/bench/coverage.md}
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d)
chmod 755 "$work"

log() { echo "bench-coverage: $*" >&2; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$data" -p "$port" -U postgres -d postgres "$@"; }

started=
cleanup() {
  local rc=$?
  if [ -n "$started" ]; then
    as_pg "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    log "PostGIS cluster stopped"
  fi
  rm -rf "$work" "$data"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) exit 1; print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# 1. PostGIS, installed if missing.
if [ ! -x "$bin/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  log "installing postgresql-15-postgis-3 (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null
fi

# 2. A throwaway cluster.
rm -rf "$data"
mkdir -p "$data"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data"; fi
as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$data/postgresql.conf" <<CONF
# bench-coverage throwaway cluster
listen_addresses = ''
port = $port
unix_socket_directories = '$data'
shared_buffers = 256MB
work_mem = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
max_parallel_workers_per_gather = 0
log_min_messages = warning
CONF
started=1
as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
log "PostgreSQL 15 on socket $data, port $port"

# 3. The same areas and centres, and Go's answers, as CSV.
log "writing areas and centres"
(cd "$root" && go test -tags benchtool -count=1 -run '^TestWriteBenchCSV$' ./internal/coverage/ -args -benchcsv="$work" >/dev/null)

psql_ <<SQL
CREATE EXTENSION postgis;
CREATE TABLE areas (code text PRIMARY KEY, lad_code text NOT NULL, lat float8 NOT NULL, lon float8 NOT NULL,
                    imd_decile int NOT NULL, young int NOT NULL);
CREATE TABLE centres (id text PRIMARY KEY, lat float8 NOT NULL, lon float8 NOT NULL, status text NOT NULL,
                      provider text NOT NULL, hours float8 NOT NULL, places float8 NOT NULL);
CREATE TABLE go_nearest (code text PRIMARY KEY, centre_id text NOT NULL, km float8 NOT NULL);
\copy areas FROM '$work/areas.csv' WITH (FORMAT csv, HEADER true)
\copy centres FROM '$work/centres.csv' WITH (FORMAT csv, HEADER true)
\copy go_nearest FROM '$work/go_nearest.csv' WITH (FORMAT csv, HEADER true)
ALTER TABLE areas ADD COLUMN geog geography(Point, 4326);
UPDATE areas SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
ALTER TABLE centres ADD COLUMN geog geography(Point, 4326);
UPDATE centres SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
CREATE INDEX centres_open_geog ON centres USING gist (geog) WHERE status = 'open';
VACUUM ANALYZE areas;
VACUUM ANALYZE centres;
SQL

# Nearest open centre of every area; distance on the sphere like the Go engine.
nearest_sql="SELECT a.code, n.id, n.m
FROM areas a
CROSS JOIN LATERAL (
  SELECT c.id, ST_Distance(a.geog, c.geog, false) AS m
  FROM centres c
  WHERE c.status = 'open'
  ORDER BY a.geog <-> c.geog
  LIMIT 1
) n"

plan=$(psql_ -tAc "EXPLAIN $nearest_sql")
if ! grep -q 'centres_open_geog' <<<"$plan"; then
  log "the KNN query does not use the GiST index:"; echo "$plan" >&2; exit 1
fi

log "timing PostGIS ($runs runs after a warm-up)"
pg_times=()
for i in $(seq 0 "$runs"); do
  ms=$(psql_ -tAc "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $nearest_sql" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')
  [ -n "$ms" ] || { log "no execution time from EXPLAIN ANALYZE"; exit 1; }
  [ "$i" = 0 ] || pg_times+=("$ms")
done
pg_ms=$(printf '%s\n' "${pg_times[@]}" | median)

# Do both sides name the same centre? (Equal distances may name either.)
read -r n_areas n_open differ maxdiff_m < <(psql_ -tA -F ' ' <<SQL
CREATE TEMP TABLE pg_nearest AS $nearest_sql;
SELECT (SELECT count(*) FROM areas),
       (SELECT count(*) FROM centres WHERE status = 'open'),
       count(*) FILTER (WHERE p.id <> g.centre_id AND abs(p.m - g.km * 1000) > 0.01),
       round(max(abs(p.m - g.km * 1000))::numeric, 3)
FROM pg_nearest p JOIN go_nearest g USING (code);
SQL
)
postgis_version=$(psql_ -tAc "SELECT postgis_lib_version()")

# 4. The Go benchmarks.
log "timing Go ($runs runs of each benchmark)"
bench=$(cd "$root" && go test -count="$runs" -run '^$' -bench '^BenchmarkNational(Nearest|Recompute)$' -benchmem ./internal/coverage/)
ns_of() { awk -v name="^$1(-[0-9]+)?\$" '$1 ~ name { for (i = 2; i <= NF; i++) if ($i == "ns/op") print $(i-1) }' <<<"$bench" | median; }
metric_of() { awk -v name="^$1(-[0-9]+)?\$" -v unit="$2" '$1 ~ name { for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1) }' <<<"$bench" | median; }
go_nearest_ms=$(awk -v ns="$(ns_of BenchmarkNationalNearest)" 'BEGIN { printf "%.1f", ns / 1e6 }')
go_full_ms=$(awk -v ns="$(ns_of BenchmarkNationalRecompute)" 'BEGIN { printf "%.1f", ns / 1e6 }')
engine_mb=$(metric_of BenchmarkNationalRecompute engine-MB)
procs=$(nproc)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# 5. Peak resident memory of a process holding the national engine.
log "peak RSS with and without the national engine"
(cd "$root" && go test -tags benchtool -c -o "$work/coverage.test" ./internal/coverage/)
max_rss_kb() {
  /usr/bin/time -v "$work/coverage.test" -test.run '^TestNationalRSS$' -test.count=1 -rss="$work" "$@" 2>&1 >/dev/null |
    awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }'
}
rss_base_kb=$(max_rss_kb -rss-engine=false)
rss_engine_kb=$(max_rss_kb -rss-engine=true)
[ -n "$rss_base_kb" ] && [ -n "$rss_engine_kb" ] || { log "no peak RSS from /usr/bin/time -v"; exit 1; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
rss_added_mb=$(awk -v a="$rss_engine_kb" -v b="$rss_base_kb" 'BEGIN { printf "%.1f", (a - b) / 1024 }')

# 6. Markdown.
mkdir -p "$(dirname "$md_out")"
cat >"$md_out" <<MD
### Coverage engine vs PostGIS ($(date -u +%Y-%m-%d), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $procs CPUs)

Data: $(printf "%'d" "$n_areas") LSOAs (2021) of England and Wales, 13–19-year-olds; $(printf "%'d" "$n_open") open centres at real postcodes (fixed seed). Same data on both sides; \`scripts/bench-coverage.sh\`.

- Nearest open centre of every area — PostGIS $postgis_version (KNN \`<->\` on geography, GiST, LATERAL; server execution time, median of $runs): **$(printf '%.1f' "$pg_ms") ms**; Go engine (R-tree, haversine, one goroutine, median of $runs): **$go_nearest_ms ms** — Go is **$(ratio "$pg_ms" "$go_nearest_ms")×** faster.
- Full recompute in Go (nearest centre, covered shares, N-hours shares, 2SFCA, by council, IMD decile and provider; up to $procs goroutines): **$go_full_ms ms** — $(ratio "$pg_ms" "$go_full_ms")× faster than PostGIS's nearest-centre query alone.
- Coverage engine memory (heap added by the area index and one national result): **$engine_mb MB**.
- Peak RSS (\`/usr/bin/time -v\`, "Maximum resident set size") of a process holding the national engine and recomputing ten times: **$(mb "$rss_engine_kb") MB**; the same process reading the same data without the engine: **$(mb "$rss_base_kb") MB** — the national engine adds **$rss_added_mb MB** (target < 50 MB).
- Agreement: PostGIS and Go name a different nearest centre for $differ of $(printf "%'d" "$n_areas") areas (not counting equal-distance ties); largest distance difference $maxdiff_m m.
MD
cat "$md_out"
log "wrote $md_out"
