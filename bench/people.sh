#!/usr/bin/env bash
# people.sh WORK RESULTS — benchmark 10: the people registry at scale.
#
# (a) Import of a roster (花名册) of 1,000,000 persons spread over the 398
#     villages of 舞阳县 (411121) on the real Henan subtree: valid GB 11643 ID
#     numbers (check digits computed), phone numbers, names, sex, birth date,
#     ethnicity, education, the village's code, and for every 16th person the
#     village's 党支部 with a stage and a date (62,500 memberships).
#     jiceng:    jiceng import persons roster.csv --unit 411121 into a database
#                holding the tree and the branches (all or nothing, every row
#                checked, both numbers sealed and hashed, de-duplicated by
#                the ID hash), then the same file again (every person
#                already registered: info).
#     reference: sqlite3 CLI (WAL, synchronous=FULL) `.import --csv` of the
#                same rows into a table with the roster's columns, the numbers
#                unsealed (the persons table's checks and indexes: the ID
#                number unique in the place of its hash, the phone indexed).
#     Fresh databases every run, runs interleaved (BENCH_PEOPLE_RUNS, 1), median.
# (b) A township's member list under load: Henan with 4 party organisations a
#     village and 60 members a branch (3,142,680 memberships, as events.sh)
#     and a persons row for each member (sealed columns filled with random
#     tokens of the real length), inserted with the sqlite3 CLI.
#     jiceng:    GET /api/v1/persons?unit=<the township of 舞阳县 with the most
#                villages>&membership=party_member&limit=50 with a bearer token.
#     reference: nginx (2 workers) serving a static file holding exactly the
#                bytes jiceng answered, at the same path, on the same machine.
#     wrk -t2 -c16 --latency, 2 s warm-up then BENCH_DURATION (10s), the two
#     interleaved BENCH_PEOPLE_ROUNDS (3) times, median; p99 reported.
# BENCH_PEOPLE_SCALE (1) scales the roster and the members a branch (0.01:
# 10,000 persons, 1 member a branch); BENCH_PEOPLE_PARTS ("import list")
# runs one of the two.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
D=$WORK/people
SCALE=${BENCH_PEOPLE_SCALE:-1}
RUNS=${BENCH_PEOPLE_RUNS:-1}
ROUNDS=${BENCH_PEOPLE_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
PARTS=${BENCH_PEOPLE_PARTS:-import list}
COUNTY=411121
LIMIT=3600 # seconds; any single import taking longer fails the benchmark
for t in sqlite3 curl wrk nginx /usr/bin/time; do
  command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"
done

npersons=$(awk -v s="$SCALE" 'BEGIN { n = int(1000000 * s); print n < 16 ? 16 : n }')
members=$(awk -v s="$SCALE" 'BEGIN { n = int(60 * s); print n < 1 ? 1 : n }')
mkdir -p "$D"

# ---- (a) the import ----
if [[ " $PARTS " == *" import "* ]]; then

log "people: $npersons persons over the villages of $COUNTY"
henan_db "$D/base"
# One 党支部 per village of the county, named after it (the code is added
# where two villages share a name, so every name is unique).
sqlite3 "$D/base/jiceng.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
INSERT INTO party_orgs (name, type, form, unit, founded_on, term_years, created_by, created_at, updated_at)
SELECT CASE WHEN (SELECT count(*) FROM units o WHERE o.level = 'village' AND o.name = u.name
                  AND o.code >= '$COUNTY' AND o.code < '$COUNTY;') > 1
            THEN u.name || u.code ELSE u.name END || '党支部',
       'branch', 'standard', u.code, '2000-07-01', 5, 'bench', '2026-01-01T00:00:00Z',
       '2026-01-01T00:00:00Z'
FROM units u WHERE u.level = 'village' AND u.code >= '$COUNTY' AND u.code < '$COUNTY;';
SQL
nvillages=$(sqlite3 "$D/base/jiceng.db" "SELECT count(*) FROM party_orgs")
[ "$nvillages" -gt 0 ] || die "no villages under $COUNTY"

# The roster: row i lives in village 1 + i % villages; born on day i % 23376
# after 1940-01-01 (to 2003-12-31), sequence number 2 × (i / 23376) + i % 2
# (odd: 男), so every ID number is distinct; phone 13 followed by i.
{
  echo '姓名,性别,出生日期,民族,学历,身份证号,手机号,单位代码,党组织,发展阶段,起始日期'
  sqlite3 -csv "$D/base/jiceng.db" <<SQL
CREATE TEMP TABLE v (k INTEGER PRIMARY KEY, code TEXT, org TEXT);
INSERT INTO v (code, org) SELECT unit, name FROM party_orgs ORDER BY unit;
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $npersons - 1),
r AS (SELECT i, date('1940-01-01', '+' || (i % 23376) || ' days') AS birth,
             '$COUNTY' || strftime('%Y%m%d', '1940-01-01', '+' || (i % 23376) || ' days')
               || printf('%03d', 2 * (i / 23376) + i % 2) AS id17
      FROM s),
c AS (SELECT r.*, (substr(id17, 1, 1) * 7 + substr(id17, 2, 1) * 9 + substr(id17, 3, 1) * 10
          + substr(id17, 4, 1) * 5 + substr(id17, 5, 1) * 8 + substr(id17, 6, 1) * 4
          + substr(id17, 7, 1) * 2 + substr(id17, 8, 1) * 1 + substr(id17, 9, 1) * 6
          + substr(id17, 10, 1) * 3 + substr(id17, 11, 1) * 7 + substr(id17, 12, 1) * 9
          + substr(id17, 13, 1) * 10 + substr(id17, 14, 1) * 5 + substr(id17, 15, 1) * 8
          + substr(id17, 16, 1) * 4 + substr(id17, 17, 1) * 2) % 11 AS m
      FROM r)
SELECT substr('王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗', 1 + i % 20, 1)
         || substr('建国秀英志强丽华明军红霞伟芳海燕玉兰春梅德福', 1 + (i / 20) % 24, 1)
         || CASE WHEN i % 3 = 0 THEN '' ELSE substr('平安忠诚文武新民勇敏', 1 + (i / 480) % 10, 1) END,
       CASE WHEN i % 2 = 1 THEN '男' ELSE '女' END, birth, '汉族',
       substr('小学初中高中大专本科', 1 + 2 * (i % 5), 2),
       id17 || substr('10X98765432', m + 1, 1), '13' || printf('%09d', i), v.code,
       CASE WHEN i % 16 = 0 THEN v.org ELSE '' END,
       CASE WHEN i % 16 = 0 THEN CASE WHEN i % 400 = 0 THEN '预备党员' ELSE '正式党员' END ELSE '' END,
       CASE WHEN i % 16 = 0 THEN date('2005-07-01', '+' || (i % 5000) || ' days') ELSE '' END
FROM c JOIN v ON v.k = 1 + i % $nvillages;
SQL
} >"$D/roster.csv"
[ "$(wc -l <"$D/roster.csv")" = $((npersons + 1)) ] || die "roster.csv has the wrong number of lines"
roster_mb=$(du -m "$D/roster.csv" | cut -f1)
nmembers=$(awk -F, 'NR > 1 && $9 != "" && $9 != "\"\"" { n++ } END { print n + 0 }' "$D/roster.csv")
log "people: roster.csv $roster_mb MB, $npersons rows, $nmembers with a branch"

