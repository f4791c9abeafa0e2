//! # 11 · micrograd's demo: an MLP learns two moons, neuron by neuron
//!
//! Andrej Karpathy's micrograd trains a small multi-layer perceptron on scikit-learn's two
//! moons in `demo.ipynb`, every weight a scalar node of the computation graph. This example
//! runs exactly that setup on our scalar engine: an MLP 2-16-16-1 with ReLU hidden units
//! (`nn::ScalarMlp`), 100 points with noise 0.1, the max-margin loss
//! `Div(s, d) = max(0, 1 − d·s)` averaged over the points plus `γ(w) = 10⁻⁴ Σ w²`, and plain
//! gradient descent `w ← w − η_t ∂Loss/∂w` with `η_t = 1 − 0.9 t/100` for 100 steps. Every
//! gradient comes from the tape. It checks that the loss falls and that the network
//! separates the 100 training points, draws the boundary (SVG and terminal), the loss and
//! accuracy per step, and prints how long one step takes and how many nodes it records.
//!
//! Run: `cargo run --release --example 11_micrograd_moons` (`-- --quick` is accepted: a step
//! takes about a millisecond, so both modes run the same 100 steps). The chapter:
//! `docs/course/11-micrograd-moons.md`.

use std::time::{Duration, Instant};

use autograd::{Gradients, Tape, Var};
use nn::data::{Moons, two_moons};
use nn::{Activation, ScalarMlp, losses, regularizers};
use notebook::{Chart, Figure, Notebook, Shading, bounds, text_map};
use rand::{SeedableRng, rngs::StdRng};

/// micrograd's demo: 100 points with noise 0.1, an MLP 2-16-16-1, 100 steps,
/// γ(w) = 10⁻⁴ Σ w².
const POINTS: usize = 100;
const NOISE: f64 = 0.1;
const WIDTHS: [usize; 3] = [16, 16, 1];
const STEPS: usize = 100;
const L2: f64 = 1e-4;
/// Steps after which the boundary is drawn as the network learns it.
const SNAPSHOTS: [usize; 4] = [0, 10, 30, STEPS];

/// What one training step measured.
struct Step {
    loss: f64,
    correct: usize,
    nodes: usize,
    time: Duration,
}

/// `η_t = 1 − 0.9 t / 100`: micrograd's decaying learning rate.
fn learning_rate(t: usize) -> f64 {
    1.0 - 0.9 * t as f64 / STEPS as f64
}

/// `Loss(W) = (1/N) Σ max(0, 1 − d_n s_n) + 10⁻⁴ Σ w²`, recorded neuron by neuron, and the
/// scores `s_n = y^(3)` of every point.
fn demo_loss<'t>(model: &ScalarMlp, params: &[Var<'t>], data: &Moons) -> (Var<'t>, Vec<Var<'t>>) {
    let tape = params[0].tape();
    let scores: Vec<Var<'t>> = data
        .points
        .iter()
        .map(|p| model.forward(params, &tape.constants(p))[0])
        .collect();
    let loss =
        losses::mean_hinge(&scores, &data.labels) + L2 * regularizers::sum_of_squares(params);
    (loss, scores)
}

/// One step of gradient descent: clear the tape, record the loss, one backward sweep, update
/// every `w_ij^(k)` in place.
fn train_step(
    model: &mut ScalarMlp,
    data: &Moons,
    tape: &mut Tape,
    grads: &mut Gradients,
    eta: f64,
) -> Step {
    let start = Instant::now();
    tape.clear();
    let params = model.param_vars(tape);
    let (loss, scores) = demo_loss(model, &params, data);
    loss.backward_into(grads);
    for (w, &var) in model.parameters_mut().iter_mut().zip(&params) {
        *w -= eta * grads.wrt(var);
    }
    let time = start.elapsed();
    Step {
        loss: loss.value(),
        correct: correct(&scores, data),
        nodes: tape.len(),
        time,
    }
}

