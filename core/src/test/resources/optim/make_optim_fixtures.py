#!/usr/bin/env python3
"""Generates the PyTorch reference fixtures of rnn4j's loss and optim tests.

    /usr/bin/python3 core/src/test/resources/optim/make_optim_fixtures.py [OUT_DIR]   # default: this folder

Needs only PyTorch (Debian's python3-torch, 1.13, is enough); safetensors files are written with struct and json
(../safetensors_io.py, shared with torch/make_fixtures.py).
Every case's configuration is a JSON string in the file's __metadata__ under the case's name, and
__metadata__["cases"] lists the cases in order, so the Java tests build exactly what ran here.

optimizers.safetensors (torch.optim in float32, foreach=False, as 1.13 runs by default on the CPU)
    init.<param>            F32  the parameters before the first step
    grad.<s>.<param>        F32  the gradient given at step s (0..4), the same for every case
    <case>.<s>.<param>      F32  the parameters after step s (0..4)
    config: {"optimizer": "SGD"|"Adam"|"AdamW"|"RMSprop", "lr": .., torch's keyword arguments ..}

losses.safetensors (references in float64 on the float32 inputs: the exact math the Java losses compute)
    <case>.prediction       F32 [N, K]   logits for cross_entropy and bce
    <case>.target           F32 [N, K]   (mse, mae, huber, bce) or <case>.classes I64 [N] (cross_entropy)
    <case>.mask             F32 [N]      optional; 1 = the row counts, 0 = padding
    <case>.loss             F64 [1]      torch's 'mean' reduction over the rows that count
    <case>.grad             F64 [N, K]   d loss / d prediction (0 on masked rows)
    config: {"loss": "mse"|"mae"|"huber"|"cross_entropy"|"bce", "delta": .. (huber)}
    A masked case's reference is torch's loss on the rows that count (prediction[mask == 1]).

schedules.safetensors
    <case>.rates            F64 [20]     the learning rate in epochs 0..19 (epoch 0: before any scheduler.step())
    <case>.metrics          F64 [20]     ReduceLROnPlateau only: the metric passed to step() at the end of each epoch,
                                         so rates[e + 1] is the rate after step(metrics[e])
    config: {"schedule": "StepLR"|"ExponentialLR"|"CosineAnnealingLR"|"ReduceLROnPlateau", "base_lr": .., kwargs}

clipping.safetensors (torch.nn.utils in float32)
    <case>.grad_in.<i>      F32          gradients before clipping
    <case>.grad_out.<i>     F32          after clip_grad_norm_ / clip_grad_value_
    <case>.total_norm       F64 [1]      clip_grad_norm_'s return value (norm cases)
    config: {"clip": "norm", "max_norm": ..} or {"clip": "value", "clip_value": ..}
"""

import json
import math
import os
import sys

import torch

STEPS = 5
EPOCHS = 20

# ---------------------------------------------------------------------------------------------- safetensors

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from safetensors_io import write_safetensors  # noqa: E402  (../safetensors_io.py)


def config_json(config):
    return json.dumps(config, separators=(",", ":"))


def max_rel(a, b, floor=1e-7):
    """max |a - b| / (|b| + floor / 1e-6): the Java tests' measure, 1e-6 relative with an absolute floor."""
    a, b = a.double(), b.double()
    return ((a - b).abs() / (b.abs() * 1e-6 + floor)).max().item() * 1e-6


# ---------------------------------------------------------------------------------------------- optimizers

PARAMS = [("rnn.weight_ih_l0", (4, 5)), ("rnn.bias_ih_l0", (7,)), ("fc.weight", (3, 3))]
GRAD_SCALE = {"rnn.weight_ih_l0": 1.0, "rnn.bias_ih_l0": 0.1, "fc.weight": 1e-3}
STEP_SCALE = [1.0, 2.0, 0.5, 0.1, 1.0]   # gradients shrink mid-run, so amsgrad's running maximum matters

