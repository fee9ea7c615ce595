#!/usr/bin/env bash
# events.sh WORK RESULTS — meeting compliance (party.meetings.held / due)
# and members' points (party.points.total) rolled up for every unit of
# Henan, from events and point entries, vs the sqlite3 CLI's GROUP BY over
# the same rows.
#
# A synthetic province at Henan's scale on the real subtree (55,164 units):
# 4 party organisations per village (a 党支部 and 3 党小组, about 200,000),
# 60 party members per village (about 3 million memberships, 4 % 预备党员),
# 10 held events per organisation in 2025 (about 2 million: 支委会, 主题党日,
# 党员大会, 党课, 党小组会, 谈心谈话) and BENCH_EVENTS_ATTENDANCE (10) sign-ins
# each (about 20 million), and a point entry for every present sign-in at an
# event whose type earns points (data/points.json: theme_day 2 points;
# branch_assembly, group_meeting, party_lecture 1; source 'event', counted,
# about 15 million), all inserted with the sqlite3 CLI.
#
# jiceng:    GET /api/v1/analytics?expr=held/due*100&unit=41&period=2025&by=children,
#            cold (the request computes every duty period of every organisation
#            and builds both rollups) and warm (cached; BENCH_WARM_QUERIES).
# reference: held events per unit for every unit of the subtree with GROUP BY
#            substr(unit, 1, L) for the 5 levels in the sqlite3 CLI (.timer,
#            page cache warm) — the count alone, without duties or due.
# points:    GET /api/v1/analytics?expr=#{party.points.total}&unit=41&period=2025
#            &by=children cold and warm, against the sum of counted points per
#            unit with GROUP BY substr(unit, 1, L) for the 5 levels.
# BENCH_EVENTS_SCALE (1) scales members, events and sign-ins (0.1: a tenth).
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/events
WARM=${BENCH_WARM_QUERIES:-200}
SCALE=${BENCH_EVENTS_SCALE:-1}
ATT=${BENCH_EVENTS_ATTENDANCE:-10}
for t in sqlite3 curl; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

members=$(awk -v s="$SCALE" 'BEGIN { printf "%d", 60 * s }')
events=$(awk -v s="$SCALE" 'BEGIN { n = int(10 * s); print n < 1 ? 1 : n }')
att=$(awk -v s="$SCALE" -v a="$ATT" 'BEGIN { printf "%d", a * s }')
log "events: Henan subtree, 4 organisations a village, $members members a village, $events events an organisation, $att sign-ins each"
henan_db "$D"
"$JICENG" --data "$D" import elements "$ROOT/data/definitions.json" >/dev/null
t0=$(now_ms)
party_members "$D/jiceng.db" "$members"
sqlite3 "$D/jiceng.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $events)
INSERT INTO events (type, org_id, unit, status, starts_at, day, topic, created_by, created_at, updated_at)
SELECT CASE WHEN o.type = 'group' THEN 'group_meeting'
            ELSE CASE k.n % 5 WHEN 0 THEN 'committee_meeting' WHEN 1 THEN 'theme_day'
                 WHEN 2 THEN 'branch_assembly' WHEN 3 THEN 'party_lecture' ELSE 'talk' END END,
       o.id, o.unit, 'held', printf('2025-%02d-%02dT09:00', (k.n * 7 + o.id) % 12 + 1, k.n % 28 + 1),
       printf('2025-%02d-%02d', (k.n * 7 + o.id) % 12 + 1, k.n % 28 + 1), '基准活动',
       'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM party_orgs o, k;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $att)
INSERT OR IGNORE INTO event_participants (event_id, person_id, attendance)
SELECT e.id, e.org_id * 100 + (e.id + k.n * 7) % $members + 1, CASE WHEN k.n % 10 = 0 THEN 'leave' ELSE 'present' END
FROM events e, k;
INSERT INTO point_entries (person_id, unit, rule, points, day, source, source_ref, counted)
SELECT x.person_id, e.unit, CASE WHEN e.type = 'theme_day' THEN 'theme_day' ELSE 'branch_meeting' END,
       CASE WHEN e.type = 'theme_day' THEN 2 ELSE 1 END, e.day, 'event', CAST(e.id AS TEXT), 1
