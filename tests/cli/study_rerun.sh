#!/usr/bin/env bash
# A design's design.toml re-runs that design alone with the same id and the same numbers.
# usage: study_rerun.sh EXE STUDY.toml
set -u
exe=$1 study=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$exe" -q run "$study" --out "$work/all" >/dev/null || { echo "FAIL: study run"; exit 1; }
status=0
for dir in "$work"/all/designs/*/; do
  id=$(basename "$dir")
  "$exe" -q run "$dir/design.toml" --out "$work/one-$id" >/dev/null || { echo "FAIL: rerun of $id"; exit 1; }
  python3 - "$dir/results.json" "$work/one-$id/designs/$id/results.json" <<'PY' || status=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for key in ("id", "status", "scalars", "texts", "tables"):
    if a[key] != b[key]:
        sys.exit(f"FAIL: {a['id']}: '{key}' differs on re-run")
PY
done
[ "$status" -eq 0 ] && echo "PASS: every design.toml reproduces its design"
