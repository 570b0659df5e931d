#!/usr/bin/env python3
"""The PyTorch peer of `rnn4j bench`: the same options, the same work, the same JSON fields.

    env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/pytorch_bench.py --cell lstm --input-size 32 --hidden-size 128 \
        --seq-len 50 --batch 32 --threads 1 --mode train --json

Work of one step, per --mode:
  train   opt.zero_grad(); forward a 1-layer nn.LSTM/GRU/RNN over the whole sequence [T, B, I]; MSE of all
          outputs [T, B, H] against random targets; backward; one Adam(lr=1e-3) step. FLOPs counted: 3 x forward.
  infer   the forward pass under torch.no_grad().
  stream  nn.LSTMCell/GRUCell/RNNCell on B sequences, one time step per call, under torch.no_grad(); a timed
          repetition is 1000 calls and the result is microseconds per call. --seq-len is not used.
Forward FLOPs are 2*T*B*g*H*(I+H), g = 4, 3, 1 for the LSTM, GRU and simple RNN.

Warm-up and timing follow rnn4j's BenchCommand: warm-up until at least --warmup-steps steps (stream: repetitions)
have run, at least --warmup-seconds have passed and the step time has stopped falling (the median of the last
five no more than 3% below that of the five before), or, once three have run, after 4 x --warmup-seconds or 10 s,
whichever is shorter (but not before --warmup-seconds); then --steps timed steps, reported by their median.

Debian's python3-torch does its matrix products in OpenBLAS, which picks its kernels for the CPU at start-up
unless OPENBLAS_CORETYPE names them. The JSON reports the kernels in use as "blas_core": OpenBLAS 0.3.21 does not
know every recent CPU and falls back to its generic SSE3 kernels ("Prescott") for those, several times slower than
its AVX-512 ones; OPENBLAS_CORETYPE=SkylakeX forces these (see bench/run_grid.sh).
"""
import argparse
import ctypes
import json
import platform
import resource
import statistics
import sys
import time

import torch

