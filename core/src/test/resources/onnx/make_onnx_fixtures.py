#!/usr/bin/env python3
"""Generates the ONNX import fixtures of rnn4j's OnnxImportFixturesTest.

    /usr/bin/python3 core/src/test/resources/onnx/make_onnx_fixtures.py [OUT_DIR]    # default: this folder

Needs Debian's python3-torch (1.13) and python3-onnx (1.12); CI never runs it, the files are committed.

For each case <name>.onnx there is <name>-golden.safetensors in the format of `rnn4j import-torch --verify`:
input F32 [T, B, I] (time-major, even for the batch-first case), optionally h0, c0 F32 [L*D, B, H] and lengths
I64 [B], and PyTorch's results output [T, B, D*H], h_n and c_n (LSTM), F32.

  * torch.onnx.export of nn.LSTM / nn.GRU / nn.RNN modules: plain (with h0, c0 as graph inputs), around
    pack_padded_sequence (sequence_lens plus the exporter's TopK / Gather / ScatterElements sort ops), batch-first
    (Transpose around the nodes), at opsets 14 and 17; the weights are initializers in raw_data, and in one case
    (do_constant_folding=False) reach the nodes through chains of Slice, Concat and Unsqueeze.
  * single nodes built with onnx.helper from a PyTorch module's weights, put into ONNX's gate order here
    (independently of rnn4j's Java code), as float_data: as initializers, and as Constant nodes.

Weights are uniform(-0.8, 0.8), wider than PyTorch's default, so a swapped gate block cannot pass.
"""

import io
import os
import sys

import onnx
import torch
from onnx import TensorProto, helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from safetensors_io import write_safetensors  # noqa: E402  (../safetensors_io.py)

T, B, I, H = 5, 3, 3, 4


def randomized(module, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.uniform_(-0.8, 0.8)
    return module.eval()


class Plain(torch.nn.Module):
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x, h0, c0=None):
        y, state = self.rnn(x, h0 if c0 is None else (h0, c0))
        return (y,) + (state if isinstance(state, tuple) else (state,))


class Packed(torch.nn.Module):
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x, lengths):
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        y, state = self.rnn(packed)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, total_length=x.shape[0])
        return (y,) + (state if isinstance(state, tuple) else (state,))


def golden(path, x, results, h0=None, c0=None, lengths=None):
    tensors = {"input": x}
    if h0 is not None:
        tensors["h0"] = h0
    if c0 is not None:
        tensors["c0"] = c0
    if lengths is not None:
        tensors["lengths"] = lengths.to(torch.int64)
    names = ["output", "h_n", "c_n"]
    for name, value in zip(names, results):
        tensors[name] = value.detach().float()
    write_safetensors(path, list(tensors.items()), {"torch_version": torch.__version__, "onnx_version": onnx.__version__})


def export(out, name, module, args, input_names, opset, **options):
    buffer = io.BytesIO()
    torch.onnx.export(module, args, buffer, opset_version=opset, input_names=input_names, **options)
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(buffer.getvalue())


def torch_cases(out):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(T, B, I, generator=g) * 2 - 1
    lengths = torch.tensor([5, 2, 4])

    lstm = randomized(torch.nn.LSTM(I, H, num_layers=2, bidirectional=True), 2)
    h0 = torch.rand(4, B, H, generator=g) - 0.5
    c0 = torch.rand(4, B, H, generator=g) - 0.5
    module = Plain(lstm)
    export(out, "lstm_bi2_plain", module, (x, h0, c0), ["input", "h0", "c0"], 14)
    golden(os.path.join(out, "lstm_bi2_plain-golden.safetensors"), x, module(x, h0, c0), h0, c0)

    gru = randomized(torch.nn.GRU(I, H, num_layers=2), 3)
    module = Packed(gru)
    export(out, "gru2_packed", module, (x, lengths), ["input", "lengths"], 17)
    golden(os.path.join(out, "gru2_packed-golden.safetensors"), x, module(x, lengths), lengths=lengths)

    lstm = randomized(torch.nn.LSTM(I, H, bidirectional=True), 4)
    module = Packed(lstm)
    export(out, "lstm_bi_packed", module, (x, lengths), ["input", "lengths"], 14)
    golden(os.path.join(out, "lstm_bi_packed-golden.safetensors"), x, module(x, lengths), lengths=lengths)

    # without constant folding the weights reach the nodes through Slice / Concat / Unsqueeze chains
    lstm = randomized(torch.nn.LSTM(I, H, bidirectional=True), 10)
    export(out, "lstm_bi_unfolded", lstm, (x,), ["input"], 14, do_constant_folding=False)
    y, (hn, cn) = lstm(x)
    golden(os.path.join(out, "lstm_bi_unfolded-golden.safetensors"), x, (y, hn, cn))

    rnn = randomized(torch.nn.RNN(I, H, nonlinearity="relu", bias=False, batch_first=True), 5)
    module = Plain(rnn)
    h0 = torch.rand(1, B, H, generator=g) - 0.5
    xb = x.transpose(0, 1).contiguous()
    export(out, "rnn_relu_batch_first", module, (xb, h0), ["input", "h0"], 14)
    y, hn = module(xb, h0)
    golden(os.path.join(out, "rnn_relu_batch_first-golden.safetensors"), x, (y.transpose(0, 1), hn), h0)


