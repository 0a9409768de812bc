#!/usr/bin/env python3
"""Checks the outputs of examples/quickstart (usage: quickstart_check.py OUT_DIR).

The quickstart is the whole path: every design must have gone recipe -> microstructure -> networks
-> homogenization -> cell model, with the cell model fed by the microstructure's numbers (not by
estimates), and the sweep over the NCM811 share must show the trade-off the example is about:
the ionic effective conductivity falls as NCM811 crowds out the catholyte, and the 1C capacity
peaks at an intermediate share."""
import csv
import json
import os
import sys

out = sys.argv[1]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


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
    share = float(r["cathode.components.NCM811.fraction"].split()[0])
    by_share[share] = s

shares = sorted(by_share)
sigma = [by_share[x]["Effective ionic conductivity [S.m-1]"] for x in shares]
check(all(a > b for a, b in zip(sigma, sigma[1:])),
      f"ionic sigma_eff does not fall with the NCM811 share: {sigma}")
check(sigma[0] > 10 * sigma[-1], f"ionic sigma_eff falls by less than 10x: {sigma}")
fast = [by_share[x]["Capacity at 1C [mA.h.g-1]"] for x in shares]
peak = max(range(len(fast)), key=lambda i: fast[i])
check(0 < peak < len(fast) - 1, f"1C capacity peaks at an end of the sweep: {fast}")
check(fast[peak] > 1.05 * fast[0] and fast[peak] > 1.05 * fast[-1],
      f"1C capacity has no clear interior peak: {fast}")
slow = [by_share[x]["Capacity at C/10 [mA.h.g-1]"] for x in shares]
check(all(f <= c * 1.001 for f, c in zip(fast, slow)), f"1C above C/10: {fast} vs {slow}")

html = open(os.path.join(out, "report", "index.html")).read()
for title in ["Effective ionic conductivity", "Voltage curve", "Rate capability",
              "Utilizable active material fraction"]:
    check(title in html, f"report lacks '{title}'")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"PASS: {n} designs through the whole path; ionic sigma_eff {sigma[0]:.3g} -> "
      f"{sigma[-1]:.3g} S/m; 1C capacity peaks at {shares[peak]:g} wt% "
      f"({fast[peak]:.0f} mA.h/g; ends {fast[0]:.0f}, {fast[-1]:.0f})")
