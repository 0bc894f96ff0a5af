#!/usr/bin/env bash
# Validates every bundled mapping file (mappings/*.json, mappings/*.jsonc) against
# the editors' JSON Schema, mappings/schema/mapping.schema.json (draft 2020-12), so
# that the schema and the mappings cannot drift apart.
#
# usage: schema_check.sh ORDERGATE_BINARY SOURCE_DIR [FILE...]
#   ORDERGATE_BINARY  unused (CTest passes it to every script test)
#   SOURCE_DIR        the source tree: SOURCE_DIR/mappings is checked
#   FILE...           check these files instead of the bundled mappings
#
# Mapping files are JSONC: comments and trailing commas are removed (outside
# strings only) before validation. Needs python3 with the jsonschema module
# (Debian: python3-jsonschema, installed by scripts/install-deps.sh).
# Exit status: 0 when every file is valid, 1 when one is not, 2 when the check
# cannot run.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 ORDERGATE_BINARY SOURCE_DIR [FILE...]" >&2
  exit 2
fi
source_dir=$2
shift 2
schema="$source_dir/mappings/schema/mapping.schema.json"
if [ ! -f "$schema" ]; then
  echo "schema_check: no schema at $schema" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  files=("$@")
else
  shopt -s nullglob
  files=("$source_dir"/mappings/*.json "$source_dir"/mappings/*.jsonc)
  shopt -u nullglob
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "schema_check: no mapping files under $source_dir/mappings" >&2
  exit 2
fi

. "$(dirname "$0")/lib/python.sh"
python=$(python_with jsonschema python3-jsonschema)

exec "$python" - "$schema" "${files[@]}" <<'PYTHON'
import json
import sys

import jsonschema


def strip_jsonc(text):
    """Removes // and /* */ comments and trailing commas outside strings.

    Comments become spaces (newlines are kept) so that JSON syntax errors still
    point at the right line and column."""
    out = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
            continue
        if c == '"':
            in_string = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise ValueError("unterminated /* comment")
            end += 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:end]))
            i = end
        else:
            out.append(c)
            i += 1
    return drop_trailing_commas("".join(out))


def drop_trailing_commas(text):
    """Blanks a comma whose next significant character closes an array or object."""
    chars = list(text)
    in_string = False
    i, n = 0, len(chars)
    while i < n:
        c = chars[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == ",":
            j = i + 1
            while j < n and chars[j] in " \t\r\n":
                j += 1
            if j < n and chars[j] in "]}":
                chars[i] = " "
        i += 1
    return "".join(chars)


def where(path):
    out = "$"
    for p in path:
        out += "[%d]" % p if isinstance(p, int) else ("." + p if p.isidentifier() else "[%s]" % json.dumps(p))
    return out


def kind_of(doc):
    """The file kind as the loader decides it (src/mapping/loader.cpp)."""
    if not isinstance(doc, dict):
        return None
    kinds = [k for k in ("route", "job", "document") if k in doc]
    if len(kinds) == 1:
        return kinds[0]
    if not kinds and "tables" in doc:
        return "tables"
    return None


BRANCH = {"route": "routeFile", "job": "jobFile", "document": "documentFile", "tables": "tableLibrary"}


def leaf_errors(error):
    """The innermost errors under oneOf/anyOf/if-then failures: what to fix."""
    if not error.context:
        return [error]
    leaves = []
    for e in error.context:
        leaves.extend(leaf_errors(e))
    # The alternative that went deepest is the one the author meant.
    deepest = max(len(e.absolute_path) for e in leaves)
    return [e for e in leaves if len(e.absolute_path) == deepest]


def main():
    schema_path, files = sys.argv[1], sys.argv[2:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.Draft202012Validator
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    bad = 0
    for name in files:
        try:
            with open(name, encoding="utf-8") as f:
                doc = json.loads(strip_jsonc(f.read()))
        except (OSError, ValueError) as e:
            print("%s: cannot read: %s" % (name, e))
            bad += 1
            continue
        if validator.is_valid(doc):
            print("ok   %s" % name)
            continue
        bad += 1
        print("FAIL %s" % name)
        kind = kind_of(doc)
        if kind is None:
            print("  $: a mapping file has exactly one of \"route\", \"job\" or \"document\" (or only \"tables\")")
            continue
        # Report against the schema of the file's kind: errors of the other kinds
        # (\"'job' is a required property\") would only be noise.
        narrowed = dict(schema)
        narrowed.pop("oneOf", None)
        narrowed["$ref"] = "#/$defs/" + BRANCH[kind]
        seen = set()
        for error in sorted(validator_class(narrowed).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
            for leaf in leaf_errors(error):
                line = "  %s: %s" % (where(leaf.absolute_path), leaf.message)
                if line not in seen:
                    seen.add(line)
                    print(line)
    print("%d file%s checked, %d invalid" % (len(files), "" if len(files) == 1 else "s", bad))
    return 1 if bad else 0


sys.exit(main())
PYTHON
