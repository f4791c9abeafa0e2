//! # 05 · Universal approximation
//!
//! Three threshold units make a square pulse: two step units at `a` and `b`, and a unit that
//! fires when the first has fired and the second has not (`step(x − a) − step(x − b) > ½`).
//! Scaled by a height `h` in a summing output unit, N pulses side by side form a staircase
//! that approximates any continuous function on an interval; narrower pulses, smaller error.
//! This example builds the staircase for `f(x) = sin 2πx + x/2` on `[0, 1]` with N = 2 … 256
//! pulses, checks that the largest error falls like `L / 2N` (L the slope bound of f), then
//! trains a 1-32-1 ReLU network on the tape's gradients to fit the same function.
//!
//! Run: `cargo run --release --example 05_universal_approximation` (`-- --quick` for the CI
//! run). The chapter: `docs/course/05-universal-approximation.md`.

use std::f64::consts::{PI, TAU};

use autograd::{Tape, Tensor};
use nn::optim::{Adam, Optimizer, Schedule};
use nn::{Activation, Mlp, Module, Parameters, Perceptron, losses};
use notebook::{Chart, Figure, Notebook};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// The function to approximate on `[0, 1]`.
fn target(x: f64) -> f64 {
    (TAU * x).sin() + 0.5 * x
}

/// A bound on its slope, `|f'(x)| = |2π cos 2πx + ½| ≤ 2π + ½`: its Lipschitz constant.
const LIPSCHITZ: f64 = 2.0 * PI + 0.5;

/// A square pulse of height `h` on `(a, b]`, from three threshold units.
struct Pulse {
    /// Fires for `x > a`: `w = 1`, `b = −a`.
    rise: Perceptron,
    /// Fires for `x > b`.
    fall: Perceptron,
    /// Fires when `rise − fall > ½`: between the two edges.
    between: Perceptron,
    /// The weight of the pulse in the summing output unit.
    height: f64,
}

impl Pulse {
    fn new(a: f64, b: f64, height: f64) -> Pulse {
        Pulse {
            rise: Perceptron::with_weights(vec![1.0], -a),
            fall: Perceptron::with_weights(vec![1.0], -b),
            between: Perceptron::with_weights(vec![1.0, -1.0], -0.5),
            height,
        }
    }

    fn value(&self, x: f64) -> f64 {
        let edges = [self.rise.predict(&[x]), self.fall.predict(&[x])];
        self.height * self.between.predict(&edges)
    }
}

/// N pulses of width 1/N over `[0, 1]`, each as high as `f` at its midpoint; the output unit
/// sums them (a linear unit, weights `hᵢ`).
fn staircase(n: usize) -> Vec<Pulse> {
    (0..n)
        .map(|i| {
            let (a, b) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
            Pulse::new(a, b, target((a + b) / 2.0))
        })
        .collect()
}

fn network(pulses: &[Pulse], x: f64) -> f64 {
    pulses.iter().map(|p| p.value(x)).sum()
}

/// `count` points spread over `(0, 1]`, ending at 1 (the pulses cover `(a, b]`).
fn samples(count: usize) -> Vec<f64> {
    (1..=count).map(|j| j as f64 / count as f64).collect()
}

/// The largest `|g(x) − f(x)|` over the samples.
fn max_error(xs: &[f64], g: impl Fn(f64) -> f64) -> f64 {
    xs.iter()
        .map(|&x| (g(x) - target(x)).abs())
        .fold(0.0, f64::max)
}

fn curve(xs: &[f64], g: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    xs.iter().map(|&x| (x, g(x))).collect()
}

fn one_pulse(nb: &Notebook) {
    nb.section("A square pulse from three threshold units");
    nb.say(
        "Two step units at a and b, and a unit with weights (1, −1) and threshold ½ that fires\n\
         when the first has fired and the second has not: y = 1 exactly on (a, b].\n",
    );
    let (a, b, h) = (0.3, 0.6, 0.8);
    let pulse = Pulse::new(a, b, h);
    let xs = samples(nb.choose(1_000, 10_000));
    nb.say(format!("  a = {a}, b = {b}, height h = {h}"));
    for x in [0.1, 0.3, 0.30001, 0.45, 0.6, 0.60001, 0.9] {
        nb.say(format!("    x = {x:<7}  →  {}", pulse.value(x)));
    }
    let exact = xs
        .iter()
        .all(|&x| pulse.value(x) == if a < x && x <= b { h } else { 0.0 });
    nb.claim(
        exact,
        format!(
            "the 3-unit network outputs h on (a, b] and 0 elsewhere, at all {} sample points",
            xs.len()
        ),
    );
    let xs = samples(2_000);
    let chart = Chart::new(
        "a pulse: step(x − a) − step(x − b) > ½",
        0.0..1.0,
        -0.1..1.4,
    )
    .labels("x", "y")
    .dashed(
        "step(x − 0.3)",
        curve(&xs, |x| pulse.rise.predict(&[x]) + 0.02),
        0,
    )
    .dashed(
        "step(x − 0.6)",
        curve(&xs, |x| pulse.fall.predict(&[x]) - 0.02),
        2,
    )
    .line("0.8 · pulse", curve(&xs, |x| pulse.value(x)), 3);
    nb.save(&chart, "pulse.svg")
        .expect("the pulse figure is written");
}

