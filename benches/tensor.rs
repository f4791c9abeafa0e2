//! Tensor engine benchmarks: matmul GFLOP/s (square and at the MLP's shapes) against the
//! machine's limit (an FMA-only loop on every thread), elementwise GB/s, and the per-op
//! overhead of recording and replaying tiny tensor ops.
//!
//! Run: `cargo bench --bench tensor`. The peers (numpy, PyTorch) run the same workloads in
//! `benches/peers/tensor_ops.py`; `benches/peers/compare_tensor.sh` runs both in one go.

use std::hint::black_box;

use autograd::{Gradients, Real, Tape, Tensor};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;

fn random<F: autograd::Float>(dims: &[usize], seed: u64) -> Tensor<F> {
    Tensor::rand_uniform(
        dims,
        F::from_f64(-1.0),
        F::from_f64(1.0),
        &mut StdRng::seed_from_u64(seed),
    )
}

fn matmul(c: &mut Criterion) {
    let mut group = c.benchmark_group("tensor_matmul");
    group.sample_size(20);
    for n in [64usize, 128, 256, 512, 1024] {
        group.throughput(Throughput::Elements(2 * (n * n * n) as u64));
        let (a, b) = (random::<f32>(&[n, n], 1), random::<f32>(&[n, n], 2));
        group.bench_with_input(BenchmarkId::new("f32", n), &n, |bench, _| {
            bench.iter(|| black_box(a.try_matmul(&b).unwrap()))
        });
        let (a, b) = (random::<f64>(&[n, n], 1), random::<f64>(&[n, n], 2));
        group.bench_with_input(BenchmarkId::new("f64", n), &n, |bench, _| {
            bench.iter(|| black_box(a.try_matmul(&b).unwrap()))
        });
    }
    // The reason for the GEMM's `unsafe` in autograd: the plain loop it replaced.
    let n = 256;
    group.throughput(Throughput::Elements(2 * (n * n * n) as u64));
    let (a, b) = (random::<f32>(&[n, n], 1), random::<f32>(&[n, n], 2));
    group.bench_with_input(BenchmarkId::new("naive_loop_f32", n), &n, |bench, _| {
        bench.iter(|| black_box(naive_matmul(a.as_slice(), b.as_slice(), n)))
    });
    group.finish();
}

/// The products of one MLP 784-512-512-10 training step (`benches/nn.rs`) at batch `b`:
/// forward `x · w` per layer, backward `g · wᵀ` and `xᵀ · g`, as `[m, k, n]`, written with
/// the weights stored `[in, out]` (our Linear stores `[out, in]` and reads the transposes
/// through strides: the same shapes and work).
fn mlp_products(b: usize) -> Vec<[usize; 3]> {
    let layers = [(784, 512), (512, 512), (512, 10)];
    let mut shapes = Vec::new();
    for (i, &(inp, out)) in layers.iter().enumerate() {
        shapes.push([b, inp, out]); // forward
        shapes.push([inp, b, out]); // weight gradient
        if i > 0 {
            shapes.push([b, out, inp]); // input gradient (not for the data)
        }
    }
    shapes
}

/// GFLOP/s over all of a step's products, one after another, per batch size.
fn matmul_mlp(c: &mut Criterion) {
    let mut group = c.benchmark_group("tensor_matmul_mlp");
    group.sample_size(20);
    for batch in [32usize, 128, 1024] {
        let shapes = mlp_products(batch);
        let flops: usize = shapes.iter().map(|[m, k, n]| 2 * m * k * n).sum();
        group.throughput(Throughput::Elements(flops as u64));
        let f32s: Vec<_> = shapes
            .iter()
            .map(|&[m, k, n]| (random::<f32>(&[m, k], 1), random::<f32>(&[k, n], 2)))
            .collect();
        group.bench_with_input(BenchmarkId::new("f32", batch), &batch, |bench, _| {
            bench.iter(|| {
                for (a, b) in &f32s {
                    black_box(a.try_matmul(b).unwrap());
                }
            })
        });
        let f64s: Vec<_> = shapes
            .iter()
            .map(|&[m, k, n]| (random::<f64>(&[m, k], 1), random::<f64>(&[k, n], 2)))
            .collect();
        group.bench_with_input(BenchmarkId::new("f64", batch), &batch, |bench, _| {
            bench.iter(|| {
                for (a, b) in &f64s {
                    black_box(a.try_matmul(b).unwrap());
                }
            })
        });
    }
    group.finish();
}

