#!/usr/bin/env python3
"""Checks the outputs of examples/quickstart (usage: quickstart_check.py OUT_DIR).

The quickstart is the whole path: every design must have gone recipe -> microstructure -> networks
-> homogenization -> cell model, with the cell model fed by the microstructure's numbers (not by
estimates), every C/10 discharge must end at the protocol's voltage cut-off (not on a filled
particle surface at the end of the stoichiometry window, as it did near 3.5 V while the NCM811 OCP
table stopped at x = 0.95), and the sweep over the NCM811 share must show what the example is
about: the ionic effective conductivity falls as NCM811 crowds out the catholyte, the 1C capacity
is electron-limited at the low share and levels off above it (the ohmic drop of the thin,
NCM811-rich layers at 1C fits between the end of the OCP plateau and the cut-off)."""
import csv
import json
import os
import re
import sys

out = sys.argv[1]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


for path in ["study.json", "designs.csv", "report/index.html"]:
    assert os.path.isfile(os.path.join(out, path)), f"missing {path}"
rows = list(csv.DictReader(open(os.path.join(out, "designs.csv"))))
study = json.load(open(os.path.join(out, "study.json")))
n = len(study["designs"])
assert n >= 4 and len(rows) == n, f"{len(rows)} rows for {n} designs (the trend needs at least 4)"
assert all(r["status"] == "ok" for r in rows), [r["reason"] for r in rows if r["status"] != "ok"]
assert study["provenance"]["git sha"]

PROPERTIES = ["effective ionic conductivity", "effective electronic conductivity",
              "active area per volume", "utilizable fraction"]
by_share = {}
for r in rows:
    d = os.path.join(out, "designs", r["id"])
    for f in ["design.toml", "results.json", "COMPLETE", "microstructure.json",
              "slice_xy_mid.png", "slice_xz_mid.png"]:
        check(os.path.isfile(os.path.join(d, f)), f"missing designs/{r['id']}/{f}")
    result = json.load(open(os.path.join(d, "results.json")))
    s, t = result["scalars"], result["texts"]
    check(result["stages"] == ["design", "microstructure", "analysis", "cell"],
          f"{r['id']}: stages {result['stages']}")
    # The analysis ran on a real structure and its numbers reached the cell model unchanged.
    check(s.get("Microstructure voxels [-]", 0) > 1e4, f"{r['id']}: no microstructure voxels")
    for name in ["Effective ionic conductivity [S.m-1]", "Active area per volume [m-1]",
                 "Utilizable active material fraction [-]", "Ionic tortuosity factor [-]"]:
        check(s.get(name, 0) > 0, f"{r['id']}: analysis output '{name}' missing or zero")
    for network in ["ionic", "electronic"]:
        check(s.get(f"{network.capitalize()} solver converged [-]") == 1.0,
              f"{r['id']}: {network} solve not converged")
    check(s["Cell-model effective ionic conductivity [S.m-1]"] ==
          s["Effective ionic conductivity [S.m-1]"],
          f"{r['id']}: the cell model did not take the microstructure's ionic conductivity")
    check(s["Cell-model active area per volume [m-1]"] == s["Active area per volume [m-1]"],
          f"{r['id']}: the cell model did not take the microstructure's active area")
    # Every property says where it came from.
    for p in PROPERTIES:
        source = t.get("Source of " + p, "")
        check(source.startswith("microstructure") or "Bruggeman estimate" in source,
              f"{r['id']}: no source for {p}: '{source}'")
    check(t.get("Source of effective ionic conductivity") == "microstructure",
          f"{r['id']}: ionic conductivity not from the microstructure")
    # microstructure.json records the generation targets (the report of the generator).
    phases = json.load(open(os.path.join(d, "microstructure.json")))["Phases"]
    active = [p for p in phases if p["Role"] == "active"]
    check(active and all(p["Target volume fraction"] is not None for p in active),
          f"{r['id']}: microstructure.json has no target volume fraction for the active phase")
    # The C/10 discharges (the experiment and the C/10 rate test) end at the cut-off the design
    # asks for: their last recorded voltage is the "until ... V" of design.toml.
    cutoff = float(re.search(r"until ([0-9.]+) V",
                             open(os.path.join(d, "design.toml")).read()).group(1))
    check("Experiment step ends" not in t,
          f"{r['id']}: a step ended before its cut-off: {t.get('Experiment step ends')}")
    for name in ["Voltage curve", "Rate test at C/10"]:
        table = result["tables"].get(name)
        if check(table is not None, f"{r['id']}: no table '{name}'"):
            end = table["rows"][-1][table["columns"].index("Voltage [V]")]
            check(abs(end - cutoff) < 1e-3,
                  f"{r['id']}: '{name}' ends at {end:.3f} V, not at the {cutoff} V cut-off")
    share = float(r["cathode.components.NCM811.fraction"].split()[0])
    by_share[share] = s

shares = sorted(by_share)
sigma = [by_share[x]["Effective ionic conductivity [S.m-1]"] for x in shares]
check(all(a > b for a, b in zip(sigma, sigma[1:])),
      f"ionic sigma_eff does not fall with the NCM811 share: {sigma}")
check(sigma[0] > 10 * sigma[-1], f"ionic sigma_eff falls by less than 10x: {sigma}")
fast = [by_share[x]["Capacity at 1C [mA.h.g-1]"] for x in shares]
peak = max(range(len(fast)), key=lambda i: fast[i])
# Electron-limited side: without carbon the sparse NCM811 network of the lowest share costs more
# than 5 % of the best 1C capacity, and the capacity rises with the share up to the best.
check(peak > 0 and fast[peak] > 1.05 * fast[0],
      f"1C capacity is not clearly electron-limited at the lowest share: {fast}")
check(all(a <= b * 1.001 for a, b in zip(fast[:peak], fast[1:peak + 1])),
      f"1C capacity does not rise with the share up to its best: {fast}")
# Above the best share the ionic sigma_eff keeps falling, but at 1C the 30-43 um layers lose less
# than 1 %: their ohmic drop (below 0.2 V) fits into the steep end of the OCP before the cut-off.
# (While the discharge ended on the window at x = 0.95, 90 wt% lost 10 % here: an artefact.)
check(all(f > 0.99 * fast[peak] for f in fast[peak:]),
      f"1C capacity falls by more than 1 % above its best share: {fast}")
slow = [by_share[x]["Capacity at C/10 [mA.h.g-1]"] for x in shares]
check(all(f <= c * 1.001 for f, c in zip(fast, slow)), f"1C above C/10: {fast} vs {slow}")

html = open(os.path.join(out, "report", "index.html")).read()
for title in ["Effective ionic conductivity", "Voltage curve", "Rate capability",
              "Utilizable active material fraction"]:
    check(title in html, f"report lacks '{title}'")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"PASS: {n} designs through the whole path, C/10 to the cut-off; ionic sigma_eff "
      f"{sigma[0]:.3g} -> {sigma[-1]:.3g} S/m; 1C capacity {fast[0]:.0f} mA.h/g at "
      f"{shares[0]:g} wt%, best {fast[peak]:.0f} at {shares[peak]:g} wt%, {fast[-1]:.0f} at "
      f"{shares[-1]:g} wt%")
