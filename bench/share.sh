#!/usr/bin/env bash
# share.sh WORK RESULTS — 共享小区 suggestions for one need among
# BENCH_SHARE_POSTS (100,000) open needs and offers in one county (舞阳县,
# 411121, on the real Henan subtree), inserted with the sqlite3 CLI: every
# village gets its share, 4 categories, 10 buildings, windows of 1–60 days
# in 2030.
#
# jiceng:    GET /api/v1/share/suggestions?unit=411121&post=ID for
#            BENCH_SHARE_QUERIES (500) random open needs: p50 and p99 of
#            curl's total time (the HTTP round trip included).
# reference: GET /api/v1/health in the same run, same client (the round trip
#            with no work): p99. And the same suggestion query alone in the
#            sqlite3 CLI (.timer) for one need.
# Target: suggestions p99 <= 10 ms.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/share
POSTS=${BENCH_SHARE_POSTS:-100000}
QUERIES=${BENCH_SHARE_QUERIES:-500}
COUNTY=411121
for t in sqlite3 curl; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

log "share: Henan subtree, $POSTS open needs and offers in $COUNTY"
henan_db "$D"
t0=$(now_ms)
sqlite3 "$D/jiceng.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
CREATE TEMP TABLE v AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, code FROM units
  WHERE level = 'village' AND code >= '$COUNTY' AND code < '$COUNTY;';
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < $POSTS - 1)
INSERT INTO share_posts (kind, category, unit, building, day_from, day_to, title, body, contact_masked,
                         state, created_by, created_at, created_on)
SELECT CASE WHEN k.n % 2 = 0 THEN 'need' ELSE 'offer' END,
       CASE (k.n / 2) % 4 WHEN 0 THEN 'goods' WHEN 1 THEN 'skill' WHEN 2 THEN 'space' ELSE 'time' END,
       v.code, ((k.n * 7) % 10 + 1) || '号楼',
       21915 + (k.n * 37) % 300, 21915 + (k.n * 37) % 300 + (k.n * 13) % 60,
       '基准' || k.n, '', '', 'open', 'bench', '2026-01-01T00:00:00Z', '2026-01-01'
FROM k JOIN v ON v.i = k.n % (SELECT count(*) FROM v);
ANALYZE;
SQL
t1=$(now_ms)
read -r nposts nvillages < <(sqlite3 -separator ' ' "$D/jiceng.db" \
  "SELECT count(*), count(DISTINCT unit) FROM share_posts WHERE state = 'open'")
log "share: $nposts open posts in $nvillages villages in $((t1 - t0)) ms"
sqlite3 "$D/jiceng.db" "SELECT id FROM share_posts WHERE kind = 'need' ORDER BY random() LIMIT $QUERIES" >"$WORK/share-needs.txt"
sync
cat "$D/jiceng.db" >/dev/null
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)

"$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/share-serve.out" 2>"$WORK/share-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/share-serve.out" 'serving http://' "$JPID" 120
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/share-serve.out" | head -n 1)

get() {
  curl -sf -o /dev/null -w '%{time_total}\n' --max-time 60 -H "Authorization: Bearer $TOKEN" "$URL$1" || die "GET $1 failed"
}
# p99 — the 99th percentile of the numbers on stdin (milliseconds).
p99() { sort -g | awk '{ v[NR] = $1 } END { i = int(NR * 0.99 + 0.999); if (i < 1) i = 1; print v[i] }'; }
nsugg=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/share/suggestions?unit=$COUNTY&post=$(head -n 1 "$WORK/share-needs.txt")" | grep -o '"kind_name"' | wc -l)
# warm-up, then the measured rounds, interleaved with the reference
for id in $(head -n 20 "$WORK/share-needs.txt"); do get "/api/v1/share/suggestions?unit=$COUNTY&post=$id" >/dev/null; done
: >"$WORK/share-ms.txt"
: >"$WORK/share-ref.txt"
while read -r id; do
  get "/api/v1/share/suggestions?unit=$COUNTY&post=$id" | awk '{ print $1 * 1000 }' >>"$WORK/share-ms.txt"
  get "/api/v1/health" | awk '{ print $1 * 1000 }' >>"$WORK/share-ref.txt"
done <"$WORK/share-needs.txt"
p50=$(median <"$WORK/share-ms.txt")
p99v=$(p99 <"$WORK/share-ms.txt")
ref99=$(p99 <"$WORK/share-ref.txt")
rss=$(rss_mb "$JPID")
stop_pid "$JPID" TERM
id=$(head -n 1 "$WORK/share-needs.txt")
sql=$({
  echo '.timer on'
  echo "SELECT p.id FROM share_posts p, share_posts n WHERE n.id = $id AND p.unit = n.unit AND p.category = n.category AND p.kind = 'offer' AND p.state = 'open' AND p.day_from <= n.day_to AND p.day_to >= n.day_from ORDER BY CASE WHEN p.building = n.building THEN 0 ELSE 1 END, (CASE WHEN p.day_to < n.day_to THEN p.day_to ELSE n.day_to END) - (CASE WHEN p.day_from > n.day_from THEN p.day_from ELSE n.day_from END) DESC, abs(p.day_from - n.day_from) LIMIT 20;"
} | sqlite3 "$D/jiceng.db" 2>&1 | awk '/^Run Time: real/ { s += $4 } END { printf "%.2f", s * 1000 }')
plan=$(sqlite3 "$D/jiceng.db" "EXPLAIN QUERY PLAN SELECT id FROM share_posts p WHERE p.unit = '1' AND p.category = 'x' AND p.kind = 'offer' AND p.state = 'open' AND p.day_from <= 5 AND p.day_to >= 1" | tr '\n' ' ')
log "share: suggestions p50 ${p50} ms, p99 ${p99v} ms ($nsugg suggestions for the first need); /health p99 ${ref99} ms; sqlite3 query ${sql} ms; plan: $plan"

result share_posts "$nposts"
result share_villages "$nvillages"
result share_queries "$QUERIES"
result share_p50_ms "$p50"
result share_p99_ms "$p99v"
result share_health_p99_ms "$ref99"
result share_sql_ms "$sql"
result share_rss_mb "$rss"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
