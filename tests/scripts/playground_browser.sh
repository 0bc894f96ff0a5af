#!/usr/bin/env bash
# `ordergate playground` in a real browser: headless Chromium driven by Selenium
# (tests/scripts/lib/playground_browser.py) against a scratch copy of the mappings
# picks the history route, misspells a function and sees the line marked with the
# message `ordergate check` prints, fixes it and sees the answer return, changes a
# price and sees the answer and the diff follow, saves a new case (which `ordergate
# test` then passes) and is refused when saving it again. Then SIGTERM must stop the
# playground with exit status 0 (and, in a sanitizer build, no leak report).
#
#   tests/scripts/playground_browser.sh BINARY SOURCE_DIR
#
# Needs Debian's chromium, chromium-driver and python3-selenium (scripts/install-deps.sh
# installs them). Without them it exits 77 (skipped), unless ORDERGATE_REQUIRE_BROWSER=1
# (scripts/test.sh sets it), where a missing browser is a failure.
# ORDERGATE_SCREENSHOT=FILE saves a screenshot of the page (scripts/playground-screenshot.sh).
set -euo pipefail

binary=$(realpath "$1")
source_dir=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)

skip() {
  if [ "${ORDERGATE_REQUIRE_BROWSER:-0}" = 1 ]; then
    echo "playground_browser: $1 (and ORDERGATE_REQUIRE_BROWSER=1)" >&2
    exit 1
  fi
  echo "playground_browser: skipped: $1" >&2
  exit 77
}

[ -x /usr/bin/chromium ] || skip "chromium is not installed (apt-get install chromium)"
[ -x /usr/bin/chromedriver ] || skip "chromedriver is not installed (apt-get install chromium-driver)"
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import selenium" 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || skip "python3 cannot import selenium (apt-get install python3-selenium)"

work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$source_dir/mappings" "$work/mappings"
"$binary" playground "$work/mappings" --listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!

# The first line names the address; it comes once the socket listens.
url=""
for _ in $(seq 1 200); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/out" || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; echo "playground_browser: the playground did not start" >&2; exit 1; }
  sleep 0.05
done
[ -n "$url" ] || { echo "playground_browser: the playground printed no address" >&2; exit 1; }

"$python" "$here/lib/playground_browser.py" --url "$url" --mappings "$work/mappings" \
  --binary "$binary" ${ORDERGATE_SCREENSHOT:+--screenshot "$ORDERGATE_SCREENSHOT"}

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
if [ "$status" -ne 0 ] || grep -Eq 'Sanitizer|runtime error' "$work/err"; then
  cat "$work/err" >&2
  echo "playground_browser: the playground ended with status $status after SIGTERM" >&2
  exit 1
fi
echo "playground_browser: stopped cleanly by SIGTERM"
