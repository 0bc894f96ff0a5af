#!/usr/bin/env bash
# Load benchmark: ordergate translating POST /imshop/order-history (a recorded
# 20-order Webasyst answer, 48 KB) against nginx plainly proxying the same request
# to the same upstream, everything on 127.0.0.1; then ordergate's RSS with 10,000
# idle keep-alive connections. Prints a Markdown table for docs/performance.md.
#
#   bench/load/run.sh [BUILD_DIR]     (default build; needs ordergate built there)
#   DURATION=10 CONNECTIONS=32 WORKERS=1 IDLE=10000 bench/load/run.sh   (IDLE=0: skip that part)
#   ANSWER=bench/data/webasyst_search_10x3.json bench/load/run.sh   (another answer)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
workers=${WORKERS:-1}  # nginx worker processes, and ordergate threads: the same for both
idle=${IDLE:-10000}
answer=${ANSWER:-$src/bench/data/webasyst_search_20x3.json}
for tool in nginx wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
orders=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["orders"]))' "$answer")

# shellcheck source=bench/load/common.sh
. "$src/bench/load/common.sh"

env "${gateway_env[@]}" "$build/ordergate" serve >"$dir/gateway.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")

body='{"userIdentifier":"2","page":1}'
ask() {
  curl -sf -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer bench-imshop-key' -d "$body" "$1"
}
for _ in $(seq 100); do
  ask "http://127.0.0.1:$gateway_port/imshop/order-history" >/dev/null 2>&1 &&
    ask "http://127.0.0.1:$proxy_port/imshop/order-history" >/dev/null 2>&1 && break
  sleep 0.1
done
# Both must answer what they should before anything is measured.
ask "http://127.0.0.1:$gateway_port/imshop/order-history" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["orders"])==int(sys.argv[1]), d' "$orders"
ask "http://127.0.0.1:$proxy_port/imshop/order-history" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["orders"])==int(sys.argv[1]), d' "$orders"

# wrk's report -> "requests/s p50_ms p99_ms non2xx_or_errors"
measure() {
  local out
  out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$src/bench/load/post.lua" "$1")
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
bad = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
bad += sum(int(x) for x in re.findall(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)[0]) if "Socket errors" in out else 0
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {bad}")
PY
}

echo "warming up" >&2
wrk -t1 -c"$connections" -d2s -s "$src/bench/load/post.lua" "http://127.0.0.1:$proxy_port/imshop/order-history" >/dev/null
wrk -t1 -c"$connections" -d2s -s "$src/bench/load/post.lua" "http://127.0.0.1:$gateway_port/imshop/order-history" >/dev/null

results=()
for round in 1 2; do
  for who in nginx ordergate; do
    port=$proxy_port
    [ "$who" = ordergate ] && port=$gateway_port
    echo "round $round: $who" >&2
    results+=("$who $(measure "http://127.0.0.1:$port/imshop/order-history")")
  done
done

idle_line="not measured (IDLE=0)"
if [ "$idle" -gt 0 ]; then
  echo "idle connections: $idle" >&2
  idle_line=$(python3 "$src/bench/load/idle_connections.py" 127.0.0.1 "$gateway_port" "$gateway_pid" "$idle")
fi

python3 - "$duration" "$connections" "$workers" "$idle_line" "$(basename "$answer")" "${results[@]}" <<'PY'
import statistics, sys
duration, connections, workers, idle_line, answer = sys.argv[1:6]
rows = [r.split() for r in sys.argv[6:]]
print(f"wrk -t1 -c{connections} -d{duration}s, {workers} nginx worker(s) / ordergate thread(s), access logs off, answer {answer}\n")
print("| run | server | requests/s | p50 ms | p99 ms | errors |")
print("|---|---|---|---|---|---|")
for i, (who, rps, p50, p99, bad) in enumerate(rows):
    print(f"| {i // 2 + 1} | {who} | {rps} | {p50} | {p99} | {bad} |")
def mean(who, col):
    return statistics.mean(float(r[col]) for r in rows if r[0] == who)
print()
print(f"throughput ratio ordergate/nginx: {mean('ordergate', 1) / mean('nginx', 1):.2f}")
print(f"p99 ratio ordergate/nginx: {mean('ordergate', 3) / mean('nginx', 3):.2f}")
print(f"idle keep-alive connections: {idle_line}")
if any(int(r[4]) for r in rows):
    sys.exit("some requests failed")
PY
