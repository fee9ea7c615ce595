#!/usr/bin/env bash
# http.sh WORK RESULTS — benchmarks 2 and 3: HTTP throughput and server memory.
#
# Serves the national database WORK/national with `jiceng serve` and, as the
# references, nginx serving a static file holding exactly the bytes jiceng
# returns for /api/v1/units/411121, at the same path: once plainly (opening
# the file for every request) and once with open_file_cache (the file's
# descriptor and metadata kept, as a tuned nginx serves static files) — the
# latter is the one jiceng's authenticated read is held to. Each endpoint
# gets a 2 s wrk warm-up, then the measured wrk run. VmRSS of jiceng is read
# right after it starts and again after all wrk runs.
source "$(dirname "$0")/lib.sh"

WORK=$1
RESULTS=$2
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_HTTP_ROUNDS:-3}
WRK=(wrk -t2 -c64 --latency)
UNIT=/api/v1/units/411121
CHILDREN=/api/v1/units/411121/children
SEARCH='/api/v1/units?q=%E8%88%9E%E9%98%B3' # 舞阳
[ -f "$WORK/national/jiceng.db" ] || die "no national database in $WORK/national (run import.sh)"
for t in wrk nginx curl; do command -v "$t" >/dev/null || die "$t missing (scripts/setup.sh bench)"; done

# ---- jiceng ----
# Every API request is authenticated: wrk and curl send a bearer token (and
# nginx gets the same header, ignored, so both parse the same request).
TOKEN=$("$JICENG" --data "$WORK/national" token create --user admin 2>/dev/null)
AUTH="Authorization: Bearer $TOKEN"
log "starting jiceng serve"
"$JICENG" --data "$WORK/national" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
JPID=$!
bg_track "$JPID"
wait_for_line "$WORK/serve.out" 'serving http://' "$JPID" 120
rss_start=$(rss_mb "$JPID")
JURL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$WORK/serve.out" | head -n 1)
log "jiceng at $JURL, VmRSS ${rss_start} MB"

# ---- nginx, serving jiceng's bytes ----
NGX=$WORK/nginx
rm -rf "$NGX"
mkdir -p "$NGX/www$(dirname "$UNIT")" "$NGX/tmp"
curl -sf --max-time 10 -H "$AUTH" -o "$NGX/www$UNIT" "$JURL$UNIT" || die "GET $UNIT failed"
body_bytes=$(wc -c <"$NGX/www$UNIT")
NPORT=$(pick_port)
FPORT=$(pick_port)
[ "$FPORT" != "$NPORT" ] || FPORT=$(pick_port)
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
    server {
        listen 127.0.0.1:$FPORT;
        open_file_cache max=1000 inactive=60s;
        open_file_cache_valid 60s;
        open_file_cache_errors on;
        location / { root $NGX/www; default_type application/json; }
    }
}
EOF
# If run as root, nginx's workers run as nobody: they must be able to read www.
chmod -R a+rX "$NGX"
log "starting nginx on 127.0.0.1:$NPORT"
nginx -p "$NGX" -c "$NGX/nginx.conf" 2>"$NGX/stderr.log" &
NPID=$!
bg_track "$NPID"
NURL=http://127.0.0.1:$NPORT
FURL=http://127.0.0.1:$FPORT
wait_for_http "$NURL$UNIT" "$NPID" 30
wait_for_http "$FURL$UNIT" "$NPID" 30
curl -sf --max-time 10 "$NURL$UNIT" | cmp -s - "$NGX/www$UNIT" || die "nginx does not serve the same bytes"
curl -sf --max-time 10 "$FURL$UNIT" | cmp -s - "$NGX/www$UNIT" || die "nginx (file cache) does not serve the same bytes"

# bench_url NAME URL — a 2 s warm-up, then the measured run; appends
# "req/s p99-ms" to WORK/http-NAME.txt.
bench_url() {
  local name=$1 url=$2 n out rps p99 bad
  touch "$WORK/http-$name.txt"
  n=$(($(wc -l <"$WORK/http-$name.txt") + 1))
  out=$WORK/wrk-$name-$n.txt
  log "wrk $name #$n: $url (2 s warm-up, $DURATION measured)"
  timeout --foreground 60 "${WRK[@]}" -H "$AUTH" -d2s "$url" >"$WORK/wrk-$name-$n-warmup.txt"
  timeout --foreground 120 "${WRK[@]}" -H "$AUTH" -d"$DURATION" "$url" >"$out"
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p99=$(awk '$1 == "99%" { v = $2
    if (v ~ /us$/) m = v / 1000; else if (v ~ /ms$/) m = v + 0; else if (v ~ /m$/) m = v * 60000; else m = v * 1000
    printf "%.2f", m }' "$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  [ -n "$rps" ] && [ -n "$p99" ] || die "cannot read wrk output $out"
  [ -z "$bad" ] || die "$name: $bad non-2xx responses (see $out)"
  if grep -q 'Socket errors' "$out"; then log "$name: $(grep 'Socket errors' "$out")"; fi
  echo "$rps $p99" >>"$WORK/http-$name.txt"
  log "$name #$n: $rps req/s, p99 $p99 ms"
}

# jiceng and the two nginx references are measured ROUNDS times,
# interleaved, so all see the same machine; the other endpoints once.
for ((r = 1; r <= ROUNDS; r++)); do
  bench_url nginx "$NURL$UNIT"
  bench_url nginxfc "$FURL$UNIT"
  bench_url unit "$JURL$UNIT"
done
bench_url children "$JURL$CHILDREN"
bench_url search "$JURL$SEARCH"
for name in nginx nginxfc unit children search; do
  result "http_${name}_rps" "$(cut -d' ' -f1 "$WORK/http-$name.txt" | median | awk '{ printf "%.0f", $1 }')"
  result "http_${name}_p99_ms" "$(cut -d' ' -f2 "$WORK/http-$name.txt" | median)"
done
result http_nginx_runs "$(cut -d' ' -f1 "$WORK/http-nginx.txt" | paste -sd' ')"
result http_nginxfc_runs "$(cut -d' ' -f1 "$WORK/http-nginxfc.txt" | paste -sd' ')"
result http_unit_runs "$(cut -d' ' -f1 "$WORK/http-unit.txt" | paste -sd' ')"

rss_after=$(rss_mb "$JPID")
hwm=$(rss_mb "$JPID" VmHWM)
log "jiceng VmRSS after wrk: ${rss_after} MB (peak ${hwm} MB)"

for ep in "$UNIT" "$CHILDREN" "$SEARCH"; do
  printf '%s %s\n' "$ep" "$(curl -sf --max-time 10 -H "$AUTH" "$JURL$ep" | wc -c)"
done >"$WORK/http-bytes.txt"

stop_pid "$NPID" QUIT # graceful shutdown
stop_pid "$JPID" TERM
grep -q 'signal' "$WORK/serve.err" || log "note: jiceng logged no stop event (see $WORK/serve.err)"

result http_body_bytes "$body_bytes"
result http_children_bytes "$(awk 'NR == 2 { print $2 }' "$WORK/http-bytes.txt")"
result http_search_bytes "$(awk 'NR == 3 { print $2 }' "$WORK/http-bytes.txt")"
result mem_start_mb "$rss_start"
result mem_after_mb "$rss_after"
result mem_peak_mb "$hwm"
