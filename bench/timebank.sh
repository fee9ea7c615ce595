#!/usr/bin/env bash
# timebank.sh WORK RESULTS — the time bank under 16 concurrent writers and
# a kill -9 (issue 17): BENCH_TIMEBANK_TRANSFERS (1,000,000) transfers of 1
# coin between the two members of 16 households, back and forth, with a
# redemption every 100th, driven over HTTP (bench/timebank_driver.mjs, one
# keep-alive writer per household). The server is killed with SIGKILL
# BENCH_TIMEBANK_KILL_S (5) seconds into the run, restarted, and the
# invariant checked with SQL: the sum of the ledger = the sum of the
# balances = coins credited − coins redeemed, no balance below zero; then
# the rest of the transfers run and the check is made again.
#
# jiceng:    transfers a second over HTTP after the restart (16 writers).
# reference: the same statements a transfer makes (two ledger rows, two
#            balance updates, one audit-sized row) as separate transactions
#            in the sqlite3 CLI, one writer, on a copy of the database.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/timebank
TOTAL=${BENCH_TIMEBANK_TRANSFERS:-1000000}
KILL_S=${BENCH_TIMEBANK_KILL_S:-5}
WRITERS=16
for t in sqlite3 curl node; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

log "timebank: $TOTAL transfers by $WRITERS writers, kill -9 after ${KILL_S}s"
henan_db "$D"
TOKEN=$("$JICENG" --data "$D" token create --user admin 2>/dev/null)

start_server() {
  # 16 writers from one address: above the default per-address connection limit
  JICENG_MAX_CONNECTIONS_PER_ADDRESS=1000 JICENG_LOG=warn \
    "$JICENG" --data "$D" serve --listen 127.0.0.1:0 >"$WORK/timebank-serve.out" 2>>"$WORK/timebank-serve.err" &
  JPID=$!
  bg_track "$JPID"
  wait_for_line "$WORK/timebank-serve.out" 'serving http://' "$JPID" 120
  URL=$(tail -n 5 "$WORK/timebank-serve.out" | grep -oE 'http://[0-9.]+:[0-9]+' | tail -n 1)
}

post() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$2" "$URL$1"; }
id_of() { sed -E 's/.*"id":([0-9]+).*/\1/'; }

start_server
UNIT=411121100201
DAY=$(TZ=Asia/Shanghai date -d yesterday +%F)
EV=$(post /api/v1/events "{\"type\":\"volunteer\",\"unit\":\"$UNIT\",\"status\":\"held\",\"starts_at\":\"${DAY}T06:00\",\"topic\":\"基准志愿服务\"}" | id_of)
pairs="["
for ((i = 0; i < WRITERS; i++)); do
  hh=$(post /api/v1/households "{\"unit\":\"$UNIT\",\"address\":\"基准 $i 号\"}" | id_of)
  ab=()
  for rel in head other; do
    p=$(post /api/v1/persons "{\"name\":\"基准$i$rel\",\"unit\":\"$UNIT\"}" | id_of)
    post "/api/v1/households/$hh/members" "{\"person\":$p,\"relation\":\"$rel\",\"from\":\"2020-01-01\"}" >/dev/null
    post "/api/v1/events/$EV/volunteers/signin" "{\"person\":$p,\"at\":\"${DAY}T06:00\"}" >/dev/null
    post "/api/v1/events/$EV/volunteers/signout" "{\"person\":$p,\"at\":\"${DAY}T22:00\"}" >/dev/null
    ab+=("$p")
  done
  pairs+="[${ab[0]},${ab[1]}]"
  [ "$i" -lt $((WRITERS - 1)) ] && pairs+=","
done
pairs+="]"

check() { # the invariant, with SQL; prints "ledger balances credited redeemed negative"
  sqlite3 "$D/jiceng.db" "SELECT (SELECT sum(cents) FROM timebank_entries),
    (SELECT sum(cents) FROM timebank_balances),
    (SELECT sum(cents) FROM timebank_entries WHERE kind = 'credit'),
    (SELECT -coalesce(sum(cents), 0) FROM timebank_entries WHERE kind = 'redeem'),
    (SELECT count(*) FROM timebank_balances WHERE cents < 0);" | tr '|' ' '
}
consistent() {
  read -r ledger balances credited redeemed negative <<<"$(check)"
  [ "$ledger" = "$balances" ] && [ "$balances" = $((credited - redeemed)) ] && [ "$negative" = 0 ]
}