/// Returns the max error of each N, for the figure.
fn staircases(nb: &Notebook) -> Vec<(usize, f64)> {
    nb.section("A sum of pulses approximates f(x) = sin 2πx + x/2");
    nb.say(
        "N pulses of width 1/N, each as high as f at its midpoint. Within a pulse f moves at\n\
         most L·(1/2N) away from its midpoint value, with L = 2π + ½ the largest slope of f, so\n\
         the largest error is at most L/2N: doubling N halves the bound.\n",
    );
    let xs = samples(nb.choose(4_000, 40_000));
    let sizes: Vec<usize> = (1..=8).map(|k| 1 << k).collect();
    nb.say(format!(
        "  {:>5} {:>7} {:>11} {:>11} {:>10}",
        "N", "units", "max error", "L/2N", "error · N"
    ));
    let mut errors = Vec::new();
    for &n in &sizes {
        let pulses = staircase(n);
        let error = max_error(&xs, |x| network(&pulses, x));
        nb.say(format!(
            "  {n:>5} {:>7} {error:>11.5} {:>11.5} {:>10.3}",
            3 * n,
            LIPSCHITZ / (2.0 * n as f64),
            error * n as f64
        ));
        errors.push((n, error));
    }
    nb.say(format!(
        "  (evaluated at {} points of (0, 1]; units: two step units and one pulse unit per pulse)\n",
        xs.len()
    ));
    nb.claim(
        errors
            .iter()
            .all(|&(n, e)| e <= LIPSCHITZ / (2.0 * n as f64)),
        "for every N the max error is at most L/2N (so also at most L/N)",
    );
    nb.claim(
        errors.windows(2).all(|w| w[1].1 < w[0].1),
        "the max error falls each time N doubles",
    );
    nb.claim(
        errors
            .windows(2)
            .filter(|w| w[0].0 >= 16)
            .all(|w| (w[0].1 / w[1].1 - 2.0).abs() < 0.05),
        "from N = 16 on, each doubling halves it (ratio 2 ± 0.05): the error falls like 1/N",
    );
    let (n, last) = errors[errors.len() - 1];
    nb.claim(
        last < 0.02,
        format!("with N = {n} pulses the max error is below 0.02"),
    );

    let dense = samples(2_000);
    let mut chart = Chart::new("f and its staircases", 0.0..1.0, -1.2..1.6)
        .labels("x", "y")
        .dashed("f(x)", curve(&dense, target), 7);
    for (color, n) in [4, 16, 64].into_iter().enumerate() {
        let pulses = staircase(n);
        chart = chart.line(
            &format!("N = {n}"),
            curve(&dense, |x| network(&pulses, x)),
            color,
        );
    }
    nb.save(&chart, "staircases.svg")
        .expect("the staircase figure is written");
    errors
}

fn error_chart(errors: &[(usize, f64)]) -> Chart {
    let log2 = |(n, e): (usize, f64)| ((n as f64).log2(), e.log2());
    let bound = errors
        .iter()
        .map(|&(n, _)| log2((n, LIPSCHITZ / (2.0 * n as f64))));
    let (x_range, y_range) = notebook::bounds(errors.iter().map(|&p| log2(p)).chain(bound.clone()));
    Chart::new("max error against N (log₂ scales)", x_range, y_range)
        .labels("log₂ N", "log₂ max error")
        .dashed("L/2N", bound, 7)
        .path("pulses", errors.iter().map(|&p| log2(p)), 0)
}

/// Moves each hidden unit's kink `x = −b/w` to a random point of `[0, 1]`, by setting
/// `b = −w c`. With zero biases every kink sits at `x = 0`, the network is linear on the
/// whole interval, and gradient descent stalls at the best straight line.
fn spread_kinks(params: &mut Parameters<f64>, model: &Mlp, rng: &mut StdRng) {
    let layer = model.layers()[0];
    let w = params.get(layer.weight()).to_vec();
    let bias: Vec<f64> = w.iter().map(|w| -w * rng.random::<f64>()).collect();
    let shape = params.get(layer.bias()).shape().clone();
    params
        .set(
            layer.bias(),
            Tensor::from_vec(bias, shape).expect("one bias per unit"),
        )
        .expect("one bias per hidden unit");
}

