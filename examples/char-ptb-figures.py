#!/usr/bin/env python3
"""The character-level Penn Treebank comparison (examples/char-ptb.sh): for each model run in IN_DIR (lstm, bn, ln:
<model>.json, train lm's metrics, and <model>.jsonl, its log) writes <model>.bpc.json (valid and test bits per
character, seconds, the validation bpc after each epoch and the training bpc averaged over every 50 steps), prints one
summary line per model, and draws the learning curves to OUT_DIR/char-ptb-curves.svg. Bits per character = nats per
token / ln 2, the tokens being the 49 symbols and the end of line. Plain SVG, no libraries:
python3 examples/char-ptb-figures.py [IN_DIR] [OUT_DIR]."""
import json, math, os, sys

src = sys.argv[1] if len(sys.argv) > 1 else "target/char-ptb"
out = sys.argv[2] if len(sys.argv) > 2 else "docs/img"
MODELS = [("lstm", "LSTM", "#2ca02c"), ("bn", "BN-LSTM", "#9467bd"), ("ln", "LN-LSTM", "#ff7f0e")]
EVERY = 50  # training steps per point of the training curve
W, H, L, R, T_, B = 720, 400, 60, 170, 30, 50  # size and margins
LN2 = math.log(2)

runs = []
for key, label, colour in MODELS:
    metrics_file, log_file = os.path.join(src, key + ".json"), os.path.join(src, key + ".jsonl")
    if not (os.path.exists(metrics_file) and os.path.exists(log_file)):
        continue
    m = json.load(open(metrics_file))
    lines = [json.loads(line) for line in open(log_file) if line.strip()]
    steps = [l for l in lines if l["event"] == "step" and l.get("loss") is not None]
    epochs = [l for l in lines if l["event"] == "epoch" and l.get("validation_loss") is not None]
    train_curve = []
    for i in range(0, len(steps) - EVERY + 1, EVERY):
        chunk = steps[i:i + EVERY]
        train_curve.append({"step": chunk[-1]["step"], "train_bpc": sum(s["loss"] for s in chunk) / len(chunk) / LN2})
    summary = {
        "model": key,
        "valid_bpc": m["valid"]["loss"] / LN2 if "valid" in m else None,
        "test_bpc": m["test"]["loss"] / LN2 if "test" in m else None,
        "seconds": m.get("seconds"),
        "train_seconds": m["training"]["seconds"],
        "tokens_per_second": m.get("tokens_per_second"),
        "epochs": m["training"].get("epochs"),
        "steps": m["training"].get("steps"),
        "settings": m["settings"],
        "curve": [{"epoch": e["epoch"] + 1, "step": e["step"], "valid_bpc": e["validation_loss"] / LN2} for e in epochs],
        "train_curve": train_curve,
    }
    json.dump(summary, open(os.path.join(src, key + ".bpc.json"), "w"), indent=1)
    runs.append((key, label, colour, summary))

for key, label, _, s in runs:
    fmt = lambda v: "n/a" if v is None else f"{v:.4f}"
    print(f"{label:8s} valid {fmt(s['valid_bpc'])} bpc, test {fmt(s['test_bpc'])} bpc, {s['steps']} steps ({s['epochs']} epochs), "
          f"{s['train_seconds'] / 60:.1f} min of training, {s['seconds'] / 60:.1f} min in all, {s['tokens_per_second'] or 0:.0f} chars/s")

if runs:
    os.makedirs(out, exist_ok=True)
    values = [p["valid_bpc"] for *_, s in runs for p in s["curve"]] + [p["train_bpc"] for *_, s in runs for p in s["train_curve"]]
    last = max([p["step"] for *_, s in runs for p in s["train_curve"] + s["curve"]] + [1])
    top = min(math.ceil(max(values) * 4) / 4, 3.5)  # the first steps' 5+ bpc would flatten the rest
    bottom = math.floor(min(values) * 4) / 4
    x = lambda step: L + (W - L - R) * step / last
    y = lambda v: T_ + (H - T_ - B) * (top - min(max(v, bottom), top)) / (top - bottom)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{L}" y="18" font-size="14">char-level Penn Treebank: bits per character (thin: training; dots: validation)</text>']
    v = bottom
    while v <= top + 1e-9:
        svg.append(f'<line x1="{L}" x2="{W - R}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{L - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>')
        v += 0.25
    tick = next(m * 10 ** e for e in range(0, 9) for m in (1, 2, 5) if m * 10 ** e * 6 >= last)  # at most 6 intervals
    for step in range(0, last + 1, tick):
        svg.append(f'<text x="{x(step):.1f}" y="{H - B + 18}" text-anchor="middle">{step}</text>')
    svg.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 12}" text-anchor="middle">training step (64 streams x 100 characters)</text>')
    svg.append(f'<rect x="{L}" y="{T_}" width="{W - L - R}" height="{H - T_ - B}" fill="none" stroke="black"/>')
    for i, (key, label, colour, s) in enumerate(runs):
        train = " ".join(f"{x(p['step']):.1f},{y(p['train_bpc']):.1f}" for p in s["train_curve"])
        svg.append(f'<polyline points="{train}" fill="none" stroke="{colour}" stroke-width="1" stroke-opacity="0.5"/>')
        valid = " ".join(f"{x(p['step']):.1f},{y(p['valid_bpc']):.1f}" for p in s["curve"])
        svg.append(f'<polyline points="{valid}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in s["curve"]:
            svg.append(f'<circle cx="{x(p["step"]):.1f}" cy="{y(p["valid_bpc"]):.1f}" r="3" fill="{colour}"/>')
        ly = T_ + 15 + 45 * i
        svg.append(f'<line x1="{W - R + 10}" x2="{W - R + 30}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
        svg.append(f'<text x="{W - R + 35}" y="{ly + 4}">{label}</text>')
        scores = [f"{part} {s[part + '_bpc']:.3f}" for part in ("valid", "test") if s[part + "_bpc"] is not None]
        svg.append(f'<text x="{W - R + 35}" y="{ly + 17}" font-size="10">{", ".join(scores)}</text>')
        svg.append(f'<text x="{W - R + 35}" y="{ly + 29}" font-size="10">{s["train_seconds"] / 60:.0f} min</text>')
    svg.append("</svg>")
    path = os.path.join(out, "char-ptb-curves.svg")
    open(path, "w").write("\n".join(svg) + "\n")
    print(path)
