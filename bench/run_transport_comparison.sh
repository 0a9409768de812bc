#!/usr/bin/env bash
# Effective conductivity / tortuosity: cathodelab against the reference tool TauFactor
# (tldr-group/taufactor, PyTorch on the CPU), on the same images, in one run.
#
#   bench/run_transport_comparison.sh [BUILD_DIR] [WORK_DIR] [--with-500]
#
# Needs: Debian python3-numpy python3-torch python3-scipy python3-skimage python3-psutil
# python3-matplotlib python3-ipython (TauFactor imports them), and a TauFactor checkout in
# $TAUFACTOR_SRC (default WORK_DIR/taufactor; cloned at commit fb64548 if absent and online).
# Writes WORK_DIR/results.txt. Run it on a quiet machine: `uptime` is recorded before and after.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/bench}
WORK=${2:-/tmp/cathodelab_transport_bench}
WITH_500=${3:-}
TAUFACTOR_SRC=${TAUFACTOR_SRC:-$WORK/taufactor}
THREADS=${OMP_NUM_THREADS:-$(nproc)}
export OMP_NUM_THREADS=$THREADS TAUFACTOR_SRC
mkdir -p "$WORK"
RESULTS=$WORK/results.txt

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCATHODELAB_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD" -j"$THREADS" --target bench_transport_bench >/dev/null
BENCH=$BUILD/bench/bench_transport_bench

if [ ! -d "$TAUFACTOR_SRC/taufactor" ]; then
  git clone -q https://github.com/tldr-group/taufactor "$TAUFACTOR_SRC"
  git -C "$TAUFACTOR_SRC" checkout -q fb64548
fi

for n in 200 300; do
  [ -f "$WORK/spheres40_$n.npy" ] || /usr/bin/python3 "$ROOT/bench/transport_make_images.py" "$WORK" "$n"
done

{
  echo "# $(date -u) threads=$THREADS host=$(hostname)"
  echo "# load before: $(uptime)"
  for n in 200 300; do
    # Transport along numpy axis 0 in both tools (cathodelab's z).
    "$BENCH" "$WORK/spheres40_$n.npy" z 1e-6
    /usr/bin/python3 "$ROOT/bench/transport_taufactor.py" "$WORK/spheres40_$n.npy"
  done
  if [ "$WITH_500" = "--with-500" ]; then
    f=$WORK/tf2_500.npy
    [ -f "$f" ] || /usr/bin/python3 -c "import numpy as np; np.save('$f', np.load('$ROOT/../shared/voxel/tf2_paper_500cube.npz')['img'])" 2>/dev/null \
      || /usr/bin/python3 -c "import numpy as np; np.save('$f', np.load('/work/shared/voxel/tf2_paper_500cube.npz')['img'])"
    /usr/bin/time -v "$BENCH" "$f" all 1e-6 2>&1 | grep -E "axis|Maximum resident|Elapsed"
  fi
  echo "# load after: $(uptime)"
} | tee "$RESULTS"
