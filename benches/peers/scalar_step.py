#!/usr/bin/env python3
"""Peer benchmark for the scalar engine: one training step of micrograd's demo.

The workload is the one in karpathy/micrograd's ``demo.ipynb`` and must stay
identical to the Rust criterion benchmark
``scalar_engine/micrograd_mlp_step`` (benches/scalar.rs):

* data: 100 two-moons points, labels in {-1, +1};
* model: ``MLP(2, [16, 16, 1])`` (ReLU hidden layers, linear output,
  weights uniform(-1, 1), biases 0, 337 parameters);
* loss: mean hinge loss ``relu(1 - y * score)`` + 1e-4 * sum of squared
  parameters, plus the accuracy, as in the demo's ``loss()``;
* one step: forward, zero the grads, backward, SGD with
  ``lr = 1.0 - 0.9 * k / 100``.

Variants timed per step:

1. ``micrograd``            -- the pip package as is, garbage collector on;
2. ``micrograd (gc off)``   -- the same with the collector disabled during
   the timed step (collected between steps, untimed);
3. ``torch scalar``         -- PyTorch with one 0-d float64 tensor per scalar,
   the network written neuron by neuron like micrograd;
4. ``torch batched``        -- reference only: the same network as three
   float64 matmul layers over the whole batch.

If criterion's estimates for the Rust benchmark exist, the table also shows
the Rust median and the ratio peer / ours.  Run from anywhere; relative paths
are taken from the repository root.  See README.md in this directory.
"""

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

from machine import cpu_model, usable_cores

import numpy as np
from micrograd.engine import Value
from micrograd.nn import MLP

try:
    import torch
except ImportError:  # The micrograd variants are still useful without torch.
    torch = None

REPO_ROOT = Path(__file__).resolve().parents[2]
RUST_BENCH_ID = "scalar_engine/micrograd_mlp_step"

N_SAMPLES = 100
NOISE = 0.1
LAYER_SIZES = [2, 16, 16, 1]
REG = 1e-4
DATA_SEED = 1337  # The demo seeds both numpy and random with 1337.
WEIGHT_SEED = 1337

# (warm-up steps, timed steps) per variant.  The scalar variants build a
# graph of tens of thousands of nodes per step, so they get few steps; the
# batched one is cheap and noisy, so it gets many.
STEPS = {
    "full": {
        "micrograd": (2, 15),
        "micrograd (gc off)": (2, 15),
        "torch scalar": (2, 10),
        "torch batched": (50, 1000),
    },
    "quick": {
        "micrograd": (1, 3),
        "micrograd (gc off)": (1, 3),
        "torch scalar": (1, 2),
        "torch batched": (10, 100),
    },
}


# --------------------------------------------------------------------------
# Workload
# --------------------------------------------------------------------------

def make_moons(n_samples=N_SAMPLES, noise=NOISE, seed=DATA_SEED):
    """Two interleaving half-circles, like sklearn's make_moons (unshuffled).

    Written out so that the benchmark does not need scikit-learn.  Returns
    plain Python floats: numpy scalars would make micrograd's arithmetic go
    through numpy's object dispatch and slow the peer down for no reason.
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
    labels = [-1.0] * n_out + [1.0] * n_in
    return points.tolist(), labels


def learning_rate(k):
    return 1.0 - 0.9 * k / 100


def new_micrograd_model():
    # Every variant starts from these same weights, so their first-step
    # losses must agree; that is checked below as a guard against drift.
    random.seed(WEIGHT_SEED)
    return MLP(LAYER_SIZES[0], LAYER_SIZES[1:])


def micrograd_loss(model, X, y):
    """The demo's ``loss()`` with ``batch_size=None``."""
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = REG * sum((p * p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    return total_loss, sum(accuracy) / len(accuracy)


def micrograd_step(model, X, y, k):
    total_loss, accuracy = micrograd_loss(model, X, y)
    model.zero_grad()
    total_loss.backward()
    lr = learning_rate(k)
    for p in model.parameters():
        p.data -= lr * p.grad
    return total_loss.data, accuracy


def count_micrograd_nodes(X, y):
    """Values created by one step, and the size of the loss graph.

    Counted on a separate, untimed step by wrapping Value.__init__, so the
    timed runs carry no instrumentation.
    """
    model = new_micrograd_model()
    created = 0
    original_init = Value.__init__

    def counting_init(self, *args, **kwargs):
        nonlocal created
        created += 1
        original_init(self, *args, **kwargs)

    Value.__init__ = counting_init
    try:
        total_loss, _ = micrograd_loss(model, X, y)
    finally:
        Value.__init__ = original_init

    # The graph also holds the parameters, which exist before the step.
    seen = set()
    stack = [total_loss]
    while stack:
        v = stack.pop()
        if v not in seen:
            seen.add(v)
            stack.extend(v._prev)
    return created, len(seen)


def new_torch_scalar_params():
    """micrograd's weights as one 0-d float64 leaf tensor per scalar."""
    layers = []
    for layer in new_micrograd_model().layers:
        neurons = []
        for neuron in layer.neurons:
            w = [torch.tensor(wi.data, dtype=torch.float64, requires_grad=True)
                 for wi in neuron.w]
            b = torch.tensor(float(neuron.b.data), dtype=torch.float64,
                             requires_grad=True)
            neurons.append((w, b))
        layers.append(neurons)
    return layers


def torch_scalar_parameters(layers):
    return [p for neurons in layers for w, b in neurons for p in w + [b]]


def torch_scalar_step(layers, params, X, y, k):
    """micrograd's step op for op, each scalar a 0-d tensor."""
    n_layers = len(layers)
    scores = []
    for xrow in X:
        # micrograd wraps the inputs in fresh Values each step; do the same.
        x = [torch.tensor(xi, dtype=torch.float64) for xi in xrow]
        for li, neurons in enumerate(layers):
            out = []
            for w, b in neurons:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                out.append(act.relu() if li != n_layers - 1 else act)
            x = out
        scores.append(x[0])
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = REG * sum((p * p for p in params))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.item() > 0)
                for yi, scorei in zip(y, scores)]

    torch_sgd_step(params, total_loss, k)
    return total_loss.item(), sum(accuracy) / len(accuracy)


