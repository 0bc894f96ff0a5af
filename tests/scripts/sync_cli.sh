#!/usr/bin/env bash
# Flow 5 end to end, as an operator runs it: `ordergate sync giftcard-market` against
# the sandbox vendors (exit codes, summary line, nothing resent, a changed status
# resent, the state lock, a corrupted state file), then the same job inside
# `ordergate serve` on $GIFTCARD_SYNC_INTERVAL.
# Usage: sync_cli.sh ORDERGATE_BINARY SOURCE_DIR
set -euo pipefail
ordergate=$1
src=$2
sandbox_bin=$(dirname "$ordergate")/ordergate-sandbox
work=$(mktemp -d /tmp/ordergate-sync.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_sandbox() {
  local port
  port=$(free_port)
  "$sandbox_bin" --listen "127.0.0.1:$port" --data "$src/tests/data" >"$work/sandbox-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/market/_sandbox/orders" >/dev/null 2>&1 && break
    sleep 0.1
  done
  sandbox="http://127.0.0.1:$port"
}
market_count() { curl -sf "$sandbox/market/_sandbox/orders" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["orders"] if isinstance(d, dict) else d))'; }
# The value of one field of the job's JSON summary line in file $1.
summary() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line)
        if d.get("event") == "job_run" or d.get("msg") == "job_run" or "sent" in d:
            print(d[sys.argv[2]]); break' "$1" "$2"; }

start_sandbox
export ORDERGATE_MAPPINGS=$src/mappings ORDERGATE_STATE_DIR=$work/state
export GIFTCARD_URL=$sandbox/giftcard GIFTCARD_TOKEN=sandbox-giftcard-token
export MARKET_URL=$sandbox/market MARKET_TOKEN=sandbox-market-token
sync() { "$ordergate" sync giftcard-market "$@" >"$work/out" 2>&1; }

echo "first run sends every order"
sync || fail "first run exited $? ($(cat "$work/out"))"
[ "$(summary "$work/out" sent)" = 45 ] || fail "first run: $(cat "$work/out")"
[ "$(market_count)" = 45 ] || fail "the market holds $(market_count) orders"
[ -f "$work/state/giftcard-market.state.json" ] || fail "no state file"

echo "a second run sends nothing"
sync || fail "second run exited $?"
[ "$(summary "$work/out" sent)" = 0 ] || fail "second run: $(cat "$work/out")"

echo "a changed status is sent again, alone"
order=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"][0]["id"])' "$src/tests/data/giftcard/orders_page_1.json")
curl -sf "$sandbox/giftcard/_sandbox/orders/$order/status" -H 'Content-Type: application/json' \
  -d '{"status":"Cancelled"}' >/dev/null || fail "the sandbox refused the status change"
sync || fail "third run exited $?"
[ "$(summary "$work/out" sent)" = 1 ] || fail "third run: $(cat "$work/out")"

echo "a second run at the same time exits 3 and leaves the state alone"
before=$(sha256sum "$work/state/giftcard-market.state.json")
# One process holds the lock (flock(1) would pass it on to a child that outlives a kill).
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX); time.sleep(30)' "$work/state/giftcard-market.lock" &
holder=$!
pids+=("$holder")
for _ in $(seq 100); do  # until the holder has it
  flock -n "$work/state/giftcard-market.lock" true || break
  sleep 0.1
done
status=0
sync || status=$?
[ "$status" = 3 ] || fail "a locked run exited $status: $(cat "$work/out")"
grep -q "holds" "$work/out" || fail "no clear message: $(cat "$work/out")"
kill "$holder"
wait "$holder" 2>/dev/null || true
[ "$before" = "$(sha256sum "$work/state/giftcard-market.state.json")" ] || fail "the locked run changed the state"

echo "a corrupted state file stops the run; --reset-state sends everything again"
echo '{"garbage' >"$work/state/giftcard-market.state.json"
status=0
sync || status=$?
[ "$status" != 0 ] || fail "a corrupted state was accepted"
grep -qi "state" "$work/out" || fail "no clear message: $(cat "$work/out")"
sync --reset-state || fail "--reset-state exited $?: $(cat "$work/out")"
[ "$(summary "$work/out" sent)" = 45 ] || fail "after reset: $(cat "$work/out")"

echo "inside serve, every GIFTCARD_SYNC_INTERVAL seconds"
start_sandbox
export GIFTCARD_URL=$sandbox/giftcard MARKET_URL=$sandbox/market ORDERGATE_STATE_DIR=$work/serve-state
port=$(free_port)
ORDERGATE_LISTEN=127.0.0.1:$port GIFTCARD_SYNC_INTERVAL=1 "$ordergate" serve >"$work/serve.log" 2>&1 &
pids+=($!)
ok=""
for _ in $(seq 150); do
  if curl -sf "http://127.0.0.1:$port/metrics" 2>/dev/null |
    grep -Eq '^ordergate_job_runs_total\{[^}]*outcome="ok"[^}]*\} [1-9]'; then
    ok=yes
    break
  fi
  sleep 0.2
done
[ -n "$ok" ] || fail "serve ran no successful sync: $(tail -5 "$work/serve.log")"
[ "$(market_count)" = 45 ] || fail "the market holds $(market_count) orders after serve's sync"
# Read whole before grep: `curl | grep -q` fails under pipefail when grep stops early.
curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics"
grep -q '^ordergate_job_last_success_timestamp_seconds' "$work/metrics" ||
  fail "no last-success metric"
echo "sync_cli: all checks passed"
