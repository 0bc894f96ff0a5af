#!/usr/bin/env bash
# Instructions per document of each micro benchmark, with callgrind: repeatable
# whatever else the machine is doing. Usage: bench/instructions.sh BUILD_DIR [filter]
set -euo pipefail
bin="$1/bench/bench_translate"
filter="${2:-.}"
count() {
  BENCH_ITERATIONS=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" \
    --benchmark_filter="^$2(/|$)" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for b in $("$bin" --benchmark_list_tests=true --benchmark_filter="$filter"); do
  small=$(count 50 "$b")
  large=$(count 100 "$b")
  echo "$b: $(((large - small) / 50)) instructions per document"
done