/// The machine's limit for the matmul figures: fused multiply-adds and nothing else (no
/// loads), 12 independent accumulators per thread (enough to cover the FMA latency on two
/// ports), on `autograd::num_threads()` threads at once, in the widest vectors this CPU has.
/// Throughput in FLOP (2 per lane per FMA).
fn fma_peak(c: &mut Criterion) {
    // (about 4 ms a call: the two thread spawns per call, some 50 µs, stay within 2 %)
    const STEPS: usize = 1 << 20;
    let Some((isa, lanes_f32)) = fma::widest() else {
        eprintln!("fma_peak: no FMA on this CPU; skipped");
        return;
    };
    let threads = autograd::num_threads();
    let mut group = c.benchmark_group("fma_peak");
    group.sample_size(20);
    for (dtype, lanes) in [("f32", lanes_f32), ("f64", lanes_f32 / 2)] {
        let flops = threads * STEPS * fma::ACCUMULATORS * lanes * 2;
        group.throughput(Throughput::Elements(flops as u64));
        let name = format!("{dtype}_{isa}_{threads}_threads");
        group.bench_function(name, |bench| {
            bench.iter(|| {
                std::thread::scope(|scope| {
                    for _ in 0..threads {
                        scope.spawn(|| black_box(fma::run(isa, dtype == "f64", STEPS)));
                    }
                })
            })
        });
    }
    group.finish();
}

/// The FMA-only loops, by instruction set.
mod fma {
    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::*;

    pub const ACCUMULATORS: usize = 12;

    /// The widest instruction set with FMA, and its f32 lanes.
    pub fn widest() -> Option<(&'static str, usize)> {
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("fma") {
                return Some(("avx512", 16));
            }
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                return Some(("avx2", 8));
            }
        }
        None
    }

    /// `steps` rounds of 12 independent FMAs; returns a lane so nothing is optimised away.
    pub fn run(isa: &str, f64: bool, steps: usize) -> f64 {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `widest`, which checked the CPU has its features.
        unsafe {
            match (isa, f64) {
                ("avx512", false) => return avx512_f32(steps) as f64,
                ("avx512", true) => return avx512_f64(steps),
                ("avx2", false) => return avx2_f32(steps) as f64,
                ("avx2", true) => return avx2_f64(steps),
                _ => {}
            }
        }
        let _ = (isa, f64, steps);
        f64::NAN
    }

    macro_rules! fma_loop {
        ($name:ident, $features:literal, $t:ty, $set1:ident, $fmadd:ident, $first:ident) => {
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = $features)]
            fn $name(steps: usize) -> $t {
                let (x, y) = ($set1(0.999_999), $set1(1e-7));
                let mut acc = [$set1(1.0); ACCUMULATORS];
                for _ in 0..steps {
                    for a in acc.iter_mut() {
                        *a = $fmadd(*a, x, y);
                    }
                }
                let sum = acc
                    .iter()
                    .fold($set1(0.0), |s, &a| $fmadd(a, $set1(1.0), s));
                $first(sum)
            }
        };
    }
    fma_loop!(
        avx512_f32,
        "avx512f,fma",
        f32,
        _mm512_set1_ps,
        _mm512_fmadd_ps,
        _mm512_cvtss_f32
    );
    fma_loop!(
        avx512_f64,
        "avx512f,fma",
        f64,
        _mm512_set1_pd,
        _mm512_fmadd_pd,
        _mm512_cvtsd_f64
    );
    fma_loop!(
        avx2_f32,
        "avx2,fma",
        f32,
        _mm256_set1_ps,
        _mm256_fmadd_ps,
        _mm256_cvtss_f32
    );
    fma_loop!(
        avx2_f64,
        "avx2,fma",
        f64,
        _mm256_set1_pd,
        _mm256_fmadd_pd,
        _mm256_cvtsd_f64
    );
}

