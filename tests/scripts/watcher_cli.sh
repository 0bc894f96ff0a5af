#!/usr/bin/env bash
# Flow 6 end to end, as the README shows it: `ordergate sync webasyst-imshop` against
# the sandbox vendors, with the gateway serving flow 2. The first run sends nothing;
# an order cancelled through flow 2 is posted to Imshop exactly once by the next run;
# a backfill with --since sends what was never sent; a second run at the same time
# exits 3; a crash-free run leaves a state file with the watermark.
# Usage: watcher_cli.sh ORDERGATE_BINARY SOURCE_DIR
set -euo pipefail
ordergate=$1
src=$2
sandbox_bin=$(dirname "$ordergate")/ordergate-sandbox
work=$(mktemp -d /tmp/ordergate-watcher.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 150); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; fail "$1 never answered"; }
# The value of field $2 of the JSON summary line in file $1 (lists joined with ',').
summary() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    if line.startswith("{") and json.loads(line).get("event") == "job_run":
        v = json.loads(line)[sys.argv[2]]
        print(",".join(map(str, v)) if isinstance(v, list) else json.dumps(v).strip("\"")); break' "$1" "$2"; }
received() { curl -sf "$sandbox/imshop/_sandbox/received" | python3 -c '
import json, sys
print(" ".join(r["id"] + ":" + r["code"] for r in json.load(sys.stdin)))'; }

sandbox_port=$(free_port)
"$sandbox_bin" --listen "127.0.0.1:$sandbox_port" --data "$src/tests/data" >"$work/sandbox.log" 2>&1 &
pids+=($!)
sandbox="http://127.0.0.1:$sandbox_port"
wait_for "$sandbox/market/_sandbox/orders"

export ORDERGATE_MAPPINGS=$src/mappings ORDERGATE_STATE_DIR=$work/state
export WEBASYST_URL=$sandbox/shop WEBASYST_TOKEN=fixturetoken0123456789abcdef0001
export IMSHOP_KEY=sandbox-imshop-key IMSHOP_STATUS_URL=$sandbox/imshop/status
gateway_port=$(free_port)
ORDERGATE_LISTEN=127.0.0.1:$gateway_port "$ordergate" serve >"$work/serve.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$gateway_port/readyz"
sync() { "$ordergate" sync webasyst-imshop "$@" >"$work/out" 2>&1; }

echo "the first run sends nothing and starts at the shop's newest update"
sync || fail "first run exited $? ($(cat "$work/out"))"
[ "$(summary "$work/out" first_run)" = true ] || fail "not a first run: $(cat "$work/out")"
[ "$(summary "$work/out" sent)" = 0 ] || fail "first run sent: $(cat "$work/out")"
[ "$(summary "$work/out" cursor)" = "2026-11-21 10:20:33" ] || fail "watermark: $(cat "$work/out")"
[ -z "$(received)" ] || fail "Imshop received $(received)"

echo "an order cancelled through flow 2 is posted once by the next run"
curl -sf "http://127.0.0.1:$gateway_port/imshop/order-cancel" -H 'Content-Type: application/json' \
  -H 'Authorization: Bearer sandbox-imshop-key' -d '{"uuid":"u-1","internalId":"1"}' |
  grep -q '"success":true' || fail "flow 2 did not cancel order 1"
sync || fail "second run exited $? ($(cat "$work/out"))"
[ "$(summary "$work/out" sent_keys)" = 1 ] || fail "second run: $(cat "$work/out")"
uuid=$(curl -sf "$WEBASYST_URL/api.php/shop.order.getInfo?id=1&access_token=$WEBASYST_TOKEN" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["params"]["imshop_uuid"])')
[ "$(received)" = "$uuid:deleted" ] || fail "Imshop received '$(received)', not '$uuid:deleted'"
sync || fail "third run exited $?"
[ "$(summary "$work/out" sent)" = 0 ] || fail "third run resent: $(cat "$work/out")"

echo "--since backfills what was never sent, and nothing twice"
sync --since "2026-11-19 00:00:00" || fail "backfill exited $? ($(cat "$work/out"))"
[ "$(summary "$work/out" sent_keys)" = 12,2 ] || fail "backfill: $(cat "$work/out")"
[ "$(received | wc -w)" = 3 ] || fail "Imshop received $(received)"
grep -q '"cursor":' "$work/state/webasyst-imshop.state.json" || fail "no watermark in the state"

echo "a second run at the same time exits 3"
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX); time.sleep(30)' "$work/state/webasyst-imshop.lock" &
holder=$!
pids+=("$holder")
for _ in $(seq 100); do
  flock -n "$work/state/webasyst-imshop.lock" true || break
  sleep 0.1
done
status=0
sync || status=$?
[ "$status" = 3 ] || fail "a locked run exited $status: $(cat "$work/out")"
kill "$holder"

echo "--since is refused for a job paged by number"
status=0
"$ordergate" sync giftcard-market --since "2026-11-01 00:00:00" >"$work/out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "giftcard-market --since exited $status"
echo "watcher_cli: all checks passed"
