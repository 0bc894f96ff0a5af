#!/usr/bin/env bash
# Both sync jobs killed with SIGKILL at random points: between runs the sandbox vendors'
# data changes, each run is killed after a random delay, and after every kill the
# state file must be whole. A last run without a kill must then leave nothing lost:
# the market holds every gift-card order with its current status, and Imshop's last
# status of every Webasyst order changed during the test (or, for one it was never told
# about, the state the watcher's first run found) is the order's current state.
# Prints how many runs the kill hit mid-run (the figure docs/reliability.md quotes).
# Usage: jobs_kill_check.sh ORDERGATE_BINARY SOURCE_DIR [RUNS]
set -euo pipefail
ordergate=$1
src=$2
runs=${3:-50}
sandbox_bin=$(dirname "$ordergate")/ordergate-sandbox
work=$(mktemp -d /tmp/ordergate-kill.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
"$sandbox_bin" --listen "127.0.0.1:$port" --data "$src/tests/data" >"$work/sandbox.log" 2>&1 &
pids+=($!)
sandbox="http://127.0.0.1:$port"
for _ in $(seq 150); do curl -sf "$sandbox/market/_sandbox/orders" >/dev/null 2>&1 && break; sleep 0.1; done

export ORDERGATE_MAPPINGS=$src/mappings ORDERGATE_STATE_DIR=$work/state
export GIFTCARD_URL=$sandbox/giftcard GIFTCARD_TOKEN=sandbox-giftcard-token
export MARKET_URL=$sandbox/market MARKET_TOKEN=sandbox-market-token
export WEBASYST_URL=$sandbox/shop WEBASYST_TOKEN=fixturetoken0123456789abcdef0001
export IMSHOP_KEY=sandbox-imshop-key IMSHOP_STATUS_URL=$sandbox/imshop/status

# The state file of job $1 is absent or a whole state file of version 1.
check_state() {
  local file=$work/state/$1.state.json
  [ -f "$file" ] || return 0
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1 and isinstance(d["state"], dict), d' "$file" ||
    fail "$1: the state file is not whole after a kill: $(head -c 300 "$file")"
}

# Runs job $1 $runs times, calling `$2` (a change to the vendor data) before each run and
# killing the run after 0..$3 ms; prints how many kills hit a running process.
killed_runs() {
  local job=$1 change=$2 max_ms=$3 hit=0 status
  for _ in $(seq "$runs"); do
    $change
    "$ordergate" sync "$job" >>"$work/$job.out" 2>&1 &
    local pid=$!
    sleep "$(printf '0.%03d' $((RANDOM % max_ms)))"
    kill -9 "$pid" 2>/dev/null || true
    status=0
    wait "$pid" || status=$?
    [ "$status" = 137 ] && hit=$((hit + 1))
    check_state "$job"
  done
  [ "$hit" -gt 0 ] || fail "$job: no kill hit a running process (runs finished before 0..$max_ms ms)"
  echo "$hit"
}

# Runs job $1 without a kill until it exits 0 (at most 3 runs).
finish() {
  for _ in 1 2 3; do "$ordergate" sync "$1" >"$work/$1.last" 2>&1 && return 0; done
  fail "$1 did not finish: $(cat "$work/$1.last")"
}

# ---------------------------------------------------------------- gift-card -> market
giftcard_ids=$(for page in 1 2 3; do
  curl -sf "$GIFTCARD_URL/v1/orders?page=$page" -H "Authorization: Bearer $GIFTCARD_TOKEN"
done | python3 -c 'import json, sys
for line in sys.stdin.read().replace("}{", "}\n{").splitlines():
    for o in json.loads(line)["data"]: print(o["id"])')
change_giftcard() {
  local id status
  id=$(shuf -n 1 <<<"$giftcard_ids")
  status=$(shuf -n 1 -e Created Payed ReadyForDelivery AwaitingCertificateAssignment PartiallyDelivered Delivered Cancelled)
  curl -sf "$sandbox/giftcard/_sandbox/orders/$id/status" -H 'Content-Type: application/json' \
    -d "{\"status\":\"$status\"}" >/dev/null || fail "the sandbox refused a status change"
}
hit=$(killed_runs giftcard-market change_giftcard 60)
finish giftcard-market
python3 - "$sandbox" "$GIFTCARD_TOKEN" <<'PYTHON' || fail "the market lost an update"
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
def get(url, auth=None):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + auth} if auth else {})
    return json.load(urllib.request.urlopen(req))
