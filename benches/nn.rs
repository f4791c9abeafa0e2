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

/// One step: record the parameters, forward, mean cross-entropy, backward, SGD (in place).
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
    let value = loss.value().item().expect("a mean").to_f64();
    // as `nn::train::Trainer` does: clear the tape before the step, so that it updates the
    // weights in place (a tape holding them would have it write new buffers)
    tape.clear();
    sgd.step(params, &grads);
    value
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

/// micrograd's demo with tensors: the network 2-16-16-1 (ReLU) on 100 two-moons points.
struct MicrogradDemo {
    x: Tensor<f64>,
    y: Tensor<f64>,
    model: Mlp,
    params: Parameters<f64>,
    sgd: Sgd<f64>,
    tape: Tape,
}

impl MicrogradDemo {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let data = two_moons(100, 0.1, &mut rng);
        let points = data.points.iter().flatten().copied().collect();
        let mut params = Parameters::new();
        let model = Mlp::new(
            &mut params,
            "mlp",
            &[2, 16, 16, 1],
            Activation::Relu,
            &mut rng,
        );
        MicrogradDemo {
            x: Tensor::from_vec(points, [100, 2]).expect("100 points"),
            y: Tensor::from_vec(data.labels, [100, 1]).expect("100 labels"),
            model,
            params,
            sgd: Sgd::new(0.1),
            tape: Tape::new(),
        }
    }

    /// One step: micrograd's loss (mean hinge + 1e-4 Σ p², l2's λ/2 convention), SGD.
    fn step(&mut self) -> f64 {
        self.tape.clear();
        let p = self.params.record(&self.tape);
        let scores = self
            .model
            .forward(&p, self.tape.constant_tensor(self.x.clone()));
        let hinge = losses::max_margin(scores, self.tape.constant_tensor(self.y.clone())).mean();
        let loss = hinge + regularizers::l2(p.all(), 2e-4);
        let grads = p.gradients(&loss.backward());
        self.sgd.step(&mut self.params, &grads);
        loss.value().item().expect("a mean")
    }
}

fn micrograd_tensor(c: &mut Criterion) {
    let mut demo = MicrogradDemo::new(1337);
    let mut group = c.benchmark_group("nn_micrograd_tensor_step");
    group.bench_function("f64", |b| b.iter(|| black_box(demo.step())));
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
    let mut demo = MicrogradDemo::new(3);
    let mut line = String::from("memory over 10,000 steps (resident KiB):");
    for step in 0..=10_000 {
        black_box(demo.step());
        if step % 1000 == 0 {
            line += &format!(" {}", resident_kib());
        }
    }
    eprintln!(
        "{line}; tape {} nodes, {} bytes per step",
        demo.tape.len(),
        demo.tape.memory_bytes()
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
