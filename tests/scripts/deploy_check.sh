#!/usr/bin/env bash
# Checks the deployment examples under deploy/ without deploying anything.
#
# usage: deploy_check.sh ORDERGATE_BINARY SOURCE_DIR
#   ORDERGATE_BINARY  the built ordergate (put in the units' ExecStart for
#                     `systemd-analyze verify`, and its shared libraries are compared
#                     with the Docker runtime packages)
#   SOURCE_DIR        the source tree
#
# What is checked:
#   systemd  `systemd-analyze verify` of deploy/systemd/*.service and *.timer (skipped
#            when systemd-analyze is missing; any warning about our units fails), the
#            hardening the units promise, TimeoutStopSec covering the drain, and the
#            offline security score (printed).
#   k8s      every deploy/k8s/*.yaml parses (python3 yaml) and passes yamllint when
#            present; the mappings ConfigMap equals mappings/; probes, replicas,
#            termination grace vs. preStop + drain, one sync scheduler (CronJob with
#            concurrencyPolicy Forbid, no GIFTCARD_SYNC_INTERVAL on the replicas), the
#            kustomization lists every manifest.
#   haproxy  `haproxy -c -f deploy/haproxy/haproxy.cfg`; it checks /readyz and binds
#            127.0.0.1 only.
#   docker   deploy/docker/Dockerfile builds with the scripts the tests use
#            (scripts/install-deps.sh, scripts/build.sh, as scripts/test.sh does), its
#            COPY sources exist, the runtime stage is non-root with a /healthz
#            HEALTHCHECK, and its packages provide every shared library the binary
#            needs (when ldd and dpkg are available).
# Needs python3 with yaml (python3-yaml) and haproxy: scripts/install-deps.sh.
# Exit status: 0 all good, 1 a check failed, 2 the checks cannot run.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 ORDERGATE_BINARY SOURCE_DIR" >&2
  exit 2
