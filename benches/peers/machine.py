"""What the peer benchmarks share: the machine they ran on, their command line, the footer.

Used by scalar_step.py, tensor_ops.py and mlp_step.py.
"""

import argparse
import os
import platform
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OPENBLAS_TUNING_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def parse_peer_args(description, quick_help, threads_help):
    """--quick, --json, --threads and --criterion-dir, checked; the criterion directory is
    made absolute (relative paths are taken from the repository root)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--json", metavar="FILE", type=Path,
                        help="also write the results to FILE")
    parser.add_argument("--threads", type=int, default=2,
                        help=threads_help + " (default: %(default)s)")
    parser.add_argument("--criterion-dir", type=Path,
                        default=Path("target/criterion"),
                        help="criterion's output directory, relative to the "
                             "repository root (default: %(default)s)")
    args = parser.parse_args()
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if not args.criterion_dir.is_absolute():
        args.criterion_dir = REPO_ROOT / args.criterion_dir
    return args


def warn_openblas_tuning(slowed, script):
    """Warns about OpenBLAS tuning variables that make `slowed` several times slower."""
    for var in OPENBLAS_TUNING_VARS:
        if var in os.environ:
            print(f"WARNING: {var}={os.environ[var]} is set; it overrides "
                  f"OpenBLAS's tuning and can make {slowed} several times "
                  f"slower. Unset it ({script} runs python under "
                  f"`env -u {' -u '.join(OPENBLAS_TUNING_VARS)}`).",
                  file=sys.stderr)


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, else what platform knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def usable_cores():
    """The cores this process may run on (its affinity), else the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Not on Linux.
        return os.cpu_count()


def print_footer(marks, noisy, disturbed, elapsed, mode, load_end,
                 other_load, busy_end):
    """The legend of the noise marks in a table, and how long and how quietly
    the peers ran."""
    if marks:
        print()
    if "†" in marks:
        print(f"† noisy: the median is more than {noisy}x the fastest sample "
              f"(min per cell in --json); rerun on an idle machine")
    if "‡" in marks:
        print(f"‡ disturbed: other processes used more than {disturbed:.0%} "
              f"of the CPUs while the cell was timed; rerun on an idle "
              f"machine")
    print()
    print(f"peer timing took {elapsed:.1f} s ({mode} mode); load average "
          f"{load_end:.2f} at end"
          + (f", other processes used {other_load:.0%} of the CPUs during "
             f"the timing" if other_load is not None else "")
          + (f", CPUs {busy_end:.0%} busy just after (we had stopped)"
             if busy_end is not None else ""))