/// The i-k-j triple loop (vectorised inner loop, no blocking, no packing).
fn naive_matmul(a: &[f32], b: &[f32], n: usize) -> Vec<f32> {
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for p in 0..n {
            let a_ip = a[i * n + p];
            for (c_ij, &b_pj) in c[i * n..(i + 1) * n].iter_mut().zip(&b[p * n..(p + 1) * n]) {
                *c_ij += a_ip * b_pj;
            }
        }
    }
    c
}

fn elementwise(c: &mut Criterion) {
    const N: usize = 1 << 20;
    let mut group = c.benchmark_group("tensor_elementwise");
    let (a32, b32) = (random::<f32>(&[N], 3), random::<f32>(&[N], 4));
    let (a64, b64) = (random::<f64>(&[N], 3), random::<f64>(&[N], 4));
    // bytes read and written: binary 3 arrays, unary 2
    group.throughput(Throughput::Bytes((3 * N * 4) as u64));
    group.bench_function("add_f32", |b| b.iter(|| black_box(&a32 + &b32)));
    group.bench_function("mul_f32", |b| b.iter(|| black_box(&a32 * &b32)));
    group.throughput(Throughput::Bytes((3 * N * 8) as u64));
    group.bench_function("add_f64", |b| b.iter(|| black_box(&a64 + &b64)));
    group.throughput(Throughput::Bytes((2 * N * 4) as u64));
    group.bench_function("exp_f32", |b| b.iter(|| black_box(a32.clone().exp())));
    group.bench_function("tanh_f32", |b| b.iter(|| black_box(a32.clone().tanh())));
    group.bench_function("sigmoid_f32", |b| {
        b.iter(|| black_box(a32.clone().sigmoid()))
    });
    group.bench_function("relu_f32", |b| b.iter(|| black_box(a32.clone().relu())));
    group.throughput(Throughput::Bytes((2 * N * 8) as u64));
    group.bench_function("exp_f64", |b| b.iter(|| black_box(a64.clone().exp())));
    // A Dense layer's bias add: [1024, 1024] + [1024] broadcast over rows (reads ~2 arrays).
    let row = random::<f32>(&[1024], 5);
    let matrix = a32.try_reshape([1024, 1024]).unwrap();
    group.throughput(Throughput::Bytes((2 * N * 4) as u64));
    group.bench_function("broadcast_add_f32", |b| {
        b.iter(|| black_box(&matrix + &row))
    });
    // The same add recorded on a tape (what a network's forward pass does).
    group.throughput(Throughput::Bytes((3 * N * 4) as u64));
    group.bench_function("recorded_add_f32", |b| {
        let mut tape = Tape::new();
        b.iter(|| {
            tape.clear();
            let (x, y) = (tape.tensor(a32.clone()), tape.tensor(b32.clone()));
            black_box((x + y).value());
        })
    });
    group.finish();
}

fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("tensor_overhead");
    let x0 = random::<f32>(&[2, 2], 5);
    let mut tape = Tape::new();
    let mut grads = Gradients::new();
    // three recorded ops (mul, add, sum) forward and backward on a 2 × 2 tensor
    group.throughput(Throughput::Elements(3));
    group.bench_function("tiny_record_backward", |b| {
        b.iter(|| {
            tape.clear();
            let x = tape.tensor(x0.clone());
            let y = (x * x + x).sum();
            y.try_backward_into(&mut grads).unwrap();
            black_box(grads.wrt(x));
        })
    });
    group.finish();
}

criterion_group!(benches, fma_peak, matmul, matmul_mlp, elementwise, overhead);
criterion_main!(benches);