OPTIMIZERS = [
    ("sgd_plain", {"optimizer": "SGD", "lr": 0.1}),
    ("sgd_nesterov_weight_decay", {"optimizer": "SGD", "lr": 0.1, "momentum": 0.9, "nesterov": True,
                                   "weight_decay": 0.01}),
    ("sgd_momentum_dampening", {"optimizer": "SGD", "lr": 0.1, "momentum": 0.9, "dampening": 0.1}),
    ("adam_default", {"optimizer": "Adam", "lr": 1e-3}),
    ("adam_weight_decay_amsgrad", {"optimizer": "Adam", "lr": 0.01, "weight_decay": 0.05, "amsgrad": True}),
    ("adam_betas_eps", {"optimizer": "Adam", "lr": 0.01, "betas": [0.8, 0.95], "eps": 1e-4}),
    ("adamw", {"optimizer": "AdamW", "lr": 0.01, "weight_decay": 0.01}),
    ("adamw_amsgrad_strong_decay", {"optimizer": "AdamW", "lr": 0.01, "weight_decay": 0.5, "amsgrad": True,
                                    "betas": [0.85, 0.99]}),
    ("rmsprop_default", {"optimizer": "RMSprop", "lr": 0.01}),
    ("rmsprop_centered_momentum_weight_decay", {"optimizer": "RMSprop", "lr": 0.01, "centered": True,
                                                "momentum": 0.9, "weight_decay": 0.01}),
    ("rmsprop_alpha_momentum", {"optimizer": "RMSprop", "lr": 0.01, "alpha": 0.9, "momentum": 0.5, "eps": 1e-3}),
]


def make_optimizer(params, config, dtype):
    kwargs = {k: v for k, v in config.items() if k != "optimizer"}
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    cls = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW,
           "RMSprop": torch.optim.RMSprop}[config["optimizer"]]
    return cls(params, foreach=False, **kwargs)


def run_optimizer(config, init, grads, dtype):
    params = [torch.nn.Parameter(init[name].clone().to(dtype)) for name, _ in PARAMS]
    opt = make_optimizer(params, config, dtype)
    history = []
    for s in range(STEPS):
        opt.zero_grad()
        for p, (name, _) in zip(params, PARAMS):
            p.grad = grads[s][name].clone().to(dtype)
        opt.step()
        history.append([p.detach().clone() for p in params])
    return history


def optimizer_fixture(out_dir):
    gen = torch.Generator().manual_seed(1301)
    init = {name: (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1).float() for name, shape in PARAMS}
    grads = []
    for s in range(STEPS):
        step = {}
        for name, shape in PARAMS:
            g = torch.randn(shape, generator=gen, dtype=torch.float64) * GRAD_SCALE[name] * STEP_SCALE[s]
            g[torch.rand(shape, generator=gen) < 0.15] = 0.0   # exact zeros, as ReLU or masking give
            step[name] = g.float()
        grads.append(step)

    tensors = [(f"init.{name}", init[name]) for name, _ in PARAMS]
    for s in range(STEPS):
        tensors += [(f"grad.{s}.{name}", grads[s][name]) for name, _ in PARAMS]
    metadata = {"cases": config_json([c for c, _ in OPTIMIZERS]), "params": config_json([n for n, _ in PARAMS]),
                "steps": str(STEPS), "torch_version": torch.__version__}
    finals = {}
    for case, config in OPTIMIZERS:
        history = run_optimizer(config, init, grads, torch.float32)
        exact = run_optimizer(config, init, grads, torch.float64)
        # float32 torch agrees with float64 torch well within the Java tests' tolerance: it is reachable in float
        err = max(max_rel(h32[i], h64[i]) for h32, h64 in zip(history, exact) for i in range(len(PARAMS)))
        assert err < 1e-6, f"{case}: float32 vs float64 torch differ by {err}"
        moved = max((h[i] - init[name]).abs().max().item() for h in history[:1] for i, (name, _) in enumerate(PARAMS))
        assert moved > 1e-4, f"{case}: the first step barely moves the parameters ({moved})"
        for s, params in enumerate(history):
            tensors += [(f"{case}.{s}.{name}", p) for p, (name, _) in zip(params, PARAMS)]
        metadata[case] = config_json(config)
        finals[case] = torch.cat([p.flatten() for p in history[-1]])
        print(f"  {case:42s} float32 vs float64 torch: {err:.2e} (relative, 1e-7 floor)")
    names = list(finals)
    for i, a in enumerate(names):   # every configuration must be told apart from every other
        for b in names[i + 1:]:
            d = (finals[a] - finals[b]).abs().max().item()
            assert d > 1e-5, f"{a} and {b} end within {d}: the fixture would not tell them apart"
    write_safetensors(os.path.join(out_dir, "optimizers.safetensors"), tensors, metadata)


