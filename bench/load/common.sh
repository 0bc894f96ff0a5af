# Shared by bench/load/run.sh and bench/serve_instructions.sh (sourced, not run): a
# scratch directory, nginx serving `answer` as the Webasyst upstream (and the plain
# reference proxy), and the environment `ordergate serve` needs to use it. Expects
# `src`, `answer` and `workers`; sets `dir`, `pids`, `upstream_port`, `proxy_port`,
# `gateway_port` and `gateway_env`, and cleans up on exit.

dir=$(mktemp -d /tmp/ordergate-bench.XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
upstream_port=$(free_port)
proxy_port=$(free_port)
gateway_port=$(free_port)
cp "$answer" "$dir/search.json"
chmod 644 "$dir/search.json"
sed -e "s|@DIR@|$dir|g" -e "s|@UPSTREAM_PORT@|$upstream_port|g" -e "s|@PROXY_PORT@|$proxy_port|g" \
  -e "s|@WORKERS@|$workers|g" "$src/bench/load/nginx.conf.in" >"$dir/nginx.conf"
nginx -e "$dir/nginx-error.log" -p "$dir" -c "$dir/nginx.conf"

gateway_env=(ORDERGATE_LISTEN=127.0.0.1:$gateway_port ORDERGATE_MAPPINGS=$src/mappings
  ORDERGATE_STATE_DIR=$dir/state ORDERGATE_THREADS=$workers ORDERGATE_ACCESS_LOG=off
  WEBASYST_URL=http://127.0.0.1:$upstream_port/shop WEBASYST_TOKEN=bench-webasyst-token
  IMSHOP_KEY=bench-imshop-key)
