# Sourced by the test scripts (not a test itself: CTest runs tests/scripts/*.sh only).

# Prints the first python3 that can import MODULE: a pyenv or venv python3 may lack
# the Debian package that /usr/bin/python3 has, or the other way round. Exits 2 (the
# checks cannot run) with a hint naming PACKAGE when there is none.
#   python=$(python_with yaml python3-yaml)
python_with() {
  local module=$1 package=$2 candidate
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import $module" >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  echo "$(basename "$0"): python3 with the $module module is needed (apt-get install $package, or scripts/install-deps.sh)" >&2
  exit 2
}
