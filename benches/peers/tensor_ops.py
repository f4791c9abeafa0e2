#!/usr/bin/env python3
"""Peer benchmark for the tensor engine: matmul, elementwise ops, tape overhead.

The workloads must stay identical to the Rust criterion benchmarks in
benches/tensor.rs:

1. ``tensor_matmul/{f32,f64}/{64,128,256,512,1024}`` -- C = A @ B for n x n
   row-major matrices, forward only, no tape, a new C each call.
   Reported as GFLOP/s = 2 n^3 / time.
1b. ``tensor_matmul_mlp/{f32,f64}/{32,128,1024}`` -- the products of one
   MLP 784-512-512-10 training step at that batch (forward, weight and input
   gradients: ``mlp_products``), one after another; GFLOP/s over all of them.
2. ``tensor_elementwise/{add_f32,add_f64,mul_f32,exp_f32,tanh_f32,sigmoid_f32,exp_f64,relu_f32}``
   -- on 1-d tensors of 1,048,576 elements, forward only, no tape, a new
   output each call (allocation included, as numpy/torch without ``out=``).
   Reported as GB/s = bytes read + written / time (binary: 3 n itemsize,
   unary: 2 n itemsize). numpy has no sigmoid function: torch alone runs it.
3. ``tensor_overhead/tiny_record_backward`` -- on a tape, x a 2 x 2 f32 leaf;
   ``y = (x * x + x).sum()``; backward; read x's gradient.  Three recorded
   ops (mul, add, sum); reported as ns per op = time / 3.  numpy has no
   autograd, so only torch runs it.

Peers: numpy and torch for 1 and 2, torch for 3, all with the same thread
count (``--threads``, default 2).  numpy's threads are set through
threadpoolctl if it is importable, otherwise through OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS set before numpy is imported; which one happened is printed.

If criterion's estimates for the Rust benchmarks exist, the tables also show
our figure and the ratio to the best peer (> 1 means we are faster).  Run
from anywhere; relative paths are taken from the repository root.  See
README.md in this directory.
"""

import ctypes
import gc
import glob
import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

from machine import (OPENBLAS_TUNING_VARS, cpu_model, parse_peer_args,
                     print_footer, usable_cores, warn_openblas_tuning)

# numpy and torch are imported in import_peers(), after the thread settings:
# OpenBLAS reads OPENBLAS_NUM_THREADS when it is loaded, not later.
np = None
torch = None


MATMUL_GROUP = "tensor_matmul"
MATMUL_MLP_GROUP = "tensor_matmul_mlp"
MATMUL_MLP_BATCHES = [32, 128, 1024]
MATMUL_SIZES = [64, 128, 256, 512, 1024]
MATMUL_DTYPES = ["f32", "f64"]

ELEMENTWISE_GROUP = "tensor_elementwise"
ELEMENTWISE_LEN = 1 << 20  # 1,048,576
# Rust function id -> (operation, dtype, arity).
ELEMENTWISE_OPS = {
    "add_f32": ("add", "f32", 2),
    "add_f64": ("add", "f64", 2),
    "mul_f32": ("mul", "f32", 2),
    "exp_f32": ("exp", "f32", 1),
    "tanh_f32": ("tanh", "f32", 1),
    "sigmoid_f32": ("sigmoid", "f32", 1),
    "exp_f64": ("exp", "f64", 1),
    "relu_f32": ("relu", "f32", 1),
}

OVERHEAD_GROUP = "tensor_overhead"
OVERHEAD_FUNCTION = "tiny_record_backward"
OVERHEAD_OPS = 3  # mul, add, sum

ITEMSIZE = {"f32": 4, "f64": 8}
SEED = 1337

# Environment variables that change OpenBLAS's kernel choice or blocking;
# when set (some containers do) numpy's matmul can be several times slower.

