#!/usr/bin/env bash
# Rolling restart behind haproxy loses nothing.
#
# usage: rolling_restart.sh ORDERGATE_BINARY SOURCE_DIR
#   ORDERGATE_BINARY  the ordergate program; ordergate-sandbox must lie next to it
#   SOURCE_DIR        the source tree (mappings/, tests/data/, deploy/haproxy/haproxy.cfg)
#
# Starts the sandbox vendors, two `ordergate serve` instances and haproxy with
# deploy/haproxy/haproxy.cfg (only its ports and the stats socket path changed), all
# on 127.0.0.1. A few keep-alive clients send POST /imshop/order-history through
# haproxy and check every answer's status and body against the answers the
# instances gave before the load. Then:
#   1. rolling restart: SIGTERM instance A, wait for it to exit 0, start it again,
#      wait until haproxy has it UP; the same for B. Asserts zero failed requests.
#   2. crash: SIGKILL instance B under load. Prints how many requests failed and how
#      long haproxy took to mark it DOWN (printed, not asserted: timing is not a
#      test property). Asserts only that requests sent after that all succeed.
# Every process started here is stopped on exit. Needs haproxy and python3
# (scripts/install-deps.sh). Takes about 45 seconds.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 ORDERGATE_BINARY SOURCE_DIR" >&2
  exit 2
fi
ordergate=$(realpath "$1")
source_dir=$(realpath "$2")
sandbox_bin="$(dirname "$ordergate")/ordergate-sandbox"
haproxy_cfg="$source_dir/deploy/haproxy/haproxy.cfg"
for tool in haproxy python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "rolling_restart: $tool is needed (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
done
for f in "$ordergate" "$sandbox_bin"; do
  [ -x "$f" ] || { echo "rolling_restart: no program $f" >&2; exit 1; }
done
[ -f "$haproxy_cfg" ] || { echo "rolling_restart: no $haproxy_cfg" >&2; exit 1; }

# The drain settings the deployment examples use (docs/operations.md "Drain"): the
# grace must outlast haproxy's detection (inter 1s * fall 2 + timeout check 1s).
export ORDERGATE_DRAIN_GRACE_SECONDS=5
export ORDERGATE_DRAIN_SECONDS=10
export ORDERGATE_THREADS=2

