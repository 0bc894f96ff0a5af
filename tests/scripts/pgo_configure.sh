#!/usr/bin/env bash
# The ORDERGATE_PGO option that scripts/build-pgo.sh drives: configured with GCC,
# "generate" instruments compiling and linking, "use" compiles with the profile (code
# the training never ran optimised as usual, a stale profile a warning); any other
# value, clang, or the sanitizers refuse to configure. Configures scratch trees only
# (no build): scripts/build-pgo.sh itself is run and measured in docs/performance.md.
#
# usage: pgo_configure.sh ORDERGATE_BINARY SOURCE_DIR
set -euo pipefail
src=$2
command -v g++ >/dev/null || { echo "pgo_configure: g++ is missing" >&2; exit 77; }
scratch=$(mktemp -d /tmp/ordergate-pgo.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

configure() {  # configure NAME COMPILER cmake-options...
  local name=$1 compiler=$2
  shift 2
  CXX=$compiler cmake -G Ninja -S "$src" -B "$scratch/$name" -DORDERGATE_TESTS=OFF \
    -DORDERGATE_BENCH=OFF "$@" >"$scratch/$name.log" 2>&1
}
fail() {
  echo "pgo_configure: $*" >&2
  exit 1
}
# The compile command of one source of the gateway, and its link command.
compile_flags() { grep -m1 '"command".*src/core/error.cpp' "$scratch/$1/compile_commands.json"; }
link_flags() { grep -m1 -A3 '^build ordergate:' "$scratch/$1/build.ninja" | grep LINK_FLAGS || true; }

configure generate g++ -DORDERGATE_PGO=generate || fail "generate did not configure: $(cat "$scratch/generate.log")"
compile_flags generate | grep -q -- '-fprofile-generate -fprofile-update=prefer-atomic' ||
  fail "generate does not instrument compiling: $(compile_flags generate)"
link_flags generate | grep -q -- '-fprofile-generate' || fail "generate does not instrument linking"
compile_flags generate | grep -q -- '-fprofile-use' && fail "generate compiles with a profile"

configure use g++ -DORDERGATE_PGO=use || fail "use did not configure: $(cat "$scratch/use.log")"
for flag in -fprofile-use -fprofile-partial-training -Wno-missing-profile -Wno-error=coverage-mismatch; do
  compile_flags use | grep -q -- "$flag" || fail "use compiles without $flag: $(compile_flags use)"
done
compile_flags use | grep -q -- '-fprofile-generate' && fail "use instruments"

configure off g++ || fail "the default did not configure"
compile_flags off | grep -q -- '-fprofile' && fail "the default build uses profiles: $(compile_flags off)"

configure bogus g++ -DORDERGATE_PGO=always && fail "ORDERGATE_PGO=always configured"
grep -q "ORDERGATE_PGO must be generate, use or empty, not 'always'" "$scratch/bogus.log" ||
  fail "no reason given for ORDERGATE_PGO=always: $(cat "$scratch/bogus.log")"
configure sanitized g++ -DORDERGATE_PGO=use -DORDERGATE_SANITIZE=ON &&
  fail "ORDERGATE_PGO with the sanitizers configured"
grep -q "do not go together" "$scratch/sanitized.log" || fail "no reason given with the sanitizers"
if command -v clang++ >/dev/null; then
  configure clang clang++ -DORDERGATE_PGO=use && fail "ORDERGATE_PGO with clang configured"
  grep -q "ORDERGATE_PGO needs GCC" "$scratch/clang.log" || fail "no reason given with clang"
fi
echo "pgo_configure: generate, use, the default and the refusals as expected"
