#!/usr/bin/env bash
# draw.sh WORK RESULTS — the 双随机 draw: 1,000 targets from 100,000 with 500
# inspectors (2 a target, 5,000 回避 links), in process (bench/draw_bench.c,
# core/draw.c), BENCH_DRAW_REPEATS (20) times. Target: every draw ≤ 100 ms
# and all repeats identical. Reference in the same run: copying and sorting
# the 100,000 target ids alone (the floor of any draw over a sorted registry).
#   bench/draw.sh /tmp/bench-draw /tmp/bench-draw/results.env
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
REPEATS=${BENCH_DRAW_REPEATS:-20}
BENCH_BIN=${DRAW_BENCH:-$(dirname "$JICENG")/draw_bench}
mkdir -p "$WORK"
touch "$RESULTS"
if [ ! -x "$BENCH_BIN" ]; then
  log "building draw_bench"
  cmake --build "$(dirname "$BENCH_BIN")" --target draw_bench >/dev/null || die "cannot build draw_bench"
fi
read -r min p50 max identical ref < <("$BENCH_BIN" "$REPEATS")
log "draw: min $min ms, p50 $p50 ms, max $max ms, identical=$identical; sort of 100k ids alone $ref ms"
verdict=MISSED
if [ "$identical" = 1 ] && awk -v m="$max" 'BEGIN { exit !(m <= 100) }'; then verdict=met; fi
{
  echo "DRAW_MIN_MS=$min"
  echo "DRAW_P50_MS=$p50"
  echo "DRAW_MAX_MS=$max"
  echo "DRAW_IDENTICAL=$identical"
  echo "DRAW_REF_SORT_MS=$ref"
  echo "DRAW_VERDICT=$verdict"
} >>"$RESULTS"
