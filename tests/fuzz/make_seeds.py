#!/usr/bin/env python3
"""Writes the seed corpora in tests/fuzz/corpus/<format>/: inputs in the forms the shipped
examples and material files use, plus the crafted inputs that once crashed the parsers (kept as
regression seeds). Run from anywhere; it rewrites only the files it names."""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def put(fmt, name, data):
    folder = os.path.join(HERE, "corpus", fmt)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


units = ["80 um", "0.73 mS/cm", "12.7 mg/cm^2", "5 MPa", "25 degC", "0.18 eV", "0 Ohm*m^2",
         "0.1 F/m^2", "3.5 g/cm^3", "J mol^-1 K^-1", "1 J/mol/K", "2.5e-14 m^2/s", "C/10", "2C",
         "0.5 C", "-1.3 %", "12 $/kg", "1e-300 ym^9", "1 m^9 m^9 m^9 m^9 m^9 m^9 m^9 m^9 m^9 m^9 "
         "m^9 m^9 m^9 m^9 m^9", "1 m^256", "1e400 m", "nan m", "1 µm", "4 \u00b0C"]
for n, text in enumerate(units):
    put("units", f"seed_{n:02d}", text)

expressions = [
    "3.4077 - 0.020269*x + 0.5*exp(-150*x) - 0.9*exp(-30*(1 - x))",
    "1.9793*exp(-39.3631*x) + 0.2482 - 0.0909*tanh(29.8538*(x - 0.1234))",
    "(0.0911 + 1.9101*(x/1000) - 1.052*(x/1000)^2) * exp(34700/R*(1/298.15 - 1/T))",
    "2.7*10^(-13.96 - 0.9231*exp(-(x - 0.3216)^2/0.002534)) * exp(1449*(1/298.15 - 1/T))",
    "max(x, 2) + log10(100) - min(T, pow(2, -x)) + sqrt(abs(x)) + cosh(x)/sinh(1) + log(F*pi)",
    "2**3 - -x + +T ^ -1",
    "(" * 300 + "x" + ")" * 300,
    "-" * 300 + "x",
    "2^" * 300 + "x",
    "1e400*x",
]
for n, text in enumerate(expressions):
    put("expression", f"seed_{n:02d}", text)

experiments = [
    "Discharge at C/10 until 2.5 V",
    "Discharge at 1C until 3.0 V; Charge at 0.5 mA/cm2 until 4.3 V; Hold at 4.3 V until C/20",
    "Rest for 1 hour\0Discharge at 2 A for 10 minutes\0Discharge at 1 W until 3 V",
    "Sweep from 3.0 V to 4.3 V at 0.1 mV/s; Charge at C/3 for 2 hours or until 4.2 V",
    "(Discharge at 1C until 3 V; Charge at 1C until 4.2 V) x 3",
    "Discharge at 1C until 3 V; Rest for 1 s x 5 cycles",
    "(Rest for 1 s) x 100000000",
    "(Rest for 1 s) x 99999999999999999999999",
    "Dischrage at 1C until 3 V",
]
for n, text in enumerate(experiments):
    put("experiment", f"seed_{n:02d}", text)


def npy(descr, fortran, shape, data):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


put("npy", "u1_fortran_3x2x2", npy("|u1", True, "(3, 2, 2)", bytes(range(12))))
put("npy", "u2_c_2x2", npy("<u2", False, "(2, 2)", struct.pack("<4H", 1, 2, 300, 4)))
put("npy", "i4_big_endian_2x1x2", npy(">i4", False, "(2, 1, 2)", struct.pack(">4i", 0, 1, 2, 3)))
put("npy", "crash_shape_wraps", npy("|u1", True, "(4294967296, 4294967296, 1)", bytes(16)))
put("npy", "crash_negative_dim", npy("|u1", True, "(-1, 4, 1)", bytes(4)))


def tiff(width, height, compression, data, strip_bytes=None):
    entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, compression),
               (262, 3, 1), (273, 4, 8 + 2 + 9 * 12 + 4), (277, 3, 1), (278, 4, height),
               (279, 4, len(data) if strip_bytes is None else strip_bytes)]
    out = b"II" + struct.pack("<HI", 42, 8) + struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        field = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, 1) + field
    return out + struct.pack("<I", 0) + data


put("tiff", "uncompressed_3x2", tiff(3, 2, 1, bytes(range(6))))
put("tiff", "deflate_4x4", tiff(4, 4, 8, zlib.compress(bytes(n % 3 for n in range(16)))))
put("tiff", "crash_declares_100000x100000", tiff(100000, 100000, 1, bytes(8)))
put("tiff", "crash_declares_40000x40000", tiff(40000, 40000, 1, bytes(8), 1600000000))
# Found by fuzz_tiff: a 13-byte deflate strip declaring 536870916 x 4 pixels (a 512 MB row).
put("tiff", "slow_wide_deflate_row", tiff(536870916, 4, 8, zlib.compress(bytes(16))))


def raw(shape, dtype_index, data):
    return struct.pack("<3IB", *shape, dtype_index) + data


put("raw", "u8_2x2x1", raw((2, 2, 1), 0, bytes(4)))
put("raw", "u16_2x1x1", raw((2, 1, 1), 1, struct.pack("<2H", 7, 300)))
put("raw", "i32_1x1x2", raw((1, 1, 2), 2, struct.pack("<2i", -1, 5)))
put("raw", "crash_shape_wraps", raw((0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF), 1, bytes(8)))