# Per cell: at least `min_samples` samples and at least `budget` seconds of
# timed samples, after `warmup` seconds (and at least 2 calls) of warm-up.
# Each sample times `inner` back-to-back calls, `inner` chosen so that a
# sample lasts about budget / target_samples (tiny calls are batched so that
# perf_counter's own cost does not count).
NOISY = 1.5  # A median above NOISY x the min sample marks the cell noisy.
# Other processes using more than this share of all CPUs during a cell's
# samples mark the cell disturbed.
DISTURBED = 0.1
TIMING = {
    "full": {"warmup": 0.1, "budget": 0.5, "min_samples": 10,
             "target_samples": 30},
    "quick": {"warmup": 0.02, "budget": 0.1, "min_samples": 5,
              "target_samples": 10},
}


# --------------------------------------------------------------------------
# Threads and imports
# --------------------------------------------------------------------------

def configure_threads_before_import(threads):
    """Set the thread count for numpy's BLAS before numpy is loaded.

    Returns the method used ("threadpoolctl" or "env") and a note about any
    thread variable that was overridden.
    """
    try:
        import threadpoolctl  # noqa: F401  (applied after the imports)
        return "threadpoolctl", None
    except ImportError:
        pass
    overridden = []
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        old = os.environ.get(var)
        if old is not None and old != str(threads):
            overridden.append(f"{var}={old}")
        os.environ[var] = str(threads)
    note = ("overrode " + ", ".join(overridden)) if overridden else None
    return "env", note


def import_peers(threads, method):
    global np, torch
    import numpy
    np = numpy
    try:
        import torch as torch_module
        torch = torch_module
    except ImportError:  # The numpy columns are still useful without torch.
        torch = None
    limiter = None
    if method == "threadpoolctl":
        from threadpoolctl import threadpool_limits
        # Limits every BLAS/OpenMP pool loaded so far (numpy's OpenBLAS,
        # torch's MKL and OpenMP); kept alive for the whole run.
        limiter = threadpool_limits(limits=threads)
    if torch is not None:
        torch.set_num_threads(threads)
    return limiter


