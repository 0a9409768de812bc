#!/usr/bin/env python3
"""Checks the outputs of examples/quickstart (usage: quickstart_check.py OUT_DIR)."""
import csv
import json
import os
import sys

out = sys.argv[1]
for path in ["study.json", "designs.csv", "report/index.html"]:
    assert os.path.isfile(os.path.join(out, path)), f"missing {path}"
rows = list(csv.DictReader(open(os.path.join(out, "designs.csv"))))
assert len(rows) == 12, f"{len(rows)} designs, expected 12"
assert all(r["status"] == "ok" for r in rows), [r["reason"] for r in rows if r["status"] != "ok"]
for r in rows:
    d = os.path.join(out, "designs", r["id"])
    for f in ["design.toml", "results.json", "COMPLETE"]:
        assert os.path.isfile(os.path.join(d, f)), f"missing designs/{r['id']}/{f}"
energy = {}
for r in rows:
    e = float(r["Specific energy [W.h.kg-1]"])
    assert 150 < e < 500, f"specific energy {e} Wh/kg out of the plausible range"
    assert 300 < float(r["Energy density [W.h.L-1]"]) < 1500
    assert 0.5 < float(r["Areal capacity [mA.h.cm-2]"]) < 10
    energy[(float(r["cathode.components.NCM811.fraction"].split()[0]), r["separator.material"])] = e
for sep in ["Li6PS5Cl", "Li3InCl6"]:
    series = [energy[(f, sep)] for f in sorted({k[0] for k in energy})]
    assert series == sorted(series), f"specific energy not rising with CAM fraction ({sep})"
for f in {k[0] for k in energy}:
    # Li3InCl6 (about 2.6 g/cm3) is denser than Li6PS5Cl (about 1.64): a heavier separator.
    assert energy[(f, "Li6PS5Cl")] > energy[(f, "Li3InCl6")]
study = json.load(open(os.path.join(out, "study.json")))
assert study["provenance"]["git sha"] and len(study["designs"]) == 12
print("PASS: 12 designs, specific energy", round(min(energy.values())), "-", round(max(energy.values())), "Wh/kg")
