#!/usr/bin/python3
"""Deterministic benchmark images for the effective-conductivity comparison.

Random overlapping spheres (radius R voxels, centres uniform in a box padded by R so the image has
no edge bias) are added until the solid covers 60 % of the voxels, i.e. 40 % porosity; the pore
phase (label 1) conducts, the spheres (label 0) do not. Seeded, so the same command gives the same
file. Usage: transport_make_images.py OUT_DIR [N ...]   (default N = 200 300)
"""
import sys
import numpy as np


def overlapping_spheres(n, radius=6.0, porosity=0.40, seed=2024):
    rng = np.random.default_rng(seed)
    solid = np.zeros((n, n, n), dtype=bool)
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
            count += int(np.count_nonzero(~solid[z, y, x]))
            solid[z, y, x] = True
            if count >= target_solid:
                break
    return (~solid).astype(np.uint8)  # 1 = pore, conducting


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    sizes = [int(a) for a in sys.argv[2:]] or [200, 300]
    for n in sizes:
        img = overlapping_spheres(n)
        path = f"{out}/spheres40_{n}.npy"
        np.save(path, img)
        print(f"{path}: {n}^3, porosity {img.mean():.4f}")


if __name__ == "__main__":
    main()
