#!/usr/bin/env bash
# Builds ordergate and runs the gateway on 127.0.0.1:8080 with the bundled
# mappings. Every vendor whose URL is not set in the environment is replaced by
# the bundled sandbox (fake Webasyst, Imshop, gift-card and market APIs serving
# recorded answers), so the README's curl examples work on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DORDERGATE_TESTS=OFF -DORDERGATE_BENCH=OFF

sandbox_listen=${ORDERGATE_SANDBOX_LISTEN:-127.0.0.1:9090}
sandbox="http://$sandbox_listen"
uses_sandbox=()
default_vendor() {  # default_vendor URL_VARIABLE URL TOKEN_VARIABLE TOKEN
  if [ -z "${!1:-}" ]; then
    export "$1=$2"
    [ -n "${3:-}" ] && export "$3=$4"
    uses_sandbox+=("$1")
  fi
}
default_vendor WEBASYST_URL "$sandbox/shop" WEBASYST_TOKEN fixturetoken0123456789abcdef0001
default_vendor IMSHOP_STATUS_URL "$sandbox/imshop/status"
default_vendor GIFTCARD_URL "$sandbox/giftcard" GIFTCARD_TOKEN sandbox-giftcard-token
default_vendor MARKET_URL "$sandbox/market" MARKET_TOKEN sandbox-market-token
# The keys Imshop and the shop use to call us (the sandbox Imshop expects this one too).
export IMSHOP_KEY=${IMSHOP_KEY:-sandbox-imshop-key}
export SHOP_WEBHOOK_KEY=${SHOP_WEBHOOK_KEY:-sandbox-shop-key}
export ORDERGATE_LISTEN=${ORDERGATE_LISTEN:-127.0.0.1:8080}
export ORDERGATE_MAPPINGS=${ORDERGATE_MAPPINGS:-mappings}
export ORDERGATE_STATE_DIR=${ORDERGATE_STATE_DIR:-state}

if [ ${#uses_sandbox[@]} -gt 0 ]; then
  build/ordergate-sandbox --listen "$sandbox_listen" --data tests/data \
    --imshop-key "$IMSHOP_KEY" >build/sandbox.log 2>&1 &
  sandbox_pid=$!
  trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
  echo "sandbox vendors on $sandbox for: ${uses_sandbox[*]} (log: build/sandbox.log)" >&2
fi
echo "ordergate on http://$ORDERGATE_LISTEN — try the curl examples of README.md; Ctrl-C stops" >&2
build/ordergate serve