STREAM_STEPS_PER_REPETITION = 1000
WARMUP_CAP_FACTOR = 4
GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def positive(name, maximum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got '{text}'")
        if not 1 <= value <= maximum:
            raise argparse.ArgumentTypeError(f"{name} must be between 1 and {maximum}, got {value}")
        return value
    return parse


def non_negative(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got '{text}'")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got '{text}'")
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600, got {text}")
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(prog="pytorch_bench.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--cell", choices=["lstm", "gru", "rnn"], default="lstm")
    p.add_argument("--input-size", type=positive("--input-size", 1 << 20), default=32)
    p.add_argument("--hidden-size", type=positive("--hidden-size", 1 << 20), default=128)
    p.add_argument("--seq-len", type=positive("--seq-len", 1 << 24), default=50)
    p.add_argument("--batch", type=positive("--batch", 1 << 24), default=32)
    p.add_argument("--threads", type=positive("--threads", 4096), default=1)
    p.add_argument("--mode", choices=["train", "infer", "stream"], default="train")
    p.add_argument("--steps", type=positive("--steps", 1_000_000), default=None,
                   help="timed steps (stream: repetitions of 1000 calls) [20; stream 10]")
    p.add_argument("--warmup-steps", type=non_negative, default=20)
    p.add_argument("--warmup-seconds", type=seconds, default=3.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.add_argument("--print-blas-core", action="store_true",
                   help="print the OpenBLAS kernels torch runs with (e.g. SkylakeX, Prescott) and exit")
    args = p.parse_args(argv)
    if args.steps is None:
        args.steps = 10 if args.mode == "stream" else 20
    return args


def blas_core():
    """The OpenBLAS kernels (e.g. SkylakeX, Haswell, Prescott) of the BLAS loaded with torch, or None."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line and line.rstrip().endswith(".so")
                            or "libblas.so" in line})
        for path in paths:
            lib = ctypes.CDLL(path)
            if hasattr(lib, "openblas_get_corename"):
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return lib.openblas_get_corename().decode()
    except OSError:
        pass
    return None


def flops_per_step(a):
    per_time_step = 2.0 * a.batch * GATES[a.cell] * a.hidden_size * (a.input_size + a.hidden_size)
    if a.mode == "train":
        return 3 * a.seq_len * per_time_step
    if a.mode == "infer":
        return a.seq_len * per_time_step
    return per_time_step


def make_step(a):
    torch.manual_seed(a.seed)
    T, B, I, H = a.seq_len, a.batch, a.input_size, a.hidden_size
    if a.mode == "stream":
        cls = {"lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell, "rnn": torch.nn.RNNCell}[a.cell]
        cell = cls(I, H)
        inputs = torch.rand(16, B, I) * 2 - 1
        h = torch.zeros(B, H)
        c = torch.zeros(B, H)
        lstm = a.cell == "lstm"

        def step():
            nonlocal h, c
            with torch.no_grad():
                for s in range(STREAM_STEPS_PER_REPETITION):
                    x = inputs[s & 15]
                    if lstm:
                        h, c = cell(x, (h, c))
                    else:
                        h = cell(x, h)
        return step, None

    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[a.cell]
    net = cls(I, H, num_layers=1)
    x = torch.rand(T, B, I) * 2 - 1
    if a.mode == "infer":
        def step():
            with torch.no_grad():
                net(x)
        return step, None

    target = torch.rand(T, B, H) * 2 - 1
    mse = torch.nn.MSELoss()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    last = [float("nan")]

    def step():
        opt.zero_grad()
        out, _ = net(x)
        loss = mse(out, target)
        loss.backward()
        opt.step()
        last[0] = loss.detach()
    return step, last


def stable(recent):
    if len(recent) < 10:
        return False
    return statistics.median(recent[-5:]) >= 0.97 * statistics.median(recent[-10:-5])


def measure(a):
    step, last_loss = make_step(a)
    start = time.perf_counter()
    recent = []
    min_s = a.warmup_seconds
    cap_s = max(min_s, min(WARMUP_CAP_FACTOR * a.warmup_seconds, max(10.0, a.warmup_seconds)))
    while True:
        elapsed = time.perf_counter() - start
        enough = len(recent) >= a.warmup_steps and elapsed >= min_s and stable(recent)
        capped = elapsed >= cap_s and len(recent) >= min(3, a.warmup_steps)
        if enough or capped:
            break
        t0 = time.perf_counter()
        step()
        recent.append(time.perf_counter() - t0)
    warmup_seconds = time.perf_counter() - start

    per_unit = STREAM_STEPS_PER_REPETITION if a.mode == "stream" else 1
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) / per_unit)
    loss = float(last_loss[0]) if last_loss is not None else None
    return times, len(recent), warmup_seconds, loss


def main(argv):
    a = parse_args(argv)
    if a.print_blas_core:
        print(blas_core() or "unknown")
        return 0
    torch.set_num_threads(a.threads)
    times, warmup_steps, warmup_seconds, loss = measure(a)
    stream = a.mode == "stream"
    scale = 1e6 if stream else 1e3
    unit = "us" if stream else "ms"
    median = statistics.median(times)
    result = {
        "impl": "pytorch", "cell": a.cell, "mode": a.mode, "input_size": a.input_size, "hidden_size": a.hidden_size,
        "seq_len": a.seq_len, "batch": a.batch, "threads": a.threads, "steps": a.steps,
    }
    if stream:
        result["steps_per_repetition"] = STREAM_STEPS_PER_REPETITION
    result.update({
        "warmup_steps": warmup_steps, "warmup_seconds": round(warmup_seconds, 3),
        f"{unit}_per_step": round(median * scale, 6 if stream else 4),
        f"{unit}_min": round(min(times) * scale, 6 if stream else 4),
        f"{unit}_max": round(max(times) * scale, 6 if stream else 4),
        "gflops": round(flops_per_step(a) / median / 1e9, 4),
    })
    if loss is not None:
        result["loss"] = loss
    # ru_maxrss is in KiB on Linux
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
    result["blas_core"] = blas_core()
    result["runtime"] = f"PyTorch {torch.__version__} (Python {platform.python_version()}, {torch.get_num_threads()} threads)"
    if a.json:
        print(json.dumps(result))
    else:
        shape = (f"I={a.input_size} H={a.hidden_size} B={a.batch}" if stream
                 else f"I={a.input_size} H={a.hidden_size} T={a.seq_len} B={a.batch}")
        print(f"pytorch {a.cell} {a.mode} {shape}, {a.threads} thread{'' if a.threads == 1 else 's'}: "
              f"{median * scale:.4g} {'us per call' if stream else 'ms per step'} (median of {a.steps}; "
              f"min {min(times) * scale:.4g}, max {max(times) * scale:.4g}), {result['gflops']:.3g} GFLOP/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