fi
ordergate=$(realpath "$1")
src=$(realpath "$2")
deploy="$src/deploy"
failures=0
say() { printf 'deploy_check: %s\n' "$*"; }
bad() {
  printf 'deploy_check: FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}

. "$(dirname "$0")/lib/python.sh"
python=$(python_with yaml python3-yaml)
work=$(mktemp -d "${TMPDIR:-/tmp}/ordergate-deploy-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------- systemd
units=("$deploy"/systemd/*.service "$deploy"/systemd/*.timer)
if command -v systemd-analyze >/dev/null 2>&1; then
  for unit in "${units[@]}"; do
    sed "s#/usr/local/bin/ordergate#$ordergate#g" "$unit" >"$work/$(basename "$unit")"
  done
  copies=()
  for unit in "${units[@]}"; do copies+=("$work/$(basename "$unit")"); done
  if ! (cd "$work" && systemd-analyze verify "${copies[@]}") >"$work/verify.out" 2>&1; then
    cat "$work/verify.out" >&2
    bad "systemd-analyze verify refused the units"
  elif grep -q 'ordergate' "$work/verify.out"; then
    # Unknown keys and bad values are only warnings for systemd: not for us.
    cat "$work/verify.out" >&2
    bad "systemd-analyze verify warned about the units"
  else
    say "systemd: verify ok ($(cd "$deploy/systemd" && echo *.service *.timer))"
  fi
  for unit in "$work"/*.service; do
    level=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | grep -o 'Overall exposure level.*' || true)
    [ -n "$level" ] && say "systemd: $level"
  done
else
  say "systemd: systemd-analyze not installed, verify skipped"
fi

"$python" - "$deploy/systemd" <<'PYTHON' || bad "systemd unit contents"
import configparser, glob, os, re, sys

folder = sys.argv[1]
problems = []

def read(name):
    """A unit as {section: {key: [values]}} (systemd allows repeated keys)."""
    unit = {}
    section = None
    for line in open(os.path.join(folder, name), encoding="utf-8"):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = unit.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        section.setdefault(key.strip(), []).append(value.strip())
    return unit

def one(unit, section, key):
    values = unit.get(section, {}).get(key, [])
    return values[-1] if values else None

def env_of(unit):
    env = {}
    for v in unit["Service"].get("Environment", []):
        k, _, val = v.partition("=")
        env[k] = val
    return env

def seconds(text):
    m = re.fullmatch(r"(\d+)(s|min)?", text or "")
    if not m:
        return None
    return int(m.group(1)) * (60 if m.group(2) == "min" else 1)

hardening = {
    "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
    "PrivateTmp": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": "",
}
for name in ("ordergate.service", "ordergate-sync@.service"):
    u = read(name)
    s = u.get("Service", {})
    for k, v in hardening.items():
        if one(u, "Service", k) != v:
            problems.append("%s: %s=%s expected" % (name, k, v))
    if one(u, "Service", "User") in (None, "root"):
        problems.append("%s: needs a dedicated User=" % name)
    env = env_of(u)
    state = env.get("ORDERGATE_STATE_DIR")
    if s.get("ReadWritePaths") != [state]:
        problems.append("%s: ReadWritePaths must be exactly the state folder %s, not %s"
                        % (name, state, s.get("ReadWritePaths")))
    if not one(u, "Service", "EnvironmentFile"):
        problems.append("%s: secrets come from an EnvironmentFile=" % name)

u = read("ordergate.service")
env = env_of(u)
if one(u, "Service", "KillSignal") != "SIGTERM":
    problems.append("ordergate.service: KillSignal=SIGTERM starts the drain")
if "-HUP" not in (one(u, "Service", "ExecReload") or ""):
    problems.append("ordergate.service: ExecReload must send SIGHUP")
if not (one(u, "Service", "Restart") or "").startswith("on-"):
    problems.append("ordergate.service: needs a Restart= policy")
grace = int(env.get("ORDERGATE_DRAIN_GRACE_SECONDS", "2"))
deadline = int(env.get("ORDERGATE_DRAIN_SECONDS", "10"))
stop = seconds(one(u, "Service", "TimeoutStopSec"))
if stop is None or stop <= grace + deadline:
    problems.append("ordergate.service: TimeoutStopSec (%s) must exceed drain grace + deadline (%d + %d)"
                    % (one(u, "Service", "TimeoutStopSec"), grace, deadline))
for var in ("GIFTCARD_SYNC_INTERVAL", "WEBASYST_SYNC_INTERVAL"):
    if var in env:
        problems.append("ordergate.service: %s would run a job twice (a timer runs it)" % var)
for timer_name, job in (("ordergate-giftcard-sync.timer", "giftcard-market"),
                        ("ordergate-watcher.timer", "webasyst-imshop")):
    timer = read(timer_name)
    if one(timer, "Timer", "Unit") != "ordergate-sync@%s.service" % job:
        problems.append("%s: must start ordergate-sync@%s.service" % (timer_name, job))
sync = read("ordergate-sync@.service")
if (one(sync, "Service", "ExecStart") or "").split()[-2:] != ["sync", "%i"]:
    problems.append("ordergate-sync@.service: must run `ordergate sync %i`")
for p in problems:
    print("  " + p, file=sys.stderr)
print("deploy_check: systemd: unit contents %s" % ("ok" if not problems else "WRONG"))
sys.exit(1 if problems else 0)
PYTHON

# ---------------------------------------------------------------- k8s
"$python" - "$deploy/k8s" "$src/mappings" <<'PYTHON' || bad "Kubernetes manifests"
import glob, os, re, sys
import yaml

folder, mappings = sys.argv[1], sys.argv[2]
problems = []
docs = {}
for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
    name = os.path.basename(path)
    try:
        loaded = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d is not None]
    except yaml.YAMLError as e:
        problems.append("%s: not YAML: %s" % (name, e))
        continue
    for d in loaded:
        if not isinstance(d, dict) or "apiVersion" not in d or "kind" not in d:
            problems.append("%s: a document without apiVersion and kind" % name)
            continue
        if d["kind"] != "Kustomization" and not (d.get("metadata") or {}).get("name"):
            problems.append("%s: %s without metadata.name" % (name, d["kind"]))
        docs.setdefault(d["kind"], []).append((name, d))
print("deploy_check: k8s: %d files parsed: %s" % (
    len(glob.glob(os.path.join(folder, "*.yaml"))), ", ".join(sorted(docs))))

def only(kind, name=None):
    found = [d for n, d in docs.get(kind, []) if name is None or d["metadata"]["name"] == name]
    if len(found) != 1:
        problems.append("expected one %s%s, found %d" % (kind, " " + name if name else "", len(found)))
        return {}
    return found[0]

# The mappings ConfigMap is mappings/ byte for byte.
cm = only("ConfigMap", "ordergate-mappings").get("data") or {}
files = {os.path.basename(p): open(p, encoding="utf-8").read()
         for p in glob.glob(os.path.join(mappings, "*.json")) + glob.glob(os.path.join(mappings, "*.jsonc"))}
if set(cm) != set(files):
    problems.append("configmap-mappings.yaml has %s, mappings/ has %s: run deploy/k8s/make-configmap.sh"
                    % (sorted(cm), sorted(files)))
for k in sorted(set(cm) & set(files)):
    if cm[k] != files[k]:
        problems.append("configmap-mappings.yaml: %s differs from mappings/%s: run deploy/k8s/make-configmap.sh" % (k, k))

env = only("ConfigMap", "ordergate-env").get("data") or {}
intervals = ("GIFTCARD_SYNC_INTERVAL", "WEBASYST_SYNC_INTERVAL")
for var in intervals:
    if var in env:
        problems.append("ordergate-env: %s would make every replica run a sync job" % var)
grace = int(env.get("ORDERGATE_DRAIN_GRACE_SECONDS", 2))
deadline = int(env.get("ORDERGATE_DRAIN_SECONDS", 10))

dep = only("Deployment", "ordergate")
if dep:
    spec = dep["spec"]
    pod = spec["template"]["spec"]
    c = pod["containers"][0]
    if spec.get("replicas", 1) < 2:
        problems.append("Deployment: at least 2 replicas")
    if (c.get("readinessProbe") or {}).get("httpGet", {}).get("path") != "/readyz":
        problems.append("Deployment: readinessProbe must GET /readyz")
    if (c.get("livenessProbe") or {}).get("httpGet", {}).get("path") != "/healthz":
        problems.append("Deployment: livenessProbe must GET /healthz")
    pre = ((c.get("lifecycle") or {}).get("preStop") or {})
    sleep = 0
    if "exec" in pre:
        cmd = pre["exec"]["command"]
        sleep = int(cmd[-1]) if cmd and cmd[0] == "sleep" else 0
    elif "sleep" in pre:
        sleep = int(pre["sleep"]["seconds"])
    if sleep <= 0:
        problems.append("Deployment: preStop should wait for endpoint removal")
    tgp = pod.get("terminationGracePeriodSeconds", 30)
    if tgp <= sleep + grace + deadline:
        problems.append("Deployment: terminationGracePeriodSeconds %d must exceed preStop %d + grace %d + drain %d"
                        % (tgp, sleep, grace, deadline))
    res = c.get("resources") or {}
    if not res.get("requests") or not (res.get("limits") or {}).get("memory"):
        problems.append("Deployment: resources requests and a memory limit")
    for e in c.get("env", []):
        if e.get("name") in intervals:
            problems.append("Deployment: %s would make every replica run a sync job" % e["name"])
    refs = [r.get("configMapRef", r.get("secretRef", {})).get("name") for r in c.get("envFrom", [])]
    if "ordergate-secrets" not in refs:
        problems.append("Deployment: tokens come from the Secret ordergate-secrets")
    if not docs.get("Secret"):
        problems.append("no Secret for the tokens")

svc = only("Service", "ordergate")
hpa = only("HorizontalPodAutoscaler")
if hpa and hpa["spec"]["scaleTargetRef"].get("name") != "ordergate":
    problems.append("HorizontalPodAutoscaler: must scale the ordergate Deployment")
if hpa and hpa["spec"].get("minReplicas", 1) < 2:
    problems.append("HorizontalPodAutoscaler: minReplicas below 2")

pvcs = [d["metadata"]["name"] for n, d in docs.get("PersistentVolumeClaim", [])]
jobs = {}
for _, cron in docs.get("CronJob", []):
    name = cron["metadata"]["name"]
    if cron["spec"].get("concurrencyPolicy") != "Forbid":
        problems.append("CronJob %s: concurrencyPolicy must be Forbid" % name)
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    c = pod["containers"][0]
    args = c.get("args", [])
    if args[:1] != ["sync"] or len(args) < 2:
        problems.append("CronJob %s: must run `ordergate sync JOB`" % name)
        continue
    jobs[args[1]] = name
    claims = [v["persistentVolumeClaim"]["claimName"] for v in pod.get("volumes", []) if "persistentVolumeClaim" in v]
    if not claims or any(c_ not in pvcs for c_ in claims):
        problems.append("CronJob %s: its state folder needs a PersistentVolumeClaim defined here (%s vs %s)"
                        % (name, claims, pvcs))
    mounts = {m["name"]: m["mountPath"] for m in c.get("volumeMounts", [])}
    state_volume = [v["name"] for v in pod.get("volumes", []) if "persistentVolumeClaim" in v]
    if state_volume and mounts.get(state_volume[0]) != env.get("ORDERGATE_STATE_DIR"):
        problems.append("CronJob %s: the claim must be mounted at ORDERGATE_STATE_DIR (%s)"
                        % (name, env.get("ORDERGATE_STATE_DIR")))
if sorted(jobs) != ["giftcard-market", "webasyst-imshop"]:
    problems.append("CronJobs: one per bundled job (giftcard-market, webasyst-imshop), not %s" % sorted(jobs))

kust = only("Kustomization")
if kust:
    listed = set(kust.get("resources", []))
    present = {os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.yaml"))} - {"kustomization.yaml"}
    if listed != present:
        problems.append("kustomization.yaml lists %s, the folder has %s" % (sorted(listed), sorted(present)))

for p in problems:
    print("  " + p, file=sys.stderr)
print("deploy_check: k8s: manifests %s" % ("ok" if not problems else "WRONG"))
sys.exit(1 if problems else 0)
PYTHON

if command -v yamllint >/dev/null 2>&1; then
  config=()
  [ -f "$deploy/k8s/.yamllint" ] && config=(-c "$deploy/k8s/.yamllint")
  if yamllint -s "${config[@]}" "$deploy"/k8s/*.yaml; then
    say "k8s: yamllint ok"
  else
    bad "yamllint"
  fi
else
  say "k8s: yamllint not installed, skipped"
fi

# ---------------------------------------------------------------- haproxy
cfg="$deploy/haproxy/haproxy.cfg"
if ! command -v haproxy >/dev/null 2>&1; then
  bad "haproxy is not installed (scripts/install-deps.sh installs it)"
elif haproxy -c -q -f "$cfg"; then
  say "haproxy: $(haproxy -v | head -n 1 | cut -d' ' -f1-3) accepts deploy/haproxy/haproxy.cfg"
else
  bad "haproxy -c refused deploy/haproxy/haproxy.cfg"
fi
grep -Eq '^\s*http-check send meth GET uri /readyz' "$cfg" || bad "haproxy.cfg: the health check must GET /readyz"
if grep -E '^\s*bind ' "$cfg" | grep -vEq '^\s*bind 127\.0\.0\.1:'; then
  bad "haproxy.cfg: the example binds 127.0.0.1 only"
fi

# ---------------------------------------------------------------- docker
libs=""
if command -v ldd >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
  # The Debian package of every shared library the binary loads (sanitizer runtimes of
  # an ASan build are not what the image ships).
  for lib in $(ldd "$ordergate" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do
    case "$(basename "$lib")" in libasan* | libubsan* | liblsan* | libtsan*) continue ;; esac
    pkg=$(dpkg -S "$(realpath "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    [ -z "$pkg" ] && pkg=$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    [ -n "$pkg" ] && libs+="$pkg"$'\n'
  done
  libs=$(printf '%s' "$libs" | sort -u | tr '\n' ' ')
fi
"$python" - "$deploy/docker/Dockerfile" "$src" "$libs" <<'PYTHON' || bad "Dockerfile"
import glob, os, re, shlex, sys

path, src, libs = sys.argv[1], sys.argv[2], sys.argv[3].split()
text = open(path, encoding="utf-8").read()
# Instructions with their continuation lines joined, comments dropped.
instructions = []
current = ""
for line in text.splitlines():
    if not current and (not line.strip() or line.lstrip().startswith("#")):
        continue
    current += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
    if not line.endswith("\\"):
        instructions.append(current.strip())
        current = ""
stages = []
for ins in instructions:
    word, _, rest = ins.partition(" ")
    word = word.upper()
    if word == "FROM":
        stages.append({"from": rest, "ins": []})
    elif stages:
        stages[-1]["ins"].append((word, rest))
problems = []
if len(stages) < 2:
    problems.append("a multi-stage build (build and runtime stages)")
else:
    build, runtime = stages[0], stages[-1]
    if not build["from"].startswith("debian:bookworm"):
        problems.append("the build stage starts FROM debian:bookworm")
    if not runtime["from"].split()[0].startswith("debian:bookworm"):
        problems.append("the runtime stage is debian:bookworm(-slim)")
    runs = " ; ".join(rest for word, rest in build["ins"] if word == "RUN")
    test_sh = open(os.path.join(src, "scripts/test.sh"), encoding="utf-8").read()
    for script in ("scripts/install-deps.sh", "scripts/build.sh"):
        if script not in runs:
            problems.append("the build stage must RUN %s (the tests' build steps)" % script)
        if script not in test_sh:
            problems.append("scripts/test.sh no longer uses %s: the Dockerfile builds differently from the tests" % script)
    for stage in stages:
        for word, rest in stage["ins"]:
            if word != "COPY" or "--from=" in rest:
                continue
            sources = [a for a in shlex.split(rest) if not a.startswith("--")][:-1]
            for s in sources:
                if s != "." and not glob.glob(os.path.join(src, s)):
                    problems.append("COPY %s: no such path in the source tree" % s)
    users = [rest for word, rest in runtime["ins"] if word == "USER"]
    if not users or users[-1].split(":")[0] in ("0", "root"):
        problems.append("the runtime stage runs as a non-root USER")
    checks = [rest for word, rest in runtime["ins"] if word == "HEALTHCHECK"]
    if not checks or "/healthz" not in checks[-1]:
        problems.append("the runtime stage has a HEALTHCHECK on /healthz")
    runtime_runs = " ".join(rest for word, rest in runtime["ins"] if word == "RUN")
    if "-dev" in runtime_runs or "install-deps.sh" in runtime_runs:
        problems.append("the runtime stage installs no -dev packages")
    for pkg in ("tzdata", "ca-certificates"):
        if not re.search(r"\b%s\b" % re.escape(pkg), runtime_runs):
            problems.append("the runtime stage installs %s" % pkg)
    base = {"libc6", "libgcc-s1"}  # in every Debian image
    missing = [p for p in libs if p not in base and not re.search(r"(?<![-\w])%s(?![-\w])" % re.escape(p), runtime_runs)]
    if missing:
        problems.append("the binary needs %s, which the runtime stage does not install" % ", ".join(missing))
    elif libs:
        print("deploy_check: docker: runtime packages cover the binary's libraries (%s)" % " ".join(libs))
    else:
        print("deploy_check: docker: ldd/dpkg unavailable, library check skipped")
ignore = os.path.join(os.path.dirname(path), "Dockerfile.dockerignore")
if not os.path.exists(ignore) or "build" not in open(ignore).read():
    problems.append("Dockerfile.dockerignore keeps the build trees out of the context")
for p in problems:
    print("  " + p, file=sys.stderr)
print("deploy_check: docker: Dockerfile %s (not built: no Docker engine here)" % ("ok" if not problems else "WRONG"))
sys.exit(1 if problems else 0)
PYTHON

if [ "$failures" -ne 0 ]; then
  echo "deploy_check: $failures check(s) failed" >&2
  exit 1
fi
say "ok"