FROM events e JOIN event_participants x ON x.event_id = e.id
WHERE x.attendance = 'present' AND e.type IN ('theme_day', 'branch_assembly', 'group_meeting', 'party_lecture');
ANALYZE;
SQL
t1=$(now_ms)
read -r norgs nmembers nevents natt npoints < <(sqlite3 -separator ' ' "$D/jiceng.db" \
  "SELECT (SELECT count(*) FROM party_orgs), (SELECT count(*) FROM memberships), (SELECT count(*) FROM events), (SELECT count(*) FROM event_participants), (SELECT count(*) FROM point_entries)")
log "events: $norgs organisations, $nmembers members, $nevents events, $natt sign-ins, $npoints point entries in $((t1 - t0)) ms"
# Both sides on a written-back, warm page cache (the reference's first run
# is a warm-up): else jiceng's cold request reads while the kernel is still
# writing the freshly inserted gigabytes back.
sync
cat "$D/jiceng.db" >/dev/null
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)

"$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/events-serve.out" 2>"$WORK/events-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/events-serve.out" 'serving http://' "$JPID" 120
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/events-serve.out" | head -n 1)

# query EXPR — curl's total time of the analytics request for EXPR.
query() {
  curl -sf -o /dev/null -w '%{time_total}\n' --max-time 600 -G -H "Authorization: Bearer $TOKEN" \
    --data-urlencode "expr=$1" --data-urlencode unit=41 \
    --data-urlencode period=2025 --data-urlencode by=children "$URL/api/v1/analytics" || die "analytics request failed"
}
ms() { awk '{ printf "%.1f", $1 * 1000 }'; }
# measure NAME EXPR — cold, then the p50 of WARM cached requests.
measure() {
  local cold
  cold=$(query "$2" | ms)
  for ((i = 0; i < WARM; i++)); do query "$2"; done | awk '{ print $1 * 1000 }' >"$WORK/$1-warm.txt"
  echo "$cold $(median <"$WORK/$1-warm.txt")"
}
m=$(measure events '#{party.meetings.held}/#{party.meetings.due}*100') || exit 1
read -r cold warm_p50 <<<"$m"
m=$(measure points '#{party.points.total}') || exit 1
read -r pcold pwarm_p50 <<<"$m"
rss=$(rss_mb "$JPID")
stop_pid "$JPID" TERM
log "events: jiceng compliance cold ${cold} ms, warm p50 ${warm_p50} ms; points cold ${pcold} ms, warm p50 ${pwarm_p50} ms"

# sql_ms AGGREGATE TABLE WHERE — the sqlite3 CLI's time for the 5 levels' GROUP BY.
sql_ms() {
  {
    echo '.timer on'
    for len in 2 4 6 9 12; do
      echo "SELECT substr(unit, 1, $len) AS c, $1 FROM $2 WHERE $3" \
        "AND day >= '2025-01-01' AND day < '2026-01-01' AND unit >= '41' AND unit < '41;' GROUP BY c;"
    done
  } | sqlite3 "$D/jiceng.db" 2>&1 | awk '/^Run Time: real/ { s += $4 } END { printf "%.1f", s * 1000 }'
}
sql_ms 'count(*)' events "status = 'held'" >/dev/null
sql=$(sql_ms 'count(*)' events "status = 'held'")
sql_ms 'sum(points)' point_entries 'counted = 1' >/dev/null
psql_ms=$(sql_ms 'sum(points)' point_entries 'counted = 1')
log "events: sqlite3 GROUP BY held events ${sql} ms, points ${psql_ms} ms"

result events_orgs "$norgs"
result events_members "$nmembers"
result events_events "$nevents"
result events_attendance "$natt"
result events_cold_ms "$cold"
result events_warm_p50_ms "$warm_p50"
result events_sql_ms "$sql"
result events_points "$npoints"
result events_points_cold_ms "$pcold"
result events_points_warm_p50_ms "$pwarm_p50"
result events_points_sql_ms "$psql_ms"
result events_rss_mb "$rss"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
