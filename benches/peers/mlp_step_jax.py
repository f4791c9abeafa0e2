#!/usr/bin/env python3
"""JAX peer for the nn crate's MLP step: ``nn_mlp_step/{f32,f64}/{32,128,1024}``.

The same workload as ``mlp_step.py`` (and benches/nn.rs): an MLP 784-512-512-10
(ReLU hidden, linear output, He/Xavier-uniform weights as nn::Mlp, biases 0) on
a batch x [B, 784] uniform in [0, 1) with integer labels in 0..10: forward,
mean cross-entropy from the logits, backward, SGD (lr 0.01), the whole step
one ``jax.jit``-compiled function with the parameters donated (updated in
place, as XLA allows). Reported as ms per step, next to criterion's median for
ours if it exists (``target/criterion``) and the ratio JAX / ours (> 1: we are
faster).

JAX on CPU takes every core it sees; run it on a machine with the cores the
other peers use (2 here), or under ``taskset``. ``pip install jax`` (jaxlib
with XLA's CPU backend). Run from anywhere.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mlp_step import (MLP_BATCHES, MLP_DTYPES, MLP_GROUP, MLP_LR,  # noqa: E402
                      MLP_WIDTHS, TIMING)
from tensor_ops import read_rust_median_s, time_call  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def weights(np, seed=1337):
    """As mlp_step.mlp_weights: (W [in, out], b) per layer, float64."""
    import math
    rng = np.random.default_rng(seed)
    layers = []
    n = len(MLP_WIDTHS) - 1
    for i, (fan_in, fan_out) in enumerate(zip(MLP_WIDTHS, MLP_WIDTHS[1:])):
        a = math.sqrt(6 / fan_in) if i < n - 1 else math.sqrt(6 / (fan_in + fan_out))
        layers.append((rng.uniform(-a, a, (fan_out, fan_in)).T.copy(), np.zeros(fan_out)))
    return layers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="time fewer steps (a smoke test, not a result)")
    args = parser.parse_args()
    try:
        import jax
        import jax.numpy as jnp
        import numpy as np
    except ImportError:
        sys.exit("error: jax is not installed (pip install jax)")
    jax.config.update("jax_enable_x64", True)
    mode = "quick" if args.quick else "full"

    def loss_fn(params, x, labels):
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = jax.nn.relu(h)
        logp = jax.nn.log_softmax(h, axis=-1)
        return -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=1))

    def step(params, x, labels):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, labels)
        params = jax.tree_util.tree_map(lambda p, g: p - MLP_LR * g, params, grads)
        return params, loss

    step = jax.jit(step, donate_argnums=0)
    print(f"jax {jax.__version__}, devices {jax.devices()}, cores {os.cpu_count()}")
    print()
    print(f"### {MLP_GROUP} with JAX (jit, parameters donated), ms per step")
    print()
    print("| dtype, batch | jax ms/step (median) | ours ms/step | jax / ours |")
    print("|---|---:|---:|---:|")
    for dtype in MLP_DTYPES:
        np_dtype = {"f32": np.float32, "f64": np.float64}[dtype]
        for batch in MLP_BATCHES:
            rng = np.random.default_rng(1337 + 1 + batch)
            x = jnp.asarray(rng.random((batch, MLP_WIDTHS[0])), dtype=np_dtype)
            labels = jnp.asarray(rng.integers(0, MLP_WIDTHS[-1], size=batch))
            state = {"params": [(jnp.asarray(w, dtype=np_dtype), jnp.asarray(b, dtype=np_dtype))
                                for w, b in weights(np)]}

            def one():
                state["params"], loss = step(state["params"], x, labels)
                loss.block_until_ready()

            r = time_call(one, mode, TIMING)
            path = os.path.join(ROOT, "target", "criterion", MLP_GROUP, dtype,
                                str(batch), "new", "estimates.json")
            ours = read_rust_median_s(path)
            ours_ms = f"{ours * 1e3:.2f}" if ours else "-"
            ratio = f"{r['median_s'] / ours:.2f}x" if ours else "-"
            print(f"| {dtype} B={batch} | {r['median_s'] * 1e3:.2f} | {ours_ms} | {ratio} |")


if __name__ == "__main__":
    main()