# ---------------------------------------------------------------------------------------------- losses

def loss_cases(gen):
    """(name, config, prediction F32 [N,K], target F32 [N,K] or classes I64 [N], mask F32 [N] or None)"""
    def randn(*shape, scale=1.0):
        return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale).float()

    out = []
    N, K = 6, 4
    mask = torch.tensor([1, 1, 0, 1, 0, 1], dtype=torch.float32)
    for name, config in [("mse", {"loss": "mse"}), ("mae", {"loss": "mae"}), ("huber", {"loss": "huber", "delta": 0.5})]:
        pred, target = randn(N, K), randn(N, K)
        if name == "mae":
            target[0, 1], target[3, 2] = pred[0, 1], pred[3, 2]   # zero differences: the gradient is 0 there, as torch
        out.append((name, config, pred, target, None))
        out.append((name + "_masked", config, pred, target, mask))
    # huber with a larger delta: most differences in the quadratic part
    pred, target = randn(N, K), randn(N, K)
    out.append(("huber_delta_2", {"loss": "huber", "delta": 2.0}, pred, target, None))

    N, K = 7, 5
    pred = randn(N, K, scale=2.0)
    classes = torch.randint(0, K, (N,), generator=gen)
    classes[4] = -100   # torch's default ignore_index
    out.append(("cross_entropy", {"loss": "cross_entropy"}, pred, classes, None))
    out.append(("cross_entropy_masked", {"loss": "cross_entropy"}, pred, classes,
                torch.tensor([1, 0, 1, 1, 1, 0, 1], dtype=torch.float32)))
    extreme = pred.clone()
    extreme[0] = torch.tensor([100, -100, 0, 100, -100])
    extreme[1] = torch.tensor([-100, -100, -100, -100, 100])
    extreme[2] = torch.tensor([100, 100, 100, 100, 100])
    extreme[3] = torch.tensor([-100, 100, -100, -100, -100])   # the target's logit is far below the others
    extreme_classes = classes.clone()
    extreme_classes[3] = 0
    out.append(("cross_entropy_extreme", {"loss": "cross_entropy"}, extreme, extreme_classes, None))

    N, K = 6, 3
    pred = randn(N, K, scale=3.0)
    target = torch.rand((N, K), generator=gen, dtype=torch.float64).float()
    target[0] = torch.tensor([0.0, 1.0, 1.0])
    target[1] = torch.tensor([1.0, 0.0, 0.5])
    out.append(("bce", {"loss": "bce"}, pred, target, None))
    out.append(("bce_masked", {"loss": "bce"}, pred, target, torch.tensor([0, 1, 1, 0, 1, 1], dtype=torch.float32)))
    extreme = pred.clone()
    extreme[0] = torch.tensor([100, -100, 100])     # targets 0, 1, 1: loss 100 for the first two
    extreme[1] = torch.tensor([100, -100, -100])    # targets 1, 0, 0.5
    out.append(("bce_extreme", {"loss": "bce"}, extreme, target, None))
    return out


