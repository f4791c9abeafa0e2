//! # 12 · The same network two ways: scalars and tensors
//!
//! The lecture writes a layer neuron by neuron, `z_j^(k) = b_j^(k) + Σ_i w_ij^(k) y_i^(k−1)`,
//! and backpropagation weight by weight, `∂Div/∂w_ij^(k) = y_i^(k−1) ∂Div/∂z_j^(k)`. For all
//! neurons and all N samples at once the same sums are matrix products:
//! `Z^(k) = Y^(k−1) W^(k)ᵀ + b^(k)` and `∂Loss/∂W^(k) = (∂Loss/∂Z^(k))ᵀ Y^(k−1)`. This example
//! records one network both ways on the same engine: neuron by neuron on scalar variables
//! (`nn::ScalarMlp`, micrograd's way: a node per multiply) and batched on tensor variables
//! (`nn::Mlp`, a node per layer operation), with the same weights. It checks that both give
//! the same loss and the same gradient for every parameter, counts the nodes each records,
//! and times a forward + backward step of each for networks from micrograd's 2-16-16-1 on
//! 100 points to 64-64-64-10 on 256.
//!
//! Run: `cargo run --release --example 12_scalar_vs_tensor` (add `-- --quick` for the CI
//! mode: fewer timing repetitions; the speed-up is claimed in full mode only). The chapter:
//! `docs/course/12-scalar-vs-tensor.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use autograd::{Gradients, Tape, Tensor, TensorVar, Var};
use nn::data::two_moons;
use nn::{Activation, Bound, Mlp, Module, Parameters, ScalarMlp, losses, regularizers};
use notebook::{Chart, Figure, Notebook};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// `γ(w) = 10⁻⁴ Σ w²`, as in micrograd's demo.
const L2: f64 = 1e-4;

/// A network (widths from the input to the output) and a batch of samples for it, each
/// drawn from its own seed (so adding a problem changes no other).
struct Problem {
    widths: Vec<usize>,
    /// `[N, in]`, row-major.
    x: Vec<f64>,
    /// `[N, out]`: `d = ±1` per output (the right class +1, the others −1).
    d: Vec<f64>,
    samples: usize,
    /// The random stream after the data, to draw the weights from.
    rng: StdRng,
}

impl Problem {
    /// micrograd's demo: two moons, 100 points, one output; from seed 1337, the same data and
    /// initial weights as example 11's.
    fn moons() -> Problem {
        let mut rng = StdRng::seed_from_u64(1337);
        let data = two_moons(100, 0.1, &mut rng);
        Problem {
            widths: vec![2, 16, 16, 1],
            x: data.points.iter().flatten().copied().collect(),
            d: data.labels.clone(),
            samples: data.len(),
            rng,
        }
    }

    /// Gaussian inputs, each sample of a random class out of the last width.
    fn random(widths: &[usize], samples: usize, seed: u64) -> Problem {
        let mut rng = StdRng::seed_from_u64(seed);
        let (inputs, classes) = (widths[0], *widths.last().expect("a width"));
        let x = Tensor::<f64>::rand_normal([samples, inputs], 0.0, 1.0, &mut rng).to_vec();
        let mut d = vec![-1.0; samples * classes];
        for n in 0..samples {
            d[n * classes + rng.random_range(0..classes)] = 1.0;
        }
        Problem {
            widths: widths.to_vec(),
            x,
            d,
            samples,
            rng,
        }
    }

    fn inputs(&self) -> usize {
        self.widths[0]
    }

    fn outputs(&self) -> usize {
        *self.widths.last().expect("a width")
    }

    /// "2-16-16-1 × 100"
    fn name(&self) -> String {
        let widths: Vec<String> = self.widths.iter().map(|w| w.to_string()).collect();
        format!("{} × {}", widths.join("-"), self.samples)
    }

    /// Multiplications in one forward pass: every weight, once per sample.
    fn multiplies(&self) -> usize {
        let weights: usize = self.widths.windows(2).map(|w| w[0] * w[1]).sum();
        weights * self.samples
    }
}

