#!/usr/bin/env bash
# Measure the Rust scalar engine and its Python peers in one run, so that both
# sets of numbers come from the same machine in the same state.
#
# Run from the repository root:   benches/peers/compare_scalar.sh [ARGS...]
# ARGS go to scalar_step.py (e.g. --quick, --json FILE).
# Set PYTHON to the venv's interpreter, e.g. PYTHON=.venv/bin/python.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

# Fail early, before the (long) cargo bench, if the peers cannot run.
"$PYTHON" -c 'import micrograd, numpy' || {
    echo "error: $PYTHON lacks micrograd/numpy; see benches/peers/README.md" >&2
    exit 1
}

cargo bench --bench scalar -- scalar_engine/micrograd_mlp_step
"$PYTHON" benches/peers/scalar_step.py --criterion-dir target/criterion "$@"
