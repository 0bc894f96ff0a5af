#!/usr/bin/env bash
# Every C++ file of the project follows .clang-format (fix with: clang-format -i FILE).
# Usage: format_check.sh ORDERGATE_BINARY SOURCE_DIR (the binary is not used)
set -euo pipefail
cd "$2"
command -v clang-format >/dev/null || { echo "format_check: clang-format is missing (scripts/install-deps.sh)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find include src tests bench -name '*.[ch]pp')
# One clang-format for every file (a process per file took ~50 s); only when that finds
# something is each file checked on its own, to name the ones to fix.
if clang-format --dry-run --Werror "${files[@]}" >/dev/null 2>&1; then
  echo "format_check: ${#files[@]} files formatted"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not formatted with .clang-format: %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "format_check: clang-format failed on all the files together but on none alone" >&2
exit 1
