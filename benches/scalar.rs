//! Scalar engine benchmarks: nanoseconds per node to record and to replay backward, and one
//! training step of micrograd's demo (an MLP 2-16-16-1 on 100 two-moons points).
//!
//! Run: `cargo bench --bench scalar`. The peers (micrograd, PyTorch) run the same step in
//! `benches/peers/scalar_step.py`; `benches/peers/compare_scalar.sh` runs both in one go.

use std::hint::black_box;

use autograd::{Gradients, Tape, Var};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nn::data::{Moons, two_moons};
use nn::{Activation, ScalarMlp, losses, regularizers};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Nodes in the random expression graph.
const GRAPH_NODES: usize = 1_000_000;

/// Records a random expression graph of `n` nodes: each node is a random op on one or two
/// earlier nodes (mostly recent ones, sometimes far back), starting from 16 variables.
fn record_random_graph<'t>(tape: &'t Tape, choices: &[(u8, usize, usize)]) -> Var<'t> {
    let mut nodes: Vec<Var<'t>> = (0..16).map(|i| tape.var(0.1 * i as f64 - 0.8)).collect();
    for &(op, a, b) in choices {
        let n = nodes.len();
        let (a, b) = (nodes[n - 1 - a % n], nodes[n - 1 - b % n]);
        let next = match op {
            0 => a + b,
            1 => a - b,
            2 => a * b,
            3 => a.tanh(),
            4 => a.sigmoid(),
            5 => a.sin(),
            6 => a.relu(),
            7 => a.affine(0.5, 0.1),
            _ => a.max(b),
        };
        nodes.push(next);
    }
    *nodes.last().expect("non-empty")
}

fn random_choices(n: usize) -> Vec<(u8, usize, usize)> {
    let mut rng = StdRng::seed_from_u64(42);
    (0..n)
        .map(|_| {
            let far = rng.random_bool(0.1);
            let reach = if far { 100_000 } else { 16 };
            (
                rng.random_range(0..9),
                rng.random_range(0..reach),
                rng.random_range(0..reach),
            )
        })
        .collect()
}

fn random_graph(c: &mut Criterion) {
    let choices = random_choices(GRAPH_NODES - 16);
    let mut group = c.benchmark_group("scalar_engine");
    group.throughput(Throughput::Elements(GRAPH_NODES as u64));
    group.sample_size(20);

    let mut tape = Tape::with_capacity(GRAPH_NODES);
    group.bench_function("record_random_graph_1M", |b| {
        b.iter(|| {
            tape.clear();
            black_box(record_random_graph(&tape, &choices).value());
        })
    });

    let tape = Tape::with_capacity(GRAPH_NODES);
    let root = record_random_graph(&tape, &choices);
    assert_eq!(tape.len(), GRAPH_NODES);
    let mut grads = Gradients::new();
    group.bench_function("backward_random_graph_1M", |b| {
        b.iter(|| {
            root.backward_into(&mut grads);
            black_box(&grads);
        })
    });
    group.finish();
}

/// micrograd's demo loss: mean hinge loss over the data plus `1e-4 · Σ p²`.
fn demo_loss<'t>(model: &ScalarMlp, params: &[Var<'t>], data: &Moons) -> Var<'t> {
    let tape = params[0].tape();
    let scores: Vec<Var<'t>> = data
        .points
        .iter()
        .map(|p| model.forward(params, &tape.vars(p))[0])
        .collect();
    losses::mean_hinge(&scores, &data.labels) + 1e-4 * regularizers::sum_of_squares(params)
}

/// One training step: record the loss, backward, SGD update.
fn train_step(
    model: &mut ScalarMlp,
    data: &Moons,
    tape: &mut Tape,
    grads: &mut Gradients,
    learning_rate: f64,
) -> f64 {
    tape.clear();
    let params = model.param_vars(tape);
    let loss = demo_loss(model, &params, data);
    loss.backward_into(grads);
    for (p, &var) in model.parameters_mut().iter_mut().zip(&params) {
        *p -= learning_rate * grads.wrt(var);
    }
    loss.value()
}

fn micrograd_step(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1337);
    let data = two_moons(100, 0.1, &mut rng);
    let mut model = ScalarMlp::new(2, &[16, 16, 1], Activation::Relu, &mut rng);
    let mut tape = Tape::new();
    let mut grads = Gradients::new();
    train_step(&mut model, &data, &mut tape, &mut grads, 0.0);
    eprintln!(
        "micrograd_mlp_step: {} nodes per step, tape {} KiB",
        tape.len(),
        tape.memory_bytes() / 1024
    );

    let mut group = c.benchmark_group("scalar_engine");
    group.bench_function("micrograd_mlp_step", |b| {
        let mut k = 0;
        b.iter(|| {
            // micrograd's schedule, restarted every 100 steps so the run stays in the same regime
            let learning_rate = 1.0 - 0.9 * (k % 100) as f64 / 100.0;
            k += 1;
            black_box(train_step(
                &mut model,
                &data,
                &mut tape,
                &mut grads,
                learning_rate,
            ))
        })
    });
    group.bench_function("micrograd_mlp_forward_only", |b| {
        b.iter(|| {
            tape.clear();
            let params = model.param_vars(&tape);
            black_box(demo_loss(&model, &params, &data).value())
        })
    });
    group.finish();
}

criterion_group!(benches, micrograd_step, random_graph);
criterion_main!(benches);
