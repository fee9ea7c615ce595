#!/usr/bin/env bash
# health.sh WORK RESULTS — family-doctor coverage per key group for every
# unit of Henan, and the 30-minute health circle for every village, vs the
# sqlite3 CLI's GROUP BY over the same rows in the same run.
#
# A synthetic province on the real Henan subtree (55,164 units, about
# 51,000 villages and communities): BENCH_HEALTH_RESIDENTS (200) residents a
# village (about 10 million), a current contract for 40 % of them (about 4
# million; 98 % of those 65 and over), a hypertension or diabetes tag for
# about one in six (health_person_tags), 5,000 located facilities (one in
# every tenth village) with a team each, and every village located; all
# inserted with the sqlite3 CLI.
#
# coverage:  GET /api/v1/analytics?expr=#{health.keypop.contracts}/#{health.keypop}*100
#            &unit=41&by=children (every unit's counts per key group, one scan
#            of the residents merged with their tags, rolled up), cold and warm
#            (cached; BENCH_WARM_QUERIES), and GET /api/v1/health/coverage?unit=41
#            (per key group for the province and its cities, uncached).
# reference: residents and residents with a current contract per unit for the 5
#            levels with GROUP BY substr(unit, 1, L) in the sqlite3 CLI — the
#            counts alone, without key groups or tags.
# circle:    GET /api/v1/health/circle?unit=41 (nearest facility of every
#            village through the grid index, and the whole list as JSON).
# BENCH_HEALTH_SCALE (1) scales the residents (0.1: a million).
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/health
WARM=${BENCH_WARM_QUERIES:-200}
SCALE=${BENCH_HEALTH_SCALE:-1}
for t in sqlite3 curl; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

per=$(awk -v s="$SCALE" -v n="${BENCH_HEALTH_RESIDENTS:-200}" 'BEGIN { v = int(n * s); print v < 1 ? 1 : v }')
log "health: Henan subtree, $per residents a village, 40 % signed, 5,000 facilities"
henan_db "$D"
"$JICENG" --data "$D" import elements "$ROOT/data/definitions.json" >/dev/null
TODAY=$(date +%F)
t0=$(now_ms)
sqlite3 "$D/jiceng.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
CREATE TEMP TABLE v AS SELECT row_number() OVER (ORDER BY code) AS n, code FROM units WHERE level = 'village';
-- every village located inside Henan's box (31.4–36.4 N, 110.4–116.6 E)
INSERT INTO health_unit_points (unit, lat, lng)
SELECT code, 31.4 + (n * 7919 % 50000) / 10000.0, 110.4 + (n * 104729 % 62000) / 10000.0 FROM v;
-- one facility in every tenth village, a few hundred metres off it (about 5,000)
INSERT INTO health_facilities (unit, type, name, lat, lng, created_by, created_at)
SELECT v.code, 'village_clinic', '卫生室' || v.n, p.lat + 0.002, p.lng + 0.002, 'bench', '2026-01-01T00:00:00Z'
FROM v JOIN health_unit_points p ON p.unit = v.code WHERE v.n % 10 = 0;
INSERT INTO health_teams (facility_id, unit, name, created_by, created_at)
SELECT id, unit, '家庭医生团队', 'bench', '2026-01-01T00:00:00Z' FROM health_facilities;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $per)
INSERT INTO persons (name, sex, birth_date, unit, created_by, created_at, updated_at)
SELECT '居民', CASE WHEN k.i % 2 = 0 THEN '男' ELSE '女' END,
       printf('%04d-%02d-%02d', 1936 + (v.n * 31 + k.i * 17) % 90, k.i % 12 + 1, k.i % 28 + 1),
       v.code, 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM v, k;
INSERT INTO health_person_tags (person_id, tag)
SELECT id, CASE WHEN id % 3 = 0 THEN 'diabetes' ELSE 'hypertension' END FROM persons
WHERE substr(birth_date, 1, 4) < '1990' AND id % 6 = 1;
INSERT INTO health_contracts (person_id, unit, team_id, package, start_date, end_date, created_by, created_at)
SELECT p.id, p.unit, 1 + p.id % (SELECT count(*) FROM health_teams), 'basic',
       date('$TODAY', '-' || (p.id % 300) || ' days'), date('$TODAY', '-' || (p.id % 300) || ' days', '+1 year'),
       'bench', '2026-01-01T00:00:00Z'
