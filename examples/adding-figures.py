#!/usr/bin/env python3
"""Draws the adding problem's gradient figures for docs/results.md: for each T, ||dL/dh_t|| against t on a log
scale, one line per run in target/adding/ (examples/adding-table.sh writes them; grad_norm_by_step is measured on the
test set after training). Plain SVG, no libraries: python3 examples/adding-figures.py [IN_DIR] [OUT_DIR]."""
import json, math, os, sys
from collections import defaultdict

src = sys.argv[1] if len(sys.argv) > 1 else "target/adding"
out = sys.argv[2] if len(sys.argv) > 2 else "docs/img"
os.makedirs(out, exist_ok=True)
COLOURS = {"rnn": "#d62728", "gru": "#1f77b4", "lstm": "#2ca02c"}
W, H, L, R, T_, B = 640, 360, 70, 150, 30, 50  # size and margins
FLOOR = 1e-40  # a norm that underflowed to 0 is drawn at the bottom

runs = defaultdict(list)
for name in sorted(os.listdir(src)):
    if not name.endswith(".json"):
        continue
    m = json.load(open(os.path.join(src, name)))
    if "grad_norm_by_step" not in m:
        continue
    label = m["cell"] + (" chrono" if m.get("init", "default") != "default" else "")
    runs[m["length"]].append((label, m["cell"], m["init"] != "default", m["grad_norm_by_step"], m["test_mse"]))

for length, lines in sorted(runs.items()):
    values = [max(v, FLOOR) for _, _, _, norms, _ in lines for v in norms]
    top = math.ceil(math.log10(max(values)))
    bottom = max(math.floor(math.log10(min(values))), top - 40)
    x = lambda t: L + (W - L - R) * (t - 1) / max(1, length - 1)
    y = lambda v: T_ + (H - T_ - B) * (top - math.log10(max(v, 10.0 ** bottom))) / (top - bottom)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2 - 60}" y="18" font-size="14">adding problem, T = {length}: ||dL/dh_t||</text>']
    step = max(1, (top - bottom) // 8)
    for e in range(bottom, top + 1, step):
        svg.append(f'<line x1="{L}" x2="{W - R}" y1="{y(10.0 ** e):.1f}" y2="{y(10.0 ** e):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{L - 8}" y="{y(10.0 ** e) + 4:.1f}" text-anchor="end">1e{e}</text>')
    for t in sorted({1, length // 4, length // 2, 3 * length // 4, length}):
        svg.append(f'<text x="{x(t):.1f}" y="{H - B + 18}" text-anchor="middle">{t}</text>')
    svg.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 12}" text-anchor="middle">time step t (the target is read after t = {length})</text>')
    svg.append(f'<rect x="{L}" y="{T_}" width="{W - L - R}" height="{H - T_ - B}" fill="none" stroke="black"/>')
    for i, (label, cell, chrono, norms, mse) in enumerate(sorted(lines)):
        points = " ".join(f"{x(t + 1):.1f},{y(v):.1f}" for t, v in enumerate(norms))
        dash = ' stroke-dasharray="5,3"' if chrono else ""
        svg.append(f'<polyline points="{points}" fill="none" stroke="{COLOURS[cell]}" stroke-width="1.5"{dash}/>')
        svg.append(f'<line x1="{W - R + 10}" x2="{W - R + 30}" y1="{T_ + 15 + 30 * i}" y2="{T_ + 15 + 30 * i}" stroke="{COLOURS[cell]}" stroke-width="2"{dash}/>')
        svg.append(f'<text x="{W - R + 35}" y="{T_ + 19 + 30 * i}">{label}</text>')
        svg.append(f'<text x="{W - R + 35}" y="{T_ + 32 + 30 * i}" font-size="10">test MSE {mse:.4f}</text>')
    svg.append("</svg>")
    path = os.path.join(out, f"adding-gradients-T{length}.svg")
    open(path, "w").write("\n".join(svg) + "\n")
    print(path)
