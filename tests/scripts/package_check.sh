#!/usr/bin/env bash
# Builds the Debian package from the build tree of ORDERGATE_BINARY, checks its contents,
# then installs it on this machine, uses it, removes it and purges it.
#
# usage: package_check.sh ORDERGATE_BINARY SOURCE_DIR
#
#   build    `cpack -G DEB` in the binary's build tree (output in a scratch folder):
#            ordergate_<version>_<arch>.deb
#   contents the binary, the mappings with their golden cases, the units pointing at
#            /usr/bin/ordergate and /usr/share/ordergate/mappings, the manual page, the
#            maintainer scripts; Depends names the runtime libraries (dpkg-shlibdeps)
#   install  (root only) dpkg -i; the system user, /etc/ordergate/ordergate.env (0640
#            root:ordergate), /var/lib/ordergate; `ordergate check` and `ordergate test`
#            of the installed mappings, as the service user too; `systemd-analyze verify`
#            of the installed units; the manual page renders without warnings
#   remove   with the units enabled (systemctl enable), dpkg -r leaves the configuration
#            and the state; dpkg -P removes them and the units' links, and leaves no file
#            of the package
#
# The install part needs root and a machine where no package "ordergate" is installed
# (it never touches one); without either it is skipped and the script exits 77 (CTest
# shows the test as skipped). A build with sanitizers is not what ships: the script
# then exits 77 at once. Runs of this script on one machine take turns (a lock), and a
# run that fails halfway still purges what it installed.
# Needs dpkg-dev (dpkg-shlibdeps) and systemd-analyze: scripts/install-deps.sh.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 ORDERGATE_BINARY SOURCE_DIR" >&2
  exit 2
fi
ordergate=$(realpath "$1")
src=$(realpath "$2")
build=$(dirname "$ordergate")
skip=77
say() { printf 'package_check: %s\n' "$*"; }
fail() {
  printf 'package_check: FAIL: %s\n' "$*" >&2
  exit 1
}

[ -f "$build/CPackConfig.cmake" ] || fail "$build is not a configured build tree (no CPackConfig.cmake)"
if grep -q '^ORDERGATE_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  say "skipped: $build is a sanitizer build; the package is built and tested from the normal build"
  exit $skip
