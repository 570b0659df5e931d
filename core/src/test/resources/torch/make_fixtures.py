#!/usr/bin/env python3
"""Generates the PyTorch reference fixtures of rnn4j's TorchEquivalenceTest, and the bundled examples/torch demo.

    /usr/bin/python3 core/src/test/resources/torch/make_fixtures.py [OUT_DIR]      # fixtures (default: this folder)
    /usr/bin/python3 core/src/test/resources/torch/make_fixtures.py --examples DIR # the examples/torch demo files

Needs only PyTorch (Debian's python3-torch, 1.13, is enough); safetensors files are written with struct and json
(../safetensors_io.py, shared with optim/make_optim_fixtures.py).

Each fixture <case>.safetensors holds, for one nn.LSTM / nn.GRU / nn.RNN:
  * the state_dict under PyTorch's names (weight_ih_l0, bias_hh_l1_reverse, ...), F32;
  * __metadata__: mode (LSTM, GRU, RNN_TANH, RNN_RELU), input_size, hidden_size, num_layers,
    bidirectional and bias ("true"/"false"), and steps, batch, seed, torch_version;
  * inputs, F32: input [T,B,I], optionally h0 [L*D,B,H], c0 (LSTM), lengths I64 [B];
  * references, F64: output [T,B,D*H] (zero past each sequence's length), h_n, c_n (LSTM);
  * loss weights, F32: r_output, r_h_n, r_c_n (LSTM), random;
  * gradients, F64, of loss = sum(output*r_output) + sum(h_n*r_h_n) + sum(c_n*r_c_n) with respect to
    input (grad_input), h0 (grad_h0), c0 (grad_c0) and every parameter (grad.weight_ih_l0, ...).

Weights and inputs are drawn wider than PyTorch's default init (uniform(-0.8, 0.8): gates far from 0.5, every
value distinct, so a swapped gate block or a transposed matrix cannot pass), rounded to float32 so that the F32
copy a float implementation loads is exact, and the references are then computed in float64: they are the exact
math on those float32 values. Every case is also run in float32 by PyTorch and checked against the float64
references with the Java test's tolerance (1e-5 * (1 + max|reference|)), so that tolerance is known to be
reachable by a float32 implementation.

GRU with the reset gate applied before the matrix product (rnn4j's GruVariant.RESET_BEFORE) has no PyTorch
module; finite-difference tests cover it instead.
"""

import argparse
import os
import sys

import torch

MODES = {
    # mode: (module, extra kwargs)
    "LSTM": (torch.nn.LSTM, {}),
    "GRU": (torch.nn.GRU, {}),
    "RNN_TANH": (torch.nn.RNN, {"nonlinearity": "tanh"}),
    "RNN_RELU": (torch.nn.RNN, {"nonlinearity": "relu"}),
}

WEIGHT_RANGE = 0.8   # weights and biases uniform(-0.8, 0.8)
INPUT_RANGE = 1.0    # inputs uniform(-1, 1); h0 and c0 uniform(-0.8, 0.8)
TOLERANCE = 1e-5     # the Java test's: max|err| <= 1e-5 * (1 + max|reference|)


# ---------------------------------------------------------------------------------------------- safetensors

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402  (../safetensors_io.py)


# ---------------------------------------------------------------------------------------------- cases

class Case:
    def __init__(self, name, mode, T, B, I, H, layers=1, bidirectional=False, bias=True, lengths=None,
                 initial_state=False):
        self.name, self.mode = name, mode
        self.T, self.B, self.I, self.H = T, B, I, H
        self.layers, self.bidirectional, self.bias = layers, bidirectional, bias
        self.lengths, self.initial_state = lengths, initial_state
        if lengths is not None:
            assert len(lengths) == B and all(1 <= n <= T for n in lengths), name


