#!/usr/bin/env python3
"""A run's design folder records the generator's targets in microstructure.json (not null).

usage: check_generation_targets.py MICROSTRUCTURE_JSON..."""
import json
import sys

assert len(sys.argv) == 2, f"expected one design folder, got {sys.argv[1:]}"
phases = json.load(open(sys.argv[1]))["Phases"]
drawn = {p["Name"]: p["Target volume fraction"] for p in phases if p["Role"] in ("active", "pore")}
assert set(drawn) == {"NCM811", "pore"}, drawn
missing = [name for name, target in drawn.items() if target is None]
assert not missing, f"null target volume fraction for {missing}"
assert abs(drawn["pore"] - 0.10) < 1e-12, drawn
print("PASS: targets", drawn)
