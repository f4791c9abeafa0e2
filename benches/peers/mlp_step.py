#!/usr/bin/env python3
"""Peer benchmark for the nn crate: one training step of a tensor MLP.

The workloads must stay identical to the Rust criterion benchmarks in
benches/nn.rs:

1. ``nn_mlp_step/{f32,f64}/{32,128,1024}`` -- one training step of an MLP
   784-512-512-10 (Linear layers with bias, ReLU hidden, linear output;
   He-uniform weights for the ReLU layers, Xavier-uniform for the output
   layer, biases 0) on a batch x [B, 784] uniform in [0, 1) with integer
   labels in 0..10: forward, cross-entropy from the logits (mean over the
   batch), backward, SGD (lr 0.01, no momentum), grads reset to None.  The
   batch does not require grad.  Reported as ms per step.
2. ``nn_micrograd_tensor_step/f64`` -- micrograd's demo network 2-16-16-1
   (ReLU hidden, linear output; weights uniform(-1, 1) drawn as micrograd
   draws them, biases 0) written with tensors, on 100 two-moons points with
   labels -1 / +1: loss = mean(relu(1 - y * score)) + 1e-4 * sum of squares
   of all parameters, backward, SGD (lr 0.1), grads reset to None, float64.
   Reported as ms per step.

The Rust benchmarks draw their weights, batches and points with their own
RNG (and nn::Mlp's He/Xavier initialisation for the 2-16-16-1 network too):
the same shapes, distributions and operations, not the same numbers.  No
operation's cost depends on the values.

Peers, both PyTorch with the same thread count (``--threads``, default 2):

* ``torch``     -- idiomatic: ``nn.Sequential`` of ``nn.Linear`` / ``nn.ReLU``,
  ``F.cross_entropy``, ``torch.optim.SGD`` and
  ``zero_grad(set_to_none=True)``;
* ``torch raw`` -- no module, no optimizer: leaf tensors, ``torch.addmm``,
  the SGD update by hand under ``torch.no_grad()``, ``p.grad = None``.

If criterion's estimates for the Rust benchmarks exist, the tables also show
our median and the ratio fastest peer / ours (> 1 means we are faster).  Run
from anywhere; relative paths are taken from the repository root.  See
README.md in this directory.
"""

import json
import math
import os
import platform
import random
import sys
import time
from datetime import datetime

from machine import (OPENBLAS_TUNING_VARS, cpu_model, parse_peer_args,
                     print_footer, usable_cores, warn_openblas_tuning)
# Helpers with no numpy/torch state, shared with the tensor peer so that the
# load and noise markers mean the same thing in both reports.
from tensor_ops import (DISTURBED, NOISY, OtherLoad,
                        cpu_busy_fraction, noisy_mark,
                        progress, read_rust_median_s, time_call)

# numpy and torch are imported in import_peers(), after the arguments are
# parsed (so that --help works, and a missing torch gives a clear message).
np = None
torch = None
F = None


MLP_GROUP = "nn_mlp_step"
MLP_WIDTHS = [784, 512, 512, 10]
MLP_BATCHES = [32, 128, 1024]
MLP_DTYPES = ["f32", "f64"]
MLP_LR = 0.01
MLP_SEED = 1337

MICRO_GROUP = "nn_micrograd_tensor_step"
MICRO_FUNCTION = "f64"
MICRO_WIDTHS = [2, 16, 16, 1]
MICRO_POINTS = 100
MICRO_NOISE = 0.1
MICRO_REG = 1e-4
MICRO_LR = 0.1
MICRO_SEED = 1337  # micrograd's demo seeds numpy and random with 1337.

PEERS = ["torch", "torch raw"]

# The target: torch / ours >= 1.0 at this cell.
TARGET = {"group": MLP_GROUP, "function": "f32", "param": "128", "ratio": 1.0}

