#!/usr/bin/env bash
# usage: common_random_numbers.sh EXE STUDY
# Common random numbers: a sweep over keys that do not shape the cathode (here the positive
# collector's thickness and the stack pressure) must reuse the byte-identical structure (labels and
# particle ids in microstructure.vti), while a sweep over a key that does shape it (the NCM811
# fraction) gives different structures; and the same study run twice gives the same bytes.
set -u
exe=$1 study=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

sweep() {  # name, then the [sweep] lines
  local name=$1; shift
  { cat "$study"; printf '\n[current_collectors.positive]\nmaterial = "Al"\nthickness = "12 um"\n';
    printf '\n[sweep]\n'; printf '%s\n' "$@"; } > "$out/$name.toml"
  "$exe" -q run "$out/$name.toml" --out "$out/$name" > "$out/$name.log" 2>&1 \
    || { cat "$out/$name.log"; fail "run $name exited $?"; }
}

sweep collector '"current_collectors.positive.thickness" = ["6 um", "20 um"]'
sweep pressure '"cell.stack_pressure" = ["5 MPa", "50 MPa"]'
sweep fraction '"cathode.components.NCM811.fraction" = ["70 wt%", "80 wt%"]'

for name in collector pressure fraction; do
  n=$(ls "$out/$name"/designs/*/microstructure.vti | wc -l)
  [ "$n" -eq 2 ] || fail "$name: $n structures, expected 2"
done
sums() { sha256sum "$out/$1"/designs/*/microstructure.vti | awk '{print $1}' | sort -u | wc -l; }
[ "$(sums collector)" -eq 1 ] || fail "collector thickness changed the structure"
[ "$(sums pressure)" -eq 1 ] || fail "stack pressure changed the structure"
[ "$(sums fraction)" -eq 2 ] || fail "the NCM811 fraction did not change the structure"
# The structures of the non-structural sweeps are the base design's structure.
a=$(sha256sum "$out"/collector/designs/*/microstructure.vti | awk '{print $1}' | sort -u)
b=$(sha256sum "$out"/pressure/designs/*/microstructure.vti | awk '{print $1}' | sort -u)
[ "$a" = "$b" ] || fail "the same recipe gave different structures in two studies"
# Effective conductivities follow: equal across the collector sweep.
python3 - "$out/collector/designs.csv" <<'PY' || fail "effective conductivity differs"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
values = {r["Effective ionic conductivity [S.m-1]"] for r in rows}
assert len(values) == 1, values
PY
echo PASS
