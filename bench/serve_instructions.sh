#!/usr/bin/env bash
# Instructions per request of `ordergate serve` itself, with callgrind: flow 1
# (POST /imshop/order-history) against nginx serving a recorded Webasyst answer, over
# one keep-alive connection, everything on 127.0.0.1. Counters are zeroed after a
# warm-up, so loading the mappings and the first requests do not count. Prints the
# total per request and how much of it is the translation (decoding the request and
# the answer, checking, mapping and writing) and how much everything else (server,
# router, upstream client, HTTP framing), and the heap allocations per request.
#
#   bench/serve_instructions.sh [BUILD_DIR] [REQUESTS]     (defaults: build, 200)
#   ANSWER=bench/data/webasyst_search_10x3.json bench/serve_instructions.sh build-bench
#   WORKERS=2 bench/serve_instructions.sh build-bench     (ORDERGATE_THREADS, default 1)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
requests=${2:-200}
answer=${ANSWER:-$src/bench/data/webasyst_search_20x3.json}
for tool in nginx valgrind callgrind_control callgrind_annotate python3; do
  command -v "$tool" >/dev/null || { echo "serve_instructions.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done

workers=${WORKERS:-1}
# shellcheck source=bench/load/common.sh
. "$src/bench/load/common.sh"

env "${gateway_env[@]}" valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.%p" \
  "$build/ordergate" serve >"$dir/gateway.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")

# Sends `count` requests over one keep-alive connection; each answer must be a history.
python3 - "$gateway_port" "$requests" "$gateway_pid" "$src/bench/load" <<'PY'
import subprocess, sys
port, count, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[4])
from history_client import ask, connect, wait_ready
wait_ready(port, 120, "ordergate under valgrind")  # valgrind starts slowly
conn = connect(port)
for _ in range(20):  # warm-up: connections to the upstream, caches, buffers
    ask(conn)
subprocess.run(["callgrind_control", "--zero", pid], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(count):
    ask(conn)
subprocess.run(["callgrind_control", "--dump=measured", pid], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
PY

dump=$(ls "$dir"/callgrind.*.* 2>/dev/null | head -1)
[ -n "$dump" ] || { echo "serve_instructions.sh: no callgrind dump" >&2; exit 1; }
callgrind_annotate --inclusive=yes --threshold=100 "$dump" >"$dir/inclusive.txt" 2>/dev/null
python3 - "$dir/inclusive.txt" "$requests" "$(basename "$answer")" "$dump" <<'PY'
import re, sys
text, requests, answer = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3]

def heap_allocations(dump):
    """Calls of malloc in a callgrind dump: every heap allocation (operator new, aligned
    allocations and the C library's own all end there)."""
    names, calls, target = {}, 0, None
    for line in open(dump):
        # A function's name is given once, with its number, where it first appears
        # (as fn= or cfn=); later only the number.
        m = re.match(r"(c?)fn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(3):
                names[m.group(2)] = m.group(3).strip()
            if m.group(1):
                target = names.get(m.group(2))
            continue
        m = re.match(r"calls=(\d+)", line)
        if m and target == "malloc":
            calls += int(m.group(1))
    return calls

total = int(re.search(r"^\s*([\d,]+)\s+\(100.0%\)\s+PROGRAM TOTALS", text, re.M).group(1).replace(",", ""))
def inclusive(pattern):
    # The first (largest) line naming the function, counted once: not its recursive entries.
    for line in text.splitlines():
        if re.search(pattern, line) and "'2" not in line:
            return int(line.split()[0].replace(",", ""))
    return 0
anon = r"pipeline::(\(anonymous namespace\)::)?"
parts = {
    "decode and check the request": inclusive(anon + r"decode_input\(") + inclusive(anon + r"validate_input\("),
    "render the upstream call": inclusive(anon + r"render_call\("),
    "decode the upstream answer": inclusive(anon + r"decode_answer\("),
    "map and write the answer": inclusive(r"pipeline::render_response\("),
}
translation = sum(parts.values())
print(f"ordergate serve, flow 1, {answer}, {requests} keep-alive requests after a warm-up (callgrind)\n")
print("| part | instructions per request |")
print("|---|---|")
for name, n in parts.items():
    print(f"| {name} | {n // requests:,} |")
print(f"| **translation** | **{translation // requests:,}** |")
print(f"| everything else (server, router, upstream client, framing) | {(total - translation) // requests:,} |")
print(f"| **total** | **{total // requests:,}** |")
print(f"\nheap allocations per request: {heap_allocations(sys.argv[4]) / requests:.1f}")
PY
