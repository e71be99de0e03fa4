#!/usr/bin/env python3
"""Draws the neurust kernel logos (a small 3-layer network on a rounded square).

Standard library only. Run: python3 kernel-spec/make_logos.py  (writes logo-32x32.png and
logo-64x64.png next to this script).
"""
import math
import os
import struct
import zlib

BACKGROUND = (32, 38, 52)
EDGE = (120, 132, 150)
NODE = (222, 120, 48)

LAYERS = [[0.3, 0.7], [0.2, 0.5, 0.8], [0.5]]
XS = [0.22, 0.5, 0.78]


def nodes():
    return [(XS[i], y) for i, layer in enumerate(LAYERS) for y in layer]


def edges():
    out = []
    for i in range(len(LAYERS) - 1):
        for a in LAYERS[i]:
            for b in LAYERS[i + 1]:
                out.append(((XS[i], a), (XS[i + 1], b)))
    return out


def seg_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def colour_at(x, y):
    r = 0.18  # corner radius of the background square
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    if math.hypot(x - cx, y - cy) > r:
        return None
    if any(math.hypot(x - nx, y - ny) < 0.085 for nx, ny in nodes()):
        return NODE
    if any(seg_dist((x, y), a, b) < 0.018 for a, b in edges()):
        return EDGE
    return BACKGROUND


def render(size, samples=4):
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sj in range(samples):
                for si in range(samples):
                    c = colour_at((i + (si + 0.5) / samples) / size, (j + (sj + 0.5) / samples) / size)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 255
            n = samples * samples
            alpha = acc[3] / n
            if alpha:
                row += bytes(int(acc[k] * 255 / acc[3]) for k in range(3)) + bytes([int(alpha)])
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return b"".join(rows)


def png(size):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(render(size), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for size in (32, 64):
        with open(os.path.join(here, f"logo-{size}x{size}.png"), "wb") as f:
            f.write(png(size))
