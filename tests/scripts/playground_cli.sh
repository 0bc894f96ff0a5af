#!/usr/bin/env bash
# `ordergate playground` on the command line: it listens on loopback only unless told
# --allow-remote, refuses a folder that does not exist, serves its page, and stops with
# exit status 0 on SIGTERM and SIGINT.
#   tests/scripts/playground_cli.sh BINARY SOURCE_DIR
set -euo pipefail
binary=$(realpath "$1")
source_dir=$(realpath "$2")
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "playground_cli: FAIL: $*" >&2
  exit 1
}

expect_refusal() {
  local want=$1
  shift
  local status=0
  "$binary" playground "$@" >"$work/out" 2>"$work/err" || status=$?
  [ "$status" -eq 1 ] || fail "playground $* exited $status, not 1"
  grep -q -- "$want" "$work/err" || fail "playground $*: expected '$want', got: $(cat "$work/err")"
}
expect_refusal "is not a loopback address" "$source_dir/mappings" --listen 0.0.0.0:0
expect_refusal "is not a loopback address" "$source_dir/mappings" --listen '[::]:0'
expect_refusal "is not a folder of mapping files" "$work/nowhere" --listen 127.0.0.1:0
expect_refusal "must look like address:port" "$source_dir/mappings" --listen localhost
echo "playground_cli: non-loopback addresses and missing folders are refused"

# Starts the playground with the given options; sets pid and url (the address it printed).
start() {
  "$binary" playground "$source_dir/mappings" "$@" >"$work/out" 2>"$work/err" &
  pid=$!
  url=""
  for _ in $(seq 1 200); do
    url=$(grep -o 'http://[^ ]*/' "$work/out" || true)
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "the playground did not start: $(cat "$work/err")"
    sleep 0.05
  done
  fail "the playground printed no address"
}

# Stops it with `signal` and requires exit status 0.
stop() {
  kill "-$1" "$pid"
  local status=0
  wait "$pid" || status=$?
  pid=""
  [ "$status" -eq 0 ] || fail "exit status $status after SIG$1: $(cat "$work/err")"
}

start --listen 127.0.0.1:0
# Whole answers before grep: `curl | grep -q` fails under pipefail when grep stops early.
curl -sf "$url" >"$work/page" || fail "no page at $url"
grep -q "<title>ordergate playground</title>" "$work/page" || fail "not the playground at $url"
stop TERM
start --listen 0.0.0.0:0 --allow-remote
port=${url##*:}
curl -sf "http://127.0.0.1:${port%/}/api/files" >"$work/files" &&
  grep -q '"imshop-order-history"' "$work/files" ||
  fail "no API on every address with --allow-remote"
stop INT
echo "playground_cli: serves its page, --allow-remote listens on every address, SIGTERM and SIGINT stop it"
