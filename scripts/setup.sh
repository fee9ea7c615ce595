#!/usr/bin/env bash
# setup.sh PROFILE… — installs what jiceng needs on Debian 12, idempotently.
#
# Profiles: build (compile and run), test (make test), bench (make bench).
# Debian packages are installed only when missing (one dpkg-query, then one
# apt-get install); npm packages come from package-lock.json via `npm ci`,
# rerun only when the lock file changes. Quick when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential cmake pkg-config tzdata libmicrohttpd-dev libsqlite3-dev libpq-dev libsodium-dev
  libjansson-dev libxlsxwriter-dev libzip-dev zlib1g-dev libexpat1-dev libcurl4-openssl-dev)
test_pkgs=(libcmocka-dev clang-format clang-tidy cppcheck clang libfuzzer-14-dev chromium fonts-wqy-microhei
  sqlite3 postgresql)
bench_pkgs=(wrk nginx-light sqlite3 postgresql)

want=()
for profile in "${@:-build}"; do
  case "$profile" in
    build) want+=("${build_pkgs[@]}") ;;
    test) want+=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
    bench) want+=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
    *) echo "setup.sh: unknown profile $profile (build, test, bench)" >&2; exit 2 ;;
  esac
done
command -v node >/dev/null 2>&1 || want+=(nodejs)
command -v npm >/dev/null 2>&1 || want+=(npm)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${want[@]}" 2>/dev/null | awk '$4=="installed"{print $1}' || true)
for p in $(printf '%s\n' "${want[@]}" | sort -u); do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  # Refresh package lists unless they are recent (a fresh machine has none).
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -360 2>/dev/null | head -1)" ]; then
    as_root apt-get update -qq
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, pinned by package-lock.json.
stamp=node_modules/.jiceng-lock.sha256
sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$sum" > "$stamp"
fi