def numpy_blas_info():
    """numpy's BLAS name and version from numpy.show_config, best effort."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # Older numpy, or a layout change: not worth failing.
        return "unknown"


def openblas_runtime_info():
    """(core name, thread count) read back from numpy's bundled OpenBLAS.

    Best effort via ctypes on the library in numpy.libs (the wheel layout);
    (None, None) if it cannot be found, e.g. numpy built against MKL.
    """
    libdir = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(glob.glob(str(libdir / "*openblas*.so*"))):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        core = threads = None
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get_threads = getattr(
                    lib, f"{prefix}_get_num_threads{suffix}", None)
                get_core = getattr(lib, f"{prefix}_get_corename{suffix}", None)
                if get_threads is not None and threads is None:
                    get_threads.restype = ctypes.c_int
                    threads = get_threads()
                if get_core is not None and core is None:
                    get_core.restype = ctypes.c_char_p
                    core = get_core().decode(errors="replace")
        if core is not None or threads is not None:
            return core, threads
    return None, None


def torch_blas_info():
    try:
        show = torch.__config__.show()
        return show.split("BLAS_INFO=", 1)[1].split(",", 1)[0].strip()
    except Exception:
        return "unknown"


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------

class OtherLoad:
    """Share of the machine's CPU time used by other processes.

    Busy time of all CPUs (from /proc/stat) minus this process's own CPU
    time (all its threads, spinning ones included), over wall time x CPUs.
    It catches a build that starts and stops within a run, which a check
    before and after cannot.  Resolution is the kernel tick (10 ms at
    USER_HZ 100), so short cells read coarse.  None where /proc/stat is
    missing.
    """

    def __init__(self):
        self.start = self._snapshot()

    @staticmethod
    def _snapshot():
        try:
            with open("/proc/stat") as f:
                fields = [int(v) for v in f.readline().split()[1:8]]
        except (OSError, ValueError):
            return None
        busy_ticks = sum(fields) - fields[3] - fields[4]  # minus idle, iowait
        own = os.times()
        return (time.perf_counter(), busy_ticks / os.sysconf("SC_CLK_TCK"),
                own.user + own.system)

    def fraction(self):
        end = self._snapshot()
        if self.start is None or end is None:
            return None
        wall = end[0] - self.start[0]
        others = (end[1] - self.start[1]) - (end[2] - self.start[2])
        if wall <= 0:
            return None
        return max(0.0, others / (wall * (os.cpu_count() or 1)))


def time_call(fn, mode, timing=None):
    """Median and min seconds per call of fn(), criterion-style.

    Warm-up, then samples of `inner` back-to-back calls each; the per-call
    time of a sample is its time / inner.  The garbage collector stays on
    (normal Python), but the heap is collected before each cell.  `timing`
    is a script's own budgets (default: this script's TIMING); its optional
    `min_warmup_calls` (default 2) sets the fewest warm-up calls.
    """
    cfg = (timing or TIMING)[mode]
    gc.collect()

    calls = 0
    start = time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if calls >= cfg.get("min_warmup_calls", 2) and elapsed >= cfg["warmup"]:
            break
    per_call = elapsed / calls
    sample_time = cfg["budget"] / cfg["target_samples"]
    inner = max(1, round(sample_time / per_call))

    samples = []
    total = 0.0
    others = OtherLoad()
    while len(samples) < cfg["min_samples"] or total < cfg["budget"]:
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        t1 = time.perf_counter()
        samples.append((t1 - t0) / inner)
        total += t1 - t0
    return {
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "samples": len(samples),
        "inner": inner,
        "warmup_calls": calls,
        "other_load": others.fraction(),
    }


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Workloads
# --------------------------------------------------------------------------

def np_dtype(dtype):
    return {"f32": np.float32, "f64": np.float64}[dtype]


def torch_dtype(dtype):
    return {"f32": torch.float32, "f64": torch.float64}[dtype]


def uniform(rng, shape, dtype):
    """Uniform in [-1, 1): half the relu inputs negative, exp in range."""
    return (rng.random(shape, dtype=np.float64) * 2 - 1).astype(np_dtype(dtype))


def check_close(name, a, b, dtype):
    rtol = 1e-3 if dtype == "f32" else 1e-9
    if not np.allclose(a, b, rtol=rtol, atol=rtol):
        print(f"WARNING: {name}: numpy and torch results differ",
              file=sys.stderr)


def rate_cell(group, function, param, label, flops, peers):
    """A GFLOP/s result cell: each peer's rate from its median."""
    for r in peers.values():
        r["rate"] = flops / r["median_s"] / 1e9
    return {"group": group, "function": function, "param": str(param),
            "label": label, "unit": "GFLOP/s", "work": flops, "peers": peers}


def bench_matmul(mode):
    results = []
    rng = np.random.default_rng(SEED)
    for dtype in MATMUL_DTYPES:
        for n in MATMUL_SIZES:
            a = uniform(rng, (n, n), dtype)
            b = uniform(rng, (n, n), dtype)
            flops = 2.0 * n ** 3
            peers = {}
            progress(f"  matmul {dtype} n={n}: numpy ...")
            peers["numpy"] = time_call(lambda: a @ b, mode)
            if torch is not None:
                ta = torch.from_numpy(a.copy())
                tb = torch.from_numpy(b.copy())
                with torch.inference_mode():
                    check_close(f"matmul {dtype} n={n}", a @ b,
                                (ta @ tb).numpy(), dtype)
                    progress(f"  matmul {dtype} n={n}: torch ...")
                    peers["torch"] = time_call(lambda: ta @ tb, mode)
            results.append(rate_cell(MATMUL_GROUP, dtype, n, f"{dtype} n={n}",
                                     flops, peers))
    return results


