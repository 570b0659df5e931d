#!/usr/bin/env python3
"""Turns the JSON lines of bench/run_grid.sh into its markdown report: the machine, then

- the main table: rnn4j's time, each PyTorch variant's time and PyTorch / rnn4j (above 1 where rnn4j is faster), the
  GFLOP/s of each, and rnn4j's GFLOP/s as a fraction of the same run's OpenBLAS sgemm at that thread count;
- OpenBLAS sgemm N^3 (torch.mm) per thread count and variant, measured before and after the grid;
- serving latency: a model's forward pass at small batches, in ms per sequence;
- peak resident memory of each process;
- heap bytes rnn4j allocated per step after warm-up, with the rows that allocate flagged.

    bench/grid_report.py GRID.jsonl OUT.md --machine ... --rnn4j ... --peer ... --run ... --variants "detected SkylakeX"

A row is flagged as allocating when rnn4j's bytes per step, divided by the time steps of a step (T; a streaming call
is one), exceed --alloc-threshold (64 bytes per time step). A pass over a sequence allocates a few result records and
matrix views whatever T is (hundreds of bytes to a few KB per pass), which stays far below 64 x T; what the flag is
for allocates per time step: one boxed 512-bit vector (a 16-lane float[] and its object, about 100 bytes) per vector
operation when C2 has not intrinsified the Vector API, a buffer regrown or a view rebuilt per step, or the small
object each parallel loop of the kernels' pool costs at 2 threads. A streaming call must allocate nothing, and 64
bytes is less than one object with its payload.
"""
import argparse
import json

DEFAULT_ALLOC_THRESHOLD = 64.0


def fmt(v):
    if v is None:
        return "-"
    return "%.3g" % v if v < 100 else "%.0f" % v


def size_of(grid):
    """S, M or L from a grid name such as lstm-train-M or lstm2-infer-L; '-' for the others."""
    return grid.rsplit("-", 1)[-1] if grid[-2:-1] == "-" and grid[-1] in "SML" else "-"


def cell_label(r):
    """The cell, with its layers and dropout when it is stacked: 'lstm', 'lstm x2, dropout 0.2'."""
    label = r.get("cell", "-")
    layers = r.get("layers") or 1
    if layers > 1:
        label += " x%d" % layers
        if r.get("dropout"):
            label += ", dropout %g" % r["dropout"]
    return label


def time_steps(r):
    """Time steps of one timed unit: T for a pass over a sequence, 1 for a streaming call."""
    return 1 if r.get("mode") == "stream" else r.get("seq_len") or 1


def alloc_per_time_step(r):
    b = r.get("alloc_bytes_per_step")
    return None if b is None else b / time_steps(r)


def allocates(r, threshold):
    per = alloc_per_time_step(r)
    return per is not None and per > threshold


