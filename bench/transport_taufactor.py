#!/usr/bin/python3
"""Runs the reference tool TauFactor (tldr-group/taufactor, with PyTorch on the CPU) on .npy images.

Usage: TAUFACTOR_SRC=/path/to/taufactor/checkout transport_taufactor.py IMAGE.npy [...] [--conv 1e-2]
Prints one line per image: tau along numpy axis 0 (taufactor's transport direction), wall time of
the solve and iterations. Label 1 conducts. Threads: torch uses OMP_NUM_THREADS / all cores.
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.environ.get("TAUFACTOR_SRC", "."))
import taufactor as tf  # noqa: E402
import torch  # noqa: E402


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    conv = 1e-2
    if "--conv" in sys.argv:
        conv = float(sys.argv[sys.argv.index("--conv") + 1])
        args.remove(sys.argv[sys.argv.index("--conv") + 1])
    for path in args:
        img = np.load(path)
        if path.endswith(".npz"):
            img = img["img"]
        for axis in ([0] if "--axes" not in sys.argv else [0, 1, 2]):
            oriented = np.ascontiguousarray(np.moveaxis(img, axis, 0))
            start = time.perf_counter()
            cpu_start = time.process_time()
            solver = tf.Solver(oriented, device="cpu")
            solver.solve(verbose=False, conv_crit=conv)
            seconds = time.perf_counter() - start
            cpu_seconds = time.process_time() - cpu_start
            tau = float(np.ravel(solver.tau)[0])
            print(f"taufactor {os.path.basename(path)} numpy-axis {axis}: tau {tau:.6f} "
                  f"iterations {solver.iter} time {seconds:.2f} s cpu {cpu_seconds:.2f} s conv_crit {conv} "
                  f"threads {torch.get_num_threads()}", flush=True)


if __name__ == "__main__":
    main()