def mlp_products(b):
    """The products of one MLP 784-512-512-10 step at batch b, as [m, k, n]:
    the same list as `mlp_products` in benches/tensor.rs."""
    layers = [(784, 512), (512, 512), (512, 10)]
    shapes = []
    for i, (inp, out) in enumerate(layers):
        shapes.append((b, inp, out))      # forward
        shapes.append((inp, b, out))      # weight gradient
        if i > 0:
            shapes.append((b, out, inp))  # input gradient (not for the data)
    return shapes


def bench_matmul_mlp(mode):
    results = []
    rng = np.random.default_rng(SEED + 2)
    for batch in MATMUL_MLP_BATCHES:
        for dtype in MATMUL_DTYPES:
            shapes = mlp_products(batch)
            pairs = [(uniform(rng, (m, k), dtype), uniform(rng, (k, n), dtype))
                     for m, k, n in shapes]
            flops = float(sum(2 * m * k * n for m, k, n in shapes))
            peers = {}
            progress(f"  matmul_mlp {dtype} B={batch}: numpy ...")

            def all_numpy():
                for a, b in pairs:
                    a @ b
            peers["numpy"] = time_call(all_numpy, mode)
            if torch is not None:
                tpairs = [(torch.from_numpy(a.copy()), torch.from_numpy(b.copy()))
                          for a, b in pairs]
                with torch.inference_mode():
                    progress(f"  matmul_mlp {dtype} B={batch}: torch ...")

                    def all_torch():
                        for a, b in tpairs:
                            a @ b
                    peers["torch"] = time_call(all_torch, mode)
            results.append(rate_cell(MATMUL_MLP_GROUP, dtype, batch,
                                     f"{dtype} B={batch}", flops, peers))
    return results


def bench_elementwise(mode):
    results = []
    rng = np.random.default_rng(SEED + 1)
    n = ELEMENTWISE_LEN
    np_ops = {
        "add": np.add,
        "mul": np.multiply,
        "exp": np.exp,
        "tanh": np.tanh,
        # A Python 0 is a weak scalar in numpy 2: the result stays float32.
        "relu": lambda x: np.maximum(x, 0),
    }
    for function, (op, dtype, arity) in ELEMENTWISE_OPS.items():
        inputs = [uniform(rng, n, dtype) for _ in range(arity)]
        nbytes = (arity + 1) * n * ITEMSIZE[dtype]
        peers = {}
        f = np_ops.get(op)
        out = None
        if f is not None:
            out = f(*inputs)
            assert out.dtype == np_dtype(dtype) and out.shape == (n,), out.dtype
            progress(f"  elementwise {function}: numpy ...")
            peers["numpy"] = time_call(lambda: f(*inputs), mode)
        if torch is not None:
            t_inputs = [torch.from_numpy(x.copy()) for x in inputs]
            t_ops = {"add": torch.add, "mul": torch.mul, "exp": torch.exp,
                     "tanh": torch.tanh, "sigmoid": torch.sigmoid,
                     "relu": torch.relu}
            tf = t_ops[op]
            with torch.inference_mode():
                t_out = tf(*t_inputs)
                assert t_out.dtype == torch_dtype(dtype)
                if out is not None:
                    check_close(f"elementwise {function}", out,
                                t_out.numpy(), dtype)
                progress(f"  elementwise {function}: torch ...")
                peers["torch"] = time_call(lambda: tf(*t_inputs), mode)
        for r in peers.values():
            r["rate"] = nbytes / r["median_s"] / 1e9
        results.append({"group": ELEMENTWISE_GROUP, "function": function,
                        "param": None, "label": function, "unit": "GB/s",
                        "work": nbytes, "peers": peers})
    return results


