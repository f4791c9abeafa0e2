#!/usr/bin/env bash
# Measure the Rust nn training steps and their PyTorch peer in one run, so
# that both sets of numbers come from the same machine in the same state.
#
# Run from the repository root:   benches/peers/compare_nn.sh [ARGS...]
# ARGS go to mlp_step.py (e.g. --quick, --json FILE, --threads N).
# Set PYTHON to the venv's interpreter, e.g. PYTHON=.venv/bin/python.
# LEARNGRAD_NUM_THREADS, if set, reaches cargo bench (our thread pool's size)
# and is printed on the peer's machine line.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE override OpenBLAS's own tuning and can
# make an OpenBLAS-backed torch (and numpy) several times slower; the peer
# runs without them.
PY_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

# Fail early, before the (long) cargo bench, if the peer cannot run.
"${PY_ENV[@]}" "$PYTHON" -c 'import numpy, torch' || {
    echo "error: $PYTHON lacks numpy/torch; see benches/peers/README.md" >&2
    exit 1
}

cargo bench --bench nn
"${PY_ENV[@]}" "$PYTHON" benches/peers/mlp_step.py \
    --criterion-dir target/criterion "$@"