/// `Loss = (1/N) Σ_n Σ_k max(0, 1 − d_nk y_nk) + 10⁻⁴ Σ w²`, neuron by neuron.
fn scalar_loss<'t>(model: &ScalarMlp, params: &[Var<'t>], problem: &Problem) -> Var<'t> {
    let tape = params[0].tape();
    let (inputs, outputs) = (problem.inputs(), problem.outputs());
    let mut terms = Vec::with_capacity(problem.d.len());
    for n in 0..problem.samples {
        let x = tape.constants(&problem.x[n * inputs..(n + 1) * inputs]);
        let y = model.forward(params, &x);
        let d = &problem.d[n * outputs..(n + 1) * outputs];
        terms.extend(y.iter().zip(d).map(|(&y, &d)| losses::hinge(y, d)));
    }
    let total = terms[1..].iter().fold(terms[0], |sum, &term| sum + term);
    total * (1.0 / problem.samples as f64) + L2 * regularizers::sum_of_squares(params)
}

/// The same loss on the whole batch at once: `Y = MLP(X)`, `max(0, 1 − D ⊙ Y)` summed, over N,
/// plus `l2` (which is `λ/2 Σ‖W‖²`, so λ = 2·10⁻⁴).
fn tensor_loss<'t>(
    model: &Mlp,
    params: &Bound<'t, f64>,
    x: TensorVar<'t, f64>,
    d: TensorVar<'t, f64>,
    samples: usize,
) -> TensorVar<'t, f64> {
    let y = model.forward(params, x);
    losses::max_margin(y, d).sum() * (1.0 / samples as f64)
        + regularizers::l2(params.all(), 2.0 * L2)
}

/// Both networks with the same weights: the scalar one drawn as micrograd does, its weights
/// copied into the tensor one (row j of `W^(k)` is neuron j's weights, `b^(k)_j` its bias).
fn twin_networks(problem: &Problem) -> (ScalarMlp, Mlp, Parameters<f64>) {
    let rng = &mut problem.rng.clone();
    let scalar = ScalarMlp::new(
        problem.inputs(),
        &problem.widths[1..],
        Activation::Relu,
        rng,
    );
    let mut params = Parameters::<f64>::new();
    let tensor = Mlp::new(&mut params, "mlp", &problem.widths, Activation::Relu, rng);
    let flat = scalar.parameters();
    let mut offset = 0;
    for (k, pair) in problem.widths.windows(2).enumerate() {
        let (fan_in, width) = (pair[0], pair[1]);
        let (mut w, mut b) = (Vec::new(), Vec::new());
        for _ in 0..width {
            w.extend_from_slice(&flat[offset..offset + fan_in]);
            b.push(flat[offset + fan_in]);
            offset += fan_in + 1;
        }
        let tensors = params.tensors_mut();
        tensors[2 * k] = Tensor::from_vec(w, [width, fan_in]).expect("weight shape");
        tensors[2 * k + 1] = Tensor::from_vec(b, [width]).expect("bias shape");
    }
    (scalar, tensor, params)
}

/// The tensor gradients laid out in the scalar network's order: per layer, per neuron, its
/// weights then its bias.
fn in_scalar_order(grads: &[Tensor<f64>]) -> Vec<f64> {
    let mut flat = Vec::new();
    for pair in grads.chunks(2) {
        let (gw, gb) = (&pair[0], &pair[1]);
        let fan_in = gw.dims()[1];
        for j in 0..gw.dims()[0] {
            flat.extend_from_slice(&gw.as_slice()[j * fan_in..(j + 1) * fan_in]);
            flat.push(gb.as_slice()[j]);
        }
    }
    flat
}

/// `|a − b| / max(|a|, |b|)`, 0 when both are 0.
fn relative(a: f64, b: f64) -> f64 {
    relative_above(a, b, 0.0)
}

/// `|a − b| / max(|a|, |b|, floor)`, 0 when all are 0: the relative error, measured against
/// `floor` for numbers smaller than that (a gradient that is 0 in exact arithmetic comes out
/// as ±1e-17 of rounding from either graph, and its relative error means nothing).
fn relative_above(a: f64, b: f64, floor: f64) -> f64 {
    let scale = a.abs().max(b.abs()).max(floor);
    if scale == 0.0 {
        0.0
    } else {
        (a - b).abs() / scale
    }
}

/// Gradients smaller than this fraction of the network's largest are compared against it.
const FLOOR: f64 = 1e-4;