def reference_loss(config, pred, target):
    kind = config["loss"]
    if kind == "mse":
        return torch.nn.functional.mse_loss(pred, target)
    if kind == "mae":
        return torch.nn.functional.l1_loss(pred, target)
    if kind == "huber":
        return torch.nn.functional.huber_loss(pred, target, delta=config["delta"])
    if kind == "cross_entropy":
        return torch.nn.functional.cross_entropy(pred, target, ignore_index=-100)
    if kind == "bce":
        return torch.nn.functional.binary_cross_entropy_with_logits(pred, target)
    raise ValueError(kind)


def loss_fixture(out_dir):
    gen = torch.Generator().manual_seed(2203)
    tensors, metadata, names = [], {"torch_version": torch.__version__}, []
    for name, config, pred, target, mask in loss_cases(gen):
        p64 = pred.double().requires_grad_(True)
        t64 = target if target.dtype == torch.int64 else target.double()
        rows = torch.arange(pred.shape[0]) if mask is None else torch.nonzero(mask == 1).flatten()
        loss = reference_loss(config, p64[rows], t64[rows])
        loss.backward()
        assert torch.isfinite(loss) and torch.isfinite(p64.grad).all(), name
        tensors.append((f"{name}.prediction", pred))
        tensors.append((f"{name}.classes" if target.dtype == torch.int64 else f"{name}.target", target))
        if mask is not None:
            tensors.append((f"{name}.mask", mask))
        tensors.append((f"{name}.loss", loss.detach().reshape(1)))
        tensors.append((f"{name}.grad", p64.grad))
        metadata[name] = config_json(config)
        names.append(name)
        print(f"  {name:42s} loss {loss.item():.6f}")
    metadata["cases"] = config_json(names)
    write_safetensors(os.path.join(out_dir, "losses.safetensors"), tensors, metadata)


# ---------------------------------------------------------------------------------------------- schedules

PLATEAU_METRICS = [1.0, 0.9, 0.85, 0.85, 0.849, 0.86, 0.84, 0.845, 0.845, 0.845,
                   0.84, 0.845, 0.85, 0.86, 0.84, 0.845, 0.85, 0.84, 0.70, 0.70]
PLATEAU_METRICS_UP = [0.1, 0.2, 0.25, 0.251, 0.26, 0.255, 0.5, 0.5, 0.5, 0.5,
                      0.505, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]

SCHEDULES = [
    ("step_lr", {"schedule": "StepLR", "base_lr": 0.1, "step_size": 3, "gamma": 0.5}),
    ("step_lr_default_gamma", {"schedule": "StepLR", "base_lr": 0.05, "step_size": 7}),
    ("exponential_lr", {"schedule": "ExponentialLR", "base_lr": 0.1, "gamma": 0.9}),
    ("cosine_annealing_lr", {"schedule": "CosineAnnealingLR", "base_lr": 0.1, "T_max": 8, "eta_min": 0.001}),
    ("cosine_annealing_lr_to_zero", {"schedule": "CosineAnnealingLR", "base_lr": 0.02, "T_max": 20}),
    ("plateau_min_rel", {"schedule": "ReduceLROnPlateau", "base_lr": 0.1, "mode": "min", "factor": 0.5,
                         "patience": 2, "threshold": 0.01, "threshold_mode": "rel", "cooldown": 1,
                         "min_lr": 0.02}, PLATEAU_METRICS),
    ("plateau_default", {"schedule": "ReduceLROnPlateau", "base_lr": 0.1}, PLATEAU_METRICS),
    ("plateau_max_abs", {"schedule": "ReduceLROnPlateau", "base_lr": 0.1, "mode": "max", "factor": 0.2,
                         "patience": 1, "threshold": 0.01, "threshold_mode": "abs", "cooldown": 2}, PLATEAU_METRICS_UP),
]


