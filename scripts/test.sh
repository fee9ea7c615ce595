#!/usr/bin/env bash
# test.sh — everything `make test` runs, in order, stopping at the first
# failure: style, release build, static analysis, sanitizer build with the C unit tests, the
# API suite against a real server (on SQLite, then on PostgreSQL), and the browser tests in
# real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

step() { printf '\n== %s\n' "$*"; }

step "format (clang-format)"
git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror

step "release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

step "static analysis (clang-tidy, cppcheck)"
git ls-files 'src/*.c' 'tools/*.c' | xargs -P"$jobs" -n4 clang-tidy -p build --quiet 2>&1 |
  { grep -v ' warnings\? generated\.$' || true; }
cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
  --suppress=missingIncludeSystem -Isrc src tools

step "sanitizer build (ASan + UBSan)"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DJICENG_SANITIZE=ON >/dev/null
cmake --build build-test -j"$jobs"

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

step "unit tests (cmocka)"
ctest --test-dir build-test --output-on-failure -j"$jobs"

step "API tests (node:test, real server)"
JICENG_BIN="$PWD/build-test/jiceng" node --test --test-concurrency=2 tests/api/

# The same suite on PostgreSQL: a throwaway cluster on a loopback port, one
# database per test server (tests/lib/server.js). JICENG_TEST_PG=off skips it.
if [ "${JICENG_TEST_PG:-}" != off ]; then
  step "API tests on PostgreSQL (throwaway cluster)"
  pgdir=$(mktemp -d -u "${TMPDIR:-/tmp}/jiceng-pg.XXXXXX")
  trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
  pgurl=$(scripts/pg-test-cluster.sh start "$pgdir")
  JICENG_TEST_DB=postgres JICENG_TEST_PG="$pgurl" JICENG_BIN="$PWD/build-test/jiceng" \
    node --test --test-concurrency=2 tests/api/
  scripts/pg-test-cluster.sh stop "$pgdir"
  trap - EXIT
fi

step "fuzzing (libFuzzer, ${FUZZ_SECONDS:=20} s per parser)"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DJICENG_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzzers
for fuzzer in build-fuzz/fuzz_*; do
  name=$(basename "$fuzzer")
  # A scratch copy of the seed corpus, so new inputs do not land in the repository.
  corpus=$(mktemp -d)
  cp -r "tests/fuzz/corpus/${name#fuzz_}/." "$corpus/" 2>/dev/null || true
  mkdir -p tests/out
  log=tests/out/$name.log
  if ! "$fuzzer" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=10 -print_final_stats=1 \
    -artifact_prefix=tests/out/ "$corpus" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "$name failed: the crashing input is in tests/out/"
    exit 1
  fi
  echo "$name: $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") inputs, no crash"
  rm -rf "$corpus"
done

step "browser tests (Chromium + playwright-core)"
JICENG_BIN="$PWD/build-test/jiceng" node --test --test-concurrency=1 tests/ui/

printf '\nall tests passed\n'