/// How many points the scores put on their side (`s > 0` for `d = +1`).
fn correct(scores: &[Var<'_>], data: &Moons) -> usize {
    let sides = scores.iter().zip(&data.labels);
    sides
        .filter(|(s, d)| (s.value() > 0.0) == (**d > 0.0))
        .count()
}

/// The nodes one step records, counted from the architecture: per point, its 2 input leaves
/// and, per neuron, a multiply and an add per weight (`z = b + Σ w_i y_i`) and a ReLU on the
/// hidden ones; then the parameter leaves, the loss (`1 − d·s` folds into one node, then its
/// ReLU, per point; the mean: N − 1 adds and a scale) and the regulariser (a square per
/// parameter, the adds, the scale), and the final sum.
fn expected_nodes(in_dim: usize, widths: &[usize], points: usize, parameters: usize) -> usize {
    let mut per_point = in_dim;
    let mut fan_in = in_dim;
    for (k, &width) in widths.iter().enumerate() {
        let hidden = k + 1 < widths.len();
        per_point += width * (2 * fan_in + usize::from(hidden));
        fan_in = width;
    }
    let hinge = 2 * points + points;
    let l2 = parameters + (parameters - 1) + 1;
    points * per_point + parameters + hinge + l2 + 1
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// The score `s(x)` of the network with the given parameters at one point of the plane.
fn score(model: &ScalarMlp, params: &[f64], x: f64, y: f64) -> f64 {
    model.forward(params, &[x, y])[0]
}

/// The two moons, one colour each; mistakes ringed in red; a legend if asked.
fn with_points(
    chart: Chart,
    data: &Moons,
    model: &ScalarMlp,
    params: &[f64],
    legend: bool,
) -> Chart {
    let label = |text: &'static str| if legend { text } else { "" };
    let class = |d: f64| {
        let points = data.points.iter().zip(&data.labels);
        points
            .filter(move |(_, l)| **l == d)
            .map(|(p, _)| (p[0], p[1]))
    };
    let wrong: Vec<(f64, f64)> = data
        .points
        .iter()
        .zip(&data.labels)
        .filter(|(p, d)| (score(model, params, p[0], p[1]) > 0.0) != (**d > 0.0))
        .map(|(p, _)| (p[0], p[1]))
        .collect();
    chart
        .points(label("d = −1"), class(-1.0), 0)
        .points(label("d = +1"), class(1.0), 1)
        .rings(label("misclassified"), wrong, 3)
}

/// The plane shaded by the score. With `margin`, `s` is mapped from [−1, 1] to [0, 1], so
/// the sign is the colour and the hinge's margin `|s| < 1` is the pale band between the two;
/// without, only the sign (class 0 where `s ≤ 0`, class 1 where `s > 0`) and no legend (for
/// small panels).
fn boundary_chart(
    title: &str,
    data: &Moons,
    model: &ScalarMlp,
    params: &[f64],
    margin: bool,
) -> Chart {
    let (xr, yr) = bounds(data.points.iter().map(|p| (p[0], p[1])));
    let chart = Chart::new(title, xr, yr).labels("x₁", "x₂");
    let s = |x, y| score(model, params, x, y);
    let chart = if margin {
        chart.shade(Shading::Probability, 60, |x, y| {
            ((s(x, y) + 1.0) / 2.0).clamp(0.0, 1.0)
        })
    } else {
        chart.shade(Shading::Classes, 40, |x, y| {
            f64::from(u8::from(s(x, y) > 0.0))
        })
    };
    with_points(chart, data, model, params, margin)
}

fn main() {
    let nb = Notebook::start("11_micrograd_moons", "11 · micrograd's demo: two moons");

    nb.section("The data and the network");
    let mut rng = StdRng::seed_from_u64(1337);
    let data = two_moons(POINTS, NOISE, &mut rng);
    let mut model = ScalarMlp::new(2, &WIDTHS, Activation::Relu, &mut rng);
    let name = format!("2-{}", WIDTHS.map(|w| w.to_string()).join("-"));
    nb.say(format!(
        "{} points on two interleaved half circles (noise {NOISE}), labels d = ±1. An MLP {name}:\n\
         z_j^(k) = b_j^(k) + Σ_i w_ij^(k) y_i^(k−1), y_j^(k) = ReLU(z_j^(k)) in the hidden layers,\n\
         the score s = z^({}) linear. {} parameters, weights uniform in [−1, 1], biases 0.",
        data.len(),
        WIDTHS.len(),
        model.num_parameters()
    ));
    nb.say(
        "Loss(W) = (1/N) Σ_n max(0, 1 − d_n s_n) + 10⁻⁴ Σ w²; step t: w ← w − η_t ∂Loss/∂w, \
         η_t = 1 − 0.9 t/100.",
    );

    nb.section("Training, neuron by neuron");
    nb.say(format!(
        "Each step records the whole loss on one tape (every multiply, add and ReLU of every \
         neuron for every point is a node), sweeps it backward once, and updates all {} \
         parameters.",
        model.num_parameters()
    ));
    let mut tape = Tape::new();
    let mut grads = Gradients::new();
    let mut history: Vec<Step> = Vec::with_capacity(STEPS);
    let mut snapshots: Vec<(usize, Vec<f64>)> = vec![(0, model.parameters().to_vec())];
    let bar = nb.progress(STEPS as u64, "steps");
    for t in 0..STEPS {
        let step = train_step(&mut model, &data, &mut tape, &mut grads, learning_rate(t));
        if t % 10 == 0 || t + 1 == STEPS {
            bar.suspend(|| {
                println!(
                    "  step {t:>3}  η = {:.3}  loss = {:.4}  accuracy = {:>3} %",
                    learning_rate(t),
                    step.loss,
                    100 * step.correct / data.len()
                )
            });
        }
        history.push(step);
        if SNAPSHOTS.contains(&(t + 1)) {
            snapshots.push((t + 1, model.parameters().to_vec()));
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    // The loss and accuracy of the trained network (a step reports them before its update).
    tape.clear();
    let params = model.param_vars(&tape);
    let (final_loss, final_scores) = demo_loss(&model, &params, &data);
    let (final_loss, final_correct) = (final_loss.value(), correct(&final_scores, &data));
    let first_loss = history[0].loss;
    println!(
        "  after {STEPS} steps: loss = {final_loss:.4}, accuracy = {} %",
        100 * final_correct / data.len()
    );
    nb.claim(
        final_loss < 0.1 * first_loss,
        format!(
            "the loss falls more than tenfold: {first_loss:.4} → {final_loss:.4} after {STEPS} steps"
        ),
    );
    nb.claim(
        final_correct * 100 >= 99 * data.len(),
        format!(
            "after {STEPS} steps at least 99 % of the {} training points are on their side: {} %",
            data.len(),
            100 * final_correct / data.len()
        ),
    );

    nb.section("How big a step is, and how long it takes");
    let nodes = history[0].nodes;
    let counted = expected_nodes(2, &WIDTHS, data.len(), model.num_parameters());
    let times: Vec<Duration> = history.iter().map(|s| s.time).collect();
    let per_step = median(&times);
    nb.say(format!(
        "  nodes on the tape per step: {nodes} (counted from the architecture: {counted})\n  \
         median time per step (record + backward + update, over {STEPS} steps): {:.3} ms, \
         {:.1} ns per node",
        per_step.as_secs_f64() * 1e3,
        per_step.as_secs_f64() * 1e9 / nodes as f64
    ));
    nb.claim(
        history.iter().all(|s| s.nodes == nodes) && nodes == counted,
        format!(
            "every step records the same {nodes} nodes: 2 per weight per point (a multiply, an \
             add), a ReLU per hidden neuron, and the loss"
        ),
    );
    nb.say(
        "(docs/PERFORMANCE.md compares this step with micrograd and PyTorch, measured in one \
         run by benches/peers/compare_scalar.sh; a time measured here is not a comparison.)",
    );

    nb.section("The boundary");
    let (xr, yr) = bounds(data.points.iter().map(|p| (p[0], p[1])));
    let trained = model.parameters().to_vec();
    let marks: Vec<(f64, f64, char)> = data
        .points
        .iter()
        .zip(&data.labels)
        .map(|(p, &d)| (p[0], p[1], if d > 0.0 { 'x' } else { 'o' }))
        .collect();
    nb.say("The sign of the score over the plane ('.' where s > 0); o: d = −1, x: d = +1.");
    print!(
        "{}",
        text_map(
            xr,
            yr,
            48,
            16,
            |x, y| if score(&model, &trained, x, y) > 0.0 {
                '.'
            } else {
                ' '
            },
            &marks
        )
    );
    let chart = boundary_chart(
        &format!("MLP {name} after {STEPS} steps: sign of s(x), margin |s| < 1 pale"),
        &data,
        &model,
        &trained,
        true,
    );
    nb.save(&chart, "boundary.svg").expect("save boundary.svg");
    let mut figure = Figure::new("The boundary as it is learned", 4).panel_size(360, 340);
    for (t, params) in &snapshots {
        let panel = boundary_chart(&format!("step {t}"), &data, &model, params, false);
        figure = figure.panel(panel);
    }
    nb.save(&figure, "boundary_steps.svg")
        .expect("save boundary_steps.svg");

    nb.section("Loss and accuracy per step");
    let loss_points: Vec<(f64, f64)> = history
        .iter()
        .enumerate()
        .map(|(t, s)| (t as f64, s.loss))
        .collect();
    let accuracy_points: Vec<(f64, f64)> = history
        .iter()
        .enumerate()
        .map(|(t, s)| (t as f64, 100.0 * s.correct as f64 / data.len() as f64))
        .collect();
    let (_, loss_range) = bounds(loss_points.iter().copied());
    let loss_chart = Chart::new("Loss(W)", 0.0..STEPS as f64, 0.0..loss_range.end)
        .labels("step t", "loss")
        .line("loss", loss_points, 0);
    let accuracy_chart = Chart::new("training accuracy", 0.0..STEPS as f64, 40.0..102.0)
        .labels("step t", "% correct")
        .line("accuracy", accuracy_points, 2)
        .dashed("100 %", [(0.0, 100.0), (STEPS as f64, 100.0)], 7);
    let curves = Figure::new("micrograd's demo: 100 steps of gradient descent", 2)
        .panel(loss_chart)
        .panel(accuracy_chart);
    nb.save(&curves, "curves.svg").expect("save curves.svg");

    nb.finish();
}