market = {"Created": "new", "Payed": "paid", "ReadyForDelivery": "paid",
          "AwaitingCertificateAssignment": "paid", "PartiallyDelivered": "paid",
          "Delivered": "delivered", "Cancelled": "canceled"}
current = {}
for page in (1, 2, 3):
    for o in get("%s/giftcard/v1/orders?page=%d" % (base, page), token)["data"]:
        current[o["id"]] = market[o["status"]]
stored = get(base + "/market/_sandbox/orders")
stored = {o["external_id"]: o["status"] for o in (stored["orders"] if isinstance(stored, dict) else stored)}
wrong = {k: (v, stored.get(k)) for k, v in current.items() if stored.get(k) != v}
if wrong:
    print("expected vs held:", wrong, file=sys.stderr)
    sys.exit(1)
PYTHON
echo "giftcard-market: $runs runs, $hit killed mid-run, state whole after every kill, nothing lost"

# ---------------------------------------------------------------- Webasyst -> Imshop
"$ordergate" sync webasyst-imshop >"$work/first.out" 2>&1 || fail "watcher first run: $(cat "$work/first.out")"
# The first run tells Imshop nothing: what Imshop knows of an order it was never told
# about is the order's state then. An order changed and changed back before a run saw it
# is rightly never sent.
for id in $(seq 12); do
  curl -sf "$WEBASYST_URL/api.php/shop.order.getInfo?id=$id&access_token=$WEBASYST_TOKEN" |
    python3 -c 'import json, sys; print(sys.argv[1], json.load(sys.stdin)["state_id"])' "$id"
done >"$work/initial" || fail "cannot read the orders' first states"
change_order() {
  local id state
  id=$(shuf -n 1 -i 1-12)
  state=$(shuf -n 1 -e new processing paid fulfilling shipped completed refunded deleted)
  echo "$id" >>"$work/changed"
  curl -sf "$sandbox/shop/_sandbox/orders/$id/state" -H 'Content-Type: application/json' \
    -d "{\"state\":\"$state\"}" >/dev/null || fail "the sandbox refused a state change"
}
hit=$(killed_runs webasyst-imshop change_order 40)
finish webasyst-imshop
python3 - "$sandbox" "$WEBASYST_TOKEN" "$work/changed" "$work/initial" <<'PYTHON' || fail "Imshop missed a state"
import json, sys, urllib.request
base, token, changed = sys.argv[1], sys.argv[2], sys.argv[3]
initial = dict(line.split() for line in open(sys.argv[4]))
def get(url):
    return json.load(urllib.request.urlopen(url))
last = {}
for r in get(base + "/imshop/_sandbox/received"):
    last[r["id"]] = r["code"]
wrong = {}
for order in sorted(set(open(changed).read().split())):
    info = get("%s/shop/api.php/shop.order.getInfo?id=%s&access_token=%s" % (base, order, token))
    params = info["params"] if isinstance(info["params"], dict) else {}
    key = params.get("imshop_uuid") or order
    known = last.get(key, initial[order])
    if known != info["state_id"]:
        wrong[order] = (info["state_id"], known)
if wrong:
    print("current vs Imshop's last:", wrong, file=sys.stderr)
    sys.exit(1)
PYTHON
echo "webasyst-imshop: $runs runs, $hit killed mid-run, state whole after every kill, nothing lost"
echo "jobs_kill_check: all checks passed"