def closed_form(config, epoch):
    kind, base = config["schedule"], config["base_lr"]
    if kind == "StepLR":
        return base * config.get("gamma", 0.1) ** (epoch // config["step_size"])
    if kind == "ExponentialLR":
        return base * config["gamma"] ** epoch
    if kind == "CosineAnnealingLR":
        eta_min = config.get("eta_min", 0.0)
        return eta_min + (base - eta_min) * (1 + math.cos(math.pi * epoch / config["T_max"])) / 2
    raise ValueError(kind)


def schedule_fixture(out_dir):
    tensors, metadata, names = [], {"torch_version": torch.__version__, "epochs": str(EPOCHS)}, []
    for case in SCHEDULES:
        name, config = case[0], case[1]
        metrics = case[2] if len(case) > 2 else None
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=config["base_lr"])
        kwargs = {k: v for k, v in config.items() if k not in ("schedule", "base_lr")}
        cls = getattr(torch.optim.lr_scheduler, config["schedule"])
        scheduler = cls(opt, **kwargs)
        rates = []
        for epoch in range(EPOCHS):
            rates.append(opt.param_groups[0]["lr"])
            opt.step()   # an epoch of training, so that torch does not warn about the call order
            if metrics is None:
                scheduler.step()
            else:
                scheduler.step(metrics[epoch])
        if metrics is None:   # the closed form rnn4j implements is torch's sequence
            for epoch, r in enumerate(rates):
                assert abs(closed_form(config, epoch) - r) <= 1e-15 * max(1.0, abs(r)) + 1e-17, (name, epoch)
        else:
            assert len(set(rates)) >= 2, f"{name}: the metrics should make the rate drop"
            if "min_lr" in config:
                assert min(rates) == config["min_lr"], f"{name}: the rate should reach min_lr"
        tensors.append((f"{name}.rates", torch.tensor(rates, dtype=torch.float64)))
        if metrics is not None:
            tensors.append((f"{name}.metrics", torch.tensor(metrics, dtype=torch.float64)))
        metadata[name] = config_json(config)
        names.append(name)
        print(f"  {name:42s} {' '.join(f'{r:.4g}' for r in rates)}")
    metadata["cases"] = config_json(names)
    write_safetensors(os.path.join(out_dir, "schedules.safetensors"), tensors, metadata)


# ---------------------------------------------------------------------------------------------- clipping

def clipping_fixture(out_dir):
    gen = torch.Generator().manual_seed(3307)
    shapes = [(4, 5), (7,), (3, 3)]
    scales = [1.0, 3.0, 0.01]
    grads = [(torch.randn(s, generator=gen, dtype=torch.float64) * c).float() for s, c in zip(shapes, scales)]
    cases = [
        ("norm_clipped", {"clip": "norm", "max_norm": 1.0}),
        ("norm_barely_clipped", {"clip": "norm", "max_norm": 8.0}),
        ("norm_not_clipped", {"clip": "norm", "max_norm": 100.0}),
        ("value", {"clip": "value", "clip_value": 0.5}),
    ]
    tensors, metadata, names = [], {"torch_version": torch.__version__}, []
    for name, config in cases:
        params = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        if config["clip"] == "norm":
            total = torch.nn.utils.clip_grad_norm_(params, config["max_norm"])
            tensors.append((f"{name}.total_norm", total.double().reshape(1)))
            print(f"  {name:42s} total norm {total.item():.6f}, max_norm {config['max_norm']}")
        else:
            torch.nn.utils.clip_grad_value_(params, config["clip_value"])
            print(f"  {name:42s} clip value {config['clip_value']}")
        for i, (p, g) in enumerate(zip(params, grads)):
            tensors.append((f"{name}.grad_in.{i}", g))
            tensors.append((f"{name}.grad_out.{i}", p.grad))
        metadata[name] = config_json(config)
        names.append(name)
    metadata["cases"] = config_json(names)
    metadata["count"] = str(len(shapes))
    write_safetensors(os.path.join(out_dir, "clipping.safetensors"), tensors, metadata)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    print("optimizers:")
    optimizer_fixture(out_dir)
    print("losses:")
    loss_fixture(out_dir)
    print("schedules:")
    schedule_fixture(out_dir)
    print("clipping:")
    clipping_fixture(out_dir)


if __name__ == "__main__":
    main()
