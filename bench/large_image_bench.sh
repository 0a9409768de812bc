#!/usr/bin/env bash
# Whole-command time and peak memory of `cathodelab build` + `cathodelab analyze` on a large
# three-phase composite (NCM811 + Li6PS5Cl + VGCF fibres, 15 % pore) of N^3 voxels at 0.25 um.
# Never pass/fail: the figures go to docs/benchmarks.md by hand, with the machine load.
#   bench/large_image_bench.sh path/to/cathodelab N [output-dir] [axes]
# Example: bench/large_image_bench.sh build/release/bin/cathodelab 512 /tmp/large z
set -euo pipefail
exe=${1:?path to cathodelab}
n=${2:?edge length in voxels}
out=${3:-/tmp/cathodelab_large_$n}
axes=${4:-z}
mkdir -p "$out"
edge_um=$(python3 -c "print($n * 0.25)")
cat >"$out/recipe.toml" <<TOML
# $n^3 voxels at 0.25 um: NCM811 55 %, Li6PS5Cl 28 %, VGCF 2 %, pore the rest.
[microstructure]
seed = 7
domain = "$edge_um um"
thickness = "$edge_um um"
voxel_size = "0.25 um"

[microstructure.phases.pore]
shape = "pore"
placement = "remainder"

[microstructure.phases.NCM811]
role = "active"
volume_fraction = 0.55
diameter = "5 um"
spread = 1.25
overlap = 0.05

[microstructure.phases.Li6PS5Cl]
role = "electrolyte"
volume_fraction = 0.28
diameter = "1.5 um"
spread = 1.25
overlap = 0.25

[microstructure.phases.VGCF]
role = "additive"
shape = "fibre"
volume_fraction = 0.02
fibre_diameter = "150 nm"
length = "8 um"
length_spread = 1.3
TOML
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load: $(uptime)"
timing="wall %e s, CPU %U+%S s, peak RSS %M kB"
/usr/bin/time -f "build:   $timing" "$exe" build "$out/recipe.toml" --out "$out/structure" 2>&1 |
  grep -E "^build:|error" || true
/usr/bin/time -f "analyze: $timing" "$exe" analyze "$out/structure" --axes "$axes" \
  --out "$out/analysis" 2>&1 | grep -E "^analyze:|error" || true
python3 - "$out/analysis/analysis.json" <<'PY'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except OSError:
    sys.exit("no analysis.json")
def walk(node, path=""):
    if isinstance(node, dict):
        keys = ("Effective conductivity [S.m-1]", "Tortuosity factor", "Iterations", "Converged")
        if any(k in node for k in keys):
            print(path, {k: node[k] for k in keys if k in node})
        for k, v in node.items():
            walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, f"{path}[{i}]")
walk(j)
PY
