#!/usr/bin/env bash
# Measure the Rust tensor engine and its Python peers (numpy, torch) in one
# run, so that both sets of numbers come from the same machine in the same
# state.
#
# Run from the repository root:   benches/peers/compare_tensor.sh [ARGS...]
# ARGS go to tensor_ops.py (e.g. --quick, --json FILE, --threads N).
# Set PYTHON to the venv's interpreter, e.g. PYTHON=.venv/bin/python.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE override OpenBLAS's own tuning and can
# make numpy several times slower; the peers run without them.
PY_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

# Fail early, before the (long) cargo bench, if the peers cannot run.
"${PY_ENV[@]}" "$PYTHON" -c 'import numpy, torch' || {
    echo "error: $PYTHON lacks numpy/torch; see benches/peers/README.md" >&2
    exit 1
}

cargo bench --bench tensor
"${PY_ENV[@]}" "$PYTHON" benches/peers/tensor_ops.py \
    --criterion-dir target/criterion "$@"
