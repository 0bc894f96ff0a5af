#!/usr/bin/env bash
# Installs every Debian package ordergate needs to build, test and benchmark.
# Safe to run repeatedly: it only calls apt-get when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-all-dev rapidjson-dev libpugixml-dev libhowardhinnant-date-dev
  libssl-dev libbenchmark-dev tzdata ca-certificates openssl
  clang-format curl python3 python3-yaml python3-jsonschema
)
# Tools used by the end-to-end and load tests (issue 5, benchmarks).
packages+=(haproxy nginx-light wrk yamllint)
# promtool checks and unit-tests the alert rules in deploy/prometheus (Debian ships it in prometheus).
packages+=(prometheus)
# dpkg-shlibdeps computes the Debian package's Depends (cpack -G DEB, tests/scripts/package_check.sh).
packages+=(dpkg-dev)
# The playground's editor, built into the binary (ordergate playground), and the real browser
# its test drives: headless Chromium through Selenium (tests/scripts/playground_browser.sh).
packages+=(libjs-codemirror chromium chromium-driver python3-selenium)
# The second compiler: clang builds with ASan+UBSan and the libFuzzer targets
# (libclang-rt-14-dev has libFuzzer and the sanitizer runtimes, llvm-14 the symbolizer).
packages+=(clang-14 libclang-rt-14-dev llvm-14)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts nginx and haproxy as services on install; our tests start their own on 127.0.0.1.
for svc in nginx haproxy; do
  $sudo systemctl stop "$svc" >/dev/null 2>&1 || $sudo service "$svc" stop >/dev/null 2>&1 || true
done
# Only promtool is wanted from prometheus: its server (and the exporter) would hold port 9090 (the
# sandbox's) and 9100, now and after every boot.
for svc in prometheus prometheus-node-exporter; do
  $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || $sudo service "$svc" stop >/dev/null 2>&1 || true
  $sudo update-rc.d "$svc" disable >/dev/null 2>&1 || true
done
