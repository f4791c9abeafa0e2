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

/// The convolutions of LeNet (on a batch of 64 MNIST images) and of a ResNet block (8 images
/// of 64 × 56 × 56), forward and backward (input, weight and bias gradients), f32; and one
/// training step (Adam) of example 15's conv net on a batch of 32 digits. The peer is
/// `benches/peers/conv_step.py`.
fn conv(c: &mut Criterion) {
    use autograd::ConvOptions;
    let mut group = c.benchmark_group("nn_conv");
    group.sample_size(10);
    let cases: [(&str, [usize; 4], [usize; 4], usize); 3] = [
        ("lenet_conv1", [64, 1, 28, 28], [6, 1, 5, 5], 0),
        ("lenet_conv2", [64, 6, 12, 12], [16, 6, 5, 5], 0),
        ("resnet_3x3", [8, 64, 56, 56], [64, 64, 3, 3], 1),
    ];
    let mut rng = StdRng::seed_from_u64(3);
    for (name, x_dims, w_dims, pad) in cases {
        let x = Tensor::<f32>::rand_uniform(x_dims, -1.0, 1.0, &mut rng);
        let w = Tensor::<f32>::rand_uniform(w_dims, -0.1, 0.1, &mut rng);
        let b = Tensor::<f32>::zeros([w_dims[0]]);
        let mut tape = Tape::new();
        group.bench_function(name, |bench| {
            bench.iter(|| {
                tape.clear();
                let (xv, wv, bv) = (
                    tape.tensor(x.clone()),
                    tape.tensor(w.clone()),
                    tape.tensor(b.clone()),
                );
                let y = xv.conv2d(wv, Some(bv), ConvOptions::default().padding([pad, pad]));
                let grads = y.sum().backward();
                black_box((grads.wrt(xv), grads.wrt(wv), grads.wrt(bv)));
            })
        });
    }
    // example 15's network, one Adam step on 32 digits
    let mut params = Parameters::<f32>::new();
    let same = ConvOptions::default().padding([1, 1]);
    let model = nn::Sequential::new()
        .then(nn::Conv2d::new(
            &mut params,
            "conv1",
            1,
            32,
            [3, 3],
            same,
            &mut rng,
        ))
        .then(Activation::Relu)
        .then(nn::MaxPool2d::new([2, 2]))
        .then(nn::Conv2d::new(
            &mut params,
            "conv2",
            32,
            64,
            [3, 3],
            same,
            &mut rng,
        ))
        .then(Activation::Relu)
        .then(nn::MaxPool2d::new([2, 2]))
        .then(nn::Flatten)
        .then(nn::Dense::new(&mut params, "fc", 256, 10, &mut rng));
    let x = Tensor::<f32>::rand_uniform([32, 1, 8, 8], 0.0, 1.0, &mut rng);
    let classes: Vec<usize> = (0..32).map(|_| rng.random_range(0..10)).collect();
    let mut adam = nn::optim::Adam::new(3e-3);
    let mut tape = Tape::new();
    group.bench_function("digits_convnet_step_b32", |bench| {
        bench.iter(|| {
            tape.clear();
            let p = params.record(&tape);
            let logits = model.forward(&p, tape.constant_tensor(x.clone()));
            let loss = losses::empirical_risk(losses::cross_entropy(logits, &classes));
            let grads = p.gradients(&loss.backward());
            tape.clear();
            adam.step(&mut params, &grads);
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    memory_over_10k_steps();
    conv(c);
    mlp::<f32>(c, "f32");
    mlp::<f64>(c, "f64");
    micrograd_tensor(c);
}

criterion_group!(nn_benches, benches);
criterion_main!(nn_benches);
