#!/usr/bin/env bash
# CPU time `ordergate serve` spends per request under load: flow 1 (POST
# /imshop/order-history) against nginx serving a recorded Webasyst answer, driven by
# wrk, everything on 127.0.0.1. Reads the gateway's user and system time from
# /proc/PID/stat before and after the measured run and divides by the requests wrk
# counted. Unlike requests/s this does not depend on how the 2 cores are shared with
# wrk and nginx, so it tells whether a second gateway thread makes each request
# dearer (contention) or only shares the cores.
#
#   bench/load/cpu_per_request.sh [BUILD_DIR]     (default build)
#   WORKERS=2 DURATION=10 CONNECTIONS=32 bench/load/cpu_per_request.sh build-bench
#   ANSWER=bench/data/webasyst_search_10x3.json bench/load/cpu_per_request.sh build-bench
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
workers=${WORKERS:-1}  # ordergate threads (and nginx workers serving the answer)
answer=${ANSWER:-$src/bench/data/webasyst_search_20x3.json}
for tool in nginx wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "cpu_per_request.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done

# shellcheck source=bench/load/common.sh
. "$src/bench/load/common.sh"

env "${gateway_env[@]}" "$build/ordergate" serve >"$dir/gateway.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")
url="http://127.0.0.1:$gateway_port/imshop/order-history"
for _ in $(seq 100); do
  curl -sf -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer bench-imshop-key' \
    -d '{"userIdentifier":"2","page":1}' "$url" >/dev/null 2>&1 && break
  sleep 0.1
done

# The gateway's user and system time so far, in clock ticks.
ticks() { python3 -c 'import sys; f=open(sys.argv[1]).read().rsplit(")",1)[1].split(); print(f[11], f[12])' "/proc/$gateway_pid/stat"; }

wrk -t1 -c"$connections" -d2s -s "$src/bench/load/post.lua" "$url" >/dev/null  # warm-up
read -r user0 sys0 < <(ticks)
out=$(wrk -t1 -c"$connections" -d"${duration}s" -s "$src/bench/load/post.lua" "$url")
read -r user1 sys1 < <(ticks)
python3 - "$out" "$user0" "$sys0" "$user1" "$sys1" "$(getconf CLK_TCK)" "$workers" "$(basename "$answer")" <<'PY'
import re, sys
out, u0, s0, u1, s1, hz, workers, answer = sys.argv[1:]
requests = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
if "Non-2xx" in out or "Socket errors" in out:
    sys.exit("some requests failed:\n" + out)
per = lambda a, b: (int(b) - int(a)) / int(hz) / requests * 1e6
user, system = per(u0, u1), per(s0, s1)
print(f"{workers} thread(s), answer {answer}: {requests} requests, {rps:.0f} requests/s, "
      f"gateway CPU per request {user + system:.1f} us (user {user:.1f}, system {system:.1f})")
PY