fi
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (scripts/install-deps.sh installs it)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ordergate-package-check.XXXXXX")
installed_here=false
user_existed=true
cleanup() {
  if $installed_here; then
    dpkg -P ordergate >/dev/null 2>&1 || true
    if ! $user_existed; then
      userdel ordergate >/dev/null 2>&1 || true
      groupdel ordergate >/dev/null 2>&1 || true
    fi
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------- build
(cd "$build" && cpack -G DEB -B "$work/out") >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log" >&2
  fail "cpack -G DEB failed"
}
version=$(sed -n 's/^project(ordergate VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
deb="$work/out/ordergate_${version}_${arch}.deb"
[ -f "$deb" ] || fail "no $(basename "$deb") in $(ls "$work/out")"
say "built $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, installed size $(dpkg-deb -f "$deb" Installed-Size) KiB"

# ---------------------------------------------------------------- contents
[ "$(dpkg-deb -f "$deb" Package)" = ordergate ] || fail "Package is not ordergate"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
# The package names in Depends, one a line (versions and alternatives dropped).
depends_names=$(awk -v RS='[,|]' '{ sub(/\(.*/, ""); if (NF) print $1 }' <<<"$depends")
depends_on() { grep -qxF -- "$1" <<<"$depends_names"; }
for pkg in libc6 libstdc++6 libssl3 libpugixml1v5 libdate-tz3 adduser tzdata; do
  depends_on "$pkg" || fail "Depends lacks $pkg: $depends"
done
# Every shared library the binary loads comes from a package named in Depends.
for lib in $(ldd "$ordergate" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do
  pkg=$(dpkg -S "$(realpath "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
  [ -z "$pkg" ] && pkg=$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
  [ -z "$pkg" ] && continue
  depends_on "$pkg" || fail "the binary loads $lib of $pkg, which Depends does not name: $depends"
done
# Its files (not folders), as installed paths.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sed 's#^\./#/#' >"$work/files"
expect_file() { grep -qx "$1" "$work/files" || fail "the package has no $1"; }
expect_file /usr/bin/ordergate
expect_file /usr/share/man/man1/ordergate.1.gz
expect_file /usr/share/ordergate/ordergate.env.example
expect_file /usr/share/doc/ordergate/flows.md
for f in "$src"/mappings/*.jsonc "$src"/mappings/schema/mapping.schema.json; do
  expect_file "/usr/share/ordergate/mappings/${f#"$src"/mappings/}"
done
[ "$(grep -c '^/usr/share/ordergate/mappings/tests/.*case.jsonc$' "$work/files")" = \
  "$(find "$src/mappings/tests" -name case.jsonc | wc -l)" ] || fail "the package lacks golden cases"
units=(ordergate.service ordergate-sync@.service ordergate-giftcard-sync.timer ordergate-watcher.timer)
for u in "${units[@]}"; do expect_file "/usr/lib/systemd/system/$u"; done
if grep -Ev '^/usr/(bin|lib/systemd/system|share/(ordergate|doc/ordergate|man/man1))/' "$work/files"; then
  fail "the package installs files outside its folders (listed above)"
fi
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "no executable $script"
done
dpkg-deb -x "$deb" "$work/root"
grep -q '^ExecStart=/usr/bin/ordergate serve$' "$work/root/usr/lib/systemd/system/ordergate.service" ||
  fail "ordergate.service does not run /usr/bin/ordergate"
for u in ordergate.service ordergate-sync@.service; do
  grep -q '^Environment=ORDERGATE_MAPPINGS=/usr/share/ordergate/mappings$' "$work/root/usr/lib/systemd/system/$u" ||
    fail "$u does not default to the installed mappings"
done
if grep -l '/usr/local' "$work/root/usr/lib/systemd/system/"*; then
  fail "installed units still name /usr/local"
fi
[ "$(zcat "$work/root/usr/share/doc/ordergate/changelog.gz" | sed -n '1s/^ordergate (\([^)]*\)).*/\1/p')" = "$version" ] ||
  fail "the package changelog's last entry is not version $version (deploy/debian/changelog)"
zcat "$work/root/usr/share/man/man1/ordergate.1.gz" | grep -q "^\.TH ORDERGATE 1 .* \"ordergate $version\"" ||
  fail "the manual page's title line does not name version $version (docs/ordergate.1)"
say "contents ok: $(wc -l <"$work/files") paths; Depends: $depends"

# ---------------------------------------------------------------- install, use, remove
if [ "$(id -u)" -ne 0 ]; then
  say "skipped: installing needs root (the package was built and its contents checked)"
  exit $skip
fi
# One run at a time on this machine: the package and its user are machine-wide.
exec 9>/run/lock/ordergate-package-check.lock
flock -w 900 9 || fail "another package_check held the lock for 15 minutes"
if status=$(dpkg-query -W -f='${db:Status-Abbrev}' ordergate 2>/dev/null) && [ "${status:1:1}" != n ]; then
  say "skipped: a package ordergate is already on this machine (dpkg status '$status'); it is left alone. Remove it (dpkg -P ordergate) to run the install checks"
  exit $skip
fi
getent passwd ordergate >/dev/null || user_existed=false
# systemd's links and deb-systemd-helper's records of ordergate units before the test:
# after the purge they must be the same.
unit_links() { find /etc/systemd /var/lib/systemd -name '*ordergate*' 2>/dev/null | sort; }
unit_links >"$work/links-before"

# dpkg takes turns with any other dpkg or apt-get run: retry while its lock is held.
dpkg_run() {
  for _ in $(seq 120); do
    if dpkg "$@" >"$work/dpkg.log" 2>&1; then return 0; fi
    grep -qi 'lock' "$work/dpkg.log" || break
    sleep 2
  done
  cat "$work/dpkg.log" >&2
  return 1
}

installed_here=true
dpkg_run -i "$deb" || fail "dpkg -i failed"
say "installed"
[ "$(dpkg-query -W -f='${db:Status-Abbrev}' ordergate)" = "ii " ] || fail "dpkg does not say installed"
[ "$(getent passwd ordergate | cut -d: -f6,7)" = /var/lib/ordergate:/usr/sbin/nologin ] ||
  fail "the ordergate user: $(getent passwd ordergate)"
[ "$(stat -c '%U:%G %a' /var/lib/ordergate)" = "ordergate:ordergate 750" ] ||
  fail "/var/lib/ordergate is $(stat -c '%U:%G %a' /var/lib/ordergate)"
[ "$(stat -c '%U:%G %a' /etc/ordergate/ordergate.env)" = "root:ordergate 640" ] ||
  fail "/etc/ordergate/ordergate.env is $(stat -c '%U:%G %a' /etc/ordergate/ordergate.env)"
cmp -s /etc/ordergate/ordergate.env /usr/share/ordergate/ordergate.env.example ||
  fail "/etc/ordergate/ordergate.env is not the example"
[ "$(/usr/bin/ordergate version)" = "ordergate $version" ] || fail "ordergate version: $(/usr/bin/ordergate version)"

clean_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/var/lib/ordergate)
"${clean_env[@]}" /usr/bin/ordergate check /usr/share/ordergate/mappings >"$work/check.out" 2>&1 || {
  cat "$work/check.out" >&2
  fail "ordergate check of the installed mappings"
}
say "ordergate check of the installed mappings: $(tail -n 1 "$work/check.out")"
# As the service user, from its home: every file it needs is readable to it.
(cd / && "${clean_env[@]}" setpriv --reuid=ordergate --regid=ordergate --clear-groups \
  /usr/bin/ordergate check /usr/share/ordergate/mappings) >"$work/check-user.out" 2>&1 || {
  cat "$work/check-user.out" >&2
  fail "ordergate check as the user ordergate"
}
(cd / && "${clean_env[@]}" /usr/bin/ordergate test /usr/share/ordergate/mappings) >"$work/golden.out" 2>&1 || {
  cat "$work/golden.out" >&2
  fail "ordergate test of the installed golden cases"
}
say "golden cases of the installed mappings: $(tail -n 1 "$work/golden.out")"

if command -v systemd-analyze >/dev/null 2>&1; then
  installed_units=()
  for u in "${units[@]}"; do installed_units+=("/usr/lib/systemd/system/$u"); done
  if ! systemd-analyze verify "${installed_units[@]}" >"$work/verify.out" 2>&1; then
    cat "$work/verify.out" >&2
    fail "systemd-analyze verify refused the installed units"
  elif grep -q ordergate "$work/verify.out"; then
    cat "$work/verify.out" >&2
    fail "systemd-analyze verify warned about the installed units"
  fi
  say "systemd-analyze verify: the installed units are ok"
else
  fail "systemd-analyze is missing"
fi
if command -v man >/dev/null 2>&1; then
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l /usr/share/man/man1/ordergate.1.gz 2>&1 >/dev/null || true)
  [ -z "$warnings" ] || fail "the manual page renders with warnings: $warnings"
  say "manual page renders"
fi

# An operator enables the units (systemctl works on the files without a running systemd;
# no unit is started), so that removal and purge must deal with the links.
if command -v systemctl >/dev/null 2>&1; then
  systemctl --no-reload enable ordergate.service ordergate-giftcard-sync.timer ordergate-watcher.timer \
    >"$work/enable.out" 2>&1 || {
    cat "$work/enable.out" >&2
    fail "systemctl enable of the installed units"
  }
  [ -L /etc/systemd/system/timers.target.wants/ordergate-watcher.timer ] || fail "systemctl enable made no link"
fi
# State a job left, to see purge remove it.
install -o ordergate -g ordergate -m 600 /dev/null /var/lib/ordergate/giftcard-market.state.json
dpkg_run -r ordergate || fail "dpkg -r failed"
[ "$(dpkg-query -W -f='${db:Status-Abbrev}' ordergate)" = "rc " ] || fail "after dpkg -r the status is not rc"
while read -r f; do
  [ -e "$f" ] && fail "$f is still there after dpkg -r"
done <"$work/files"
[ -d /usr/share/ordergate ] && fail "/usr/share/ordergate is still there after dpkg -r"
[ -f /etc/ordergate/ordergate.env ] || fail "dpkg -r removed the configuration"
[ -f /var/lib/ordergate/giftcard-market.state.json ] || fail "dpkg -r removed the jobs' state"
say "removed (dpkg -r): the files are gone, /etc/ordergate and /var/lib/ordergate stay"

dpkg_run -P ordergate || fail "dpkg -P failed"
installed_here=false
status=$(dpkg-query -W -f='${db:Status-Abbrev}' ordergate 2>/dev/null || true)
case "$status" in "" | un* | pn*) ;; *) fail "after dpkg -P the status is '$status'" ;; esac
[ -e /etc/ordergate ] && fail "/etc/ordergate is still there after dpkg -P"
[ -e /var/lib/ordergate ] && fail "/var/lib/ordergate is still there after dpkg -P"
unit_links >"$work/links-after"
if ! cmp -s "$work/links-before" "$work/links-after"; then
  diff "$work/links-before" "$work/links-after" >&2 || true
  fail "dpkg -P left links or records of the units (above, > lines)"
fi
say "purged (dpkg -P): /etc/ordergate, /var/lib/ordergate and the units' links are gone"
if ! $user_existed; then
  # The package keeps its system user on purge, as Debian packages do; this test made it.
  userdel ordergate >/dev/null 2>&1 || true
  groupdel ordergate >/dev/null 2>&1 || true
fi
say "ok"
