"""Checks a replicated study's outputs: designs.csv has one row per design point with the mean and
the sample standard deviation of each numeric result over the replicates, replicates.csv one row
per replicate, and the means are the means of the replicate rows.
usage: replicates_check.py OUT POINTS REPLICATES"""
import csv
import math
import sys

out, points, replicates = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
summary = list(csv.DictReader(open(f"{out}/designs.csv")))
rows = list(csv.DictReader(open(f"{out}/replicates.csv")))
assert len(summary) == points, f"{len(summary)} point rows, expected {points}"
assert len(rows) == points * replicates, f"{len(rows)} replicate rows"
name = "Effective ionic conductivity [S.m-1]"
assert name + " std" in summary[0], "no std column"
for point in summary:
    mine = [float(r[name]) for r in rows if r["point"] == point["point"]]
    assert len(mine) == replicates and int(point["replicates [-]"]) == replicates
    mean = sum(mine) / len(mine)
    std = math.sqrt(sum((v - mean) ** 2 for v in mine) / (len(mine) - 1))
    assert math.isclose(float(point[name]), mean, rel_tol=1e-12), (point[name], mean)
    assert math.isclose(float(point[name + " std"]), std, rel_tol=1e-9, abs_tol=1e-300)
    assert std > 0.0, "the replicates drew the same structure"
    assert point["status"] == "ok", point["reason"]
print("PASS")
