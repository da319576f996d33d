"""Draws pkce-tray's icons (a person in a coloured disc) as PNG, with the
standard library only, and packs the Windows and macOS icon files from
them (icoutils, icnsutils): `python3 icons/make_icons.py` rewrites them."""

import math
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

HERE = Path(__file__).parent
STATES = {
    "tray-signed-out": (122, 127, 135),
    "tray-signing-in": (224, 161, 0),
    "tray-signed-in": (46, 133, 64),
    "tray-error": (198, 40, 40),
}
APP = (47, 95, 208)


def coverage(x, y):
    """0 outside, 1 = disc, 2 = glyph (head and shoulders) in unit coordinates."""
    if (x - 0.5) ** 2 + (y - 0.5) ** 2 > 0.5**2:
        return 0
    head = (x - 0.5) ** 2 + (y - 0.38) ** 2 <= 0.17**2
    body = ((x - 0.5) / 0.3) ** 2 + ((y - 0.86) / 0.26) ** 2 <= 1 and (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.43**2
    return 2 if head or body else 1


def draw(size, colour, path, samples=4):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            disc = glyph = 0
            for sy in range(samples):
                for sx in range(samples):
                    c = coverage((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
                    disc += c >= 1
                    glyph += c == 2
            n = samples * samples
            alpha = disc / n
            mix = glyph / disc if disc else 0
            rgb = [round(c * (1 - mix) + 255 * mix) for c in colour]
            row += bytes(rgb + [round(alpha * 255)])
        rows.append(bytes(row))
    write_png(size, rows, path)


def person(x, y, within=0.5):
    return coverage(x, y) == 2 and (x - 0.5) ** 2 + (y - 0.5) ** 2 <= within**2


def ring(x, y, inner=0.40):
    return inner**2 < (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.5**2


def dashed(x, y):
    """A ring in eight dashes, as a spinner."""
    return ring(x, y) and int((math.atan2(y - 0.5, x - 0.5) + math.pi) / (math.pi / 4) * 2) % 2 == 0


def exclamation(x, y):
    return (0.43 <= x <= 0.57 and 0.18 <= y <= 0.62) or (x - 0.5) ** 2 + (y - 0.77) ** 2 <= 0.08**2


def disc(x, y):
    return (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.5**2


# The macOS menu bar's template icons: black on transparent, tinted by the
# system for light and dark mode, so each state has its own shape.
TEMPLATES = {
    "tray-template-signed-out": lambda x, y: ring(x, y) or person(x, y, within=0.34),
    "tray-template-signing-in": lambda x, y: dashed(x, y) or person(x, y, within=0.34),
    "tray-template-signed-in": lambda x, y: disc(x, y) and not person(x, y),
    "tray-template-error": lambda x, y: disc(x, y) and not exclamation(x, y),
}


def draw_template(size, shape, path, samples=4):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            hits = sum(
                shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
                for sy in range(samples)
                for sx in range(samples)
            )
            row += bytes([0, 0, 0, round(hits / samples**2 * 255)])
        rows.append(bytes(row))
    write_png(size, rows, path)


def write_png(size, rows, path):
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    path.write_bytes(png)


def bundle_icons():
    """icon.ico (Windows: the executables' and the installer's icon) and
    icon.icns (macOS: the app bundle's), from the same drawing at the sizes
    each wants, with icoutils' icotool and icnsutils' png2icns."""
    with tempfile.TemporaryDirectory() as tmp:
        sizes = {size: Path(tmp) / f"{size}.png" for size in (16, 32, 48, 128, 256, 512)}
        for size, path in sizes.items():
            draw(size, APP, path)
        subprocess.run(["icotool", "-c", "-o", HERE / "icon.ico",
                        *(sizes[s] for s in (16, 32, 48, 256))], check=True)
        subprocess.run(["png2icns", HERE / "icon.icns",
                        *(sizes[s] for s in (16, 32, 128, 256, 512))], check=True)


if __name__ == "__main__":
    for name, colour in STATES.items():
        draw(64, colour, HERE / f"{name}.png")
    for name, shape in TEMPLATES.items():
        # 22 points at 2x, the menu bar's height.
        draw_template(44, shape, HERE / f"{name}.png")
    for size, name in [(32, "32x32.png"), (128, "128x128.png"), (512, "icon.png")]:
        draw(size, APP, HERE / name)
    bundle_icons()
