#!/usr/bin/env python3
"""Converts the COMSOL DFN results (Marquis2019 / Dualfoil LCO-graphite set) published in the
PyBaMM repository into the small CSV files of this folder (see README.md).

Usage: convert.py DIR  where DIR holds comsol_01C.json ... comsol_3C.json, e.g. extracted with
  git show edb139eec9ad83779daab076e009f81eb8cc4166:pybamm/input/comsol_results/comsol_1C.json
"""
import json
import pathlib
import sys

RATES = {"01C": "0.1C", "05C": "0.5C", "1C": "1C", "2C": "2C", "3C": "3C"}


def main(src: pathlib.Path, dst: pathlib.Path) -> None:
    for key, label in RATES.items():
        d = json.loads((src / f"comsol_{key}.json").read_text())
        t, v = d["time"], d["voltage"]
        # 200 equally spaced times: small enough to keep every row.
        with open(dst / f"voltage_{label}.csv", "w") as f:
            f.write('"Time [s]","Voltage [V]"\n')
            for ti, vi in zip(t, v):
                f.write(f"{ti:.6f},{vi:.9f}\n")
        # Electrolyte profiles at three stored times (no interpolation in time); every second
        # x node (the nodes at 0, 100, 125 and 225 um, i.e. the domain ends, are kept).
        x = d["x"]
        ce, pe = d["c_e"], d["phi_e"]  # [x][t]
        n = len(t)
        with open(dst / f"electrolyte_{label}.csv", "w") as f:
            f.write('"Time [s]","x [m]","Electrolyte concentration [mol.m-3]",'
                    '"Electrolyte potential [V]"\n')
            for k in (n // 4, n // 2, (3 * n) // 4):
                for i in range(0, len(x), 2):
                    f.write(f"{t[k]:.6f},{x[i]:.9e},{ce[i][k]:.6f},{pe[i][k]:.9f}\n")


if __name__ == "__main__":
    here = pathlib.Path(__file__).resolve().parent
    main(pathlib.Path(sys.argv[1]), here)
