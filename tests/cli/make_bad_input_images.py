#!/usr/bin/env python3
"""Writes the small images the bad-input corpus (bad_input_corpus.cmake) runs `import` and
`analyze` on, plus a plain file for the `--out` cases, into the folder given as the argument.

Plain Python (struct) so the test needs no NumPy. The .npy layout follows the NumPy format
description (version 1.0): magic, header length, a Python-literal header dict, C-order data.
    labels_ok.npy       uint8  8x8x8, labels 0 (pore), 1, 2 in slabs along x: a valid image
    labels_300.npy      uint16 4x4x4 holding the value 300, which is no 8-bit label
    not_a_folder        a plain file, given as --out where a folder is needed
    not_an_image.npy    text, not a .npy file
"""
import os
import struct
import sys


def write_npy(path, dtype, shape, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        dtype, ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else ""))
    # Magic (6) + version (2) + length (2) + header padded with spaces to a multiple of 64, ending
    # in a newline.
    unpadded = 10 + len(header) + 1
    header += " " * ((64 - unpadded % 64) % 64) + "\n"
    code = {"|u1": "B", "<u2": "H"}[dtype]
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (len(values), code), *values))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 8
    # C order: the last index (x) runs fastest; labels in slabs along x.
    slabs = [0 if x < 3 else 1 if x < 6 else 2 for z in range(n) for y in range(n) for x in range(n)]
    write_npy(os.path.join(out, "labels_ok.npy"), "|u1", (n, n, n), slabs)
    write_npy(os.path.join(out, "labels_300.npy"), "<u2", (4, 4, 4), [300] * 64)
    with open(os.path.join(out, "not_a_folder"), "w") as f:
        f.write("a file where the output folder should go\n")
    with open(os.path.join(out, "not_an_image.npy"), "w") as f:
        f.write("this is text, not a NumPy array\n")


if __name__ == "__main__":
    main()
