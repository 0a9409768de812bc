#!/usr/bin/env bash
# Times `cathodelab build` on the issue-3 benchmark structure (38 M voxels, ~1e5 particles) and a
# smaller one, recording wall time and peak memory (GNU time). Usage:
#   bench/microstructure_bench.sh [path/to/cathodelab] [output-dir]
# Never pass/fail: figures go to docs/benchmarks.md by hand, with `uptime`.
set -euo pipefail
exe=${1:-build/microstructure/bin/cathodelab}
out=${2:-/tmp/cathodelab_microstructure_bench}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
echo "machine: $(nproc) cores; load: $(uptime)"
for recipe in "$here/microstructure_bench.toml"; do
  /usr/bin/time -f "wall %e s, peak RSS %M kB, user %U s" "$exe" build "$recipe" --out "$out/bench" 2>&1 |
    grep -E "built|wall|target" || true
done
python3 - "$out/bench/microstructure.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print("generation time [s]:", round(j["Generation time [s]"], 2), " particles:", j["Particle count"],
      " voxels:", j["Voxels [-]"], " packing sweeps:", j["Packing"]["Sweeps"])
PY