def bench_overhead(mode):
    if torch is None:
        return []
    torch.manual_seed(SEED)
    x = torch.rand(2, 2, requires_grad=True)

    def step():
        x.grad = None
        y = (x * x + x).sum()
        y.backward()
        return x.grad

    grad = step()
    expected = 2 * x.detach() + 1
    if not torch.allclose(grad, expected):
        print("WARNING: overhead: torch gradient is not 2x + 1",
              file=sys.stderr)
    progress(f"  overhead {OVERHEAD_FUNCTION}: torch ...")
    r = time_call(step, mode)
    r["ns_per_op"] = r["median_s"] * 1e9 / OVERHEAD_OPS
    return [{"group": OVERHEAD_GROUP, "function": OVERHEAD_FUNCTION,
             "param": None, "label": OVERHEAD_FUNCTION, "unit": "ns/op",
             "work": OVERHEAD_OPS, "peers": {"torch": r}}]


# --------------------------------------------------------------------------
# Criterion
# --------------------------------------------------------------------------

def criterion_path(criterion_dir, cell):
    path = criterion_dir / cell["group"] / cell["function"]
    if cell["param"] is not None:
        path = path / cell["param"]
    return path / "new" / "estimates.json"


def read_rust_median_s(path):
    try:
        with open(path) as f:
            estimates = json.load(f)
        return estimates["median"]["point_estimate"] / 1e9
    except (OSError, KeyError, ValueError, TypeError):
        return None


def attach_rust(cells, criterion_dir):
    for cell in cells:
        path = criterion_path(criterion_dir, cell)
        median_s = read_rust_median_s(path)
        cell["rust_estimates"] = str(path)
        cell["rust_median_s"] = median_s
        if median_s is None:
            cell["rust_rate"] = None
        elif cell["unit"] == "ns/op":
            cell["rust_rate"] = median_s * 1e9 / cell["work"]
        else:
            cell["rust_rate"] = cell["work"] / median_s / 1e9


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------

def fmt_time(seconds):
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e9:.0f} ns"


def fmt_rate(rate):
    return f"{rate:.1f}" if rate >= 10 else f"{rate:.2f}"


def noisy_mark(r):
    """A dagger when the median is far above the best sample: something
    (often another process on a small machine) interrupted the cell."""
    mark = " †" if r["median_s"] > NOISY * r["min_s"] else ""
    if r.get("other_load") is not None and r["other_load"] > DISTURBED:
        mark += " ‡"
    return mark


def print_rate_table(cells, peer_names, title_col):
    """Rows of cells; rates higher-is-better; ratio ours / best peer."""
    unit = cells[0]["unit"]
    header = [title_col]
    header += [f"{p} {unit} (median)" for p in peer_names]
    header += [f"ours {unit}", "ours / best peer"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:"
                         for i in range(len(header))) + "|")
    for cell in cells:
        row = [cell["label"]]
        for p in peer_names:
            r = cell["peers"].get(p)
            row.append(f"{fmt_rate(r['rate'])} ({fmt_time(r['median_s'])})"
                       f"{noisy_mark(r)}" if r else "–")
        best_name, best = max(cell["peers"].items(),
                              key=lambda kv: kv[1]["rate"])
        if cell["rust_rate"] is None:
            row += ["–", "–"]
        else:
            row.append(f"{fmt_rate(cell['rust_rate'])} "
                       f"({fmt_time(cell['rust_median_s'])})")
            row.append(f"{cell['rust_rate'] / best['rate']:.2f}x "
                       f"({best_name})")
        print("| " + " | ".join(row) + " |")


def print_overhead_table(cells):
    header = ["benchmark", "torch time/iter (median)", "torch ns/op",
              "ours ns/op", "peer / ours"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:"
                         for i in range(len(header))) + "|")
    for cell in cells:
        r = cell["peers"]["torch"]
        row = [cell["label"], fmt_time(r["median_s"]) + noisy_mark(r),
               f"{r['ns_per_op']:.0f}"]
        if cell["rust_rate"] is None:
            row += ["–", "–"]
        else:
            row += [f"{cell['rust_rate']:.0f}",
                    f"{r['ns_per_op'] / cell['rust_rate']:.1f}x"]
        print("| " + " | ".join(row) + " |")


