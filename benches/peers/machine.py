"""What machine the peer benchmarks ran on: shared by scalar_step.py and tensor_ops.py."""

import os
import platform


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
