#!/usr/bin/env bash
# Measure the convolution benchmarks and their PyTorch peer in one run (same machine, same
# state). Run from the repository root:   benches/peers/compare_conv.sh [--quick]
# Set PYTHON to the venv's interpreter, e.g. PYTHON=.venv/bin/python.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import torch' || {
    echo "error: $PYTHON lacks torch; see benches/peers/README.md" >&2
    exit 1
}
cargo bench --bench nn -- nn_conv
"$PYTHON" benches/peers/conv_step.py --threads "${LEARNGRAD_NUM_THREADS:-2}" "$@"
