#!/usr/bin/env bash
# Every #include of include/ and src/ follows the module table of docs/architecture.md:
# a module includes its own headers and the public headers of the modules it may use
# (directly or through them), private headers are spelled "<module>/<file>.hpp", and
# codec and mapping include neither Boost.Beast nor Boost.Asio.
# Usage: include_graph.sh ORDERGATE_BINARY SOURCE_DIR (the binary is not used)
set -euo pipefail
cd "$2"
exec python3 - <<'EOF'
import pathlib, re, sys

doc = pathlib.Path("docs/architecture.md").read_text()
table = doc.split("<!-- include graph:", 1)[1]
uses = {}
for line in table.splitlines()[1:]:
    if not line.startswith("|"):
        if uses:
            break
        continue
    cells = [c.strip() for c in line.strip("|").split("|")]
    name = cells[0].strip("`")
    if name in ("module", "---"):
        continue
    uses[name] = [] if cells[2] == "—" else [u.strip() for u in cells[2].split(",")]
if len(uses) < 5:
    sys.exit("include_graph: the module table of docs/architecture.md was not found")

def reach(module, seen=None):
    seen = set() if seen is None else seen
    for u in uses.get(module, []):
        if u not in seen:
            seen.add(u)
            reach(u, seen)
    return seen

no_network = {"codec", "mapping"}
include = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)
problems = []
files = 0
for root in ("include/ordergate", "src"):
    for path in sorted(pathlib.Path(root).rglob("*.[ch]pp")):
        module = path.relative_to(root).parts[0]
        if module not in uses:
            problems.append(f"{path}: module '{module}' is not in the table")
            continue
        files += 1
        allowed = reach(module) | {module}
        for m in include.finditer(path.read_text()):
            kind, target = m.group(1), m.group(2)
            line = path.read_text()[: m.start()].count("\n") + 1
            where = f"{path}:{line}: {kind}{target}"
            if kind == "<":
                if module in no_network and target.startswith(("boost/beast", "boost/asio")):
                    problems.append(f"{where}: {module} must not know about Beast or Asio")
                continue
            parts = target.split("/")
            if parts[0] == "ordergate" and len(parts) > 2:
                if parts[1] not in allowed:
                    problems.append(f"{where}: {module} may not use {parts[1]}")
            elif len(parts) == 2 and (pathlib.Path("src") / target).exists():
                if parts[0] != module:
                    problems.append(f"{where}: private header of {parts[0]}")
            else:
                problems.append(f'{where}: spell it "ordergate/<module>/..." or "<module>/..."')

for p in problems:
    print(p, file=sys.stderr)
if problems:
    sys.exit(f"include_graph: {len(problems)} includes break docs/architecture.md's table")
print(f"include_graph: {files} files follow the module table")
EOF
