#!/usr/bin/env bash
# Builds ordergate with GCC profile-guided optimisation, in one build tree:
#
#   scripts/build-pgo.sh [DIR] [cmake options...]      (DIR defaults to build-pgo)
#
#  1. an instrumented build (-DORDERGATE_PGO=generate) of the gateway and the
#     translation benchmarks;
#  2. training runs that write the profile next to the objects: every document of the
#     translation benchmarks (flows 1 and 4), every golden case of the bundled mappings,
#     and requests served by `ordergate serve` (two threads) against nginx standing in
#     for Webasyst, as bench/load/run.sh does;
#  3. the build again with that profile (-DORDERGATE_PGO=use), of every target the tree
#     has; what the training never ran is optimised as usual.
#
# Measured in docs/performance.md ("Profile-guided optimisation"). Needs GCC and what
# scripts/install-deps.sh installs (nginx, Google Benchmark). Takes about twice as long
# as scripts/build.sh. A profile belongs to the sources it was recorded with: after
# editing them, run the script again.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=${1:-build-pgo}
shift || true
jobs=${ORDERGATE_BUILD_JOBS:-$(nproc)}

configure() {
  # The training runs the benchmarks: they are built whatever the options say.
  cmake -G Ninja -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" -DORDERGATE_BENCH=ON >/dev/null
}

echo "build-pgo: instrumented build in $build" >&2
configure "$@" -DORDERGATE_PGO=generate
find "$build" -name '*.gcda' -delete
ninja -C "$build" -j "$jobs" ordergate bench_translate

echo "build-pgo: training" >&2
BENCH_ITERATIONS=${ORDERGATE_PGO_DOCUMENTS:-2000} "$build/bench/bench_translate" >/dev/null 2>&1
"$build/ordergate" test mappings >/dev/null

# Served requests: the server, the router, the upstream client and their framing.
answer=$src/bench/data/webasyst_search_20x3.json
workers=2
# shellcheck source=bench/load/common.sh
. "$src/bench/load/common.sh"
env "${gateway_env[@]}" "$build/ordergate" serve >"$build/pgo-serve.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")
python3 - "$gateway_port" "${ORDERGATE_PGO_REQUESTS:-3000}" "$src/bench/load" <<'PY'
import sys
port, count = int(sys.argv[1]), int(sys.argv[2])
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[3])
from history_client import ask, connect, wait_ready
wait_ready(port, 60, "build-pgo: the instrumented gateway")
conns = [connect(port) for _ in range(2)]  # two connections, so that both threads serve
for i in range(count):
    ask(conns[i % 2])
PY
# The profile is written when the process exits.
kill -TERM "$gateway_pid"
wait "$gateway_pid" || { echo "build-pgo: the instrumented gateway did not stop cleanly" >&2; exit 1; }
profiles=$(find "$build" -name '*.gcda' | wc -l)
[ "$profiles" -gt 0 ] || { echo "build-pgo: the training wrote no profile" >&2; exit 1; }
cleanup  # nginx and the scratch folder (bench/load/common.sh)
trap - EXIT

echo "build-pgo: optimised build with $profiles profiles" >&2
configure "$@" -DORDERGATE_PGO=use
ninja -C "$build" -j "$jobs"
