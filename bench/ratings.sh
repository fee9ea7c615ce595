#!/usr/bin/env bash
# ratings.sh WORK RESULTS — benchmark 6: "五星"支部创建 over a province.
#
# The real Henan subtree of the division table (55,164 units, 44,415 units
# of kind village) with the definitions of data/definitions.json, synthetic
# 2026 values for every element the formulas of the village scheme
# (schemes/village.json, village-2026) use — yearly ones for '2026', the
# monthly requests.*/hazards.* for 2026-01 … 2026-MM, satisfaction for
# 2026Q1 — and a rating for every village (most 'declared', a share
# 'named' with a level and stars) answering every assessed and yes/no
# indicator and every yes/no veto; all inserted with the sqlite3 CLI.
#
# jiceng:    GET /api/v1/ratings/summary for the province, cold (the first
#            request builds the rollups of the scheme's elements) and rated
#            again after a write (median of 5: every answer read, every
#            village rated), and for one county (舞阳县 411121) kept (the
#            warm cache: 200 requests) and rated again after a write (20),
#            curl's total time.
# reference: the raw aggregation a rating needs, in the sqlite3 CLI over
#            the same database (.timer, page cache warm): every rating's
#            answers summed per rating and category, and every village's
#            2026 values of the scheme's elements summed per element.
#
# Environment: BENCH_WARM_QUERIES (200), BENCH_RATING_MONTHS (3),
# BENCH_KEEP=1 to keep the database.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/ratings
WARM=${BENCH_WARM_QUERIES:-200}
MONTHS=${BENCH_RATING_MONTHS:-3}
SCHEME=$ROOT/schemes/village.json
COUNTY=411121
for t in sqlite3 curl python3; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done
if [ "$MONTHS" -lt 1 ] || [ "$MONTHS" -gt 12 ]; then die "BENCH_RATING_MONTHS must be 1…12"; fi

log "ratings: Henan, 2026 values and a village-2026 rating for every village"
henan_db "$D"
"$JICENG" --data "$D" import elements "$ROOT/data/definitions.json" >/dev/null

# The scheme as SQL: its indicators and vetoes (code, category, kind, max)
# and the elements its formulas use, which must all be defined.
python3 - "$SCHEME" >"$WORK/ratings-scheme.sql" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1]))
print("CREATE TEMP TABLE ind (code TEXT PRIMARY KEY, cat TEXT, kind TEXT, max REAL, veto INTEGER);")
print("CREATE TEMP TABLE used (code TEXT PRIMARY KEY);")
used = set()
for c in s["categories"]:
    for veto, key in ((0, "indicators"), (1, "vetoes")):
        for i in c.get(key, []):
            used |= set(re.findall(r"#\{([^}]+)\}", i.get("formula", "")))
            print("INSERT INTO ind VALUES ('%s', '%s', '%s', %s, %d);"
                  % (i["code"], c["code"], i["kind"], i.get("max", 0), veto))
for e in sorted(used):
    print("INSERT INTO used VALUES ('%s');" % e)
print("SELECT 'scheme=%s stars=%s';" % (s["code"], ",".join(c["code"] for c in s["categories"])))
PY
read -r scheme_code stars < <(sqlite3 ':memory:' <"$WORK/ratings-scheme.sql" | sed 's/scheme=//; s/stars=//')
[ "$scheme_code" = village-2026 ] || die "unexpected scheme code '$scheme_code' in $SCHEME"

