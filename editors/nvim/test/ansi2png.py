#!/usr/bin/env python3
"""Renders a `tmux capture-pane -e -p` dump (SGR colours: 16, 256 and 24-bit)
to a PNG. Usage: ansi2png.py IN.ansi OUT.png [COLUMNS]. Needs Pillow."""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
BG, FG = (20, 22, 27), (224, 226, 234)
BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def parse(text):
    rows = []
    for line in text.rstrip("\n").split("\n"):
        fg, bg, bold, rev = None, None, False, False
        cells = []
        for part in re.split(r"(\x1b\[[0-9;:]*m)", line):
            if part.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in re.split("[;:]", part[2:-1])] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, rev = None, None, False, False
                    elif c == 1:
                        bold = True
                    elif c == 22:
                        bold = False
                    elif c == 7:
                        rev = True
                    elif c == 27:
                        rev = False
                    elif 30 <= c <= 37:
                        fg = BASE16[c - 30]
                    elif 90 <= c <= 97:
                        fg = BASE16[c - 90 + 8]
                    elif 40 <= c <= 47:
                        bg = BASE16[c - 40]
                    elif 100 <= c <= 107:
                        bg = BASE16[c - 100 + 8]
                    elif c == 39:
                        fg = None
                    elif c == 49:
                        bg = None
                    elif c in (38, 48) and i + 1 < len(codes):
                        if codes[i + 1] == 2 and i + 4 < len(codes):
                            col = tuple(codes[i + 2:i + 5])
                            i += 4
                        elif codes[i + 1] == 5 and i + 2 < len(codes):
                            col = xterm256(codes[i + 2])
                            i += 2
                        else:
                            col = None
                        if c == 38:
                            fg = col
                        else:
                            bg = col
                    i += 1
            else:
                for ch in part:
                    f, b = fg or FG, bg or BG
                    if rev:
                        f, b = b, f
                    cells.append((ch, f, b, bold))
        rows.append(cells)
    return rows


def main():
    src, dst = sys.argv[1], sys.argv[2]
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else 110
    rows = parse(open(src, encoding="utf-8").read())
    font, bold = ImageFont.truetype(FONT, 15), ImageFont.truetype(FONT_BOLD, 15)
    cw = int(font.getlength("M"))
    ch = 20
    pad = 10
    img = Image.new("RGB", (cols * cw + 2 * pad, len(rows) * ch + 2 * pad), BG)
    d = ImageDraw.Draw(img)
    for y, cells in enumerate(rows):
        for x, (c, f, b, bo) in enumerate(cells[:cols]):
            x0, y0 = pad + x * cw, pad + y * ch
            if b != BG:
                d.rectangle([x0, y0, x0 + cw - 1, y0 + ch - 1], fill=b)
            if c != " ":
                d.text((x0, y0 + 2), c, font=bold if bo else font, fill=f)
    img.save(dst, optimize=True)


main()