# The reference table: the persons columns, the numbers unsealed.
sqlite3 "$D/base/jiceng.db" .dump >/dev/null # page cache warm for both
cat >"$D/reference.sql" <<'SQL'
PRAGMA journal_mode=WAL;
CREATE TABLE persons (
    name         TEXT NOT NULL,
    sex          TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', '男', '女')),
    birth_date   TEXT,
    ethnicity    TEXT NOT NULL DEFAULT '',
    education    TEXT NOT NULL DEFAULT '',
    id_number    TEXT,
    phone        TEXT,
    unit         TEXT NOT NULL,
    org          TEXT NOT NULL DEFAULT '',
    stage        TEXT NOT NULL DEFAULT '',
    from_date    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX persons_unit ON persons (unit);
CREATE UNIQUE INDEX persons_id_number ON persons (id_number);
CREATE INDEX persons_phone ON persons (phone);
SQL

# jiceng_people DIR — prints "milliseconds peak-RSS-KB CPU-ms" of the import.
jiceng_people() {
  local d=$1 t0 t1
  rm -rf "$d"
  cp -r "$D/base" "$d"
  t0=$(now_ms)
  { /usr/bin/time -f '%M %U %S' -o "$D/time.out" timeout --foreground "$LIMIT" \
    "$JICENG" --data "$d" import persons "$D/roster.csv" --unit "$COUNTY" 2>&1; } |
    tail -n 5 >"$D/import.log"
  t1=$(now_ms)
  grep -q "$npersons persons added" "$D/import.log" || die "jiceng import: $(cat "$D/import.log")"
  echo "$((t1 - t0)) $(tail -n 1 "$D/time.out" | awk '{ printf "%d %.0f", $1, ($2 + $3) * 1000 }')"
}

# sqlite_people DB — prints "milliseconds peak-RSS-KB CPU-ms" of the .import.
sqlite_people() {
  local db=$1 t0 t1
  rm -f "$db" "$db-wal" "$db-shm"
  t0=$(now_ms)
  [ "$(sqlite3 "$db" <"$D/reference.sql")" = wal ] || die "could not create the reference database"
  { /usr/bin/time -f '%M %U %S' -o "$D/time.out" timeout --foreground "$LIMIT" \
    sqlite3 -cmd 'PRAGMA synchronous=FULL' "$db" ".import --csv --skip 1 $D/roster.csv persons" 2>&1; } |
    tail -n 5 >&2
  t1=$(now_ms)
  [ "$(sqlite3 "$db" 'SELECT count(*) FROM persons')" = "$npersons" ] || die "sqlite3 imported a wrong number of rows"
  echo "$((t1 - t0)) $(tail -n 1 "$D/time.out" | awk '{ printf "%d %.0f", $1, ($2 + $3) * 1000 }')"
}

: >"$WORK/people-import-jiceng.txt"
: >"$WORK/people-import-sqlite.txt"
for ((i = 1; i <= RUNS; i++)); do
  log "people import run $i/$RUNS: jiceng"
  jiceng_people "$D/jiceng-$i" >>"$WORK/people-import-jiceng.txt"
  log "people import run $i/$RUNS: sqlite3 .import"
  sqlite_people "$D/sqlite-$i.db" >>"$WORK/people-import-sqlite.txt"
  rm -f "$D/sqlite-$i.db" "$D/sqlite-$i.db-wal" "$D/sqlite-$i.db-shm"
  [ "$i" = "$RUNS" ] || rm -rf "$D/jiceng-$i"
done
last=$D/jiceng-$RUNS
read -r np nm nsealed < <(sqlite3 -separator ' ' "$last/jiceng.db" \
  "SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM memberships),
          (SELECT count(*) FROM persons WHERE id_sealed LIKE 'v1:%' AND phone_sealed LIKE 'v1:%')")
[ "$np" = "$npersons" ] && [ "$nm" = "$nmembers" ] && [ "$nsealed" = "$npersons" ] ||
  die "jiceng stored $np persons ($nsealed sealed), $nm memberships; expected $npersons, $nmembers"
grep -q "$npersons persons added" "$D/import.log" || die "jiceng import: $(cat "$D/import.log")"

# The same file again: every person is already registered (info).
log "people: re-import of the same roster"
t0=$(now_ms)
timeout --foreground "$LIMIT" "$JICENG" --data "$last" import persons "$D/roster.csv" --unit "$COUNTY" \
  2>&1 | tail -n 5 >"$D/reimport.log"
t1=$(now_ms)
grep -q "0 persons added, $npersons already registered" "$D/reimport.log" ||
  die "re-import: $(cat "$D/reimport.log")"
reimport_ms=$((t1 - t0))
db_mb=$(du -sm "$last" | cut -f1)
rm -rf "$last" "$D/base"

j_ms=$(cut -d' ' -f1 "$WORK/people-import-jiceng.txt" | median)
s_ms=$(cut -d' ' -f1 "$WORK/people-import-sqlite.txt" | median)
jc_ms=$(cut -d' ' -f3 "$WORK/people-import-jiceng.txt" | median)
sc_ms=$(cut -d' ' -f3 "$WORK/people-import-sqlite.txt" | median)
log "people import: jiceng ${j_ms} ms (CPU ${jc_ms}), sqlite3 ${s_ms} ms (CPU ${sc_ms}), re-import ${reimport_ms} ms"
sec() { awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }'; }
result people_persons "$npersons"
result people_import_members "$nmembers"
result people_roster_mb "$roster_mb"
result people_import_jiceng_s "$(sec "$j_ms")"
result people_import_sqlite_s "$(sec "$s_ms")"
result people_import_ratio "$(ratio "$j_ms" "$s_ms")"
result people_import_jiceng_runs_s "$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000 }' "$WORK/people-import-jiceng.txt")"
result people_import_sqlite_runs_s "$(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000 }' "$WORK/people-import-sqlite.txt")"
result people_import_jiceng_cpu_s "$(sec "$jc_ms")"
result people_import_sqlite_cpu_s "$(sec "$sc_ms")"
result people_import_cpu_ratio "$(ratio "$jc_ms" "$sc_ms")"
result people_reimport_s "$(sec "$reimport_ms")"
result people_import_jiceng_rss_mb "$(cut -d' ' -f2 "$WORK/people-import-jiceng.txt" | sort -g | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')"
result people_import_sqlite_rss_mb "$(cut -d' ' -f2 "$WORK/people-import-sqlite.txt" | sort -g | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')"
result people_import_db_mb "$db_mb"
rm -f "$D/roster.csv"
fi

# ---- (b) a township's member list under load ----
if [[ " $PARTS " == *" list "* ]]; then

L=$D/list
log "people: Henan, 4 organisations a village, $members members a branch, a person for each"
henan_db "$L"
t0=$(now_ms)
party_members "$L/jiceng.db" "$members"
# The two hash indexes are dropped during the insert and built again after
# it, as they were (random keys inserted one by one would spill the cache).
hash_indexes=$(sqlite3 "$L/jiceng.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index'
  AND name IN ('persons_id_hash', 'persons_phone_hash')")
[ "$(grep -c '^CREATE' <<<"$hash_indexes")" = 2 ] || die "persons' hash indexes not found"
sqlite3 "$L/jiceng.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
DROP INDEX persons_id_hash;
DROP INDEX persons_phone_hash;
INSERT INTO persons (id, name, sex, birth_date, ethnicity, education, unit, id_sealed, id_hash,
                     id_masked, phone_sealed, phone_hash, phone_masked, created_by, created_at,
                     updated_at)
SELECT m.person_id,
       substr('王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗', 1 + m.person_id % 20, 1)
         || substr('建国秀英志强丽华明军红霞伟芳海燕玉兰春梅德福', 1 + (m.person_id / 20) % 24, 1),
       CASE WHEN m.person_id % 2 = 1 THEN '男' ELSE '女' END,
       date('1950-01-01', '+' || (m.person_id % 18000) || ' days'), '汉族', '高中', m.unit,
       'v1:' || substr(hex(randomblob(58)), 1, 78), lower(hex(randomblob(32))),
       substr(m.unit, 1, 6) || '********' || printf('%04d', m.person_id % 10000),
       'v1:' || substr(hex(randomblob(51)), 1, 70), lower(hex(randomblob(32))),
       '138****' || printf('%04d', m.person_id % 10000), 'bench', '2026-01-01T00:00:00Z',
       '2026-01-01T00:00:00Z'
FROM memberships m;
$hash_indexes
ANALYZE;
SQL
t1=$(now_ms)
read -r lpersons lmembers < <(sqlite3 -separator ' ' "$L/jiceng.db" \
  "SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM memberships)")
TOWN=$(sqlite3 "$L/jiceng.db" "SELECT parent_code FROM units WHERE level = 'village'
  AND code >= '$COUNTY' AND code < '$COUNTY;' GROUP BY parent_code ORDER BY count(*) DESC, parent_code LIMIT 1")
read -r town_name town_villages < <(sqlite3 -separator ' ' "$L/jiceng.db" \
  "SELECT (SELECT name FROM units WHERE code = '$TOWN'), (SELECT count(*) FROM units WHERE parent_code = '$TOWN')")
log "people: $lpersons persons, $lmembers memberships in $((t1 - t0)) ms; township $TOWN $town_name ($town_villages villages)"
sqlite3 "$L/jiceng.db" "EXPLAIN QUERY PLAN SELECT p.id FROM memberships m JOIN persons p ON p.id = m.person_id
  WHERE m.kind = 'party_member' AND m.unit >= '$TOWN' AND m.unit < '$TOWN;'
  AND (',formal,probationary,' = '' OR instr(',formal,probationary,', ',' || m.stage || ',') > 0)
  AND m.from_date <= '2026-12-01' AND (m.to_date IS NULL OR m.to_date > '2026-12-01')
  AND (m.unit > '' OR (m.unit = '' AND p.id > 0)) AND (0 = 0 OR m.org_id = 0)
  ORDER BY m.unit, p.id LIMIT 51" >"$WORK/people-list-plan.txt"

TOKEN=$("$JICENG" --data "$L" token create --user admin 2>/dev/null)
AUTH="Authorization: Bearer $TOKEN"
"$JICENG" --data "$L" serve --listen 127.0.0.1:0 >"$WORK/people-serve.out" 2>"$WORK/people-serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/people-serve.out" 'serving http://' "$JPID" 120
JURL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/people-serve.out" | head -n 1)
PATHQ="/api/v1/persons?unit=$TOWN&membership=party_member&limit=50"

NGX=$WORK/people-nginx
rm -rf "$NGX"
mkdir -p "$NGX/www/api/v1" "$NGX/tmp"
curl -sf --max-time 30 -H "$AUTH" -o "$NGX/www/api/v1/persons" "$JURL$PATHQ" || die "GET $PATHQ failed"
body_bytes=$(wc -c <"$NGX/www/api/v1/persons")
items=$(grep -o '"id":' "$NGX/www/api/v1/persons" | wc -l)
[ "$items" -ge 50 ] || [ $((members * town_villages)) -lt 50 ] || die "the member list answered $items persons (see $NGX/www/api/v1/persons)"
grep -q '"next":"' "$NGX/www/api/v1/persons" || [ $((members * town_villages)) -le 50 ] || die "the member list has no next page"
NPORT=$(pick_port)
cat >"$NGX/nginx.conf" <<EOF
daemon off;
worker_processes 2;
error_log $NGX/error.log;
pid $NGX/nginx.pid;
events {}
http {
    access_log off;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    server {
        listen 127.0.0.1:$NPORT;
        location / { root $NGX/www; default_type application/json; }
    }
}
EOF
chmod -R a+rX "$NGX"
nginx -p "$NGX" -c "$NGX/nginx.conf" 2>"$NGX/stderr.log" &
NPID=$!
bg_track "$NPID"
NURL=http://127.0.0.1:$NPORT
wait_for_http "$NURL$PATHQ" "$NPID" 30
curl -sf --max-time 10 "$NURL$PATHQ" | cmp -s - "$NGX/www/api/v1/persons" || die "nginx does not serve the same bytes"

# bench_list NAME URL — a 2 s warm-up, then the measured run; appends
# "req/s p99-ms" to WORK/people-list-NAME.txt.
bench_list() {
  local name=$1 url=$2 n line
  touch "$WORK/people-list-$name.txt"
  n=$(($(wc -l <"$WORK/people-list-$name.txt") + 1))
  wrk_run "$WORK/wrk-people-$name-warm.txt" "$AUTH" "$url" 2 16 2s >/dev/null
  line=$(wrk_run "$WORK/wrk-people-$name-$n.txt" "$AUTH" "$url" 2 16 "$DURATION")
  echo "$line" >>"$WORK/people-list-$name.txt"
  log "people list $name #$n: ${line% *} req/s, p99 ${line#* } ms"
}
for ((r = 1; r <= ROUNDS; r++)); do
  bench_list nginx "$NURL$PATHQ"
  bench_list jiceng "$JURL$PATHQ"
done
rss=$(rss_mb "$JPID")
stop_pid "$NPID" QUIT
stop_pid "$JPID" TERM

for name in nginx jiceng; do
  result "people_list_${name}_rps" "$(cut -d' ' -f1 "$WORK/people-list-$name.txt" | median | awk '{ printf "%.0f", $1 }')"
  result "people_list_${name}_p99_ms" "$(cut -d' ' -f2 "$WORK/people-list-$name.txt" | median)"
  result "people_list_${name}_runs" "$(cut -d' ' -f1 "$WORK/people-list-$name.txt" | paste -sd' ')"
done
result people_list_persons "$lpersons"
result people_list_memberships "$lmembers"
result people_list_town "$TOWN $town_name"
result people_list_town_villages "$town_villages"
result people_list_bytes "$body_bytes"
result people_list_rss_mb "$rss"
fi
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D"
