#!/usr/bin/env bash
# Builds and runs every test twice: with GCC as shipped, and with clang under
# AddressSanitizer and UndefinedBehaviorSanitizer (that tree also has the libFuzzer
# targets, which then each run for a bounded time: scripts/fuzz.sh). Warnings are errors
# in both. Prints a summary; exit status 0 only when everything passed.
# One sanitizer build, not two: a GCC sanitizer build as well ran the same tests under the
# same checks and made CI ~17 minutes longer on 2 cores, past its 45-minute budget.
# Usage: scripts/test.sh [ctest options, e.g. -R golden]
# ORDERGATE_FUZZ_SECONDS (default 25) is each fuzz target's time; 0 skips fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

run_tests() {
  local name=$1 dir=$2
  echo "== $name tests"
  (cd "$dir" && ctest --output-on-failure -j "${ORDERGATE_TEST_JOBS:-2}" "${ctest_args[@]}") | tee "$dir/ctest.log"
}

build_and_test() {
  local name=$1 dir=$2
  shift 2
  echo "== $name build ($dir)"
  scripts/build.sh "$dir" -DORDERGATE_BENCH=OFF -DORDERGATE_WERROR=ON "$@"
  run_tests "$name" "$dir"
}

ctest_args=("$@")
# install-deps has installed Chromium and Selenium: the browser test must run, not skip.
export ORDERGATE_REQUIRE_BROWSER=1
fuzz_seconds=${ORDERGATE_FUZZ_SECONDS:-25}
status=0
# Tests are built optimised as shipped but without debug info: that compiles far faster,
# keeping CI on 2 cores in time.
build_and_test "GCC" build "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" || status=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== clang ASan+UBSan build, with the fuzz targets (build-clang)"
if scripts/fuzz.sh --build-only; then
  run_tests "clang ASan+UBSan" build-clang || status=1
  if [ "$fuzz_seconds" -gt 0 ]; then
    echo "== fuzz: every target for ${fuzz_seconds}s, two at a time"
    scripts/fuzz.sh --no-build --seconds "$fuzz_seconds" | tee build-clang/fuzz.log || status=1
  fi
else
  status=1
fi

echo
echo "== summary"
for dir in build build-clang; do
  printf '%-12s ' "$dir:"
  grep -E "tests passed|tests failed" "$dir/ctest.log" 2>/dev/null || echo "did not run"
done
if [ "$fuzz_seconds" -gt 0 ]; then
  printf '%-12s ' "fuzz:"
  if [ -f build-clang/fuzz.log ]; then
    echo "$(grep -c 'status=ok' build-clang/fuzz.log) targets ok, $(grep -vc 'status=ok' build-clang/fuzz.log) failed"
  else
    echo "did not run"
  fi
fi
exit $status