def render(rows, variants, machine="", rnn4j="", peer="", run="", alloc_threshold=DEFAULT_ALLOC_THRESHOLD):
    """The report as markdown text."""
    sgemm_rows = [r for r in rows if r.get("mode") == "sgemm"]
    bench_rows = [r for r in rows if r.get("mode") != "sgemm"]
    by, keys = {}, []
    for r in bench_rows:
        key = (r["grid"], r["threads"])
        if key not in by:
            by[key] = {}
            keys.append(key)
        by[key][r["variant"]] = r
    main_keys = [k for k in keys if next(iter(by[k].values()))["mode"] != "serve"]
    serve_keys = [k for k in keys if next(iter(by[k].values()))["mode"] == "serve"]

    def core(v):
        cores = {r.get("blas_core") for r in rows if r["variant"] == v and r.get("blas_core")}
        return "/".join(sorted(cores)) or v

    # sgemm: the best of the run's measurements (before and after the grid) per variant and thread count
    sgemm = {}
    for r in sgemm_rows:
        k = (r["variant"], r["threads"])
        if r.get("gflops") is not None:
            sgemm[k] = max(sgemm.get(k, 0.0), r["gflops"])
    sgemm_variants = [v for v in variants if any(k[0] == v for k in sgemm)]
    sgemm_n = sorted({r.get("n") for r in sgemm_rows if r.get("n")})
    sgemm_name = "sgemm %s³" % "/".join(str(n) for n in sgemm_n) if sgemm_n else "sgemm"

    def of_sgemm(ours, v):
        ref = sgemm.get((v, ours["threads"])) if ours else None
        return "%.2f" % (ours["gflops"] / ref) if ref and ours.get("gflops") is not None else "-"

    allocators = sorted({r.get("allocator") for r in rows if r.get("impl") == "pytorch" and r.get("allocator")})

    lines = []
    if machine:
        lines += ["Machine: %s." % machine, ""]
    if rnn4j or peer:
        lines += ["rnn4j on %s. Peer: %s." % (rnn4j, peer), ""]
    if allocators:
        lines += ["PyTorch's allocator (read from each process's mapped libraries): %s." % ", ".join(allocators), ""]
    if run:
        lines += ["Run %s." % run, ""]

    def unit_of(r):
        return "us" if r["mode"] == "stream" else "ms"

    head = "| config | cell | mode | I | H | T | B | threads | rnn4j |"
    rule = "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for v in variants:
        head += " PyTorch (OpenBLAS %s%s) | PyTorch / rnn4j | of the minima |" % (
            core(v), ", detected" if v == "detected" else ", forced")
        rule += " ---: | ---: | ---: |"
    head += " rnn4j GFLOP/s |" + "".join(" PyTorch GFLOP/s (%s) |" % core(v) for v in variants)
    rule += " ---: |" * (1 + len(variants))
    head += "".join(" rnn4j / %s (%s) |" % (sgemm_name, core(v)) for v in sgemm_variants)
    rule += " ---: |" * len(sgemm_variants)
    lines += [head, rule]
    for key in main_keys:
        pair = by[key]
        ours = pair.get("rnn4j")
        any_ = ours or next(iter(pair.values()))
        unit = unit_of(any_)

        def t(x):
            return None if x is None else x.get(unit + "_per_step")

        def least(x):
            return None if x is None else x.get(unit + "_min")

        steps = "-" if any_["mode"] == "stream" else str(any_["seq_len"])
        line = "| %s | %s | %s | %d | %d | %s | %d | %d | %s %s |" % (
            size_of(any_["grid"]), cell_label(any_), any_["mode"], any_["input_size"], any_["hidden_size"], steps,
            any_["batch"], any_["threads"], fmt(t(ours)), unit)
        for v in variants:
            peer_row = pair.get(v)
            ratio = "**%.2f**" % (t(peer_row) / t(ours)) if ours and peer_row else "-"
            min_ratio = "%.2f" % (least(peer_row) / least(ours)) if ours and peer_row and least(ours) else "-"
            line += " %s %s | %s | %s |" % (fmt(t(peer_row)), unit, ratio, min_ratio)
        line += " %s |" % (fmt(ours["gflops"]) if ours else "-")
        line += "".join(" %s |" % (fmt(pair[v]["gflops"]) if v in pair else "-") for v in variants)
        line += "".join(" %s |" % of_sgemm(ours, v) for v in sgemm_variants)
        lines.append(line)

    if sgemm_rows:
        lines += ["", "OpenBLAS %s through `torch.mm` in this run (GFLOP/s; before and after the grid; the fractions above "
                  "divide by the higher):" % sgemm_name, "",
                  "| threads |" + "".join(" %s, before | %s, after |" % (core(v), core(v)) for v in sgemm_variants),
                  "| ---: |" + " ---: | ---: |" * len(sgemm_variants)]
        for n in sorted({r["threads"] for r in sgemm_rows}):
            line = "| %d |" % n
            for v in sgemm_variants:
                for when in ("before", "after"):
                    found = [r for r in sgemm_rows if r["variant"] == v and r["threads"] == n and r.get("when", "before") == when]
                    line += " %s |" % (fmt(found[0]["gflops"]) if found else "-")
            lines.append(line)

    if serve_keys:
        lines += ["", "Serving latency: a model's forward pass (the recurrent network and a dense head of one output on the "
                  "last step; rnn4j `SequenceModel.forward` in inference mode, PyTorch in eval mode under "
                  "`torch.inference_mode()`), in ms per sequence (the time of a batch / B):", "",
                  "| cell | I | H | T | B | threads | rnn4j ms/seq |"
                  + "".join(" PyTorch (%s) ms/seq | PyTorch / rnn4j | of the minima |" % core(v) for v in variants)
                  + " rnn4j GFLOP/s |" + "".join(" rnn4j / %s (%s) |" % (sgemm_name, core(v)) for v in sgemm_variants),
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: | ---: | ---: |" * len(variants)
                  + " ---: |" * (1 + len(sgemm_variants))]
        for key in serve_keys:
            pair = by[key]
            ours = pair.get("rnn4j")
            any_ = ours or next(iter(pair.values()))

            def per_seq(x):
                return None if x is None else x.get("ms_per_sequence")

            def per_seq_min(x):
                return None if x is None else x.get("ms_per_sequence_min")

            line = "| %s | %d | %d | %d | %d | %d | %s |" % (
                cell_label(any_), any_["input_size"], any_["hidden_size"], any_["seq_len"], any_["batch"], any_["threads"],
                fmt(per_seq(ours)))
            for v in variants:
                peer_row = pair.get(v)
                ratio = "**%.2f**" % (per_seq(peer_row) / per_seq(ours)) if per_seq(ours) and per_seq(peer_row) else "-"
                min_ratio = ("%.2f" % (per_seq_min(peer_row) / per_seq_min(ours))
                             if per_seq_min(ours) and per_seq_min(peer_row) else "-")
                line += " %s | %s | %s |" % (fmt(per_seq(peer_row)), ratio, min_ratio)
            line += " %s |" % (fmt(ours["gflops"]) if ours else "-")
            line += "".join(" %s |" % of_sgemm(ours, v) for v in sgemm_variants)
            lines.append(line)

    lines += ["", "Peak resident memory of each process (MB; VmHWM, read at the end of the run):", "",
              "| config | cell | mode | B | threads | rnn4j |" + "".join(" PyTorch (%s) |" % core(v) for v in variants),
              "| --- | --- | --- | ---: | ---: | ---: |" + " ---: |" * len(variants)]
    for key in keys:
        pair = by[key]
        any_ = pair.get("rnn4j") or next(iter(pair.values()))

        def rss(x):
            return fmt(x.get("peak_rss_mb")) if x else "-"
        lines.append("| %s | %s | %s | %d | %d | %s |" % (size_of(any_["grid"]), cell_label(any_), any_["mode"], any_["batch"],
                                                          any_["threads"], rss(pair.get("rnn4j")))
                     + "".join(" %s |" % rss(pair.get(v)) for v in variants))

    ours_rows = [by[k]["rnn4j"] for k in keys if "rnn4j" in by[k]]
    if any(r.get("alloc_bytes_per_step") is not None for r in ours_rows):
        lines += ["", "Heap allocated by rnn4j per step after warm-up (all the JVM's threads, over the timed steps; a "
                  "streaming step is one call), flagged above %g bytes per time step:" % alloc_threshold, "",
                  "| config | cell | mode | T | B | threads | bytes per step | bytes per time step | |",
                  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        flagged = []
        for r in ours_rows:
            bytes_ = r.get("alloc_bytes_per_step")
            flag = allocates(r, alloc_threshold)
            if flag:
                flagged.append("%s at %d thread%s" % (r["grid"], r["threads"], "" if r["threads"] == 1 else "s"))
            lines.append("| %s | %s | %s | %s | %d | %d | %s | %s | %s |" % (
                size_of(r["grid"]), cell_label(r), r["mode"], "-" if r["mode"] == "stream" else r["seq_len"], r["batch"],
                r["threads"], "-" if bytes_ is None else "%.0f" % bytes_,
                "-" if bytes_ is None else "%.1f" % alloc_per_time_step(r), "**allocates**" if flag else ""))
        lines += [""]
        if flagged:
            lines += ["**%d of %d rows allocate** more than %g bytes per time step: %s." % (
                len(flagged), len(ours_rows), alloc_threshold, ", ".join(flagged))]
        else:
            lines += ["No row allocates more than %g bytes per time step." % alloc_threshold]

    lines += ["", "Times are medians per step: a training step (forward, MSE, backward, Adam) or an inference forward "
              "pass in ms, a streaming step (one time step, B = 1) in us; serving in ms per sequence. PyTorch / rnn4j "
              "above 1: rnn4j is faster; 'of the minima' is the same ratio of each side's fastest step, which other load "
              "on the machine disturbs least. "
              "GFLOP/s count 2*T*B*g*H*(I+H) per forward pass of the first layer and 2*T*B*g*H*2H of each further one "
              "(g = 4, 3, 1 for LSTM, GRU, RNN), 3x that per training step; 'rnn4j / sgemm' divides rnn4j's GFLOP/s by "
              "OpenBLAS's sgemm at the same thread count in the same run. A row flagged as allocating allocates more "
              "than %g bytes per time step: more than the few result records a pass makes (see bench/grid_report.py)."
              % alloc_threshold]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("json")
    p.add_argument("out")
    p.add_argument("--machine", default="")
    p.add_argument("--rnn4j", default="")
    p.add_argument("--peer", default="")
    p.add_argument("--run", default="")
    p.add_argument("--variants", default="detected")
    p.add_argument("--alloc-threshold", type=float, default=DEFAULT_ALLOC_THRESHOLD,
                   help="flag rnn4j rows allocating more than this many bytes per time step [64]")
    a = p.parse_args()

    with open(a.json) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    text = render(rows, a.variants.split(), a.machine, a.rnn4j, a.peer, a.run, a.alloc_threshold)
    with open(a.out, "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
