#!/usr/bin/env bash
# items.sh WORK RESULTS — benchmark 5: work items at province scale.
#
# Henan (55,164 units) with 1,000,000 items spread over its villages and
# over 2026 (inserted with the sqlite3 CLI): the monthly review (月讲评)
# for the province and for one county over HTTP (curl's total time, median
# of 5), and new items POSTed under wrk. Reference for the writes: the
# sqlite3 CLI committing one row per transaction into the same database
# with synchronous=FULL, i.e. what the disk allows for durable commits.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/items
DURATION=${BENCH_DURATION:-10s}
for t in sqlite3 curl wrk; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

log "items: Henan and 1,000,000 items"
henan_db "$D"
sqlite3 "$D/jiceng.db" >/dev/null <<'SQL'
PRAGMA journal_mode=WAL;
CREATE TEMP TABLE v (k INTEGER PRIMARY KEY, code TEXT);
INSERT INTO v (code) SELECT code FROM units WHERE level = 'village' ORDER BY code;
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 999999),
n AS (SELECT count(*) AS n FROM v)
INSERT INTO cases (kind, title, unit, owner_unit, state, final, rating, created_by, created_at,
                   updated_at, deadline, closed_at)
SELECT 'problem', '基准事项 ' || s.i, v.code, v.code,
       CASE WHEN s.i % 10 < 7 THEN 'verified' ELSE 'in_progress' END, s.i % 10 < 7,
       CASE WHEN s.i % 10 < 3 THEN 1 + s.i % 5 END, 'bench',
       strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || (s.i % 320) || ' days'),
       strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || (s.i % 320) || ' days'),
       date('2026-01-01', '+' || (s.i % 320 + 10) || ' days'),
       CASE WHEN s.i % 10 < 7 THEN
         strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || (s.i % 320 + s.i % 15) || ' days') END
FROM s, n JOIN v ON v.k = 1 + s.i % n.n;
SQL
nitems=$(sqlite3 "$D/jiceng.db" "SELECT count(*) FROM cases")
[ "$nitems" = 1000000 ] || die "expected 1,000,000 items, got $nitems"
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)

"$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/items-serve.out" 2>"$WORK/items-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/items-serve.out" 'serving http://' "$JPID" 120
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/items-serve.out" | head -n 1)

review_ms() { # UNIT — median ms of 5 monthly reviews for October
  for _ in 1 2 3 4 5; do
    curl -sf -o /dev/null -w '%{time_total}\n' --max-time 60 -H "Authorization: Bearer $TOKEN" \
      "$URL/api/v1/items/review?unit=$1&month=2026-10" || die "review of $1 failed"
  done | awk '{ print $1 * 1000 }' | median
}
county=$(review_ms 411121)
province=$(review_ms 41)
log "items: review county ${county} ms, province ${province} ms"

cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":"problem","title":"压测事项","unit":"411121100201"}'
LUA
timeout --foreground 120 wrk -t2 -c16 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
  -s "$WORK/post.lua" "$URL/api/v1/items" >"$WORK/wrk-items-post.txt"
post_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk-items-post.txt")
post_p99=$(awk '$1 == "99%" { v = $2
  if (v ~ /us$/) m = v / 1000; else if (v ~ /ms$/) m = v + 0; else m = v * 1000
  printf "%.2f", m }' "$WORK/wrk-items-post.txt")
bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$WORK/wrk-items-post.txt")
[ -z "$bad" ] || die "item POSTs: $bad non-2xx answers (see $WORK/wrk-items-post.txt)"
stop_pid "$JPID" TERM
log "items: POST ${post_rps}/s, p99 ${post_p99} ms"

# Reference: durable single-row transactions in the sqlite3 CLI, same database.
t0=$(now_ms)
{
  echo 'PRAGMA synchronous=FULL;'
  for i in $(seq 1 2000); do
    echo "BEGIN IMMEDIATE; INSERT INTO case_batches (kind, title, units, created_by, created_at) VALUES ('problem', 'ref $i', 1, 'bench', '2026-11-01T00:00:00Z'); COMMIT;"
  done
} | sqlite3 "$D/jiceng.db" >/dev/null
t1=$(now_ms)
ref_rps=$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", 2000 / (ms / 1000) }')
log "items: sqlite3 single-row commits ${ref_rps}/s"

result items_count "$nitems"
result items_review_county_ms "$county"
result items_review_province_ms "$province"
result items_post_rps "$post_rps"
result items_post_p99_ms "$post_p99"
result items_sqlite_commit_rps "$ref_rps"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
