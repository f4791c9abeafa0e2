//! Tensor engine benchmarks: matmul GFLOP/s, elementwise GB/s, and the per-op overhead of
//! recording and replaying tiny tensor ops.
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
    // The reason for the one `unsafe` in autograd: the plain loop it replaced.
    let n = 256;
    group.throughput(Throughput::Elements(2 * (n * n * n) as u64));
    let (a, b) = (random::<f32>(&[n, n], 1), random::<f32>(&[n, n], 2));
    group.bench_with_input(BenchmarkId::new("naive_loop_f32", n), &n, |bench, _| {
        bench.iter(|| black_box(naive_matmul(a.as_slice(), b.as_slice(), n)))
    });
    group.finish();
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

criterion_group!(benches, matmul, elementwise, overhead);
criterion_main!(benches);