def torch_sgd_step(params, total_loss, k):
    """Zero the grads, backward, and SGD with micrograd's schedule."""
    for p in params:
        p.grad = None
    total_loss.backward()
    lr = learning_rate(k)
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad


def new_torch_batched_params():
    """micrograd's weights as (W, b) per layer, W of shape (nin, nout)."""
    params = []
    for layer in new_micrograd_model().layers:
        w = [[wi.data for wi in n.w] for n in layer.neurons]
        b = [float(n.b.data) for n in layer.neurons]
        params.append(torch.tensor(w, dtype=torch.float64).T.contiguous()
                      .requires_grad_())
        params.append(torch.tensor(b, dtype=torch.float64).requires_grad_())
    return params


def torch_batched_step(params, X_t, y_t, k):
    h = X_t
    n_layers = len(params) // 2
    for li in range(n_layers):
        h = h @ params[2 * li] + params[2 * li + 1]
        if li != n_layers - 1:
            h = h.relu()
    scores = h.squeeze(1)
    data_loss = (1 - y_t * scores).relu().mean()
    reg_loss = REG * sum((p * p).sum() for p in params)
    total_loss = data_loss + reg_loss
    accuracy = ((y_t > 0) == (scores > 0)).double().mean()

    torch_sgd_step(params, total_loss, k)
    return total_loss.item(), accuracy.item()


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------

def time_steps(step, warmup, steps, before_each=None, gc_off=False):
    """Run warm-up then timed steps; return per-step times (s) and the
    (loss, accuracy) of the very first step."""
    first = None
    times = []
    for k in range(warmup + steps):
        if before_each is not None:
            before_each()
        if gc_off:
            gc.disable()
        try:
            t0 = time.perf_counter()
            result = step(k)
            t1 = time.perf_counter()
        finally:
            if gc_off:
                gc.enable()
        if first is None:
            first = result
        if k >= warmup:
            times.append(t1 - t0)
    return times, first


def run_variants(mode, X, y):
    counts = STEPS[mode]
    runs = []

    def run(name, step, **kwargs):
        warmup, steps = counts[name]
        print(f"  {name}: {warmup} warm-up + {steps} timed steps ...",
              file=sys.stderr, flush=True)
        start = time.perf_counter()
        times, (loss, acc) = time_steps(step, warmup, steps, **kwargs)
        print(f"    done in {time.perf_counter() - start:.1f} s",
              file=sys.stderr, flush=True)
        runs.append({
            "variant": name,
            "median_ms": statistics.median(times) * 1e3,
            "min_ms": min(times) * 1e3,
            "steps": len(times),
            "warmup": warmup,
            "first_step_loss": loss,
            "first_step_accuracy": acc,
        })

    # Start each variant from a clean heap so that the previous variant's
    # garbage does not land in this one's collections.
    gc.collect()
    model = new_micrograd_model()
    run("micrograd", lambda k: micrograd_step(model, X, y, k))

    # The collector is what makes micrograd's closures-in-cycles graphs
    # costly; with it off, memory would grow by a whole graph per step, so
    # collect between steps outside the timed region.
    gc.collect()
    model = new_micrograd_model()
    run("micrograd (gc off)", lambda k: micrograd_step(model, X, y, k),
        before_each=gc.collect, gc_off=True)

    if torch is None:
        print("  torch not installed: skipping the torch variants",
              file=sys.stderr)
        return runs

    gc.collect()
    layers = new_torch_scalar_params()
    params = torch_scalar_parameters(layers)
    run("torch scalar", lambda k: torch_scalar_step(layers, params, X, y, k))

    gc.collect()
    batched = new_torch_batched_params()
    X_t = torch.tensor(X, dtype=torch.float64)
    y_t = torch.tensor(y, dtype=torch.float64)
    run("torch batched", lambda k: torch_batched_step(batched, X_t, y_t, k))
    return runs


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------

