#!/usr/bin/env bash
# data.sh WORK RESULTS — benchmark 4: rollups of data elements up the tree.
#
# A synthetic province: the real Henan subtree of the division table
# (55,164 units) with 40 yearly elements × 3 years of values for every
# village (about 6 million values, inserted with the sqlite3 CLI).
#
# jiceng:    GET /api/v1/analytics for the province, by children: one
#            indicator (2 elements) and one formula over all 40 elements,
#            cold (first request builds the rollups) and warm (cached).
# reference: the same aggregates for every unit of the subtree with
#            GROUP BY in the sqlite3 CLI over the same database: one
#            query per element and level (5 levels), timed by .timer.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/henan
WARM=${BENCH_WARM_QUERIES:-200}
for t in sqlite3 curl; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

log "data: Henan subtree and 40 elements × 3 years"
henan_db "$D"
t0=$(now_ms)
sqlite3 "$D/jiceng.db" >/dev/null <<'SQL'
PRAGMA journal_mode=WAL;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 40)
INSERT INTO elements (code, name, measure, value_type, aggregation, period_type, levels,
                      description, created_by, created_at)
SELECT 'b.e' || n, '基准数据元 ' || n, '', 'number', CASE WHEN n % 4 = 0 THEN 'average' ELSE 'sum' END,
       'year', 'village', '', 'bench', '2026-01-01T00:00:00Z' FROM k;
INSERT INTO data_values (element, unit, period, value, updated_by, updated_at)
SELECT e.code, u.code, y.p, abs(random() % 1000) + 1, 'bench', '2026-01-01T00:00:00Z'
FROM elements e, units u, (SELECT '2021' AS p UNION ALL SELECT '2022' UNION ALL SELECT '2023') y
WHERE e.code LIKE 'b.e%' AND u.level = 'village';
SQL
t1=$(now_ms)
nvalues=$(sqlite3 "$D/jiceng.db" "SELECT count(*) FROM data_values")
log "data: $nvalues values in $((t1 - t0)) ms"
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)

"$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/data-serve.out" 2>"$WORK/data-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/data-serve.out" 'serving http://' "$JPID" 120
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/data-serve.out" | head -n 1)

# query EXPR — seconds for GET /analytics of the province by children.
query() {
  curl -sf -o /dev/null -w '%{time_total}\n' --max-time 120 -G -H "Authorization: Bearer $TOKEN" \
    --data-urlencode "expr=$1" --data-urlencode unit=41 --data-urlencode period=2023 \
    --data-urlencode by=children "$URL/api/v1/analytics" || die "analytics request failed: $1"
}
one='#{b.e1} / #{b.e2} * 100'
all=$(for i in $(seq 1 40); do printf '#{b.e%d}+' "$i"; done | sed 's/+$//')
ms() { awk '{ printf "%.1f", $1 * 1000 }'; }
cold_one=$(query "$one" | ms)
cold_all=$(query "$all" | ms)
for ((i = 0; i < WARM; i++)); do query "$one"; done | awk '{ print $1 * 1000 }' >"$WORK/data-warm.txt"
warm_p50=$(median <"$WORK/data-warm.txt")
warm_max=$(sort -g "$WORK/data-warm.txt" | tail -n 1)
rss=$(rss_mb "$JPID")
stop_pid "$JPID" TERM
log "data: jiceng cold one ${cold_one} ms, all 40 ${cold_all} ms, warm p50 ${warm_p50} ms"

# The reference: every unit's aggregate, level by level, for the same elements.
sql_ms() { # ELEMENTS… — total .timer real ms of the GROUP BY queries
  {
    echo '.timer on'
    for e in "$@"; do
      for len in 2 4 6 9 12; do
        echo "SELECT substr(unit, 1, $len) AS c, sum(value), count(*) FROM data_values" \
          "WHERE element = '$e' AND period = '2023' AND unit >= '41' AND unit < '41;' GROUP BY c;"
      done
    done
  } | sqlite3 "$D/jiceng.db" 2>&1 | awk '/^Run Time: real/ { s += $4 } END { printf "%.1f", s * 1000 }'
}
sql_ms b.e1 b.e2 >/dev/null # warm the page cache for both
sql_one=$(sql_ms b.e1 b.e2)
# shellcheck disable=SC2046
sql_all=$(sql_ms $(for i in $(seq 1 40); do echo "b.e$i"; done))
log "data: sqlite3 GROUP BY one ${sql_one} ms, all 40 ${sql_all} ms"

result data_values "$nvalues"
result data_cold_one_ms "$cold_one"
result data_cold_all_ms "$cold_all"
result data_warm_p50_ms "$warm_p50"
result data_warm_max_ms "$warm_max"
result data_sql_one_ms "$sql_one"
result data_sql_all_ms "$sql_all"
result data_rss_mb "$rss"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
