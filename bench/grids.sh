#!/usr/bin/env bash
# grids.sh WORK RESULTS — benchmark: a township's due-visit list under load.
#
# Henan's tree; in every village of 舞阳县 (411121) BENCH_GRIDS_HOUSES (60)
# households, 4 party members each linked to 15 of them (党员联户, quarterly)
# and a 包联领导 per village (monthly); a year of visits (each link visited in
# about a third of the months; events + visits rows), inserted with the
# sqlite3 CLI.
#     jiceng:    GET /api/v1/contacts?unit=<the township of 舞阳县 with the most
#                villages>&period=YEAR-06&limit=50 with a bearer token (every
#                link of the township's compliance computed from the visits,
#                totals over all of them, the first page of 50 links).
#                The answer is kept (app/memo.h) until a write: the
#                first request, timed alone, computes it (cold).
#     reference: nginx (2 workers) serving a static file holding exactly the
#                bytes jiceng answered, at the same path, on the same machine.
#     wrk -t2 -c16 --latency, 2 s warm-up then BENCH_DURATION (10s), the two
#     interleaved BENCH_GRIDS_ROUNDS (3) times, median; p99 reported.
# Target: p99 ≤ 20 ms.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/grids
HOUSES=${BENCH_GRIDS_HOUSES:-60}
ROUNDS=${BENCH_GRIDS_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
COUNTY=411121
YEAR=2026
for t in sqlite3 curl wrk nginx; do
  command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"
done
mkdir -p "$D"

log "grids: Henan, $HOUSES households a village of $COUNTY, 4 members × 15 households, a leader a village"
henan_db "$D/db"
DB=$D/db/jiceng.db
t0=$(now_ms)
sqlite3 "$DB" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
CREATE TEMP TABLE v AS SELECT row_number() OVER (ORDER BY code) AS k, code FROM units
  WHERE level = 'village' AND code >= '$COUNTY' AND code < '$COUNTY;';
-- persons: 4 members and a leader a village (ids k * 10 + 1..5)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5)
INSERT INTO persons (id, name, sex, birth_date, ethnicity, education, unit, created_by, created_at, updated_at)
SELECT v.k * 10 + n.i, substr('王李张刘陈杨赵黄周吴', 1 + (v.k + n.i) % 10, 1) || substr('建国秀英志强丽华明军', 1 + n.i, 1),
       '男', '1970-01-01', '汉族', '高中', v.code, 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM v, n;
-- households: ids k * 1000 + 1..HOUSES
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $HOUSES)
INSERT INTO households (id, unit, address, created_by, created_at, updated_at)
SELECT v.k * 1000 + n.i, v.code, (n.i / 20 + 1) || ' 组 ' || n.i || ' 号', 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM v, n;
-- 党员联户: member m (1..4) of the village ↔ households (m-1)*15+1 .. m*15 (those that exist)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 59)
INSERT INTO contact_links (duty, person_id, unit, household_id, from_date, created_by, created_at)
SELECT 'member.household', v.k * 10 + 1 + n.i / 15, v.code, v.k * 1000 + 1 + n.i, '$YEAR-01-01', 'bench', '2026-01-01T00:00:00Z'
FROM v, n WHERE n.i < $HOUSES;
INSERT INTO contact_links (duty, person_id, unit, from_date, created_by, created_at)
SELECT 'leader.village', v.k * 10 + 5, v.code, '$YEAR-01-01', 'bench', '2026-01-01T00:00:00Z' FROM v;
-- a year of visits: each link in the months where (link id + month) % 3 = 0
CREATE TEMP TABLE vis AS
WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < 12)
SELECT l.id AS link, l.person_id, l.unit, l.household_id, printf('$YEAR-%02d-%02d', m.i, 1 + l.id % 27) AS day,
       row_number() OVER () AS n