# Per cell: warm-up of at least `warmup` seconds and `min_warmup_calls`
# steps (the first steps allocate: MKL's buffers, the allocator's caches),
# then at least `min_samples` samples and `budget` seconds of samples.  Each
# sample times `inner` back-to-back steps, `inner` chosen so that a sample
# lasts about budget / target_samples (the 2-16-16-1 step is well under a
# millisecond).  The steps are milliseconds, not microseconds as in
# tensor_ops.py, hence the larger budget.
TIMING = {
    "full": {"warmup": 0.5, "min_warmup_calls": 3, "budget": 3.0,
             "min_samples": 20, "target_samples": 60},
    "quick": {"warmup": 0.05, "min_warmup_calls": 2, "budget": 0.2,
              "min_samples": 5, "target_samples": 10},
}


# --------------------------------------------------------------------------
# Imports and threads
# --------------------------------------------------------------------------

def import_peers(threads):
    global np, torch, F
    import numpy
    np = numpy
    try:
        import torch as torch_module
        import torch.nn.functional as functional
    except ImportError:
        sys.exit("error: torch is not installed, and it is the only peer "
                 "here; see benches/peers/README.md")
    torch = torch_module
    F = functional
    # Intra-op threads: OpenMP and MKL (or OpenBLAS) inside torch.
    torch.set_num_threads(threads)


def torch_blas_info():
    try:
        show = torch.__config__.show()
        return show.split("BLAS_INFO=", 1)[1].split(",", 1)[0].strip()
    except Exception:  # A layout change is not worth failing for.
        return "unknown"


def torch_dtype(dtype):
    return {"f32": torch.float32, "f64": torch.float64}[dtype]


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------

# --------------------------------------------------------------------------
# Workload 1: MLP 784-512-512-10
# --------------------------------------------------------------------------

def mlp_weights(seed=MLP_SEED):
    """(W [out, in], b [out]) per layer as float64 numpy arrays.

    As nn::Mlp::new: He uniform U(-a, a), a = sqrt(6 / fan_in), for the ReLU
    layers, Xavier uniform, a = sqrt(6 / (fan_in + fan_out)), for the
    output layer; biases 0.  The same numbers (rounded) for f32 and f64.
    """
    rng = np.random.default_rng(seed)
    layers = []
    n_layers = len(MLP_WIDTHS) - 1
    for i, (fan_in, fan_out) in enumerate(zip(MLP_WIDTHS, MLP_WIDTHS[1:])):
        relu = i < n_layers - 1
        a = math.sqrt(6 / fan_in) if relu else math.sqrt(6 / (fan_in + fan_out))
        layers.append((rng.uniform(-a, a, (fan_out, fan_in)),
                       np.zeros(fan_out)))
    return layers


def mlp_batch(batch, seed=MLP_SEED + 1):
    """x [B, 784] uniform in [0, 1) (float64) and labels in 0..10 (int64)."""
    rng = np.random.default_rng(seed + batch)
    x = rng.random((batch, MLP_WIDTHS[0]))
    labels = rng.integers(0, MLP_WIDTHS[-1], size=batch)
    return x, labels


