#!/usr/bin/env bash
# ballots.sh WORK RESULTS — secret ballots of a county campaign (issue 16):
# 60 county departments (in the department register) rated by 8,000 raters
# (20,000 codes by default, the most one campaign issues, so that a fast run does not use them all up)
# in three weighted groups (乡镇 400, 村/社区书记 2,600, 党员群众代表 5,000).
#
# casting:   POST /api/v1/ballots under wrk (-c32), each request taking a
#            fresh one-time code from the file the campaign's creation
#            answered (the Lua script deals the codes out to wrk's threads),
#            each ballot rating all 60 departments; every ballot is durable
#            (the server opens SQLite with synchronous=FULL, store/sqlite.c).
#            Target: p99 ≤ 20 ms.
# reference: the sqlite3 CLI committing one row per transaction into the
#            same database with synchronous=FULL (what the disk allows for
#            durable commits), as items.sh.
# results:   GET /api/v1/evaluations/ID after closing, median of 5: the
#            answer kept (memo.h) when closing aggregated every ballot by the
#            rule (in close_ms), until the next write. Target ≤ 50 ms. Reference:
#            the sqlite3 CLI reading the same ballots (SELECT answers).
# BENCH_BALLOTS_RATERS (20000) and BENCH_DURATION (the wrk run; it must end
# before the codes run out, or the rest answer 409 and are reported).
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/ballots
RATERS=${BENCH_BALLOTS_RATERS:-20000}
DURATION=${BENCH_DURATION:-5s}
for t in sqlite3 curl wrk node; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

log "ballots: Henan, a county campaign of 60 departments and $RATERS raters"
henan_db "$D"
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)
"$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/ballots-serve.out" 2>"$WORK/ballots-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/ballots-serve.out" 'serving http://' "$JPID" 120
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/ballots-serve.out" | head -n 1)

