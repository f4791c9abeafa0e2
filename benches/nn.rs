//! nn benchmarks: one training step of an MLP 784-512-512-10 (forward, cross-entropy,
//! backward, SGD) at several batch sizes, and micrograd's demo network written with tensors.
//!
//! Run: `cargo bench --bench nn`. The PyTorch peer is `benches/peers/mlp_step.py`;
//! `benches/peers/compare_nn.sh` runs both in one go.

use std::hint::black_box;

use autograd::{Float, Tape, Tensor};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use nn::data::two_moons;
use nn::optim::{Optimizer, Sgd};
use nn::{Activation, Mlp, Module, Parameters, losses, regularizers};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One step: record the parameters, forward, mean cross-entropy, backward, SGD.
fn mlp_step<F: Float>(
    model: &Mlp,
    params: &mut Parameters<F>,
    sgd: &mut Sgd<F>,
    tape: &mut Tape,
    x: &Tensor<F>,
    classes: &[usize],
) -> f64 {
    tape.clear();
    let p = params.record(tape);
    let logits = model.forward(&p, tape.constant_tensor(x.clone()));
    let loss = losses::empirical_risk(losses::cross_entropy(logits, classes));
    let grads = p.gradients(&loss.backward());
    sgd.step(params.tensors_mut(), &grads);
    loss.value().item().expect("a mean").to_f64()
}

fn mlp<F: Float>(c: &mut Criterion, dtype: &str) {
    let mut group = c.benchmark_group("nn_mlp_step");
    group.sample_size(10);
    for batch in [32usize, 128, 1024] {
        let mut rng = StdRng::seed_from_u64(7);
        let mut params = Parameters::<F>::new();
        let model = Mlp::new(
            &mut params,
            "mlp",
            &[784, 512, 512, 10],
            Activation::Relu,
            &mut rng,
        );
        let x = Tensor::<F>::rand_uniform([batch, 784], F::ZERO, F::ONE, &mut rng);
        let classes: Vec<usize> = (0..batch).map(|_| rng.random_range(0..10)).collect();
        let mut sgd = Sgd::new(0.01);
        let mut tape = Tape::new();
        group.bench_with_input(BenchmarkId::new(dtype, batch), &batch, |b, _| {
            b.iter(|| {
                black_box(mlp_step(
                    &model,
                    &mut params,
                    &mut sgd,
                    &mut tape,
                    &x,
                    &classes,
                ))
            })
        });
    }
    group.finish();
}

fn micrograd_tensor(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1337);
    let data = two_moons(100, 0.1, &mut rng);
    let x = Tensor::<f64>::from_vec(data.points.iter().flatten().copied().collect(), [100, 2])
        .expect("100 points");
    let y = Tensor::<f64>::from_vec(data.labels.clone(), [100, 1]).expect("100 labels");
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(
        &mut params,
        "mlp",
        &[2, 16, 16, 1],
        Activation::Relu,
        &mut rng,
    );
    let mut sgd = Sgd::new(0.1);
    let mut tape = Tape::new();
    let mut group = c.benchmark_group("nn_micrograd_tensor_step");
    group.bench_function("f64", |b| {
        b.iter(|| {
            tape.clear();
            let p = params.record(&tape);
            let scores = model.forward(&p, tape.constant_tensor(x.clone()));
            // micrograd's loss: mean hinge + 1e-4 Σ p² (l2's λ/2 convention)
            let loss = losses::max_margin(scores, tape.constant_tensor(y.clone())).mean()
                + regularizers::l2(p.all(), 2e-4);
            let grads = p.gradients(&loss.backward());
            sgd.step(params.tensors_mut(), &grads);
            black_box(loss.value())
        })
    });
    group.finish();
}

/// Resident memory in KiB (Linux), or 0 where /proc is not there.
fn resident_kib() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4)
}

/// 10,000 training steps of the micrograd network on one cleared tape: resident memory must
/// stay flat. Prints it every 1,000 steps, and the tape's own bytes.
fn memory_over_10k_steps() {
    let mut rng = StdRng::seed_from_u64(3);
    let data = two_moons(100, 0.1, &mut rng);
    let x = Tensor::<f64>::from_vec(data.points.iter().flatten().copied().collect(), [100, 2])
        .expect("100 points");
    let y = Tensor::<f64>::from_vec(data.labels.clone(), [100, 1]).expect("100 labels");
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(
        &mut params,
        "mlp",
        &[2, 16, 16, 1],
        Activation::Relu,
        &mut rng,
    );
    let mut sgd = Sgd::new(0.05);
    let mut tape = Tape::new();
    let mut line = String::from("memory over 10,000 steps (resident KiB):");
    for step in 0..=10_000 {
        tape.clear();
        let p = params.record(&tape);
        let scores = model.forward(&p, tape.constant_tensor(x.clone()));
        let loss = losses::max_margin(scores, tape.constant_tensor(y.clone())).mean();
        let grads = p.gradients(&loss.backward());
        sgd.step(params.tensors_mut(), &grads);
        if step % 1000 == 0 {
            line += &format!(" {}", resident_kib());
        }
    }
    eprintln!(
        "{line}; tape {} nodes, {} bytes per step",
        tape.len(),
        tape.memory_bytes()
    );
}

fn benches(c: &mut Criterion) {
    memory_over_10k_steps();
    mlp::<f32>(c, "f32");
    mlp::<f64>(c, "f64");
    micrograd_tensor(c);
}

criterion_group!(nn_benches, benches);
criterion_main!(nn_benches);