def sequential_model(weights, dtype, hidden_relu=True):
    """nn.Sequential of nn.Linear (ReLU between) holding `weights`."""
    modules = []
    for i, (w, b) in enumerate(weights):
        lin = torch.nn.Linear(w.shape[1], w.shape[0], dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        modules.append(lin)
        if hidden_relu and i < len(weights) - 1:
            modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


def raw_params(weights, dtype):
    """[W0, b0, W1, b1, ...] as leaf tensors, W as [in, out] for addmm."""
    params = []
    for w, b in weights:
        params.append(torch.tensor(w.T, dtype=dtype).contiguous()
                      .requires_grad_())
        params.append(torch.tensor(b, dtype=dtype).requires_grad_())
    return params


def raw_forward(params, x):
    h = x
    n_layers = len(params) // 2
    for i in range(n_layers):
        h = torch.addmm(params[2 * i + 1], h, params[2 * i])
        if i < n_layers - 1:
            h = h.relu()
    return h


def raw_sgd(params, lr):
    with torch.no_grad():
        for p in params:
            p.sub_(p.grad, alpha=lr)
    for p in params:
        p.grad = None


def mlp_steps(dtype, batch):
    """{peer: step()} for one cell, every peer from the same weights."""
    tdtype = torch_dtype(dtype)
    weights = mlp_weights()
    x_np, labels_np = mlp_batch(batch)
    x = torch.tensor(x_np, dtype=tdtype)  # No grad: it is data.
    labels = torch.from_numpy(labels_np)

    model = sequential_model(weights, tdtype)
    opt = torch.optim.SGD(model.parameters(), lr=MLP_LR, momentum=0.0)

    def torch_step():
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.detach()

    params = raw_params(weights, tdtype)

    def raw_step():
        loss = F.cross_entropy(raw_forward(params, x), labels)
        loss.backward()
        raw_sgd(params, MLP_LR)
        return loss.detach()

    return {"torch": torch_step, "torch raw": raw_step}


def bench_mlp(mode):
    cells = []
    for dtype in MLP_DTYPES:
        for batch in MLP_BATCHES:
            peers = {}
            for name, step in mlp_steps(dtype, batch).items():
                progress(f"  {MLP_GROUP} {dtype} batch={batch}: {name} ...")
                first_loss = step().item()  # Counts as a warm-up step.
                r = time_call(step, mode, TIMING)
                r["first_step_loss"] = first_loss
                peers[name] = r
            cells.append({"group": MLP_GROUP, "function": dtype,
                          "param": str(batch), "label": f"{dtype} B={batch}",
                          "peers": peers})
    return cells


# --------------------------------------------------------------------------
# Workload 2: micrograd's demo network with tensors
# --------------------------------------------------------------------------

def make_moons(n_samples=MICRO_POINTS, noise=MICRO_NOISE, seed=MICRO_SEED):
    """Two interleaving half-circles: scalar_step.make_moons, as arrays.

    (Not imported from scalar_step.py, which needs micrograd.)
    """
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0.0, np.pi, n_out)
    t_in = np.linspace(0.0, np.pi, n_in)
    points = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)]),
    ])
    rng = np.random.default_rng(seed)
    points += rng.normal(scale=noise, size=points.shape)
    labels = np.array([-1.0] * n_out + [1.0] * n_in)
    return points, labels


def micrograd_weights(seed=MICRO_SEED):
    """(W [out, in], b [out]) per layer, drawn exactly as micrograd's
    ``MLP(2, [16, 16, 1])`` after ``random.seed(seed)``: layer by layer,
    neuron by neuron, ``random.uniform(-1, 1)`` per input weight, biases 0.
    So the first-step loss equals scalar_step.py's."""
    state = random.getstate()
    random.seed(seed)
    try:
        layers = []
        for nin, nout in zip(MICRO_WIDTHS, MICRO_WIDTHS[1:]):
            w = [[random.uniform(-1, 1) for _ in range(nin)]
                 for _ in range(nout)]
            layers.append((np.array(w), np.zeros(nout)))
    finally:
        random.setstate(state)
    return layers


def micro_steps():
    weights = micrograd_weights()
    X_np, y_np = make_moons()
    X = torch.tensor(X_np, dtype=torch.float64)
    y = torch.tensor(y_np, dtype=torch.float64)

    model = sequential_model(weights, torch.float64)
    model_params = list(model.parameters())
    opt = torch.optim.SGD(model_params, lr=MICRO_LR, momentum=0.0)

    def torch_step():
        scores = model(X).squeeze(1)
        data_loss = (1 - y * scores).relu().mean()
        reg_loss = MICRO_REG * sum((p * p).sum() for p in model_params)
        loss = data_loss + reg_loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.detach()

    params = raw_params(weights, torch.float64)

    def raw_step():
        scores = raw_forward(params, X).squeeze(1)
        data_loss = (1 - y * scores).relu().mean()
        reg_loss = MICRO_REG * sum((p * p).sum() for p in params)
        loss = data_loss + reg_loss
        loss.backward()
        raw_sgd(params, MICRO_LR)
        return loss.detach()

    return {"torch": torch_step, "torch raw": raw_step}


