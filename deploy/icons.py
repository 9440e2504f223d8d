"""Make the web app manifest's PNG icons (static/icons/) from the paw of static/favicon.svg, in
plain Python (no image library: the paw is five ellipses). Run it again after changing the paw:

    .venv/bin/python deploy/icons.py

`icon-<size>.png`: the orange paw on a transparent background; `maskable-512.png`: a white paw
inside the safe zone (the middle 80 % circle) of a full orange square, for launchers that cut
icons to their own shape."""

import re
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAVICON = ROOT / "static" / "favicon.svg"
ICONS = ROOT / "static" / "icons"
ORANGE = (0xE8, 0x59, 0x0C)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per side of a pixel: 16 samples smooth the edges


def ellipses(svg: str) -> list[tuple[float, float, float, float]]:
    """(cx, cy, rx, ry) of each ellipse, in the SVG's 64 × 64 view box."""
    return [tuple(float(value) for value in found) for found in
            re.findall(r'<ellipse cx="([\d.]+)" cy="([\d.]+)" rx="([\d.]+)" ry="([\d.]+)"', svg)]


def coverage(shapes, size: int, *, scale: float) -> list[list[float]]:
    """How much of each pixel the paw covers (0 to 1), drawn `scale` times its view box's size
    around the icon's centre."""
    offset = (size - 64 * scale) / 2
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            hits = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    px = ((x + (sx + 0.5) / SAMPLES) - offset) / scale
                    py = ((y + (sy + 0.5) / SAMPLES) - offset) / scale
                    hits += any(((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 <= 1 for cx, cy, rx, ry in shapes)
            row.append(hits / SAMPLES**2)
        rows.append(row)
    return rows


def png(path: Path, pixels: list[list[tuple[int, int, int, int]]]) -> None:
    """Write RGBA `pixels` as a PNG."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\0" + bytes(channel for pixel in row for channel in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main() -> None:
    shapes = ellipses(FAVICON.read_text())
    ICONS.mkdir(exist_ok=True)
    for size in (192, 512):
        covered = coverage(shapes, size, scale=size / 64 * 0.9)
        png(ICONS / f"icon-{size}.png", [[(*ORANGE, round(255 * c)) for c in row] for row in covered])
    size = 512
    covered = coverage(shapes, size, scale=size / 64 * 0.6)  # inside the safe zone's circle
    png(ICONS / "maskable-512.png", [[(*(round(o + (w - o) * c) for o, w in zip(ORANGE, WHITE)), 255) for c in row]
                                     for row in covered])


if __name__ == "__main__":
    main()