# ONNX block j is PyTorch's block ORDER[j]: LSTM i,o,f,c from i,f,g,o; GRU z,r,h from r,z,n
ORDER = {"LSTM": [0, 3, 1, 2], "GRU": [1, 0, 2], "RNN": [0]}


def onnx_weights(module, op):
    order = ORDER[op]
    directions = 2 if module.bidirectional else 1
    w, r, b = [], [], []
    for d in range(directions):
        s = "_l0" + ("_reverse" if d else "")

        def perm(t):
            return torch.cat([t.chunk(len(order))[k] for k in order])

        w.append(perm(getattr(module, "weight_ih" + s)))
        r.append(perm(getattr(module, "weight_hh" + s)))
        if module.bias:
            b.append(torch.cat([perm(getattr(module, "bias_ih" + s)), perm(getattr(module, "bias_hh" + s))]))
    return torch.stack(w), torch.stack(r), (torch.stack(b) if b else None)


def float_data(name, t):
    # helper.make_tensor without raw=True stores the values in float_data
    return helper.make_tensor(name, TensorProto.FLOAT, list(t.shape), t.detach().flatten().tolist())


def helper_case(out, name, module, op, attributes, as_constants):
    w, r, b = onnx_weights(module, op)
    directions = w.shape[0]
    nodes, initializers = [], []
    names = []
    for role, t in (("W", w), ("R", r), ("B", b)):
        if t is None:
            names.append("")
            continue
        names.append(role)
        if as_constants:
            nodes.append(helper.make_node("Constant", [], [role], value=float_data(role + "_value", t)))
        else:
            initializers.append(float_data(role, t))
    outputs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    nodes.append(helper.make_node(op, ["input"] + names, outputs, name=name, hidden_size=H,
                                  direction="bidirectional" if directions == 2 else "forward", **attributes))
    nodes.append(helper.make_node("Transpose", ["Y"], ["Y_t"], perm=[0, 2, 1, 3]))
    nodes.append(helper.make_node("Reshape", ["Y_t", "shape"], ["output"]))
    initializers.append(helper.make_tensor("shape", TensorProto.INT64, [3], [0, 0, -1]))
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["steps", "batch", I])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["steps", "batch", directions * H])]
                              + [helper.make_tensor_value_info(n, TensorProto.FLOAT, [directions, "batch", H]) for n in outputs[1:]],
                              initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="onnx.helper")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name + ".onnx"))
    g = torch.Generator().manual_seed(6)
    x = torch.rand(T, B, I, generator=g) * 2 - 1
    golden(os.path.join(out, name + "-golden.safetensors"), x, flat(module)(x))


def flat(module):
    def run(x):
        y, state = module(x)
        return (y,) + (state if isinstance(state, tuple) else (state,))
    return run


def helper_cases(out):
    lstm = randomized(torch.nn.LSTM(I, H, bidirectional=True), 7)
    helper_case(out, "helper_lstm_bi_float_data", lstm, "LSTM", {}, False)
    gru = randomized(torch.nn.GRU(I, H), 8)
    helper_case(out, "helper_gru_constants", gru, "GRU", {"linear_before_reset": 1}, True)
    rnn = randomized(torch.nn.RNN(I, H, bias=False), 9)
    helper_case(out, "helper_rnn_tanh_nobias", rnn, "RNN", {"activations": ["Tanh"]}, False)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch_cases(out)
    helper_cases(out)


if __name__ == "__main__":
    main()