def bench_micro(mode):
    peers = {}
    for name, step in micro_steps().items():
        progress(f"  {MICRO_GROUP} {MICRO_FUNCTION}: {name} ...")
        first_loss = step().item()  # Counts as a warm-up step.
        r = time_call(step, mode, TIMING)
        r["first_step_loss"] = first_loss
        peers[name] = r
    return [{"group": MICRO_GROUP, "function": MICRO_FUNCTION, "param": None,
             "label": f"2-16-16-1 {MICRO_FUNCTION}, {MICRO_POINTS} points",
             "peers": peers}]


def check_first_losses(cells):
    """Every peer of a cell starts from the same weights and data, so their
    first-step losses must agree (and f32 must track f64); if not, they are
    not timing the same workload."""
    by_param = {}
    for cell in cells:
        losses = {p: r["first_step_loss"] for p, r in cell["peers"].items()}
        for p, loss in losses.items():
            if not math.isfinite(loss):
                print(f"WARNING: {cell['group']} {cell['label']}: {p} "
                      f"first-step loss is {loss}", file=sys.stderr)
        rtol = 1e-4 if cell["function"] == "f32" else 1e-10
        ref = losses[PEERS[0]]
        for p, loss in losses.items():
            if abs(loss - ref) > rtol * max(1.0, abs(ref)):
                print(f"WARNING: {cell['group']} {cell['label']}: {p} "
                      f"first-step loss {loss!r} differs from {PEERS[0]}'s "
                      f"{ref!r}", file=sys.stderr)
        if cell["group"] == MLP_GROUP:
            by_param.setdefault(cell["param"], {})[cell["function"]] = ref
    for param, by_dtype in by_param.items():
        if "f32" in by_dtype and "f64" in by_dtype:
            a, b = by_dtype["f32"], by_dtype["f64"]
            if abs(a - b) > 1e-3 * max(1.0, abs(b)):
                print(f"WARNING: {MLP_GROUP} B={param}: f32 first-step loss "
                      f"{a!r} far from f64's {b!r}", file=sys.stderr)


# --------------------------------------------------------------------------
# Criterion
# --------------------------------------------------------------------------

def criterion_path(criterion_dir, cell):
    """Where criterion wrote the cell's estimates.

    A benchmark in a group (``benchmark_group("g").bench_function("f")``)
    lands in g/f/; one registered as ``bench_function("g/f")`` outside a
    group lands in g_f/ (criterion makes the id filename-safe).  Same id
    on the console, so both are accepted; the first existing one wins.
    """
    if cell["param"] is not None:
        return (criterion_dir / cell["group"] / cell["function"]
                / cell["param"] / "new" / "estimates.json")
    candidates = [
        criterion_dir / cell["group"] / cell["function"],
        criterion_dir / f"{cell['group']}_{cell['function']}",
    ]
    for path in candidates:
        if (path / "new" / "estimates.json").exists():
            return path / "new" / "estimates.json"
    return candidates[0] / "new" / "estimates.json"


def attach_rust(cells, criterion_dir):
    for cell in cells:
        path = criterion_path(criterion_dir, cell)
        median_s = read_rust_median_s(path)
        cell["rust_estimates"] = str(path)
        cell["rust_median_s"] = median_s
        try:
            cell["rust_estimates_mtime"] = (path.stat().st_mtime
                                            if median_s is not None else None)
        except OSError:
            cell["rust_estimates_mtime"] = None
        best_name, best = min(cell["peers"].items(),
                              key=lambda kv: kv[1]["median_s"])
        cell["best_peer"] = best_name
        cell["peer_over_ours"] = (best["median_s"] / median_s
                                  if median_s else None)


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------

def fmt_ms(seconds):
    ms = seconds * 1e3
    return f"{ms:.2f}" if ms >= 1 else f"{ms:.3f}"


def print_table(cells, title_col):
    header = [title_col]
    header += [f"{p} ms/step (median)" for p in PEERS]
    header += ["ours ms/step", "peer / ours"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:"
                         for i in range(len(header))) + "|")
    for cell in cells:
        row = [cell["label"]]
        for p in PEERS:
            r = cell["peers"].get(p)
            row.append(f"{fmt_ms(r['median_s'])}{noisy_mark(r)}" if r
                       else "–")
        if cell["rust_median_s"] is None:
            row += ["–", "–"]
        else:
            row.append(fmt_ms(cell["rust_median_s"]))
            row.append(f"{cell['peer_over_ours']:.2f}x "
                       f"({cell['best_peer']})")
        print("| " + " | ".join(row) + " |")


