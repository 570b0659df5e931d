#!/usr/bin/env python3
"""The PyTorch peer of `rnn4j bench`: the same options, the same work, the same JSON fields.

    env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/pytorch_bench.py --cell lstm --input-size 32 --hidden-size 128 \
        --seq-len 50 --batch 32 --threads 1 --mode train --json

The network is nn.LSTM/GRU/RNN(I, H, num_layers=--layers, dropout=--dropout). Work of one step, per --mode:
  train   in train mode: opt.zero_grad(); forward the network over the whole sequence [T, B, I]; MSE of all
          outputs [T, B, H] against random targets; backward; one Adam(lr=1e-3) step. FLOPs counted: 3 x forward.
  infer   the forward pass in eval mode under torch.no_grad().
  serve   what a service answers a request with: the network and nn.Linear(H, 1) on the last step's output, in
          eval mode under torch.inference_mode(); also reported in ms per sequence (ms per step / B).
  stream  nn.LSTMCell/GRUCell/RNNCell on B sequences, one time step per call, under torch.no_grad(); a timed
          repetition is 1000 calls and the result is microseconds per call. --seq-len and --layers are not used.
  sgemm   torch.mm of two random float32 N x N matrices into a third, N = --sgemm-size (2048): OpenBLAS's sgemm,
          the ceiling the recurrent layers' GEMMs are measured against (bench/run_grid.sh). FLOPs 2 N^3.
Forward FLOPs are 2*T*B*g*H*(I+H) for the first layer and 2*T*B*g*H*2H for each further one, g = 4, 3, 1 for the
LSTM, GRU and simple RNN.

The allocator: glibc's malloc makes PyTorch up to 3x slower on these machines, and rnn4j is compared with PyTorch at
its best, so by default (--allocator tcmalloc) the script runs under tcmalloc: unless it is loaded already (run_grid.sh
sets LD_PRELOAD), the script starts itself again with LD_PRELOAD set to libtcmalloc_minimal.so.4 (Debian:
apt-get install google-perftools), and fails if it is not installed. --allocator system runs with whatever
allocator the process has. The JSON's "allocator" is the one actually loaded (read from /proc/self/maps).

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
import glob
import json
import os
import platform
import resource
import statistics
import sys
import time

torch = None  # imported in main(), after the allocator is settled: it must be preloaded before torch loads

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


def probability(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got '{text}'")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
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
    p.add_argument("--layers", type=positive("--layers", 64), default=1)
    p.add_argument("--dropout", type=probability, default=0.0,
                   help="dropout between stacked layers, in training (nn.LSTM's dropout); needs --layers 2 or more")
    p.add_argument("--threads", type=positive("--threads", 4096), default=1)
    p.add_argument("--mode", choices=["train", "infer", "serve", "stream", "sgemm"], default="train")
    p.add_argument("--sgemm-size", type=positive("--sgemm-size", 1 << 15), default=2048,
                   help="N of --mode sgemm's N x N x N product")
    p.add_argument("--steps", type=positive("--steps", 1_000_000), default=None,
                   help="timed steps (stream: repetitions of 1000 calls) [20; stream 10]")
    p.add_argument("--warmup-steps", type=non_negative, default=20)
    p.add_argument("--warmup-seconds", type=seconds, default=3.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.add_argument("--allocator", choices=["tcmalloc", "system"], default="tcmalloc",
                   help="run under tcmalloc (preloaded; the default) or the process's own allocator")
    p.add_argument("--print-blas-core", action="store_true",
                   help="print the OpenBLAS kernels torch runs with (e.g. SkylakeX, Prescott) and exit")
    args = p.parse_args(argv)
    if args.dropout > 0 and args.layers < 2:
        p.error("--dropout acts between stacked layers: it needs --layers 2 or more")
    if args.mode == "stream" and args.layers > 1:
        p.error("--mode stream runs one cell (nn.LSTMCell, GRUCell or RNNCell): --layers must be 1")
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


TCMALLOC = "libtcmalloc_minimal.so.4"
REEXEC_MARK = "RNN4J_PYTORCH_BENCH_PRELOADED"


def loaded_allocator():
    """The malloc this process runs with, from the libraries it has mapped: tcmalloc, jemalloc or glibc."""
    try:
        with open("/proc/self/maps") as maps:
            text = maps.read()
    except OSError:
        return "unknown"
    if "libtcmalloc" in text:
        return "tcmalloc"
    if "libjemalloc" in text:
        return "jemalloc"
    return "glibc"


def find_tcmalloc():
    """The path of libtcmalloc_minimal.so.4 (Debian's google-perftools), or None."""
    for pattern in ("/usr/lib/*-linux-gnu/", "/lib/*-linux-gnu/", "/usr/lib64/", "/usr/lib/", "/usr/local/lib/"):
        found = sorted(glob.glob(pattern + TCMALLOC))
        if found:
            return found[0]
    return None


def ensure_tcmalloc(argv):
    """Starts this script again with tcmalloc preloaded unless it is loaded already; exits 2 if it cannot be."""
    if loaded_allocator() == "tcmalloc":
        return
    if os.environ.get(REEXEC_MARK):
        sys.exit(f"pytorch_bench.py: LD_PRELOAD={os.environ.get('LD_PRELOAD', '')} did not load tcmalloc")
    path = find_tcmalloc()
    if path is None:
        sys.exit(f"pytorch_bench.py: tcmalloc ({TCMALLOC}) is not installed: apt-get install google-perftools "
                 "(or run with --allocator system, which is not PyTorch at its best)")
    env = dict(os.environ)
    env["LD_PRELOAD"] = path + (":" + env["LD_PRELOAD"] if env.get("LD_PRELOAD") else "")
    env[REEXEC_MARK] = "1"
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + list(argv), env)


