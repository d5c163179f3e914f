#!/usr/bin/env python3
"""Writes a deterministic SVG drawing for svg-flatten: overlapping circles, Bezier
blobs and stroked polylines (a fixed-seed LCG, integer coordinates, so the file
is the same everywhere).  svg-flatten-wasi reads usvg's normalized SVG (it cannot
run usvg itself under WASI), so everything is a <path> inside <defs/> + <g>, as
usvg writes it.  usage: gen_svg.py OUT.svg [SHAPES]"""
import sys


def lcg(seed):
    # A tiny LCG: random.Random's output could change between Python versions.
    while True:
        seed = (seed * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        yield seed >> 33


def main():
    out, shapes = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 400
    r = lcg(2026)
    n = lambda k: next(r) % k
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="2000" '
             'viewBox="0 0 2000 2000">', '<defs/>', '<g id="g1">']
    for i in range(shapes):
        kind = i % 3
        if kind == 0:
            x, y, k = n(2000), n(2000), 5 + n(80)
            c = k * 55 // 100  # a circle as four cubic Beziers
            d = (f"M {x + k} {y} C {x + k} {y + c} {x + c} {y + k} {x} {y + k} "
                 f"C {x - c} {y + k} {x - k} {y + c} {x - k} {y} "
                 f"C {x - k} {y - c} {x - c} {y - k} {x} {y - k} "
                 f"C {x + c} {y - k} {x + k} {y - c} {x + k} {y} Z")
            parts.append(f'<path fill="#000000" d="{d}"/>')
        elif kind == 1:
            d = f"M {n(2000)} {n(2000)} " + " ".join(
                f"C {n(2000)} {n(2000)} {n(2000)} {n(2000)} {n(2000)} {n(2000)}" for _ in range(3)) + " Z"
            parts.append(f'<path fill="{"#000000" if n(4) else "#ffffff"}" d="{d}"/>')
        else:
            d = f"M {n(2000)} {n(2000)} " + " ".join(f"L {n(2000)} {n(2000)}" for _ in range(5))
            parts.append(f'<path fill="none" stroke="#000000" stroke-width="{2 + n(10)}" d="{d}"/>')
    parts += ["</g>", "</svg>", ""]
    with open(out, "w") as f:
        f.write("\n".join(parts))


main()
