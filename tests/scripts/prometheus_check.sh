#!/usr/bin/env bash
# Checks the alert rules and the dashboard against the metrics the gateway really shows.
#
# usage: prometheus_check.sh ORDERGATE_BINARY SOURCE_DIR
#
#   1. promtool check rules deploy/prometheus/ordergate.rules.yml, promtool test rules
#      deploy/prometheus/ordergate.rules.test.yml (the rules' unit tests) and promtool
#      check config deploy/prometheus/prometheus.example.yml.
#   2. deploy/grafana/ordergate.json is well-formed JSON with a query in every panel.
#   3. Every ordergate metric that the rules and the dashboard query is one that
#      `ordergate serve` shows on /metrics (with both bundled jobs scheduled, so that
#      their series exist), and every recording rule the dashboard uses is defined;
#      docs/operations.md's metrics table lists exactly the metrics /metrics shows.
# promtool comes from Debian's prometheus package (scripts/install-deps.sh).
# Exit status: 0 all good, 1 a check failed, 2 the checks cannot run.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 ORDERGATE_BINARY SOURCE_DIR" >&2
  exit 2
fi
ordergate=$(realpath "$1")
src=$(realpath "$2")
rules_dir=$src/deploy/prometheus
dashboard=$src/deploy/grafana/ordergate.json
failures=0
say() { printf 'prometheus_check: %s\n' "$*"; }
bad() {
  printf 'prometheus_check: FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}

if ! command -v promtool >/dev/null 2>&1; then
  echo "prometheus_check: promtool is not installed (scripts/install-deps.sh installs Debian's prometheus)" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ordergate-prometheus-check.XXXXXX")
gateway=""
cleanup() {
  if [ -n "$gateway" ]; then
    kill "$gateway" 2>/dev/null || true
    wait "$gateway" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------- promtool
promtool_step() {  # promtool_step WHAT ARGS...: run promtool in the rules folder
  local what=$1
  shift
  if (cd "$rules_dir" && promtool "$@") >"$work/promtool.out" 2>&1; then
    say "$what: ok"
  else
    cat "$work/promtool.out" >&2
    bad "promtool $*"
  fi
}
promtool_step "rules ($(grep -c -e '- record:' -e '- alert:' "$rules_dir/ordergate.rules.yml"))" \
  check rules ordergate.rules.yml
promtool_step "rule tests ($(grep -c '^  - name:' "$rules_dir/ordergate.rules.test.yml") groups)" \
  test rules ordergate.rules.test.yml
promtool_step "prometheus.example.yml" check config prometheus.example.yml

# ---------------------------------------------------------------- the metrics served
# A gateway with the bundled mappings and both jobs scheduled: their runs end
# not_configured at once (no vendor variable is set), and every series exists.
env -i PATH="$PATH" HOME="$work" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
  ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
  ORDERGATE_LISTEN=127.0.0.1:0 ORDERGATE_MAPPINGS="$src/mappings" ORDERGATE_STATE_DIR="$work/state" \
  ORDERGATE_THREADS=1 ORDERGATE_ACCESS_LOG=off ORDERGATE_DRAIN_GRACE_SECONDS=0 \
  GIFTCARD_SYNC_INTERVAL=3600 WEBASYST_SYNC_INTERVAL=3600 \
  "$ordergate" serve >"$work/serve.log" 2>&1 &
gateway=$!
address=""
for _ in $(seq 300); do  # up to 30 s on a loaded machine
  address=$(sed -n 's/.*"event":"listening".*"address":"\([^"]*\)".*/\1/p' "$work/serve.log")
  [ -n "$address" ] && break
  kill -0 "$gateway" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$address" ]; then
  cat "$work/serve.log" >&2
  echo "prometheus_check: ordergate serve did not start" >&2
  exit 1
fi
# Both jobs have run once (their series are registered when they are scheduled).
for _ in $(seq 300); do
  [ "$(grep -c '"event":"job_run"' "$work/serve.log" || true)" -ge 2 ] && break
  sleep 0.1
done
curl -sf "http://$address/metrics" >"$work/metrics.txt" || bad "GET /metrics failed"

python3 - "$work/metrics.txt" "$rules_dir/ordergate.rules.yml" "$dashboard" \
  "$src/docs/operations.md" <<'PYTHON' || bad "metrics of the rules, the dashboard or the docs"
import json, re, sys

metrics_file, rules_file, dashboard_file, operations = sys.argv[1:5]
problems = []

families = {}
for line in open(metrics_file, encoding="utf-8"):
    m = re.match(r"# TYPE (\S+) (\S+)", line)
    if m:
        families[m.group(1)] = m.group(2)
served = set(families)
for name, kind in families.items():
    if kind == "histogram":
        served |= {name + "_bucket", name + "_sum", name + "_count"}

# Recording rules and every expression of the rules file (plain text scan: the file is
# YAML, but its expressions are all under "expr:").
rules_text = open(rules_file, encoding="utf-8").read()
recorded = set(re.findall(r"^\s*- record:\s*(\S+)", rules_text, re.M))
exprs = []
lines = rules_text.splitlines()
for i, line in enumerate(lines):
    m = re.match(r"^(\s*)expr:\s*(.*)$", line)
    if not m:
        continue
    if m.group(2).strip() in ("|", ">"):
        indent = len(m.group(1))
        block = []
        for nxt in lines[i + 1:]:
            if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                break
            block.append(nxt)
        exprs.append(("rules", "\n".join(block)))
    else:
        exprs.append(("rules", m.group(2)))

try:
    dash = json.load(open(dashboard_file, encoding="utf-8"))
except ValueError as e:
    print("  deploy/grafana/ordergate.json is not JSON: %s" % e, file=sys.stderr)
    sys.exit(1)
panels = [p for p in dash.get("panels", []) if p.get("type") != "row"]
for p in panels:
    targets = [t.get("expr", "") for t in p.get("targets", [])]
    if not targets or not all(targets):
        problems.append("dashboard panel %r has no query" % p.get("title"))
    if not p.get("description"):
        problems.append("dashboard panel %r has no description" % p.get("title"))
    for e in targets:
        exprs.append(("dashboard panel %r" % p.get("title"), e))

# Names outside ordergate that the rules may use (Prometheus's own, node_exporter's).
foreign = {"up", "node_systemd_unit_state"}
used = set()
for where, e in exprs:
    e = re.sub(r'"[^"]*"', '""', e)  # label values are not names
    for name in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", e):
        if ":" in name:
            if name not in recorded:
                problems.append("%s uses %s, which no recording rule defines" % (where, name))
        elif name.startswith("ordergate_"):
            used.add(name)
            if name not in served:
                problems.append("%s queries %s, which /metrics does not show" % (where, name))
        elif name in foreign:
            used.add(name)

# The metrics table of docs/operations.md lists exactly the families served.
doc = open(operations, encoding="utf-8").read()
section = doc.split("\n## Metrics", 1)[1].split("\n## ", 1)[0]
documented = set(re.findall(r"^\| `(ordergate_[a-z0-9_]+)` \|", section, re.M))
if documented != set(families):
    problems.append("docs/operations.md's metrics table and /metrics differ: only in the docs %s, only in /metrics %s"
                    % (sorted(documented - set(families)), sorted(set(families) - documented)))

for p in problems:
    print("  " + p, file=sys.stderr)
print("prometheus_check: %d metric families served, %d names queried by %d rules and %d panels: %s"
      % (len(families), len(used), len(recorded) + rules_text.count("- alert:"), len(panels),
         "ok" if not problems else "WRONG"))
sys.exit(1 if problems else 0)
PYTHON

kill -TERM "$gateway" 2>/dev/null || true
wait "$gateway" 2>/dev/null || true
gateway=""

if [ "$failures" -ne 0 ]; then
  echo "prometheus_check: $failures check(s) failed" >&2
  exit 1
fi
say "ok"