work=$(mktemp -d "${TMPDIR:-/tmp}/ordergate-rolling.XXXXXX")
pids=()
status=1
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log; do
      [ -f "$log" ] || continue
      echo "---- last lines of $(basename "$log")" >&2
      tail -n 15 "$log" >&2
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
forget() {  # forget PID: it was reaped, its number may be reused by someone else's process
  local keep=() pid
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
  pids=("${keep[@]}")
}
say() { printf 'rolling_restart: %s\n' "$*"; }
fail() { printf 'rolling_restart: FAIL: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- helpers (python3 stdlib)
cat >"$work/og.py" <<'PYTHON'
import http.client, json, os, re, signal, socket, sys, threading, time, urllib.request

def free_ports(n):
    socks = []
    for _ in range(int(n)):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    print(" ".join(map(str, ports)))

def haproxy_config(src, dst, frontend, og1, og2, stats, sock, max_files):
    """deploy/haproxy/haproxy.cfg with the ports of the marked lines and the
    stats socket path replaced; everything else is kept byte for byte, except a
    global maxconn that the open-files limit here cannot carry (haproxy needs about
    two descriptors per connection and refuses to start otherwise)."""
    text = open(src).read()
    limit = (int(max_files) - 200) // 2 if max_files.isdigit() else None
    m = re.search(r"(?m)^(\s*maxconn\s+)(\d+)", text)
    if m and limit is not None and int(m.group(2)) > limit:
        print("haproxy.cfg: maxconn %s lowered to %d for this machine's open-files limit (%s)"
              % (m.group(2), limit, max_files), file=sys.stderr)
        text = text[: m.start(2)] + str(limit) + text[m.end(2):]
    wanted = {"frontend": frontend, "instance 1": og1, "instance 2": og2, "stats": stats}
    done = set()
    out = []
    for line in text.splitlines(keepends=True):
        m = re.search(r"# port: (.+)$", line.rstrip("\n"))
        if m and m.group(1) in wanted:
            line, n = re.subn(r"127\.0\.0\.1:\d+", "127.0.0.1:%s" % wanted[m.group(1)], line)
            if n != 1:
                sys.exit("haproxy.cfg: cannot set the port on: " + line.strip())
            done.add(m.group(1))
        elif re.match(r"\s*stats socket ", line):
            line, n = re.subn(r"stats socket \S+", "stats socket " + sock, line)
            done.add("socket")
        out.append(line)
    missing = (set(wanted) | {"socket"}) - done
    if missing:
        sys.exit("haproxy.cfg: no line for %s (marked '# port: ...')" % ", ".join(sorted(missing)))
    open(dst, "w").write("".join(out))

def get(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None, b""

def wait_ready(port, seconds, pid):
    end = time.time() + float(seconds)
    while time.time() < end:
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            sys.exit("instance on port %s exited before it was ready" % port)
        if get("http://127.0.0.1:%s/readyz" % port, 1)[0] == 200:
            return
        time.sleep(0.05)
    sys.exit("instance on port %s not ready after %ss" % (port, seconds))

def server_states(stats_port):
    code, body = get("http://127.0.0.1:%s/stats;csv" % stats_port)
    if code != 200:
        return {}
    lines = body.decode().splitlines()
    head = lines[0].lstrip("# ").split(",")
    states = {}
    for line in lines[1:]:
        row = dict(zip(head, line.split(",")))
        if row.get("pxname") == "ordergate" and row.get("svname") not in ("BACKEND", "FRONTEND"):
            states[row["svname"]] = row["status"]
    return states

def wait_state(stats_port, server, state, seconds):
    end = time.time() + float(seconds)
    while time.time() < end:
        if server_states(stats_port).get(server, "").startswith(state):
            return
        time.sleep(0.05)
    sys.exit("haproxy: %s not %s after %ss (%s)" % (server, state, seconds, server_states(stats_port)))

def kill_and_watch(pid, stats_port, server, seconds):
    """SIGKILLs pid and prints the kill time and the seconds until haproxy marks `server` DOWN."""
    killed = time.time()
    os.kill(int(pid), signal.SIGKILL)
    end = killed + float(seconds)
    while time.time() < end:
        if server_states(stats_port).get(server, "").startswith("DOWN"):
            print("%.6f %.3f" % (killed, time.time() - killed))
            return
        time.sleep(0.01)
    print("%.6f -1" % killed)

CASES = [{"userIdentifier": "2"}, {"userIdentifier": "3"}, {"userIdentifier": 5},
         {"userIdentifier": "2", "page": 2}]

def post(conn, body, key):
    conn.request("POST", "/imshop/order-history", body=json.dumps(body),
                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
    r = conn.getresponse()
    return r.status, r.read()

def expected(port, key, out):
    """The answers of one instance, before any load: what every later answer must equal."""
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
    answers = []
    for case in CASES:
        status, body = post(conn, case, key)
        if status != 200:
            sys.exit("reference request %s answered %s: %s" % (case, status, body[:200]))
        answers.append(json.loads(body))
    if not answers[0].get("orders"):
        sys.exit("reference answer for contact 2 has no orders: %s" % answers[0])
    json.dump(answers, open(out, "w"))

def load(port, key, answers_file, stop_file, out, workers, max_seconds, max_requests, pause_ms):
    """Keep-alive workers sending the CASES in turn until stop_file exists (or a bound is
    hit). Every exception, wrong status or wrong body is a failure, with its time.
    `out`.started appears with the first correct answer."""
    answers = json.load(open(answers_file))
    lock = threading.Lock()
    result = {"sent": 0, "ok": 0, "failures": [], "connections": 0, "bounded": False}
    started = time.time()
    pause = int(pause_ms) / 1000.0

    def worker(n):
        conn = None
        i = n
        while not os.path.exists(stop_file):
            with lock:
                if result["sent"] >= int(max_requests) or time.time() - started > float(max_seconds):
                    result["bounded"] = True
                    return
                result["sent"] += 1
            case = i % len(CASES)
            i += 1
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=15)
                with lock:
                    result["connections"] += 1
            t = time.time()
            problem = None
            try:
                status, body = post(conn, CASES[case], key)
                if status != 200:
                    problem = "status %d: %s" % (status, body[:160].decode("utf-8", "replace"))
                elif json.loads(body) != answers[case]:
                    problem = "wrong body: %s" % body[:160].decode("utf-8", "replace")
            except Exception as e:  # connection reset, timeout, bad JSON...
                problem = "%s: %s" % (type(e).__name__, e)
                conn.close()
                conn = None
            with lock:
                if problem:
                    result["failures"].append({"time": t, "case": case, "problem": problem})
                else:
                    result["ok"] += 1
                    if result["ok"] == 1:
                        open(out + ".started", "w").close()
            if pause:
                time.sleep(pause)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(int(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result["seconds"] = round(time.time() - started, 3)
    json.dump(result, open(out, "w"))

def served(log):
    """Requests through haproxy (its X-Request-Id is a UUID) per run of one instance's log."""
    runs = []
    uuid = re.compile(r'"request_id":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"')
    for line in open(log, encoding="utf-8", errors="replace"):
        if '"event":"listening"' in line:
            runs.append(0)
        elif runs and '"path":"/imshop/order-history"' in line and uuid.search(line):
            runs[-1] += 1
    return runs

def print_served(log):
    print(*served(log))

def wait_served(log, count, seconds):
    """Waits until the current run of an instance has served `count` requests of the load."""
    end = time.time() + float(seconds)
    while time.time() < end:
        runs = served(log)
        if runs and runs[-1] >= int(count):
            return
        time.sleep(0.05)
    sys.exit("%s: the instance got no share of the load (%s requests in %ss)" % (log, served(log), seconds))

def summary(out, *times):
    """Prints sent, ok, failed and failures after each given unix time."""
    r = json.load(open(out))
    after = [sum(1 for f in r["failures"] if f["time"] >= float(t)) for t in times]
    print(r["sent"], r["ok"], len(r["failures"]), *after)

def failures(out, limit=10):
    for f in json.load(open(out))["failures"][: int(limit)]:
        print("  %.3f case %d: %s" % (f["time"], f["case"], f["problem"]))

if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
PYTHON
og() { python3 "$work/og.py" "$@"; }

# ---------------------------------------------------------------- processes
ports=$(og free-ports 4)
read -r port_a port_b port_front port_stats <<<"$ports"
[ -n "$port_stats" ] || fail "no free ports"

# The log exists before the sandbox opens it: read too early, a missing file would end
# this script under pipefail without a word.
: >"$work/sandbox.log"
"$sandbox_bin" --listen 127.0.0.1:0 --data "$source_dir/tests/data" --threads 1 \
  --imshop-key sandbox-imshop-key >"$work/sandbox.log" 2>&1 &
pids+=($!)
sandbox=""
for _ in $(seq 100); do
  sandbox=$(sed -n 's/.*"listen":"\([0-9.:]*\)".*/\1/p' "$work/sandbox.log" | head -n 1)
  [ -n "$sandbox" ] && break
  sleep 0.05
done
[ -n "$sandbox" ] || fail "the sandbox did not start"

export ORDERGATE_MAPPINGS="$source_dir/mappings"
export WEBASYST_URL="http://$sandbox/shop" WEBASYST_TOKEN=fixturetoken0123456789abcdef0001
export IMSHOP_KEY=sandbox-imshop-key IMSHOP_STATUS_URL="http://$sandbox/imshop/status"
export GIFTCARD_URL="http://$sandbox/giftcard" GIFTCARD_TOKEN=sandbox-giftcard-token
export MARKET_URL="http://$sandbox/market" MARKET_TOKEN=sandbox-market-token
export SHOP_WEBHOOK_KEY=rolling-restart-shop-key
unset GIFTCARD_SYNC_INTERVAL

declare -A pid_of port_of
port_of[a]=$port_a
port_of[b]=$port_b
start_instance() {  # start_instance a|b
  local name=$1
  ORDERGATE_LISTEN="127.0.0.1:${port_of[$name]}" ORDERGATE_STATE_DIR="$work/state-$name" \
    "$ordergate" serve >>"$work/ordergate-$name.log" 2>&1 &
  pid_of[$name]=$!
  pids+=($!)
  og wait-ready "${port_of[$name]}" 15 "${pid_of[$name]}" || fail "instance $name did not start"
}
stop_instance() {  # stop_instance a|b: SIGTERM, wait for the exit, expect status 0
  local name=$1 pid=${pid_of[$1]} code=0
  kill -TERM "$pid"
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "instance $name still runs 30s after SIGTERM"
  wait "$pid" || code=$?
  forget "$pid"
  [ "$code" -eq 0 ] || fail "instance $name exited with status $code after SIGTERM"
}

start_instance a
start_instance b
og expected "$port_a" "$IMSHOP_KEY" "$work/expected.json"
og expected "$port_b" "$IMSHOP_KEY" "$work/expected-b.json"
cmp -s <(python3 -m json.tool "$work/expected.json") <(python3 -m json.tool "$work/expected-b.json") ||
  fail "the two instances answer differently"

og haproxy-config "$haproxy_cfg" "$work/haproxy.cfg" "$port_front" "$port_a" "$port_b" "$port_stats" \
  "$work/haproxy.sock" "$(ulimit -Hn)"
haproxy -c -q -f "$work/haproxy.cfg" || fail "generated haproxy config is invalid"
haproxy -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)
og wait-state "$port_stats" og1 UP 15
og wait-state "$port_stats" og2 UP 15
say "sandbox $sandbox, ordergate A :$port_a B :$port_b, haproxy :$port_front (stats :$port_stats)"

load_pid=""
start_load() {  # start_load NAME: 4 keep-alive workers, each pausing 5 ms between requests, at most 90 s / 100000 requests
  rm -f "$work/stop"
  og load "$port_front" "$IMSHOP_KEY" "$work/expected.json" "$work/stop" "$work/$1.json" 4 90 100000 5 &
  load_pid=$!
  pids+=($load_pid)
  for _ in $(seq 300); do
    [ -f "$work/$1.json.started" ] && return 0
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 0.05
  done
  fail "the load client did not get a first answer"
}
stop_load() {  # stop_load NAME
  touch "$work/stop"
  wait "$load_pid" || fail "the load client failed"
  forget "$load_pid"
  if grep -q '"bounded": true' "$work/$1.json"; then
    fail "the load client hit its bound (90 s or 100000 requests) before the end of the phase"
  fi
}

# ---------------------------------------------------------------- 1. rolling restart
start_load rolling
for name in a b; do
  server=og1
  [ "$name" = b ] && server=og2
  # SIGTERM only once this instance is taking its share of the load.
  og wait-served "$work/ordergate-$name.log" 50 15 || fail "instance $name gets no load through haproxy"
  t0=$(date +%s.%N)
  stop_instance "$name"
  t1=$(date +%s.%N)
  start_instance "$name"
  og wait-state "$port_stats" "$server" UP 15
  t2=$(date +%s.%N)
  say "instance $name: drained and exited in $(elapsed "$t0" "$t1")s, back UP in haproxy after $(elapsed "$t1" "$t2")s"
  sleep 1
done
stop_load rolling
read -r sent ok failed <<<"$(og summary "$work/rolling.json")"
say "rolling restart: $sent requests sent through haproxy, $ok correct, $failed failed"
if [ "$failed" -ne 0 ]; then
  og failures "$work/rolling.json"
  fail "requests failed during the rolling restart"
fi
[ "$sent" -ge 200 ] || fail "only $sent requests were sent: the load did not run"
for name in a b; do
  log="$work/ordergate-$name.log"
  grep -q '"event":"draining"' "$log" || fail "instance $name logged no draining event"
  grep -q '"event":"stopped"' "$log" || fail "instance $name logged no stopped event"
  # Both runs of each instance served part of the load: haproxy took it out and back in.
  read -r before after <<<"$(og print-served "$log")"
  say "instance $name served $before requests of the load before its restart, ${after:-0} after"
  [ "${after:-0}" -gt 0 ] || fail "instance $name served no load after its restart"
done

# ---------------------------------------------------------------- 2. crash (SIGKILL)
start_load crash
og wait-served "$work/ordergate-b.log" 50 15 || fail "instance b gets no load through haproxy"
exec 4>&2 2>/dev/null  # bash would report the expected "Killed" on stderr
read -r killed detect <<<"$(og kill-and-watch "${pid_of[b]}" "$port_stats" og2 15 2>&4)"
wait "${pid_of[b]}" || true
forget "${pid_of[b]}"
exec 2>&4 4>&-
sleep 2
stop_load crash
read -r sent ok failed after_kill after_down <<<"$(og summary "$work/crash.json" "$killed" \
  "$(awk -v a="$killed" -v b="${detect#-}" 'BEGIN { printf "%.6f", a + b }')")"
if [ "$detect" = "-1" ]; then
  say "SIGKILL: haproxy did not mark the instance DOWN within 15s"
  og failures "$work/crash.json"
  fail "a killed instance stayed in the pool"
fi
say "SIGKILL of instance B: haproxy marked it DOWN after ${detect}s; $sent requests sent, $failed failed (all before DOWN: $((failed - after_down)))"
[ "$failed" -gt 0 ] && og failures "$work/crash.json" 5
[ "$after_down" -eq 0 ] || fail "$after_down requests failed after haproxy marked the instance DOWN"

status=0
say "ok"
