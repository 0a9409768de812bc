#!/usr/bin/env python3
"""Opens a cathodelab report in headless Chromium (file://, no server, no network) and checks that
(a) every chart rendered to SVG with no script error (from the DOM after the scripts ran, and from
the browser's console log), and (b) a screenshot is not blank (many distinct colours).

usage: check_report.py REPORT.html [SCREENSHOT.png]
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--virtual-time-budget=15000"]


def chromium(extra, url):
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                              capture_output=True, text=True, timeout=120)


def png_distinct_colours(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, colour_type = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8, "only 8-bit PNGs"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = {2: 3, 6: 4}[colour_type]
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    offset = 0
    for _ in range(height):
        method = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if method == 1:
                line[i] = (line[i] + left) & 255
            elif method == 2:
                line[i] = (line[i] + up) & 255
            elif method == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif method == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
                line[i] = (line[i] + pred) & 255
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, channels * 4))
        previous = line
    return len(colours)


def main():
    report = os.path.abspath(sys.argv[1])
    url = "file://" + report
    failures = []

    dom = chromium(["--dump-dom", "--enable-logging=stderr", "--v=0"], url)
    html = dom.stdout
    expected = re.search(r'data-charts-expected="(\d+)"', html)
    rendered = re.search(r'data-charts-rendered="(\d+)"', html)
    if not expected or int(expected.group(1)) == 0:
        failures.append("the page declares no charts")
    elif not rendered or rendered.group(1) != expected.group(1):
        failures.append(f"charts rendered: {rendered.group(1) if rendered else 'none'} of {expected.group(1)}")
    svgs = len(re.findall(r"<svg[^>]*class=\"marks\"", html))
    if expected and svgs < int(expected.group(1)):
        failures.append(f"{svgs} chart SVGs in the DOM, expected {expected.group(1)}")
    errors = re.search(r'<pre id="report-errors">(.*?)</pre>', html, re.S)
    if errors is None or errors.group(1).strip():
        failures.append("script errors in the page: " + (errors.group(1).strip() if errors else "no error box"))
    console = [l for l in dom.stderr.splitlines() if "Uncaught" in l or "CONSOLE" in l and "ERROR" in l]
    if console:
        failures.append("console errors: " + " | ".join(console[:3]))

    shot = sys.argv[2] if len(sys.argv) > 2 else os.path.join(tempfile.mkdtemp(), "report.png")
    chromium([f"--screenshot={shot}", "--window-size=1400,1600"], url)
    colours = png_distinct_colours(shot) if os.path.exists(shot) else 0
    if colours < 40:
        failures.append(f"screenshot looks blank ({colours} distinct colours)")

    if failures:
        print("FAIL: " + "; ".join(failures))
        return 1
    print(f"PASS: {expected.group(1)} charts rendered as SVG, no script errors, screenshot {colours} colours")
    return 0


if __name__ == "__main__":
    sys.exit(main())