# the departments in the register, then the campaign; its codes to a file
node - "$URL" "$TOKEN" "$RATERS" "$WORK/ballot-codes.txt" "$WORK/ballot-campaign.txt" <<'JS' || die "could not create the campaign"
const [url, token, raters, codesFile, idFile] = process.argv.slice(2);
const fs = await import('node:fs');
const call = async (method, path, body) => {
  const r = await fetch(url + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json();
  if (r.status !== 201) throw new Error(`${path} ${r.status} ${JSON.stringify(j)}`);
  return j;
};
const ids = [];
for (let i = 1; i <= 60; i++) ids.push((await call('POST', '/api/v1/evaluation-departments', { unit: '411121', name: `县直部门${i}` })).id);
const n = Number(raters), a = Math.round(n * 0.05), b = Math.round(n * 0.325);
const c = await call('POST', '/api/v1/evaluations', { name: '基准县直部门述职评议', year: 2025, kind: 'departments', form: 'satisfaction', rule: 'weighted_mean', unit: '411121',
  groups: [{ name: '乡镇（街道）', weight: 40, raters: a }, { name: '村/社区书记', weight: 40, raters: b }, { name: '党员群众代表', weight: 20, raters: n - a - b }],
  subjects: ids.map((department) => ({ department })) });
fs.writeFileSync(codesFile, c.codes.map((x) => x.code).join('\n') + '\n');
fs.writeFileSync(idFile, String(c.id));
JS
CID=$(cat "$WORK/ballot-campaign.txt")
ncodes=$(wc -l <"$WORK/ballot-codes.txt")
[ "$ncodes" = "$RATERS" ] || die "expected $RATERS codes, got $ncodes"

# Each wrk thread takes every n-th code from its own offset; a ballot rates
# all 60 departments with a grade drawn from the code.
cat >"$WORK/ballot.lua" <<LUA
local codes, threads, counter = {}, {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
function init(args)
  local nthreads = tonumber(args[1])
  local i = 0
  for line in io.lines("$WORK/ballot-codes.txt") do
    if i % nthreads == tid - 1 then table.insert(codes, line) end
    i = i + 1
  end
  next_code = 1
  -- a ballot's grades depend on its number mod 5: five answer lists, made
  -- once, so that wrk spends its time sending rather than formatting
  local grades = {"satisfied", "satisfied", "fair", "unsatisfied", "unknown"}
  answers = {}
  for k = 0, #grades - 1 do
    local parts = {}
    for s = 0, 59 do
      parts[#parts + 1] = string.format('{"subject":%d,"grade":"%s"}', s, grades[(s * 7 + k) % #grades + 1])
    end
    answers[k] = table.concat(parts, ",")
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  local code = codes[next_code] or codes[#codes]
  next_code = next_code + 1
  return wrk.format(nil, nil, nil, '{"code":"' .. code .. '","answers":[' .. answers[next_code % 5] .. ']}')
end
LUA
# server CPU (user + system ticks, /proc/PID/stat) over the run: what load
# on the shared cores does not inflate much
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
load_before=$(cut -d' ' -f1 /proc/loadavg)
cpu0=$(cpu_ticks "$JPID")
timeout --foreground 120 wrk -t2 -c32 -d"$DURATION" --latency -s "$WORK/ballot.lua" "$URL/api/v1/ballots" -- 2 \
  >"$WORK/wrk-ballots.txt"
cast_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk-ballots.txt")
cast_p99=$(awk '$1 == "99%" { v = $2
  if (v ~ /us$/) m = v / 1000; else if (v ~ /ms$/) m = v + 0; else m = v * 1000
  printf "%.2f", m }' "$WORK/wrk-ballots.txt")
cpu1=$(cpu_ticks "$JPID")
bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$WORK/wrk-ballots.txt")
sleep 1 # requests wrk left in flight finish (closing refuses while ballots come in)
read -r cast used < <(sqlite3 -separator ' ' "$D/jiceng.db" "SELECT (SELECT count(*) FROM eval_ballots WHERE campaign_id = $CID), (SELECT count(*) FROM eval_codes WHERE campaign_id = $CID AND used = 1)")
[ "$cast" = "$used" ] || die "ballots ($cast) and used codes ($used) differ"
cpu_ms=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$cast" 'BEGIN { printf "%.3f", n ? t * 1000 / hz / n : 0 }')
log "ballots: cast ${cast_rps}/s, p99 ${cast_p99} ms, $cast ballots stored, ${bad:-0} non-2xx (codes run out)"
log "ballots: server CPU ${cpu_ms} ms per ballot; load average ${load_before} before the run"

curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{}' \
  -w '%{time_total}\n' "$URL/api/v1/evaluations/$CID/close" >"$WORK/ballots-close.txt" || die "closing failed"
close_ms=$(awk '{ printf "%.1f", $1 * 1000 }' "$WORK/ballots-close.txt")
results_ms=$(for _ in 1 2 3 4 5; do
  curl -sf -o /dev/null -w '%{time_total}\n' --max-time 60 -H "Authorization: Bearer $TOKEN" "$URL/api/v1/evaluations/$CID" ||
    die "results failed"
done | awk '{ print $1 * 1000 }' | median)
public_ms=$(for _ in 1 2 3 4 5; do
  curl -sf -o /dev/null -w '%{time_total}\n' --max-time 60 "$URL/api/v1/public/evaluations/$CID" || die "public results failed"
done | awk '{ print $1 * 1000 }' | median)
stop_pid "$JPID" TERM
log "ballots: close ${close_ms} ms, results ${results_ms} ms, public results ${public_ms} ms"

# References: durable single-row commits; reading the campaign's ballots.
t0=$(now_ms)
{
  echo 'PRAGMA synchronous=FULL;'
  for i in $(seq 1 2000); do
    echo "BEGIN IMMEDIATE; INSERT INTO case_batches (kind, title, units, created_by, created_at) VALUES ('problem', 'ref $i', 1, 'bench', '2026-11-01T00:00:00Z'); COMMIT;"
  done
} | sqlite3 "$D/jiceng.db" >/dev/null
t1=$(now_ms)
ref_rps=$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", 2000 / (ms / 1000) }')
read_ms=$(printf '.timer on\nSELECT grp, answers FROM eval_ballots WHERE campaign_id = %s ORDER BY grp, id;\n' "$CID" |
  sqlite3 "$D/jiceng.db" 2>&1 | awk '/^Run Time: real/ { printf "%.1f", $4 * 1000 }')
log "ballots: sqlite3 single-row commits ${ref_rps}/s; reading the ballots ${read_ms} ms"

result ballots_raters "$RATERS"
result ballots_cast "$cast"
result ballots_cast_rps "$cast_rps"
result ballots_cast_p99_ms "$cast_p99"
result ballots_cpu_ms_per_ballot "$cpu_ms"
result ballots_load_before "$load_before"
result ballots_non2xx "${bad:-0}"
result ballots_close_ms "$close_ms"
result ballots_results_ms "$results_ms"
result ballots_public_ms "$public_ms"
result ballots_sqlite_commit_rps "$ref_rps"
result ballots_sqlite_read_ms "$read_ms"
result ballots_p99_verdict "$(verdict "$cast_p99" '<=' 20)"
result ballots_results_verdict "$(verdict "$results_ms" '<=' 50)"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