/// Trains the 1-H-1 ReLU network by full-batch Adam on Div = mean squared error.
fn relu_fit(nb: &Notebook, errors: Vec<(usize, f64)>) {
    nb.section("A trained ReLU network");
    let hidden = 32;
    nb.say(format!(
        "A network 1-{hidden}-1 with ReLU hidden units, y = Σⱼ w_j1^(2) relu(w_1j^(1) x + bⱼ) + b,\n\
         is piecewise linear with at most {hidden} kinks. Gradient descent places them: Div = mean\n\
         squared error over sample points, gradients from the tape, Adam steps.\n"
    ));
    let mut rng = StdRng::seed_from_u64(5);
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(
        &mut params,
        "relu",
        &[1, hidden, 1],
        Activation::Relu,
        &mut rng,
    );
    spread_kinks(&mut params, &model, &mut rng);
    let xs = samples(256);
    let inputs = Tensor::from_vec(xs.clone(), [xs.len(), 1]).expect("one input per sample");
    let desired = Tensor::from_vec(xs.iter().map(|&x| target(x)).collect(), [xs.len(), 1])
        .expect("one target per sample");
    let steps = nb.choose(3_000, 6_000);
    let mut adam = Adam::new(0.01).with_schedule(Schedule::Linear {
        initial: 0.01,
        last: 0.0005,
        steps,
    });
    let mut tape = Tape::new();
    let bar = nb.progress(steps as u64, "training");
    let mut first = None;
    let mut div = 0.0;
    for _ in 0..steps {
        tape.clear();
        let p = params.record(&tape);
        let y = model.forward(&p, tape.constant_tensor(inputs.clone()));
        let loss = losses::mse(y, tape.constant_tensor(desired.clone()));
        div = loss.value().item().expect("a scalar loss");
        first.get_or_insert(div);
        let grads = p.gradients(&loss.backward());
        adam.step(&mut params, &grads);
        bar.inc(1);
    }
    bar.finish_and_clear();

    let predict = |xs: &[f64]| -> Vec<f64> {
        let tape = Tape::new();
        let x = Tensor::from_vec(xs.to_vec(), [xs.len(), 1]).expect("one input per sample");
        tape.no_grad(|| {
            let p = params.record(&tape);
            model.forward(&p, tape.constant_tensor(x)).value().to_vec()
        })
    };
    // checked between the training points too
    let check = samples(nb.choose(4_000, 40_000));
    let fitted = predict(&check);
    let error = check
        .iter()
        .zip(&fitted)
        .map(|(&x, y)| (y - target(x)).abs())
        .fold(0.0, f64::max);
    let first = first.expect("at least one step");
    nb.say(format!(
        "  {steps} steps: Div {first:.4} → {div:.6}; max error {error:.4} over {} points of (0, 1]",
        check.len()
    ));
    let pulses_needed = errors
        .iter()
        .find(|&&(_, e)| e <= error)
        .map(|&(n, _)| n.to_string())
        .unwrap_or_else(|| "more than 256".into());
    nb.say(format!(
        "  the staircase needs {pulses_needed} pulses (3 units each) for the same max error\n"
    ));
    nb.claim(
        div < first / 100.0,
        "training lowers Div more than a hundredfold",
    );
    nb.claim(
        error < 0.05,
        format!("the trained 1-{hidden}-1 ReLU network fits f with max error below 0.05"),
    );

    // the kinks: where a hidden unit's input w x + b crosses 0 inside [0, 1]
    let layer = model.layers()[0];
    let (w, b) = (params.get(layer.weight()), params.get(layer.bias()));
    let kinks: Vec<f64> = w
        .as_slice()
        .iter()
        .zip(b.as_slice())
        .map(|(w, b)| -b / w)
        .filter(|x| (0.0..=1.0).contains(x))
        .collect();
    nb.say(format!(
        "  {} of the {hidden} kinks lie in [0, 1]",
        kinks.len()
    ));
    let dense = samples(1_000);
    let fit_chart = Chart::new(
        &format!("a trained 1-{hidden}-1 ReLU network, max error {error:.3}"),
        0.0..1.0,
        -1.2..1.6,
    )
    .labels("x", "y")
    .dashed("f(x)", curve(&dense, target), 7)
    .line("network", dense.iter().copied().zip(predict(&dense)), 3)
    .rings("kinks", kinks.iter().copied().zip(predict(&kinks)), 0);
    let figure = Figure::new("Pulses and ReLUs", 2)
        .panel(error_chart(&errors))
        .panel(fit_chart);
    nb.save(&figure, "relu_and_error.svg")
        .expect("the ReLU figure is written");
}

fn main() {
    let nb = Notebook::start("05_universal_approximation", "05 · Universal approximation");
    one_pulse(&nb);
    let errors = staircases(&nb);
    relu_fit(&nb, errors);
    nb.finish();
}