def forward_flops_per_time_step(a):
    inputs = a.input_size + a.hidden_size + (a.layers - 1) * 2 * a.hidden_size
    return 2.0 * a.batch * GATES[a.cell] * a.hidden_size * inputs


def flops_per_step(a):
    if a.mode == "sgemm":
        return 2.0 * a.sgemm_size ** 3
    if a.mode == "stream":
        return 2.0 * a.batch * GATES[a.cell] * a.hidden_size * (a.input_size + a.hidden_size)
    per_time_step = forward_flops_per_time_step(a)
    if a.mode == "train":
        return 3 * a.seq_len * per_time_step
    return a.seq_len * per_time_step


def make_step(a):
    torch.manual_seed(a.seed)
    T, B, I, H = a.seq_len, a.batch, a.input_size, a.hidden_size
    if a.mode == "sgemm":
        n = a.sgemm_size
        left, right, product = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)

        def step():
            torch.mm(left, right, out=product)
        return step, None

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
    net = cls(I, H, num_layers=a.layers, dropout=a.dropout)
    x = torch.rand(T, B, I) * 2 - 1
    if a.mode == "infer":
        net.eval()

        def step():
            with torch.no_grad():
                net(x)
        return step, None

    if a.mode == "serve":
        head = torch.nn.Linear(H, 1)
        net.eval()
        head.eval()

        def step():
            with torch.inference_mode():
                out, _ = net(x)
                head(out[-1])
        return step, None

    net.train()
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
    global torch
    a = parse_args(argv)
    if a.allocator == "tcmalloc":
        ensure_tcmalloc(argv)
    import torch as imported
    torch = imported
    if a.print_blas_core:
        print(blas_core() or "unknown")
        return 0
    torch.set_num_threads(a.threads)
    times, warmup_steps, warmup_seconds, loss = measure(a)
    stream = a.mode == "stream"
    scale = 1e6 if stream else 1e3
    unit = "us" if stream else "ms"
    median = statistics.median(times)
    if a.mode == "sgemm":
        result = {"impl": "pytorch", "mode": "sgemm", "n": a.sgemm_size, "threads": a.threads, "steps": a.steps}
    else:
        result = {
            "impl": "pytorch", "cell": a.cell, "mode": a.mode, "input_size": a.input_size, "hidden_size": a.hidden_size,
            "seq_len": a.seq_len, "batch": a.batch, "layers": a.layers, "dropout": a.dropout, "threads": a.threads,
            "steps": a.steps,
        }
    if stream:
        result["steps_per_repetition"] = STREAM_STEPS_PER_REPETITION
    result.update({
        "warmup_steps": warmup_steps, "warmup_seconds": round(warmup_seconds, 3),
        f"{unit}_per_step": round(median * scale, 6 if stream else 4),
        f"{unit}_min": round(min(times) * scale, 6 if stream else 4),
        f"{unit}_max": round(max(times) * scale, 6 if stream else 4),
    })
    if a.mode == "serve":
        result["ms_per_sequence"] = round(median * scale / a.batch, 6)
        result["ms_per_sequence_min"] = round(min(times) * scale / a.batch, 6)
    result["gflops"] = round(flops_per_step(a) / median / 1e9, 4)
    if loss is not None:
        result["loss"] = loss
    # ru_maxrss is in KiB on Linux
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
    result["blas_core"] = blas_core()
    result["allocator"] = loaded_allocator()
    result["runtime"] = f"PyTorch {torch.__version__} (Python {platform.python_version()}, {torch.get_num_threads()} threads)"
    if a.json:
        print(json.dumps(result))
    else:
        if a.mode == "sgemm":
            what = f"sgemm {a.sgemm_size}^3"
        else:
            shape = (f"I={a.input_size} H={a.hidden_size} B={a.batch}" if stream
                     else f"I={a.input_size} H={a.hidden_size} T={a.seq_len} B={a.batch}")
            if a.layers > 1:
                shape += f" L={a.layers}" + (f" dropout={a.dropout:g}" if a.dropout > 0 else "")
            what = f"{a.cell} {a.mode} {shape}"
        per_sequence = f", {median * scale / a.batch:.4g} ms per sequence" if a.mode == "serve" else ""
        print(f"pytorch {what}, {a.threads} thread{'' if a.threads == 1 else 's'}: "
              f"{median * scale:.4g} {'us per call' if stream else 'ms per step'} (median of {a.steps}; "
              f"min {min(times) * scale:.4g}, max {max(times) * scale:.4g}), {result['gflops']:.3g} GFLOP/s"
              f"{per_sequence}, malloc: {result['allocator']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