def cases():
    out = []
    # per cell: basic 1-layer; 2-layer bidirectional with unsorted lengths (a 1 and a full one) and h0/c0;
    # 2-layer unidirectional without biases. T, B, I, H differ within each case so a transpose shows.
    basic = {"lstm": (5, 3, 4, 6), "gru": (6, 4, 3, 5), "rnn_tanh": (7, 3, 5, 4), "rnn_relu": (5, 4, 3, 6)}
    for cell, mode in (("lstm", "LSTM"), ("gru", "GRU"), ("rnn_tanh", "RNN_TANH"), ("rnn_relu", "RNN_RELU")):
        T, B, I, H = basic[cell]
        out.append(Case(f"{cell}_basic", mode, T, B, I, H))
        out.append(Case(f"{cell}_bi2_lengths", mode, 7, 4, 3, 5, layers=2, bidirectional=True,
                        lengths=[5, 7, 1, 3], initial_state=True))
        out.append(Case(f"{cell}_nobias", mode, 6, 3, 5, 4, layers=2, bias=False))
    # edge cases
    out.append(Case("lstm_t1", "LSTM", 1, 3, 4, 5, bidirectional=True, initial_state=True))
    out.append(Case("lstm_h1", "LSTM", 5, 3, 4, 1, layers=2, bidirectional=True, lengths=[5, 2, 4]))
    out.append(Case("lstm_3layer", "LSTM", 6, 3, 4, 5, layers=3, initial_state=True))
    out.append(Case("gru_b1", "GRU", 6, 1, 3, 5, layers=2, bidirectional=True, lengths=[4], initial_state=True))
    out.append(Case("gru_t1", "GRU", 1, 4, 5, 3, layers=2, initial_state=True))
    out.append(Case("gru_h1", "GRU", 6, 3, 4, 1, bidirectional=True, initial_state=True))
    out.append(Case("rnn_tanh_h1", "RNN_TANH", 6, 4, 3, 1, bidirectional=True, initial_state=True))
    out.append(Case("rnn_tanh_b1_t1", "RNN_TANH", 1, 1, 4, 3, layers=2, bidirectional=True))
    out.append(Case("rnn_relu_b1", "RNN_RELU", 5, 1, 4, 6, lengths=[3], initial_state=True))
    out.append(Case("rnn_relu_t1", "RNN_RELU", 1, 3, 5, 4, bidirectional=True, bias=False))
    return out


# ---------------------------------------------------------------------------------------------- model

def make_module(mode, I, H, layers, bidirectional, bias, dtype):
    cls, extra = MODES[mode]
    return cls(I, H, num_layers=layers, bidirectional=bidirectional, bias=bias, **extra).to(dtype)


