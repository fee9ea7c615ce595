#!/usr/bin/env bash
# pg-test-cluster.sh start DIR | stop DIR — a throwaway PostgreSQL cluster
# for the test run (scripts/test.sh, tests/lib/server.js).
#
# start: creates a cluster in DIR (which it owns and which must be empty or
# absent) with initdb: UTF8, C collation, a random password for the user
# jiceng, listening on 127.0.0.1 only (no Unix socket) at a free port, with
# durability off (fsync, synchronous_commit: it is thrown away). Prints the
# server's URL, postgres://jiceng:PASSWORD@127.0.0.1:PORT, on stdout.
# The tests create one database per server below it.
# stop: stops the server and removes DIR.
#
# PostgreSQL refuses to run as root, so under root the cluster belongs to the
# postgres user (created by Debian's postgresql package).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$dir" ] || { [ "$cmd" != start ] && [ "$cmd" != stop ]; }; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bindir" ] || bindir=$(dirname "$(command -v initdb || echo /nonexistent/initdb)")
if [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "pg-test-cluster: PostgreSQL server programs not found (apt-get install postgresql)" >&2
  exit 1
fi

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

if [ "$cmd" = stop ]; then
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit 0
fi

mkdir -p "$dir"
if [ -n "$(ls -A "$dir")" ]; then
  echo "pg-test-cluster: $dir is not empty" >&2
  exit 1
fi
chmod 700 "$dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" >"$dir/pwfile"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/pwfile"; fi
chmod 600 "$dir/pwfile"

# A free loopback port: bind port 0 and read what the kernel chose.
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U jiceng --pwfile="$dir/pwfile" \
  --auth=scram-sha-256 --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
rm -f "$dir/pwfile"
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c max_connections=300 \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
  cat "$dir/data/server.log" >&2 || true
  exit 1
fi
echo "postgres://jiceng:$password@127.0.0.1:$port"