FROM persons p
WHERE p.id % 5 < 2 OR (substr(p.birth_date, 1, 4) <= '1960' AND p.id % 50 <> 0);
ANALYZE;
SQL
t1=$(now_ms)
read -r nvillages nfac npersons ncontracts ntags < <(sqlite3 -separator ' ' "$D/jiceng.db" \
  "SELECT (SELECT count(*) FROM health_unit_points), (SELECT count(*) FROM health_facilities), (SELECT count(*) FROM persons), (SELECT count(*) FROM health_contracts), (SELECT count(*) FROM health_person_tags)")
log "health: $nvillages located villages, $nfac facilities, $npersons residents, $ncontracts contracts, $ntags tags in $((t1 - t0)) ms"
sync
cat "$D/jiceng.db" >/dev/null
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)

"$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/health-serve.out" 2>"$WORK/health-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/health-serve.out" 'serving http://' "$JPID" 120
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/health-serve.out" | head -n 1)

ms() { awk '{ printf "%.1f", $1 * 1000 }'; }
get() {
  curl -sf -o /dev/null -w '%{time_total}\n' --max-time 900 -G -H "Authorization: Bearer $TOKEN" "$@" || die "request failed: $*"
}
analytics() {
  get --data-urlencode "expr=$1" --data-urlencode unit=41 --data-urlencode "period=${TODAY:0:4}" \
    --data-urlencode by=children "$URL/api/v1/analytics"
}
EXPR='#{health.keypop.contracts}/#{health.keypop}*100'
# the circle first, before anything is kept: its people come from the
# counts migration 048's triggers keep, not from the residents
circle_first=$(get --data-urlencode unit=41 "$URL/api/v1/health/circle" | ms)
cold=$(analytics "$EXPR" | ms)
for ((i = 0; i < WARM; i++)); do analytics "$EXPR"; done | awk '{ print $1 * 1000 }' >"$WORK/health-warm.txt"
warm=$(median <"$WORK/health-warm.txt")
coverage=$(get --data-urlencode unit=41 "$URL/api/v1/health/coverage" | ms)
circle=$(get --data-urlencode unit=41 "$URL/api/v1/health/circle" | ms)
circle2=$(get --data-urlencode unit=41 "$URL/api/v1/health/circle" | ms)
rss=$(rss_mb "$JPID")
stop_pid "$JPID" TERM
log "health: keypop coverage by children cold ${cold} ms, warm p50 ${warm} ms; /health/coverage ${coverage} ms; circle first ${circle_first} ms, later ${circle} ms, again ${circle2} ms"

# The reference: residents and current contracts per unit, 5 levels.
sql_ms() {
  {
    echo '.timer on'
    for len in 2 4 6 9 12; do
      echo "SELECT substr(p.unit, 1, $len) AS c, count(*), sum(EXISTS (SELECT 1 FROM health_contracts x" \
        "WHERE x.person_id = p.id AND x.start_date <= '$TODAY' AND x.end_date > '$TODAY'))" \
        "FROM persons p WHERE p.unit >= '41' AND p.unit < '41;' GROUP BY c;"
    done
  } | sqlite3 "$D/jiceng.db" 2>&1 | awk '/^Run Time: real/ { s += $4 } END { printf "%.1f", s * 1000 }'
}
sql_ms >/dev/null
sql=$(sql_ms)
log "health: sqlite3 GROUP BY residents and contracts ${sql} ms"

result health_residents "$npersons"
result health_contracts "$ncontracts"
result health_villages "$nvillages"
result health_facilities "$nfac"
result health_cold_ms "$cold"
result health_warm_p50_ms "$warm"
result health_coverage_ms "$coverage"
result health_sql_ms "$sql"
result health_circle_first_ms "$circle_first"
result health_circle_ms "$circle"
result health_circle_again_ms "$circle2"
result health_rss_mb "$rss"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