/// One network measured both ways.
struct Comparison {
    name: String,
    multiplies: usize,
    loss: (f64, f64),
    worst_gradient: f64,
    parameters: usize,
    nodes: (usize, usize),
    /// Bytes the tape holds after the step (`Tape::memory_bytes`).
    memory: (usize, usize),
    time: (Duration, Duration),
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times `step` `reps` times after one warm-up run (which fills the tape's and the gradient
/// store's buffers), and returns the median.
fn median_time(reps: usize, mut step: impl FnMut()) -> Duration {
    step();
    let times = (0..reps)
        .map(|_| {
            let start = Instant::now();
            step();
            start.elapsed()
        })
        .collect();
    median(times)
}

fn compare(problem: &Problem, reps: (usize, usize)) -> Comparison {
    let (scalar, tensor, params) = twin_networks(problem);
    let x = Tensor::from_vec(problem.x.clone(), [problem.samples, problem.inputs()])
        .expect("input shape");
    let d = Tensor::from_vec(problem.d.clone(), [problem.samples, problem.outputs()])
        .expect("target shape");

    // Neuron by neuron.
    let mut tape = Tape::new();
    let mut grads = Gradients::new();
    let vars = scalar.param_vars(&tape);
    let loss = scalar_loss(&scalar, &vars, problem);
    loss.backward_into(&mut grads);
    let (scalar_loss_value, scalar_grads) = (loss.value(), grads.wrt_all(&vars));
    let scalar_nodes = tape.len();
    let scalar_memory = tape.memory_bytes();
    let scalar_time = median_time(reps.0, || {
        tape.clear();
        let vars = scalar.param_vars(&tape);
        scalar_loss(&scalar, &vars, problem).backward_into(&mut grads);
        black_box(grads.wrt(vars[0]));
    });

    // The whole batch at once.
    let mut tape = Tape::new();
    let bound = params.record(&tape);
    let loss = tensor_loss(
        &tensor,
        &bound,
        tape.constant_tensor(x.clone()),
        tape.constant_tensor(d.clone()),
        problem.samples,
    );
    loss.try_backward_into(&mut grads)
        .expect("the loss is one number");
    let tensor_loss_value = loss.value().item().expect("one number");
    let tensor_grads = in_scalar_order(&bound.gradients(&grads));
    let tensor_nodes = tape.len();
    let tensor_memory = tape.memory_bytes();
    let tensor_time = median_time(reps.1, || {
        tape.clear();
        let bound = params.record(&tape);
        let loss = tensor_loss(
            &tensor,
            &bound,
            tape.constant_tensor(x.clone()),
            tape.constant_tensor(d.clone()),
            problem.samples,
        );
        loss.try_backward_into(&mut grads)
            .expect("the loss is one number");
        black_box(grads.wrt(bound.all()[0]));
    });

    assert_eq!(scalar_grads.len(), tensor_grads.len(), "one gradient each");
    let largest = scalar_grads.iter().fold(0.0, |m: f64, g| m.max(g.abs()));
    let floor = FLOOR * largest;
    let worst_gradient = scalar_grads
        .iter()
        .zip(&tensor_grads)
        .map(|(&s, &t)| relative_above(s, t, floor))
        .fold(0.0, f64::max);
    Comparison {
        name: problem.name(),
        multiplies: problem.multiplies(),
        loss: (scalar_loss_value, tensor_loss_value),
        worst_gradient,
        parameters: scalar.num_parameters(),
        nodes: (scalar_nodes, tensor_nodes),
        memory: (scalar_memory, tensor_memory),
        time: (scalar_time, tensor_time),
    }
}

fn ms(t: Duration) -> f64 {
    t.as_secs_f64() * 1e3
}

/// Time per step and nodes per step against the work, both on log scales.
fn speed_figure(results: &[Comparison]) -> Figure {
    let log_work: Vec<f64> = results
        .iter()
        .map(|r| (r.multiplies as f64).log10())
        .collect();
    let series = |f: &dyn Fn(&Comparison) -> f64| -> Vec<(f64, f64)> {
        log_work
            .iter()
            .zip(results)
            .map(|(&x, r)| (x, f(r).log10()))
            .collect()
    };
    let x_range = log_work[0] - 0.3..log_work[log_work.len() - 1] + 0.3;
    let scalar_time = series(&|r| ms(r.time.0));
    let tensor_time = series(&|r| ms(r.time.1));
    let scalar_nodes = series(&|r| r.nodes.0 as f64);
    let tensor_nodes = series(&|r| r.nodes.1 as f64);
    let range = |a: &[(f64, f64)], b: &[(f64, f64)]| {
        let ys = a.iter().chain(b).map(|p| p.1);
        let (lo, hi) = ys.fold((f64::MAX, f64::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
        // room above for the legend, below for the names
        lo.floor() - 0.6..hi.ceil() + 1.0
    };
    let mut time = Chart::new(
        "median time per forward + backward step",
        x_range.clone(),
        range(&scalar_time, &tensor_time),
    )
    .labels("log₁₀ multiplies per forward pass", "log₁₀ ms")
    .path("scalar graph (a node per multiply)", scalar_time.clone(), 3)
    .path("tensor graph (a node per layer op)", tensor_time.clone(), 0);
    for (r, &(x, y)) in results.iter().zip(&tensor_time) {
        time = time.text((x - 0.2, y - 0.25), &r.name);
    }
    let nodes = Chart::new(
        "nodes on the tape per step",
        x_range,
        range(&scalar_nodes, &tensor_nodes),
    )
    .labels("log₁₀ multiplies per forward pass", "log₁₀ nodes")
    .path("scalar graph", scalar_nodes, 3)
    .path("tensor graph", tensor_nodes, 0);
    Figure::new("The same network, neuron by neuron and batched", 2)
        .panel_size(560, 420)
        .panel(time)
        .panel(nodes)
}

fn main() {
    let nb = Notebook::start("12_scalar_vs_tensor", "12 · The same network two ways");
    let problems = [
        Problem::moons(),
        Problem::random(&[8, 32, 32, 4], 128, 1),
        Problem::random(&[32, 48, 48, 8], 192, 2),
        Problem::random(&[64, 64, 64, 10], 256, 3),
    ];
    // Repetitions to time (scalar, tensor): a scalar step of the largest network takes
    // tens of milliseconds, a tensor step well under one.
    let reps = nb.choose((3, 30), (15, 300));

    nb.section("Two recordings of one network");
    nb.say(
        "Scalar: for each sample and each neuron, z_j^(k) = b_j^(k) + Σ_i w_ij^(k) y_i^(k−1), one \
         multiply and one add per weight, each a node.\nTensor: for the whole batch, \
         Z^(k) = Y^(k−1) W^(k)ᵀ + b^(k), one matmul, one add, one ReLU per layer.\n\
         Loss = (1/N) Σ_n Σ_k max(0, 1 − d_nk y_nk) + 10⁻⁴ Σ w² (micrograd's loss; one output \
         per class with d = ±1 when there are several).\nThe tensor network's weights are \
         copied from the scalar one's, so both compute the same function.",
    );
    let bar = nb.progress(problems.len() as u64, "networks");
    let mut results: Vec<Comparison> = problems
        .iter()
        .map(|problem| {
            let result = compare(problem, reps);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    let moons_loss = results[0].loss.0;
    // Smallest to largest: the tables, the chart and "the largest network" read this order.
    results.sort_by_key(|r| r.multiplies);

    nb.section("The same loss, the same gradients");
    println!(
        "  {:<20} {:>7} {:>20} {:>20} {:>9}",
        "network × N", "params", "loss (scalar)", "loss (tensor)", "worst ∂"
    );
    for r in &results {
        println!(
            "  {:<20} {:>7} {:>20.15} {:>20.15} {:>9.1e}",
            r.name, r.parameters, r.loss.0, r.loss.1, r.worst_gradient
        );
    }
    nb.say(format!(
        "(worst ∂: the largest relative error |∂_scalar − ∂_tensor| / max(|∂_scalar|, \
         |∂_tensor|) over every parameter; the two graphs add the same products in different \
         orders, so only the last bits differ. A gradient under {FLOOR:.0e} of the network's \
         largest is measured against that instead: one that is 0 in exact arithmetic comes out \
         as ±1e-17 of rounding, of either sign, and its relative error would mean nothing.)"
    ));
    nb.say(format!(
        "micrograd's network here is example 11's at step 0 (seed 1337: the same points, the \
         same weights), so its loss, {moons_loss:.4}, is the one example 11 prints at step 0."
    ));
    nb.claim(
        results.iter().all(|r| relative(r.loss.0, r.loss.1) < 1e-12),
        "for every network the two losses agree to 1e-12 relative",
    );
    let worst = results.iter().map(|r| r.worst_gradient).fold(0.0, f64::max);
    nb.claim(
        worst < 1e-10,
        format!(
            "every parameter's gradient agrees to 1e-10 relative in every network (worst \
             {worst:.1e})"
        ),
    );

    nb.section("Nodes on the tape");
    println!(
        "  {:<20} {:>11} {:>12} {:>12} {:>8} {:>11} {:>11}",
        "network × N",
        "multiplies",
        "scalar nodes",
        "tensor nodes",
        "ratio",
        "scalar tape",
        "tensor tape"
    );
    for r in &results {
        println!(
            "  {:<20} {:>11} {:>12} {:>12} {:>7.0}× {:>8.1} MB {:>8.2} MB",
            r.name,
            r.multiplies,
            r.nodes.0,
            r.nodes.1,
            r.nodes.0 as f64 / r.nodes.1 as f64,
            r.memory.0 as f64 / 1e6,
            r.memory.1 as f64 / 1e6
        );
    }
    nb.say(
        "(tape: the bytes the tape holds after the step, Tape::memory_bytes: its node storage, \
         with room to grow, and the tensors' elements.)",
    );
    nb.claim(
        results.iter().all(|r| r.nodes.0 >= 2 * r.multiplies),
        "the scalar graph records at least two nodes (a multiply, an add) per weight per sample",
    );
    let tensor_nodes = results[0].nodes.1;
    nb.claim(
        results.iter().all(|r| r.nodes.1 == tensor_nodes),
        format!(
            "the tensor graph records the same {tensor_nodes} nodes whatever the widths and N: a \
             few per layer, for the loss and the regulariser"
        ),
    );
    let fewest = results
        .iter()
        .map(|r| r.nodes.0 / r.nodes.1)
        .min()
        .expect("networks");
    nb.claim(
        fewest >= 1000,
        format!("the tensor graph has at least 1000× fewer nodes in every network ({fewest}×)"),
    );

    nb.section("Time per step");
    nb.say(format!(
        "Median over {} scalar and {} tensor forward + backward steps on the same batch (after \
         a warm-up step):",
        reps.0, reps.1
    ));
    println!(
        "  {:<20} {:>10} {:>13} {:>10} {:>14}",
        "network × N", "scalar ms", "ns per node", "tensor ms", "scalar/tensor"
    );
    for r in &results {
        println!(
            "  {:<20} {:>10.3} {:>13.1} {:>10.4} {:>13.1}×",
            r.name,
            ms(r.time.0),
            r.time.0.as_secs_f64() * 1e9 / r.nodes.0 as f64,
            ms(r.time.1),
            r.time.0.as_secs_f64() / r.time.1.as_secs_f64()
        );
    }
    let largest = results.last().expect("networks");
    let speedup = largest.time.0.as_secs_f64() / largest.time.1.as_secs_f64();
    if nb.quick() {
        // CI runs quick mode on a shared, busy machine: timings are measured by the
        // benchmarks, never asserted there
        nb.say(format!(
            "  (the speed-up, {speedup:.0}× in this run, is claimed in full mode only)"
        ));
    } else {
        nb.claim(
            speedup > 2.0,
            format!(
                "on the largest network ({}) the tensor graph is more than 2× faster \
                 ({speedup:.0}× in this run)",
                largest.name
            ),
        );
    }
    nb.say(format!(
        "The scalar graph pays for a node (recorded, then replayed backward) per multiply and per \
         add; the tensor graph pays for its {tensor_nodes} nodes once each and does the \
         multiplies inside matrix kernels. On micrograd's small network the tensor ops' fixed \
         costs weigh most; on the larger ones the scalar graph's millions of nodes do."
    ));
    nb.save(&speed_figure(&results), "speed.svg")
        .expect("save speed.svg");

    nb.finish();
}
