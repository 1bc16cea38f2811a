#!/usr/bin/env python3
"""Draws a budget/accuracy chart as one self-contained SVG (no plotting
library): one polyline per method through its measured points, sorted by
budget, and each method's best curve (its upper-left envelope) drawn
solid, the other points as dots.

  plot-curve.py points.json out.svg

points.json: {"title": str, "x": str, "y": str, "xrange": [lo, hi],
"yrange": [lo, hi], "methods": {name: [[x, y, label], ...], ...}}.
"""
import json
import sys

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
W, H, L, R, T, B = 720, 440, 70, 170, 40, 60


def envelope(points):
    """The points no other point beats (smaller x and larger y), by x."""
    best, out = None, []
    for x, y, *_ in sorted(points, key=lambda p: (p[0], -p[1])):
        if best is None or y > best:
            out.append((x, y))
            best = y
    return out


def main():
    data = json.load(open(sys.argv[1]))
    (x0, x1), (y0, y1) = data["xrange"], data["yrange"]
    sx = lambda x: L + (x - x0) / (x1 - x0) * (W - L - R)
    sy = lambda y: H - B - (y - y0) / (y1 - y0) * (H - T - B)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15">%s</text>' % (L, data["title"])]
    for i in range(11):
        x = x0 + (x1 - x0) * i / 10
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (sx(x), T, sx(x), H - B))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%.2g</text>' % (sx(x), H - B + 16, x))
        y = y0 + (y1 - y0) * i / 10
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (L, sy(y), W - R, sy(y)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%.2f</text>' % (L - 6, sy(y) + 4, y))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="black"/>' %
               (L, T, W - L - R, H - T - B))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % ((L + W - R) / 2, H - 18, data["x"]))
    out.append('<text x="18" y="%.1f" text-anchor="middle" transform="rotate(-90 18 %.1f)">%s</text>' %
               ((T + H - B) / 2, (T + H - B) / 2, data["y"]))
    for i, (name, points) in enumerate(data["methods"].items()):
        c = COLORS[i % len(COLORS)]
        env = envelope(points)
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' %
                   (c, " ".join("%.1f,%.1f" % (sx(x), sy(y)) for x, y in env)))
        for x, y, *label in points:
            out.append('<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s %s: %.3f, %.3f</title></circle>' %
                       (sx(x), sy(y), c, name, label[0] if label else "", x, y))
        ly = T + 16 + 20 * i
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>' %
                   (W - R + 12, ly - 4, W - R + 36, ly - 4, c))
        out.append('<text x="%d" y="%d">%s</text>' % (W - R + 42, ly, name))
    for g in data.get("goals", []):
        out.append('<circle cx="%.1f" cy="%.1f" r="6" fill="none" stroke="black" stroke-dasharray="2,2"/>' %
                   (sx(g[0]), sy(g[1])))
        out.append('<text x="%.1f" y="%.1f">%s</text>' % (sx(g[0]) + 8, sy(g[1]) - 6, g[2]))
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
