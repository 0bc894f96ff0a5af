#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs each for a bounded time on
# its seed corpus (tests/fuzz/corpus/<target>) with its dictionary (tests/fuzz/dict).
# Exit status 0 only when no target found a crash, hang, leak or out-of-memory.
#
#   scripts/fuzz.sh                       # every target, 30 s each, two at a time (CI)
#   scripts/fuzz.sh --seconds 1800 --runs 10000000 route_imshop_order_history
#
# The build tree is build-clang, the clang ASan+UBSan build of scripts/test.sh (its tests
# and the fuzz targets are built together). Options: --build-dir DIR, --seconds N per
# target, --runs N (stop a target after N executions, whichever comes first), --jobs N
# targets at once (default 2), --out DIR for the grown corpora, logs and crash artifacts
# (default DIR/fuzz-runs; a later run continues from the corpora there), --no-build,
# --build-only. One line per target at the end:
#   <target> runs=<executions> cov=<edges> ft=<features> corpus=<inputs> status=ok|FAILED
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build-clang
seconds=30
runs=-1
jobs=2
out=
build=1
run=1
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --build-only) run=0; shift ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
out=${out:-$build_dir/fuzz-runs}

if [ $build -eq 1 ]; then
  scripts/install-deps.sh
  # -O1: the fuzz targets run several times faster than unoptimised, and the tests too.
  CXX=clang++-14 scripts/build.sh "$build_dir" -DORDERGATE_FUZZ=ON -DORDERGATE_BENCH=OFF \
    -DORDERGATE_WERROR=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
fi
[ $run -eq 1 ] || exit 0
manifest=$build_dir/fuzz/targets.txt
[ -f "$manifest" ] || { echo "fuzz.sh: $manifest missing: configure with -DORDERGATE_FUZZ=ON" >&2; exit 2; }
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cut -d' ' -f1 "$manifest")
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs one target; its log is $out/<target>/log.txt, crashes go to $out/<target>/.
run_target() {
  local target=$1 dict dir status=ok
  dict=$(awk -v t="$target" '$1 == t { print $2 }' "$manifest")
  [ -n "$dict" ] || { echo "$target status=UNKNOWN-TARGET"; return 1; }
  dir=$out/$target
  mkdir -p "$dir/corpus"
  # -timeout: one input taking longer is a hang; -rss_limit_mb: more is an out-of-memory.
  if ! "$build_dir/fuzz/fuzz_$target" "$dir/corpus" "tests/fuzz/corpus/$target" \
      -dict="tests/fuzz/dict/$dict" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
      -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 \
      -artifact_prefix="$dir/" >"$dir/log.txt" 2>&1; then
    status=FAILED
  fi
  local done_line final_runs
  done_line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$dir/log.txt" | tail -1 || true)
  final_runs=$(grep -E '^stat::number_of_executed_units:' "$dir/log.txt" | awk '{print $2}' || true)
  printf '%s runs=%s cov=%s ft=%s corpus=%s status=%s\n' "$target" "${final_runs:-?}" \
    "$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")" \
    "$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")" \
    "$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$done_line")" "$status"
  if [ $status != ok ]; then
    grep -E 'ERROR|SUMMARY|invariant|Test unit written|runtime error' "$dir/log.txt" | head -20 >&2
    return 1
  fi
}

summary=$out/summary.txt
mkdir -p "$out"
: >"$summary"
failed=0
running=0
for target in "${targets[@]}"; do
  run_target "$target" >>"$summary" &
  running=$((running + 1))
  if [ $running -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ $running -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
sort "$summary"
exit $failed
