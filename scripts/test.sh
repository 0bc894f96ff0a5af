#!/usr/bin/env bash
# Builds and runs every test: once normally, once under AddressSanitizer and
# UndefinedBehaviorSanitizer. Prints CTest's summary of both; exit status 0 only
# when both pass. Usage: scripts/test.sh [ctest options, e.g. -R golden]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

run_suite() {
  local name=$1 dir=$2
  shift 2
  echo "== $name build ($dir)"
  scripts/build.sh "$dir" -DORDERGATE_BENCH=OFF "$@"
  echo "== $name tests"
  (cd "$dir" && ctest --output-on-failure -j "${ORDERGATE_TEST_JOBS:-2}" "${ctest_args[@]}") | tee "$dir/ctest.log"
}

ctest_args=("$@")
status=0
# Tests are built optimised as shipped but without debug info, and the sanitizer build
# unoptimised with line tables only: both compile far faster, keeping CI on 2 cores in time.
run_suite "normal" build "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" || status=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite "sanitizer (ASan+UBSan)" build-asan -DORDERGATE_SANITIZE=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -g1" || status=1

echo
echo "== summary"
for dir in build build-asan; do
  printf '%-11s ' "$dir:"
  grep -E "tests passed|tests failed" "$dir/ctest.log" 2>/dev/null || echo "did not run"
done
exit $status