def machine_info():
    cpu = cpu_model()
    usable = usable_cores()
    try:
        micrograd_version = metadata.version("micrograd")
    except metadata.PackageNotFoundError:
        micrograd_version = "unknown"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "os": platform.platform(),
        "python": platform.python_version(),
        "micrograd": micrograd_version,
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "torch_threads": (torch.get_num_threads() if torch is not None
                          else None),
        # Recorded because a concurrent build on a small machine can inflate
        # the numbers several-fold (torch's thread pool suffers most).
        "loadavg_1min": os.getloadavg()[0],
    }


def read_rust_median_ms(criterion_dir):
    """Median of the Rust benchmark in ms, or None if it has not been run."""
    path = criterion_dir / RUST_BENCH_ID / "new" / "estimates.json"
    try:
        with open(path) as f:
            estimates = json.load(f)
        return estimates["median"]["point_estimate"] / 1e6, path
    except (OSError, KeyError, ValueError):
        return None, path


def print_table(runs, rust_ms):
    header = ["variant", "median ms/step", "min ms", "steps"]
    if rust_ms is not None:
        header += ["ours (Rust) median ms", "peer / ours"]
    rows = []
    for r in runs:
        row = [r["variant"], f"{r['median_ms']:.3f}", f"{r['min_ms']:.3f}",
               str(r["steps"])]
        if rust_ms is not None:
            row += [f"{rust_ms:.4f}", f"{r['median_ms'] / rust_ms:.1f}x"]
        rows.append(row)
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:"
                         for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="time fewer steps (a smoke test, not a result)")
    parser.add_argument("--json", metavar="FILE", type=Path,
                        help="also write the results to FILE")
    parser.add_argument("--torch-threads", type=int, default=2,
                        help="torch intra-op threads (default: %(default)s)")
    parser.add_argument("--criterion-dir", type=Path,
                        default=Path("target/criterion"),
                        help="criterion's output directory, relative to the "
                             "repository root (default: %(default)s)")
    args = parser.parse_args()

    criterion_dir = args.criterion_dir
    if not criterion_dir.is_absolute():
        criterion_dir = REPO_ROOT / criterion_dir

    if torch is not None:
        # The default matches the 2-core benchmark machine.  On a loaded
        # machine, 1 thread avoids torch's pool waiting on busy cores.
        torch.set_num_threads(args.torch_threads)

    machine = machine_info()
    print(f"machine: {machine['cpu']}, {machine['cores']} cores "
          f"({machine['usable_cores']} usable), {machine['os']}; "
          f"Python {machine['python']}, micrograd {machine['micrograd']}, "
          f"numpy {machine['numpy']}, torch {machine['torch']} "
          f"({machine['torch_threads']} threads); "
          f"load average {machine['loadavg_1min']:.2f} at start")

    X, y = make_moons()
    created, graph_nodes = count_micrograd_nodes(X, y)
    n_params = len(new_micrograd_model().parameters())
    print(f"workload: micrograd demo step, MLP(2, [16, 16, 1]) with "
          f"{n_params} parameters, {len(X)} points")
    print(f"micrograd nodes per step: {created} Values created "
          f"({graph_nodes} in the loss graph, including the "
          f"{n_params} parameters)")

    mode = "quick" if args.quick else "full"
    start = time.perf_counter()
    runs = run_variants(mode, X, y)
    elapsed = time.perf_counter() - start

    # All variants start from the same weights and data, so the first step's
    # loss must agree; if not, they are not timing the same workload.
    reference = runs[0]["first_step_loss"]
    tolerance = 1e-9 * max(1.0, abs(reference))
    for r in runs:
        if abs(r["first_step_loss"] - reference) > tolerance:
            print(f"WARNING: {r['variant']} first-step loss "
                  f"{r['first_step_loss']!r} differs from micrograd's "
                  f"{reference!r}", file=sys.stderr)
    print(f"first-step loss {reference:.12f}, accuracy "
          f"{runs[0]['first_step_accuracy']:.2f} (all variants agree "
          f"to 1e-9 unless warned above)")

    rust_ms, rust_path = read_rust_median_ms(criterion_dir)
    if rust_ms is None:
        print(f"Rust figures missing: no {rust_path} (run "
              f"`cargo bench --bench scalar -- {RUST_BENCH_ID}` first, or "
              f"benches/peers/compare_scalar.sh)")
    else:
        print(f"Rust ({RUST_BENCH_ID}, criterion median): {rust_ms:.4f} ms "
              f"from {rust_path}")
    print()
    print_table(runs, rust_ms)
    print()
    print(f"peer timing took {elapsed:.1f} s ({mode} mode)")

    if args.json:
        result = {
            "benchmark": RUST_BENCH_ID,
            "mode": mode,
            "machine": machine,
            "workload": {
                "points": len(X),
                "layers": LAYER_SIZES,
                "parameters": n_params,
                "micrograd_values_created_per_step": created,
                "micrograd_graph_nodes": graph_nodes,
            },
            "peers": runs,
            "rust_median_ms": rust_ms,
            "rust_estimates": str(rust_path),
        }
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