def target_line(cells):
    for cell in cells:
        if (cell["group"], cell["function"], cell["param"]) == (
                TARGET["group"], TARGET["function"], TARGET["param"]):
            ratio = cell["peer_over_ours"]
            if ratio is None:
                verdict = "no Rust figure"
            else:
                verdict = (f"{ratio:.2f}x, "
                           + ("met" if ratio >= TARGET["ratio"] else "not met"))
            return (f"target (issue): peer / ours >= {TARGET['ratio']:.1f} at "
                    f"{TARGET['function']} batch {TARGET['param']}: {verdict}")
    return None


def machine_info(threads):
    matmul_threads = os.environ.get("LEARNGRAD_NUM_THREADS")
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "torch_blas": torch_blas_info(),
        "torch_threads": torch.get_num_threads(),
        "threads_requested": threads,
        # Ours: matrixmultiply reads it (default: the physical cores, at
        # most 4); compare_nn.sh gives cargo bench the same environment.
        "matmul_num_threads_env": matmul_threads,
        "openblas_tuning_env": {v: os.environ[v] for v in OPENBLAS_TUNING_VARS
                                if v in os.environ},
        # Recorded because a concurrent build on a small machine can inflate
        # the numbers several-fold (multi-threaded peers most).
        "loadavg_1min": os.getloadavg()[0],
        "cpu_busy_before": cpu_busy_fraction(),
    }


def machine_line(m):
    tuning = m["openblas_tuning_env"]
    tuning_s = (" SET: " + ", ".join(f"{k}={v}" for k, v in tuning.items())
                if tuning else f" {'/'.join(OPENBLAS_TUNING_VARS)} unset")
    ours = (f"LEARNGRAD_NUM_THREADS={m['matmul_num_threads_env']}"
            if m["matmul_num_threads_env"] is not None
            else "LEARNGRAD_NUM_THREADS unset (ours: every usable core)")
    return (f"machine: {m['cpu']}, {m['cores']} cores "
            f"({m['usable_cores']} usable), {m['os']}; "
            f"Python {m['python']}, numpy {m['numpy']} (data only), "
            f"torch {m['torch']} (BLAS {m['torch_blas']}, "
            f"{m['torch_threads']} threads read back, "
            f"{m['threads_requested']} requested); {ours};"
            f"{tuning_s}; load average {m['loadavg_1min']:.2f} at start"
            + (f", CPUs {m['cpu_busy_before']:.0%} busy just before"
               if m["cpu_busy_before"] is not None else ""))


def rust_line(cells):
    found = [c for c in cells if c["rust_median_s"] is not None]
    if len(found) == len(cells):
        line = f"Rust figures: all {len(cells)} criterion estimates found"
    else:
        missing = next(c for c in cells if c["rust_median_s"] is None)
        line = (f"Rust figures missing for {len(cells) - len(found)} of "
                f"{len(cells)} benchmarks (e.g. no "
                f"{missing['rust_estimates']}); run `cargo bench --bench nn` "
                f"first, or benches/peers/compare_nn.sh")
    mtimes = [c["rust_estimates_mtime"] for c in found
              if c["rust_estimates_mtime"] is not None]
    if mtimes:
        fmt = "%Y-%m-%d %H:%M"
        old = datetime.fromtimestamp(min(mtimes)).strftime(fmt)
        new = datetime.fromtimestamp(max(mtimes)).strftime(fmt)
        line += (f"; written {old}" if old == new
                 else f"; written between {old} and {new}")
    return line