log "timebank: phase 1, killing the server after ${KILL_S}s"
node "$BENCH_DIR/timebank_driver.mjs" "$URL" "$TOKEN" "$pairs" "$TOTAL" >"$WORK/timebank-phase1.out" &
DPID=$!
sleep "$KILL_S"
kill -KILL "$JPID"
wait "$DPID" || true
phase1=$(cat "$WORK/timebank-phase1.out")
log "timebank: phase 1 $phase1"
start_server
consistent || die "inconsistent after kill -9: $(check)"
after_kill=$(check)
log "timebank: consistent after kill -9 ($after_kill)"
done1=$(sed -E 's/.*done=([0-9]+).*/\1/' <<<"$phase1")
rest=$((TOTAL - done1))
[ "$rest" -gt 0 ] || rest=$WRITERS
node "$BENCH_DIR/timebank_driver.mjs" "$URL" "$TOKEN" "$pairs" "$rest" >"$WORK/timebank-phase2.out"
phase2=$(cat "$WORK/timebank-phase2.out")
stop_pid "$JPID" TERM
consistent || die "inconsistent at the end: $(check)"
final=$(check)
done2=$(sed -E 's/.*done=([0-9]+).*/\1/' <<<"$phase2")
ms2=$(sed -E 's/.*ms=([0-9]+).*/\1/' <<<"$phase2")
rps=$(awk -v n="$done2" -v ms="$ms2" 'BEGIN { printf "%.0f", n * 1000 / ms }')

# the reference: the same writes as one-writer transactions in the sqlite3 CLI
REF_N=$((done2 < 20000 ? done2 : 20000))
cp "$D/jiceng.db" "$WORK/timebank-ref.db"
read -r a b <<<"$(tr -d '[]' <<<"$pairs" | cut -d, -f1,2 | tr ',' ' ')"
awk -v n="$REF_N" -v a="$a" -v b="$b" 'BEGIN {
  print "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
  for (i = 0; i < n; i++) {
    f = i % 2 ? b : a; t = i % 2 ? a : b;
    print "BEGIN IMMEDIATE;";
    print "UPDATE timebank_balances SET cents = cents - 100 WHERE person_id = " f " AND cents >= 100;";
    print "INSERT INTO timebank_entries (person_id, kind, cents, counterpart, created_by, created_at) VALUES (" f ", '\''transfer_out'\'', -100, " t ", '\''ref'\'', '\''2026-01-01T00:00:00Z'\'');";
    print "UPDATE timebank_balances SET cents = cents + 100 WHERE person_id = " t ";";
    print "INSERT INTO timebank_entries (person_id, kind, cents, counterpart, created_by, created_at) VALUES (" t ", '\''transfer_in'\'', 100, " f ", '\''ref'\'', '\''2026-01-01T00:00:00Z'\'');";
    print "COMMIT;";
  }
}' >"$WORK/timebank-ref.sql"
t0=$(now_ms)
sqlite3 "$WORK/timebank-ref.db" <"$WORK/timebank-ref.sql" >/dev/null
ref_ms=$(($(now_ms) - t0))
ref_rps=$(awk -v n="$REF_N" -v ms="$ref_ms" 'BEGIN { printf "%.0f", n * 1000 / (ms ? ms : 1) }')
rm -f "$WORK/timebank-ref.db" "$WORK/timebank-ref.sql"

log "timebank: $rps transfers/s over HTTP after the restart; sqlite3 reference $ref_rps/s; final $final"
result timebank_total "$TOTAL"
result timebank_phase1 "$phase1"
result timebank_after_kill "$after_kill"
result timebank_phase2 "$phase2"
result timebank_final "$final"
result timebank_rps "$rps"
result timebank_ref_rps "$ref_rps"