def cpu_busy_fraction(seconds=0.5):
    """Fraction of all CPUs busy over `seconds` (from /proc/stat), or None.

    A better idle check than the load average, which lags by minutes.
    """
    def snapshot():
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields[:8]), idle
    try:
        total0, idle0 = snapshot()
        time.sleep(seconds)
        total1, idle1 = snapshot()
    except (OSError, ValueError, IndexError):
        return None
    if total1 == total0:
        return None
    return 1.0 - (idle1 - idle0) / (total1 - total0)


def machine_info(threads, method, method_note):
    cpu = cpu_model()
    usable = usable_cores()
    core, blas_threads = openblas_runtime_info()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_blas": numpy_blas_info(),
        "numpy_blas_core": core,
        "numpy_blas_threads": blas_threads,
        "torch": torch.__version__ if torch is not None else None,
        "torch_blas": torch_blas_info() if torch is not None else None,
        "torch_threads": (torch.get_num_threads() if torch is not None
                          else None),
        "threads_requested": threads,
        "numpy_threads_method": method,
        "numpy_threads_note": method_note,
        "openblas_tuning_env": {v: os.environ[v] for v in OPENBLAS_TUNING_VARS
                                if v in os.environ},
        # Recorded because a concurrent build on a small machine can inflate
        # the numbers several-fold (multi-threaded peers suffer most).
        "loadavg_1min": os.getloadavg()[0],
        "cpu_busy_before": cpu_busy_fraction(),
    }


def machine_line(m):
    if m["numpy_threads_method"] == "threadpoolctl":
        how = "numpy via threadpoolctl"
    else:
        how = ("numpy via OPENBLAS_NUM_THREADS/OMP_NUM_THREADS set before "
               "import (threadpoolctl not installed)")
    if m["numpy_threads_note"]:
        how += f", {m['numpy_threads_note']}"
    readback = (f", {m['numpy_blas_threads']} threads read back"
                if m["numpy_blas_threads"] is not None else "")
    core = (f", core {m['numpy_blas_core']}" if m["numpy_blas_core"] else "")
    tuning = m["openblas_tuning_env"]
    tuning_s = (" SET: " + ", ".join(f"{k}={v}" for k, v in tuning.items())
                if tuning else f" {'/'.join(OPENBLAS_TUNING_VARS)} unset")
    torch_s = (f"torch {m['torch']} (BLAS {m['torch_blas']}, "
               f"{m['torch_threads']} threads)" if m["torch"] else
               "torch not installed")
    return (f"machine: {m['cpu']}, {m['cores']} cores "
            f"({m['usable_cores']} usable), {m['os']}; "
            f"Python {m['python']}, numpy {m['numpy']} "
            f"(BLAS {m['numpy_blas']}{core}{readback}), {torch_s}; "
            f"threads {m['threads_requested']} for every peer, {how};"
            f"{tuning_s}; load average {m['loadavg_1min']:.2f} at start"
            + (f", CPUs {m['cpu_busy_before']:.0%} busy just before"
               if m["cpu_busy_before"] is not None else ""))


