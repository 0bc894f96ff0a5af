#!/usr/bin/env bash
# Heap allocations per document of one micro benchmark, by the function that asked for
# them, with callgrind: two runs (50 and 100 documents) and their difference, so that
# loading the mappings does not count.
#
#   bench/allocations.sh BUILD_DIR [BENCHMARK]     (default BM_order_history)
set -euo pipefail
bin="$1/bench/bench_translate"
bench="${2:-BM_order_history}"
dir=$(mktemp -d /tmp/ordergate-allocs.XXXXXX)
trap 'rm -rf "$dir"' EXIT
for n in 50 100; do
  BENCH_ITERATIONS=$n valgrind --tool=callgrind --callgrind-out-file="$dir/$n.out" "$bin" \
    --benchmark_filter="^$bench(/|$)" >/dev/null 2>&1
done
python3 - "$dir/50.out" "$dir/100.out" "$bench" <<'PY'
import collections, re, sys

def calls_to_new(path):
    """Calls of operator new per calling function, from a callgrind output file."""
    names, counts = {}, collections.Counter()
    caller = callee = None
    def name(token):
        m = re.match(r"\((\d+)\)(?: (.*))?", token)
        if not m:
            return token
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), "?")
    for line in open(path):
        if line.startswith("fn="):
            caller = name(line[3:].strip())
        elif line.startswith("cfn="):
            callee = name(line[4:].strip())
        elif line.startswith("calls=") and callee is not None:
            if callee.startswith("operator new"):
                counts[caller] += int(line[6:].split()[0])
            callee = None
    return counts

small, large = calls_to_new(sys.argv[1]), calls_to_new(sys.argv[2])
per_doc = {fn: (large[fn] - small[fn]) / 50 for fn in large}
shown = sorted(((n, fn) for fn, n in per_doc.items() if n > 0), reverse=True)
print(f"{sys.argv[3]}: {sum(n for n, _ in shown):g} heap allocations per document\n")
for n, fn in shown:
    fn = re.sub(r"ordergate::|\(anonymous namespace\)::|std::__cxx11::", "", fn)
    fn = re.sub(r"<char, std::char_traits<char>, std::allocator<char> >", "", fn)
    print(f"{n:6g}  {fn[:150]}")
PY
