#!/usr/bin/env python3
"""Turns the JSON lines of bench/run_grid.sh into its markdown report: the machine, then one table with rnn4j's time,
each PyTorch variant's time and PyTorch / rnn4j (above 1 where rnn4j is faster), and the GFLOP/s of each.

    bench/grid_report.py GRID.jsonl OUT.md --machine ... --rnn4j ... --peer ... --run ... --variants "detected SkylakeX"
"""
import argparse
import json


def fmt(v):
    if v is None:
        return "-"
    return "%.3g" % v if v < 100 else "%.0f" % v


def main():
    p = argparse.ArgumentParser()
    p.add_argument("json")
    p.add_argument("out")
    p.add_argument("--machine", default="")
    p.add_argument("--rnn4j", default="")
    p.add_argument("--peer", default="")
    p.add_argument("--run", default="")
    p.add_argument("--variants", default="detected")
    a = p.parse_args()

    rows = [json.loads(line) for line in open(a.json) if line.strip()]
    variants = a.variants.split()
    by, keys = {}, []
    for r in rows:
        key = (r["grid"], r["threads"])
        if key not in by:
            by[key] = {}
            keys.append(key)
        by[key][r["variant"]] = r

    def core(v):
        cores = {r.get("blas_core") for r in rows if r["variant"] == v and r.get("blas_core")}
        return "/".join(sorted(cores)) or v

    lines = []
    if a.machine:
        lines += ["Machine: %s." % a.machine, ""]
    if a.rnn4j or a.peer:
        lines += ["rnn4j on %s. Peer: %s." % (a.rnn4j, a.peer), ""]
    if a.run:
        lines += ["Run %s." % a.run, ""]
    head = "| config | cell | mode | I | H | T | B | threads | rnn4j |"
    rule = "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for v in variants:
        head += " PyTorch (OpenBLAS %s%s) | PyTorch / rnn4j | of the minima |" % (
            core(v), ", detected" if v == "detected" else ", forced")
        rule += " ---: | ---: | ---: |"
    head += " rnn4j GFLOP/s |" + "".join(" PyTorch GFLOP/s (%s) |" % core(v) for v in variants)
    rule += " ---: |" * (1 + len(variants))
    lines += [head, rule]
    for key in keys:
        pair = by[key]
        ours = pair.get("rnn4j")
        any_ = ours or next(iter(pair.values()))
        unit = "us" if any_["mode"] == "stream" else "ms"

        def t(x):
            return None if x is None else x.get(unit + "_per_step")

        def least(x):
            return None if x is None else x.get(unit + "_min")

        grid = any_["grid"]
        size = grid.rsplit("-", 1)[-1] if grid[-2:-1] == "-" and grid[-1] in "SML" else "-"
        steps = "-" if any_["mode"] == "stream" else str(any_["seq_len"])
        line = "| %s | %s | %s | %d | %d | %s | %d | %d | %s %s |" % (
            size, any_["cell"], any_["mode"], any_["input_size"], any_["hidden_size"], steps, any_["batch"],
            any_["threads"], fmt(t(ours)), unit)
        for v in variants:
            peer = pair.get(v)
            ratio = "**%.2f**" % (t(peer) / t(ours)) if ours and peer else "-"
            min_ratio = "%.2f" % (least(peer) / least(ours)) if ours and peer and least(ours) else "-"
            line += " %s %s | %s | %s |" % (fmt(t(peer)), unit, ratio, min_ratio)
        line += " %s |" % (fmt(ours["gflops"]) if ours else "-")
        line += "".join(" %s |" % (fmt(pair[v]["gflops"]) if v in pair else "-") for v in variants)
        lines.append(line)
    lines += ["", "Peak resident memory of each process (MB; VmHWM, read at the end of the run):", "",
              "| config | cell | mode | threads | rnn4j |" + "".join(" PyTorch (%s) |" % core(v) for v in variants),
              "| --- | --- | --- | ---: | ---: |" + " ---: |" * len(variants)]
    for key in keys:
        pair = by[key]
        any_ = pair.get("rnn4j") or next(iter(pair.values()))
        grid = any_["grid"]
        size = grid.rsplit("-", 1)[-1] if grid[-2:-1] == "-" and grid[-1] in "SML" else "-"

        def rss(x):
            return fmt(x.get("peak_rss_mb")) if x else "-"
        lines.append("| %s | %s | %s | %d | %s |" % (size, any_["cell"], any_["mode"], any_["threads"], rss(pair.get("rnn4j")))
                     + "".join(" %s |" % rss(pair.get(v)) for v in variants))
    lines += ["", "Times are medians per step: a training step (forward, MSE, backward, Adam) or an inference forward "
              "pass in ms, a streaming step (one time step, B = 1) in us. PyTorch / rnn4j above 1: rnn4j is faster; "
              "'of the minima' is the same ratio of each side's fastest step, which other load on the machine "
              "disturbs least. "
              "GFLOP/s count 2*T*B*g*H*(I+H) per forward pass (g = 4, 3, 1 for LSTM, GRU, RNN), 3x that per "
              "training step."]
    text = "\n".join(lines) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