FROM contact_links l, m WHERE (l.id + m.i) % 3 = 0;
INSERT INTO events (id, type, org_id, unit, status, starts_at, day, topic, created_by, created_at, updated_at)
SELECT n, 'visit', NULL, unit, 'held', day || 'T09:00', day, '走访', 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM vis;
INSERT INTO event_participants (event_id, person_id, attendance) SELECT n, person_id, 'present' FROM vis;
INSERT INTO visits (event_id, person_id, unit, household_id, day, method, findings)
SELECT n, person_id, unit, household_id, day, 'home', '情况正常' FROM vis;
ANALYZE;
SQL
t1=$(now_ms)
read -r nlinks nvisits < <(sqlite3 -separator ' ' "$DB" "SELECT (SELECT count(*) FROM contact_links), (SELECT count(*) FROM visits)")
TOWN=$(sqlite3 "$DB" "SELECT parent_code FROM units WHERE level = 'village'
  AND code >= '$COUNTY' AND code < '$COUNTY;' GROUP BY parent_code ORDER BY count(*) DESC, parent_code LIMIT 1")
town_links=$(sqlite3 "$DB" "SELECT count(*) FROM contact_links WHERE unit >= '$TOWN' AND unit < '$TOWN;'")
log "grids: $nlinks links, $nvisits visits in $((t1 - t0)) ms; township $TOWN with $town_links links"

TOKEN=$("$JICENG" --data "$D/db" token create --user admin 2>/dev/null)
AUTH="Authorization: Bearer $TOKEN"
"$JICENG" --data "$D/db" serve --listen 127.0.0.1:0 >"$WORK/grids-serve.out" 2>"$WORK/grids-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/grids-serve.out" 'serving http://' "$JPID" 120
JURL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/grids-serve.out" | head -n 1)
PATHQ="/api/v1/contacts?unit=$TOWN&period=$YEAR-06&limit=50"

NGX=$WORK/grids-nginx
rm -rf "$NGX"
mkdir -p "$NGX/www/api/v1" "$NGX/tmp"
# the first request computes (and keeps) the answer: timed alone, cold
c0=$(now_ms)
curl -sf --max-time 30 -H "$AUTH" -o "$NGX/www/api/v1/contacts" "$JURL$PATHQ" || die "GET $PATHQ failed"
cold_ms=$(($(now_ms) - c0))
log "grids: the first (cold) request took $cold_ms ms"
body_bytes=$(wc -c <"$NGX/www/api/v1/contacts")
items=$(grep -o '"duty":' "$NGX/www/api/v1/contacts" | wc -l)
[ "$items" = 50 ] || die "the due-visit list answered $items links, not a page of 50"
grep -q "\"links\":$town_links," "$NGX/www/api/v1/contacts" || die "the totals do not count the township's $town_links links"
NPORT=$(pick_port)
cat >"$NGX/nginx.conf" <<EOF2
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
EOF2
chmod -R a+rX "$NGX"
nginx -p "$NGX" -c "$NGX/nginx.conf" 2>"$NGX/stderr.log" &
NPID=$!
bg_track "$NPID"
NURL=http://127.0.0.1:$NPORT
wait_for_http "$NURL$PATHQ" "$NPID" 30

bench_list() {
  local name=$1 url=$2 n line
  touch "$WORK/grids-list-$name.txt"
  n=$(($(wc -l <"$WORK/grids-list-$name.txt") + 1))
  wrk_run "$WORK/wrk-grids-$name-warm.txt" "$AUTH" "$url" 2 16 2s >/dev/null
  line=$(wrk_run "$WORK/wrk-grids-$name-$n.txt" "$AUTH" "$url" 2 16 "$DURATION")
  echo "$line" >>"$WORK/grids-list-$name.txt"
  log "grids due-visit list $name #$n: ${line% *} req/s, p99 ${line#* } ms"
}
for ((r = 1; r <= ROUNDS; r++)); do
  bench_list nginx "$NURL$PATHQ"
  bench_list jiceng "$JURL$PATHQ"
done
stop_pid "$NPID" QUIT
stop_pid "$JPID" TERM

for name in nginx jiceng; do
  result "grids_due_${name}_rps" "$(cut -d' ' -f1 "$WORK/grids-list-$name.txt" | median | awk '{ printf "%.0f", $1 }')"
  result "grids_due_${name}_p99_ms" "$(cut -d' ' -f2 "$WORK/grids-list-$name.txt" | median)"
done
result grids_due_cold_ms "$cold_ms"
result grids_due_links "$nlinks"
result grids_due_visits "$nvisits"
result grids_due_town "$TOWN"
result grids_due_town_links "$town_links"
result grids_due_bytes "$body_bytes"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