def main():
    args = parse_peer_args(__doc__.split("\n\n")[0],
                           "time fewer calls (a smoke test, not a result)",
                           "threads for every peer: torch intra-op and numpy's BLAS")
    criterion_dir = args.criterion_dir
    warn_openblas_tuning("numpy", "compare_tensor.sh")

    method, method_note = configure_threads_before_import(args.threads)
    limiter = import_peers(args.threads, method)  # noqa: F841 (kept alive)

    machine = machine_info(args.threads, method, method_note)
    print(machine_line(machine))
    if (machine["numpy_blas_threads"] is not None
            and machine["numpy_blas_threads"] != args.threads):
        print(f"WARNING: numpy's OpenBLAS reports "
              f"{machine['numpy_blas_threads']} threads, not {args.threads}",
              file=sys.stderr)
    busy = machine["cpu_busy_before"]
    if busy is not None and busy > 0.1:
        print(f"WARNING: the CPUs were {busy:.0%} busy just before the run: "
              f"the machine is not idle, numbers will be inflated (the "
              f"multi-threaded peers most)", file=sys.stderr)
    print(f"workloads: matmul n x n, n in {MATMUL_SIZES}, 2n^3 flops; "
          f"elementwise on {ELEMENTWISE_LEN:,} elements, a new output per "
          f"call; overhead: y = (x*x + x).sum() on a 2x2 f32 leaf, backward, "
          f"{OVERHEAD_OPS} ops; inputs uniform in [-1, 1) (torch.rand for "
          f"the overhead leaf)")

    mode = "quick" if args.quick else "full"
    start = time.perf_counter()
    run_load = OtherLoad()
    matmul = bench_matmul(mode)
    matmul_mlp = bench_matmul_mlp(mode)
    elementwise = bench_elementwise(mode)
    overhead = bench_overhead(mode)
    elapsed = time.perf_counter() - start
    load_end = os.getloadavg()[0]
    other_load = run_load.fraction()
    busy_end = cpu_busy_fraction()

    cells = matmul + matmul_mlp + elementwise + overhead
    attach_rust(cells, criterion_dir)
    missing = [c for c in cells if c["rust_median_s"] is None]
    if missing:
        print(f"Rust figures missing for {len(missing)} of {len(cells)} "
              f"benchmarks (e.g. no {missing[0]['rust_estimates']}); run "
              f"`cargo bench --bench tensor` first, or "
              f"benches/peers/compare_tensor.sh")
    peer_names = ["numpy", "torch"] if torch is not None else ["numpy"]

    print()
    print(f"### {MATMUL_GROUP}: C = A @ B, GFLOP/s = 2n^3 / time "
          f"(higher is better; ours / best peer > 1: we are faster)")
    print()
    print_rate_table(matmul, peer_names, "dtype, n")
    print()
    print(f"### {MATMUL_MLP_GROUP}: the products of one MLP 784-512-512-10 step "
          f"(forward, weight and input gradients), GFLOP/s over all of them "
          f"(higher is better)")
    print()
    print_rate_table(matmul_mlp, peer_names, "dtype, batch")
    print()
    print(f"### {ELEMENTWISE_GROUP}: {ELEMENTWISE_LEN:,} elements, GB/s = "
          f"bytes read + written / time (higher is better; ours / best "
          f"peer > 1: we are faster)")
    print()
    print_rate_table(elementwise, peer_names, "op")
    if overhead:
        print()
        print(f"### {OVERHEAD_GROUP}: tape overhead, ns per recorded op = "
              f"time / {OVERHEAD_OPS} (lower is better; peer / ours > 1: we "
              f"are faster)")
        print()
        print_overhead_table(overhead)
    marks = "".join(noisy_mark(r) for c in cells for r in c["peers"].values())
    print_footer(marks, NOISY, DISTURBED, elapsed, mode, load_end,
                 other_load, busy_end)

    if args.json:
        result = {
            "benchmark": "tensor",
            "mode": mode,
            "machine": machine,
            "loadavg_1min_end": load_end,
            "cpu_busy_after": busy_end,
            "other_load_during": other_load,
            "timing": TIMING[mode],
            "workload": {
                "matmul_sizes": MATMUL_SIZES,
                "elementwise_len": ELEMENTWISE_LEN,
                "elementwise_ops": {k: {"op": v[0], "dtype": v[1],
                                        "inputs": v[2]}
                                    for k, v in ELEMENTWISE_OPS.items()},
                "overhead_ops": OVERHEAD_OPS,
            },
            "cells": cells,
            "peer_seconds": elapsed,
        }
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