def main():
    args = parse_peer_args(__doc__.split("\n\n")[0],
                           "time fewer steps (a smoke test, not a result)",
                           "torch's intra-op threads")
    criterion_dir = args.criterion_dir
    warn_openblas_tuning("an OpenBLAS-backed torch (and numpy)", "compare_nn.sh")

    import_peers(args.threads)

    machine = machine_info(args.threads)
    print(machine_line(machine))
    if machine["torch_threads"] != args.threads:
        print(f"WARNING: torch reports {machine['torch_threads']} threads, "
              f"not {args.threads}", file=sys.stderr)
    busy = machine["cpu_busy_before"]
    if busy is not None and busy > 0.1:
        print(f"WARNING: the CPUs were {busy:.0%} busy just before the run: "
              f"the machine is not idle, numbers will be inflated (the "
              f"multi-threaded GEMMs most)", file=sys.stderr)
    widths = "-".join(map(str, MLP_WIDTHS))
    micro = "-".join(map(str, MICRO_WIDTHS))
    print(f"workloads: {MLP_GROUP}: MLP {widths} (ReLU hidden, He/Xavier "
          f"uniform, biases 0), x [B, {MLP_WIDTHS[0]}] uniform in [0, 1), "
          f"labels in 0..{MLP_WIDTHS[-1]}, cross-entropy (mean), backward, "
          f"SGD lr {MLP_LR}, B in {MLP_BATCHES}; {MICRO_GROUP}: MLP {micro} "
          f"(micrograd's weights), {MICRO_POINTS} two-moons points, mean "
          f"hinge + {MICRO_REG:g} * sum p^2, backward, SGD lr {MICRO_LR}, "
          f"f64; peers: torch (nn.Linear, optim.SGD), torch raw (addmm, SGD "
          f"by hand)")

    mode = "quick" if args.quick else "full"
    start = time.perf_counter()
    run_load = OtherLoad()
    mlp = bench_mlp(mode)
    micro_cells = bench_micro(mode)
    elapsed = time.perf_counter() - start
    load_end = os.getloadavg()[0]
    other_load = run_load.fraction()
    busy_end = cpu_busy_fraction()

    cells = mlp + micro_cells
    check_first_losses(cells)
    attach_rust(cells, criterion_dir)
    print(rust_line(cells))
    first_micro = micro_cells[0]["peers"][PEERS[0]]["first_step_loss"]
    print(f"first-step losses: {MLP_GROUP} f64 "
          + ", ".join(f"B={c['param']} {c['peers'][PEERS[0]]['first_step_loss']:.6f}"
                      for c in mlp if c["function"] == "f64")
          + f"; {MICRO_GROUP} {first_micro:.12f} (= scalar_step.py's; peers "
          f"and dtypes agree unless warned above)")

    print()
    print(f"### {MLP_GROUP}: one training step, MLP {widths}, ms per step "
          f"(lower is better; peer / ours > 1: we are faster)")
    print()
    print_table(mlp, "dtype, batch")
    target = target_line(cells)
    if target:
        print()
        print(target)
    print()
    print(f"### {MICRO_GROUP}: micrograd's demo step with tensors, ms per "
          f"step (lower is better; peer / ours > 1: we are faster)")
    print()
    print_table(micro_cells, "network")
    marks = "".join(noisy_mark(r) for c in cells for r in c["peers"].values())
    print_footer(marks, NOISY, DISTURBED, elapsed, mode, load_end,
                 other_load, busy_end)

    if args.json:
        result = {
            "benchmark": "nn",
            "mode": mode,
            "machine": machine,
            "loadavg_1min_end": load_end,
            "cpu_busy_after": busy_end,
            "other_load_during": other_load,
            "timing": TIMING[mode],
            "workload": {
                MLP_GROUP: {"widths": MLP_WIDTHS, "batches": MLP_BATCHES,
                            "dtypes": MLP_DTYPES, "lr": MLP_LR,
                            "loss": "cross-entropy from logits, mean"},
                MICRO_GROUP: {"widths": MICRO_WIDTHS,
                              "points": MICRO_POINTS, "noise": MICRO_NOISE,
                              "reg": MICRO_REG, "lr": MICRO_LR,
                              "loss": "mean(relu(1 - y*score)) + reg * "
                                      "sum(p^2)"},
            },
            "target": TARGET,
            "cells": cells,
            "peer_seconds": elapsed,
        }
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
