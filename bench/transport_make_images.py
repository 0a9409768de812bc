#!/usr/bin/python3
"""Deterministic benchmark images for the effective-conductivity comparison.

Random overlapping spheres (radius R voxels, centres uniform in a box padded by R so the image has
no edge bias) are added until the solid covers 60 % of the voxels, i.e. 40 % porosity; the pore
phase (label 1) conducts, the spheres (label 0) do not. Seeded, so the same command gives the same
file. Usage: transport_make_images.py OUT_DIR [N ...]   (default N = 200 300)

With --three-phase the spheres are of two kinds, chosen at random per sphere (a voxel covered by
several spheres takes the kind of the first): label 0 (insulator) and label 2 (a poor conductor,
e.g. active material next to the pore/carbon phase label 1); written as spheres3_N.npy. The
benchmark gives label 2 the conductivity 1/contrast.
"""
import sys
import numpy as np


def overlapping_spheres(n, radius=6.0, porosity=0.40, seed=2024, three_phase=False):
    rng = np.random.default_rng(seed)
    kinds = np.random.default_rng(seed + 1)
    solid = np.zeros((n, n, n), dtype=bool)
    label = np.ones((n, n, n), dtype=np.uint8)
    r = int(np.ceil(radius))
    offsets = np.arange(-r, r + 1)
    dz, dy, dx = np.meshgrid(offsets, offsets, offsets, indexing="ij")
    ball = (dx**2 + dy**2 + dz**2) <= radius**2
    bz, by, bx = dz[ball], dy[ball], dx[ball]
    target_solid = int(round((1.0 - porosity) * n**3))
    count = 0
    while count < target_solid:
        for cz, cy, cx in rng.integers(-r, n + r, size=(256, 3)):
            z, y, x = bz + cz, by + cy, bx + cx
            keep = (z >= 0) & (z < n) & (y >= 0) & (y < n) & (x >= 0) & (x < n)
            z, y, x = z[keep], y[keep], x[keep]
            new = ~solid[z, y, x]
            count += int(np.count_nonzero(new))
            solid[z, y, x] = True
            if three_phase:
                label[z[new], y[new], x[new]] = 2 if kinds.random() < 0.5 else 0
            if count >= target_solid:
                break
    if three_phase:
        return label  # 1 = pore, 2 = poor conductor, 0 = insulator
    return (~solid).astype(np.uint8)  # 1 = pore, conducting


def main():
    args = [a for a in sys.argv[1:] if a != "--three-phase"]
    three_phase = "--three-phase" in sys.argv[1:]
    out = args[0] if args else "."
    sizes = [int(a) for a in args[1:]] or [200, 300]
    for n in sizes:
        img = overlapping_spheres(n, three_phase=three_phase)
        path = f"{out}/spheres{'3' if three_phase else '40'}_{n}.npy"
        np.save(path, img)
        fractions = ", ".join(f"label {l}: {np.mean(img == l):.4f}" for l in range(3))
        print(f"{path}: {n}^3, {fractions}")


if __name__ == "__main__":
    main()