def uniform(shape, bound, gen):
    """uniform(-bound, bound) in float64, rounded to float32 values (still float64)."""
    return ((torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound).float().double()


def sane(t):
    """Not degenerate: >= 95% distinct values and (for 4+ values) std > 0.25. The Java test asks 90% and 0.2."""
    flat = t.flatten()
    if flat.numel() == 0:
        return True
    distinct = torch.unique(flat).numel() / flat.numel()
    if distinct < 0.95:
        return False
    return flat.numel() < 4 or flat.std(unbiased=False).item() > 0.25


def draw_weights(module, gen):
    with torch.no_grad():
        for _, p in module.named_parameters():
            while True:
                w = uniform(p.shape, WEIGHT_RANGE, gen)
                if sane(w):
                    break
            p.copy_(w)


def run(module, mode, x, lengths, h0, c0, r_output, r_hn, r_cn):
    """Forward and backward; returns (output, h_n, c_n, loss) with output padded to T, zero past lengths."""
    T = x.shape[0]
    if h0 is None:
        hx = None
    elif mode == "LSTM":
        hx = (h0, c0)
    else:
        hx = h0
    if lengths is not None:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        out_packed, state = module(packed, hx)
        output, _ = torch.nn.utils.rnn.pad_packed_sequence(out_packed, total_length=T)
    else:
        output, state = module(x, hx)
    if mode == "LSTM":
        h_n, c_n = state
    else:
        h_n, c_n = state, None
    loss = (output * r_output).sum() + (h_n * r_hn).sum()
    if c_n is not None:
        loss = loss + (c_n * r_cn).sum()
    return output, h_n, c_n, loss


def compute(case, module, dtype, x, lengths, h0, c0, r_output, r_hn, r_cn):
    """Runs the case in dtype on a copy of module's weights; returns {name: tensor} of results and grads."""
    m = make_module(case.mode, case.I, case.H, case.layers, case.bidirectional, case.bias, dtype)
    m.load_state_dict({k: v.to(dtype) for k, v in module.state_dict().items()})
    xi = x.to(dtype).clone().requires_grad_(True)
    h0i = None if h0 is None else h0.to(dtype).clone().requires_grad_(True)
    c0i = None if c0 is None else c0.to(dtype).clone().requires_grad_(True)
    output, h_n, c_n, loss = run(m, case.mode, xi, lengths, h0i, c0i,
                                 r_output.to(dtype), r_hn.to(dtype), None if r_cn is None else r_cn.to(dtype))
    loss.backward()
    res = {"output": output.detach(), "h_n": h_n.detach()}
    if c_n is not None:
        res["c_n"] = c_n.detach()
    res["grad_input"] = xi.grad.detach()
    if h0i is not None:
        res["grad_h0"] = h0i.grad.detach()
    if c0i is not None:
        res["grad_c0"] = c0i.grad.detach()
    for name, p in m.named_parameters():
        res["grad." + name] = p.grad.detach()
    return res


def seed_of(name):
    """A seed from the case's name, so adding a case does not change the others."""
    s = 0
    for ch in name.encode("utf-8"):
        s = (s * 131 + ch) % (2 ** 31 - 1)
    return 20240 + s


def metadata(mode, I, H, layers, bidirectional, bias, **extra):
    meta = {
        "mode": mode,
        "input_size": str(I),
        "hidden_size": str(H),
        "num_layers": str(layers),
        "bidirectional": "true" if bidirectional else "false",
        "bias": "true" if bias else "false",
    }
    meta.update({k: str(v) for k, v in extra.items()})
    return meta


def make_fixture(case, out_dir):
    seed = seed_of(case.name)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    D = 2 if case.bidirectional else 1
    LD = case.layers * D
    module = make_module(case.mode, case.I, case.H, case.layers, case.bidirectional, case.bias, torch.float64)
    draw_weights(module, gen)

    x = uniform((case.T, case.B, case.I), INPUT_RANGE, gen)   # padding positions too: they must be ignored
    lengths = None if case.lengths is None else torch.tensor(case.lengths, dtype=torch.int64)
    h0 = uniform((LD, case.B, case.H), WEIGHT_RANGE, gen) if case.initial_state else None
    c0 = uniform((LD, case.B, case.H), WEIGHT_RANGE, gen) if case.initial_state and case.mode == "LSTM" else None
    r_output = uniform((case.T, case.B, D * case.H), 1.0, gen)   # padding positions too: no gradient flows there
    r_hn = uniform((LD, case.B, case.H), 1.0, gen)
    r_cn = uniform((LD, case.B, case.H), 1.0, gen) if case.mode == "LSTM" else None

    ref = compute(case, module, torch.float64, x, lengths, h0, c0, r_output, r_hn, r_cn)
    f32 = compute(case, module, torch.float32, x, lengths, h0, c0, r_output, r_hn, r_cn)

    # float32 PyTorch must meet the Java test's tolerance against the float64 reference
    worst = 0.0
    for name, r in ref.items():
        err = (f32[name].double() - r).abs().max().item()
        bound = TOLERANCE * (1 + r.abs().max().item())
        worst = max(worst, err / bound)
        if err > bound:
            raise AssertionError(f"{case.name}: float32 PyTorch misses {name} by {err:.3g} > {bound:.3g}")
    # sanity of the references themselves
    if lengths is not None:
        for b, n in enumerate(case.lengths):
            assert ref["output"][n:, b].abs().max().item() == 0 if n < case.T else True
            assert ref["grad_input"][n:, b].abs().max().item() == 0 if n < case.T else True

    tensors = []
    for name, p in module.state_dict().items():
        tensors.append((name, p.float()))
    tensors.append(("input", x.float()))
    if lengths is not None:
        tensors.append(("lengths", lengths))
    if h0 is not None:
        tensors.append(("h0", h0.float()))
    if c0 is not None:
        tensors.append(("c0", c0.float()))
    tensors.append(("r_output", r_output.float()))
    tensors.append(("r_h_n", r_hn.float()))
    if r_cn is not None:
        tensors.append(("r_c_n", r_cn.float()))
    for name, t in ref.items():
        tensors.append((name, t.double()))

    meta = metadata(case.mode, case.I, case.H, case.layers, case.bidirectional, case.bias,
                    steps=case.T, batch=case.B, seed=seed, torch_version=torch.__version__,
                    generator="core/src/test/resources/torch/make_fixtures.py")
    path = os.path.join(out_dir, case.name + ".safetensors")
    write_safetensors(path, tensors, meta)

    # read back: the F32 copies are exact and the file parses
    back, back_meta = read_safetensors(path)
    assert back_meta == meta
    for name, t in tensors:
        assert torch.equal(back[name], t.detach().cpu()), name
    print(f"wrote {path}  ({os.path.getsize(path)} bytes; {case.mode} T={case.T} B={case.B} I={case.I} "
          f"H={case.H} L={case.layers} D={D} bias={case.bias} lengths={case.lengths} "
          f"h0={case.initial_state}; float32 torch at {worst:.2f} of tolerance)")
    return path


# ---------------------------------------------------------------------------------------------- examples

def make_examples(out_dir):
    """A 2-layer bidirectional LSTM (I=8, H=16) with PyTorch's default init, and its golden outputs."""
    os.makedirs(out_dir, exist_ok=True)
    seed = 7
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    I, H, L, T, B = 8, 16, 2, 12, 2
    module = torch.nn.LSTM(I, H, num_layers=L, bidirectional=True)   # default init, float32: a typical export
    x = ((torch.rand((T, B, I), generator=gen, dtype=torch.float64) * 2 - 1)).float()
    lengths = torch.tensor([12, 9], dtype=torch.int64)

    # the goldens: float64 math on the float32 weights and input, rounded to float32
    m64 = torch.nn.LSTM(I, H, num_layers=L, bidirectional=True).double()
    m64.load_state_dict({k: v.double() for k, v in module.state_dict().items()})
    with torch.no_grad():
        packed = torch.nn.utils.rnn.pack_padded_sequence(x.double(), lengths, enforce_sorted=False)
        out_packed, (h_n, c_n) = m64(packed)
        output, _ = torch.nn.utils.rnn.pad_packed_sequence(out_packed, total_length=T)
        # and what float32 PyTorch gives, for the record
        packed32 = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        out32, _ = module(packed32)
        out32, _ = torch.nn.utils.rnn.pad_packed_sequence(out32, total_length=T)
    diff32 = (out32.double() - output).abs().max().item()

    meta = metadata("LSTM", I, H, L, True, True, seed=seed, torch_version=torch.__version__,
                    generator="core/src/test/resources/torch/make_fixtures.py --examples")
    written = []
    weights = os.path.join(out_dir, "lstm-2x16-bi.safetensors")
    write_safetensors(weights, [(k, v.float()) for k, v in module.state_dict().items()], meta)
    written.append(weights)
    golden = os.path.join(out_dir, "lstm-2x16-bi-golden.safetensors")
    write_safetensors(golden, [("input", x), ("lengths", lengths), ("output", output.float()),
                               ("h_n", h_n.float()), ("c_n", c_n.float())],
                      {"steps": str(T), "batch": str(B), "torch_version": torch.__version__,
                       "note": "float64 PyTorch on the float32 weights and input, rounded to float32"})
    written.append(golden)
    inp = os.path.join(out_dir, "input.safetensors")
    write_safetensors(inp, [("input", x), ("lengths", lengths)], {"steps": str(T), "batch": str(B)})
    written.append(inp)
    for path in written:
        read_safetensors(path)
        print(f"wrote {path}  ({os.path.getsize(path)} bytes)")
    print(f"float32 PyTorch differs from the goldens by at most {diff32:.3g}")


# ---------------------------------------------------------------------------------------------- main

def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", nargs="?", default=here, help="where the fixtures go (default: this script's folder)")
    ap.add_argument("--examples", metavar="DIR", help="write the examples/torch demo files to DIR instead")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)   # same float32 results whatever the machine
    print(f"torch {torch.__version__}")
    if args.examples:
        make_examples(args.examples)
        return
    os.makedirs(args.out_dir, exist_ok=True)
    total = 0
    all_cases = cases()
    for case in all_cases:
        total += os.path.getsize(make_fixture(case, args.out_dir))
    print(f"{len(all_cases)} fixtures, {total} bytes in {args.out_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