t0=$(now_ms)
{
  echo 'PRAGMA journal_mode=WAL;'
  echo 'BEGIN;'
  grep -v '^SELECT' "$WORK/ratings-scheme.sql"
  cat <<SQL
-- Every element the formulas use is defined (data/definitions.json).
CREATE TEMP TABLE missing AS SELECT code FROM used WHERE code NOT IN (SELECT code FROM elements);
-- One row per village with its random magnitudes; r(n) is a fresh 0 … n-1.
CREATE TEMP TABLE v AS
SELECT code, pop, CAST(pop / (3.0 + abs(random() % 100) / 100.0) AS INTEGER) AS hh,
       50 + abs(random() % 450) AS planned, 10 + abs(random() % 90) AS kids
FROM (SELECT code, 400 + abs(random() % 3600) AS pop FROM units
      WHERE level = 'village' AND kind = 'village');
CREATE TEMP TABLE months AS
WITH RECURSIVE m(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM m WHERE n < $MONTHS)
SELECT printf('2026-%02d', n) AS p FROM m;
CREATE TEMP TABLE val (element TEXT, unit TEXT, period TEXT, value REAL);
INSERT INTO val SELECT 'population', code, '2026', pop FROM v;
INSERT INTO val SELECT 'households', code, '2026', hh FROM v;
INSERT INTO val SELECT 'toilet.sanitary', code, '2026', CAST(hh * (80 + abs(random() % 21)) / 100 AS INTEGER) FROM v;
INSERT INTO val SELECT 'party.members', code, '2026', CAST(pop * (20 + abs(random() % 30)) / 1000 AS INTEGER) FROM v;
INSERT INTO val SELECT 'volunteers', code, '2026', CAST(pop * (30 + abs(random() % 50)) / 1000 AS INTEGER) FROM v;
INSERT INTO val SELECT 'doctor.contracts', code, '2026', CAST(pop * (45 + abs(random() % 35)) / 100 AS INTEGER) FROM v;
INSERT INTO val SELECT 'vaccine.target', code, '2026', kids FROM v;
INSERT INTO val SELECT 'vaccine.done', code, '2026', CAST(kids * (900 + abs(random() % 101)) / 1000 AS INTEGER) FROM v;
INSERT INTO val SELECT 'income.collective', code, '2026', round(2 + abs(random() % 9800) / 100.0, 2) FROM v;
INSERT INTO val SELECT 'investment.planned', code, '2026', planned FROM v;
INSERT INTO val SELECT 'investment.done', code, '2026', round(planned * (70 + abs(random() % 40)) / 100.0, 1) FROM v;
INSERT INTO val SELECT 'branch.standardised', code, '2026', abs(random() % 10) < 8 FROM v;
CREATE TEMP TABLE monthly AS
SELECT code, p, abs(random() % 20) AS received, abs(random() % 6) AS found FROM v, months;
INSERT INTO val SELECT 'requests.received', code, p, received FROM monthly;
INSERT INTO val SELECT 'requests.resolved', code, p, max(0, received - (abs(random() % 8) = 0)) FROM monthly;
INSERT INTO val SELECT 'hazards.found', code, p, found FROM monthly;
INSERT INTO val SELECT 'hazards.fixed', code, p, found - (found > 0 AND abs(random() % 5) = 0) FROM monthly;
INSERT INTO val SELECT 'satisfaction', code, '2026Q1', round(80 + abs(random() % 2000) / 100.0, 1) FROM v;
INSERT INTO data_values (element, unit, period, value, updated_by, updated_at)
SELECT element, unit, period, value, 'bench', '2026-10-01T00:00:00Z' FROM val ORDER BY element, period, unit;
-- A rating case for every village: one in five named with a level and its stars.
CREATE TEMP TABLE rv AS
SELECT code, abs(random() % 5) = 0 AS named, 1 + abs(random() % 5) AS lvl, 1 + abs(random() % 5) AS target
FROM v ORDER BY code;
INSERT INTO cases (kind, unit, owner_unit, state, final, created_by, created_at, updated_at, closed_at)
SELECT 'rating', code, code, CASE WHEN named THEN 'named' ELSE 'declared' END, named,
       'bench', '2026-03-01T00:00:00Z', '2026-10-01T00:00:00Z',
       CASE WHEN named THEN '2026-11-20T00:00:00Z' END
FROM rv ORDER BY code;
INSERT INTO case_ratings (case_id, scheme, unit, target, level, stars, named_at)
SELECT c.id, '$scheme_code', rv.code, rv.target, CASE WHEN rv.named THEN rv.lvl END,
       CASE WHEN rv.named THEN (SELECT group_concat(value, ',') FROM
         (SELECT value FROM json_each('["' || replace('$stars', ',', '","') || '"]') WHERE key < rv.lvl)) ELSE '' END,
       CASE WHEN rv.named THEN '2026-11-20T00:00:00Z' END
FROM rv JOIN cases c ON c.owner_unit = rv.code AND c.kind = 'rating' ORDER BY rv.code;
-- Assessed: 60 … 100 % of max; yes/no indicators: yes for 85 %; yes/no vetoes: yes for 2 %.
INSERT INTO case_answers (case_id, code, score, yes, updated_by, updated_at)
SELECT r.case_id, i.code,
       CASE WHEN i.kind = 'assessed' THEN i.max - abs(random() % (CAST(i.max * 0.4 AS INTEGER) + 1)) END,
       CASE WHEN i.kind = 'yesno' THEN
         CASE WHEN i.veto THEN abs(random() % 50) = 0 ELSE abs(random() % 100) < 85 END END,
       'bench', '2026-10-01T00:00:00Z'
FROM case_ratings r, ind i WHERE r.scheme = '$scheme_code' AND i.kind IN ('assessed', 'yesno')
ORDER BY r.case_id, i.code;
COMMIT;
SELECT count(*) FROM missing;
SQL
} | sqlite3 "$D/jiceng.db" >"$WORK/ratings-insert.out" || die "inserting the ratings data"
t1=$(now_ms)
[ "$(tail -n 1 "$WORK/ratings-insert.out")" = 0 ] || die "elements of $SCHEME missing from data/definitions.json"
read -r nvillages nratings nanswers nvalues nnamed < <(sqlite3 -separator ' ' "$D/jiceng.db" \
  "SELECT (SELECT count(*) FROM units WHERE level = 'village' AND kind = 'village'),
          (SELECT count(*) FROM case_ratings), (SELECT count(*) FROM case_answers),
          (SELECT count(*) FROM data_values), (SELECT count(*) FROM case_ratings WHERE named_at IS NOT NULL)")
ncounty=$(sqlite3 "$D/jiceng.db" "SELECT count(*) FROM units WHERE level = 'village' AND kind = 'village'
                                   AND code >= '$COUNTY' AND code < '$COUNTY;'")
log "ratings: $nratings ratings ($nnamed named), $nanswers answers, $nvalues values in $((t1 - t0)) ms"
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)

"$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/ratings-serve.out" 2>"$WORK/ratings-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/ratings-serve.out" 'serving http://' "$JPID" 120
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/ratings-serve.out" | head -n 1)

# summary UNIT [FILE] — seconds for GET /ratings/summary of UNIT (body to FILE).
summary() {
  curl -sf -o "${2:-/dev/null}" -w '%{time_total}\n' --max-time 120 -H "Authorization: Bearer $TOKEN" \
    "$URL/api/v1/ratings/summary?scheme=$scheme_code&unit=$1" || die "ratings summary of $1 failed"
}
ms() { awk '{ printf "%.1f", $1 * 1000 }'; }
# write N — a data value the scheme does not use: the kept summaries go
# stale (every write does that), the rollups of the scheme's elements stay.
write() {
  curl -sf -o /dev/null --max-time 60 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "[{\"element\":\"items.week.received\",\"unit\":\"${COUNTY}100201\",\"period\":\"2026-W01\",\"value\":$1}]" \
    "$URL/api/v1/values" || die "value write failed"
}
cold=$(summary 41 "$WORK/ratings-province.json" | ms)
# The province rated again after a write: every rating's answers read, every village rated.
for i in 1 2 3 4 5; do write "$i"; summary 41; done | awk '{ print $1 * 1000 }' >"$WORK/ratings-province-warm.txt"
warm=$(median <"$WORK/ratings-province-warm.txt")
summary "$COUNTY" "$WORK/ratings-county.json" >/dev/null
# The county's dashboard: kept (the warm cache), and rated again after a write.
for ((i = 0; i < WARM; i++)); do summary "$COUNTY"; done | awk '{ print $1 * 1000 }' >"$WORK/ratings-county-warm.txt"
county_p50=$(median <"$WORK/ratings-county-warm.txt")
county_max=$(sort -g "$WORK/ratings-county-warm.txt" | tail -n 1)
for i in $(seq 1 20); do write "$((i + 10))"; summary "$COUNTY"; done | awk '{ print $1 * 1000 }' >"$WORK/ratings-county-fresh.txt"
county_fresh=$(median <"$WORK/ratings-county-fresh.txt")
rss=$(rss_mb "$JPID")
stop_pid "$JPID" TERM
log "ratings: province cold ${cold} ms, after a write ${warm} ms; county kept p50 ${county_p50} ms, max ${county_max} ms, after a write ${county_fresh} ms"

# The answers check: every village of kind village counted once, levels summing to it.
check() { # FILE EXPECTED-UNITS
  python3 - "$1" "$2" <<'PY' || die "summary $1 does not add up"
import json, sys
s = json.load(open(sys.argv[1])); units = int(sys.argv[2])
levels = sum(s["levels"].values()); targets = sum(s["targets"].values())
ok = s["units"] == units and levels == units and targets == units and s["declared"] == units
ok = ok and sum(t["units"] for t in s["townships"]) == units
print("units %d (expected %d), levels sum %d, targets sum %d, declared %d, named %d, stars %s"
      % (s["units"], units, levels, targets, s["declared"], s["named"],
         {k: (v["won"], v["meets_now"]) for k, v in s["stars"].items()}), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
check "$WORK/ratings-province.json" "$nvillages"
check "$WORK/ratings-county.json" "$ncounty"
province_named=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["named"])' "$WORK/ratings-province.json")
[ "$province_named" = "$nnamed" ] || die "summary: $province_named named, the database has $nnamed"

# The reference: the raw aggregation behind the ratings, in the sqlite3 CLI
# over the same database: every rating's answers summed by category (what
# every summary request reads again), and every village's 2026 values of
# the scheme's elements summed by element (what the rollups hold).
ref_ms() { # QUERY — .timer real ms of QUERY after the scheme's temp tables
  { grep -v '^SELECT' "$WORK/ratings-scheme.sql"; echo '.timer on'; echo "$1"; } |
    sqlite3 "$D/jiceng.db" 2>&1 | awk '/^Run Time: real/ { s += $4 } END { printf "%.1f\n", s * 1000 }'
}
answers_sql="SELECT count(*) FROM (SELECT r.case_id, i.cat, sum(a.score), sum(a.yes), count(*)
  FROM case_ratings r JOIN case_answers a ON a.case_id = r.case_id JOIN ind i ON i.code = a.code
  WHERE r.scheme = '$scheme_code' AND r.unit >= '41' AND r.unit < '41;' GROUP BY r.case_id, i.cat);"
values_sql="SELECT count(*) FROM (SELECT d.unit, d.element, sum(d.value), count(*) FROM data_values d
  WHERE d.element IN (SELECT code FROM used) AND d.period >= '2026' AND d.period < '2027'
    AND d.unit >= '41' AND d.unit < '41;' GROUP BY d.unit, d.element);"
ref_ms "$answers_sql" >/dev/null # warm the page cache
ref_ms "$values_sql" >/dev/null
ref_answers=$(for _ in 1 2 3; do ref_ms "$answers_sql"; done | median)
ref_values=$(for _ in 1 2 3; do ref_ms "$values_sql"; done | median)
log "ratings: sqlite3 answers by rating and category ${ref_answers} ms, values by village and element ${ref_values} ms"

result ratings_villages "$nvillages"
result ratings_count "$nratings"
result ratings_named "$nnamed"
result ratings_answers "$nanswers"
result ratings_values "$nvalues"
result ratings_county_villages "$ncounty"
result ratings_province_cold_ms "$cold"
result ratings_province_warm_ms "$warm"
result ratings_county_p50_ms "$county_p50"
result ratings_county_max_ms "$county_max"
result ratings_county_fresh_ms "$county_fresh"
result ratings_sql_answers_ms "$ref_answers"
result ratings_sql_values_ms "$ref_values"
result ratings_sql_total_ms "$(awk -v a="$ref_answers" -v b="$ref_values" 'BEGIN { printf "%.1f", a + b }')"
result ratings_rss_mb "$rss"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
