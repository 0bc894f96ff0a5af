#!/usr/bin/env bash
# Every C++ file of the project follows .clang-format (fix with: clang-format -i FILE).
# Usage: format_check.sh ORDERGATE_BINARY SOURCE_DIR (the binary is not used)
set -euo pipefail
cd "$2"
command -v clang-format >/dev/null || { echo "format_check: clang-format is missing (scripts/install-deps.sh)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find include src tests bench -name '*.[ch]pp')
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not formatted with .clang-format: %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "format_check: ${#files[@]} files formatted"
