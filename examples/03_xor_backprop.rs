//! # 03 · XOR with a hidden layer, trained by backpropagation
//!
//! One perceptron cannot compute XOR (example 02). Two sigmoid units in a hidden layer and one
//! output unit can: `z^(1) = W^(1) x + b^(1)`, `y^(1) = σ(z^(1))`, `z^(2) = W^(2) y^(1) + b^(2)`,
//! `y = σ(z^(2))`. We train the 2-2-1 network by gradient descent on the L2 divergence
//! `Div(y, d) = ½ (y − d)²`, with every gradient from the autograd tape (backpropagation), and
//! watch the loss fall. Then we look inside: the hidden layer maps the four XOR inputs to four
//! points that one line separates (a perceptron on the hidden features converges), each hidden
//! unit's own surface is a soft half-plane, and the output combines them into XOR's decision
//! surface. Last, gradient descent from other random starts: most succeed, some stall.
//!
//! Run: `cargo run --release --example 03_xor_backprop` (add `-- --quick` for the CI run).
//! The chapter: `docs/course/03-xor-backprop.md`.

use std::ops::Range;

use autograd::{Tape, Tensor, TensorVar};
use nn::data::Dataset;
use nn::optim::Sgd;
use nn::perceptron::Training;
use nn::train::{L2Divergence, Objective, Trainer, evaluate};
use nn::{Activation, Bound, Dense, Module, Parameters, Perceptron};
use notebook::{Chart, Figure, Notebook, Shading, line_across, text_map};
use rand::{SeedableRng, rngs::StdRng};

/// The four inputs y^(0) = x and XOR's desired outputs d.
const X: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
const D: [f64; 4] = [0.0, 1.0, 1.0, 0.0];
/// Hidden units (a 2-2-1 network: its hidden space is a plane we can draw).
const HIDDEN: usize = 2;
/// The learning rate η of plain gradient descent: sigmoids and ½(y − d)² give small
/// gradients, so a large step.
const ETA: f64 = 2.0;
/// The seed of the network we study.
const SEED: u64 = 0;
/// The input plane we draw.
const PLANE: Range<f64> = -0.5..1.5;
/// Unit indices as subscripts, for labels.
const SUB: [char; HIDDEN] = ['₁', '₂'];

/// The 2-2-1 network of sigmoid units.
struct XorNet {
    hidden: Dense,
    output: Dense,
}

/// The forward pass for a batch `[N, 2]`: y = σ(W^(2) y^(1) + b^(2)), `[N, 1]`.
impl Module<f64> for XorNet {
    fn forward<'t>(&self, p: &Bound<'t, f64>, x: TensorVar<'t, f64>) -> TensorVar<'t, f64> {
        Activation::Sigmoid.apply(self.output.forward(p, Hidden(self).forward(p, x)))
    }
}

/// The network's hidden layer alone: y^(1) = σ(W^(1) x + b^(1)), `[N, 2]`.
struct Hidden<'a>(&'a XorNet);

impl Module<f64> for Hidden<'_> {
    fn forward<'t>(&self, p: &Bound<'t, f64>, x: TensorVar<'t, f64>) -> TensorVar<'t, f64> {
        Activation::Sigmoid.apply(self.0.hidden.forward(p, x))
    }
}

impl XorNet {
    fn new(params: &mut Parameters<f64>, seed: u64) -> XorNet {
        let mut rng = StdRng::seed_from_u64(seed);
        XorNet {
            hidden: Dense::new(params, "hidden", 2, HIDDEN, &mut rng),
            output: Dense::new(params, "output", HIDDEN, 1, &mut rng),
        }
    }

    /// The hidden outputs and the output at each point.
    fn evaluate(&self, params: &Parameters<f64>, points: &[[f64; 2]]) -> Vec<([f64; 2], f64)> {
        let x = Tensor::from_vec(points.concat(), [points.len(), 2]).expect("[N, 2] inputs");
        let (y1, y) = (Hidden(self).predict(params, &x), self.predict(params, &x));
        (0..points.len())
            .map(|n| ([y1.at(&[n, 0]), y1.at(&[n, 1])], y.at(&[n, 0])))
            .collect()
    }

    /// The output y at one point.
    fn output_at(&self, params: &Parameters<f64>, a: f64, b: f64) -> f64 {
        self.evaluate(params, &[[a, b]])[0].1
    }

    /// Hidden unit `j`'s weights w_·j^(1) and bias b_j^(1): its line z_j^(1) = 0.
    fn hidden_line(&self, params: &Parameters<f64>, j: usize) -> ([f64; 2], f64) {
        let w = params.get(self.hidden.weight());
        let b = params.get(self.hidden.bias());
        ([w.at(&[j, 0]), w.at(&[j, 1])], b.at(&[j]))
    }

    /// The output unit's weights and bias: its line z^(2) = 0 in hidden space.
    fn output_line(&self, params: &Parameters<f64>) -> ([f64; 2], f64) {
        let w = params.get(self.output.weight());
        let b = params.get(self.output.bias());
        ([w.at(&[0, 0]), w.at(&[0, 1])], b.at(&[0]))
    }
}

/// The four inputs `[4, 2]` with XOR's desired outputs `[4, 1]`.
fn xor_data() -> Dataset<Tensor<f64>> {
    let x = Tensor::from_vec(X.concat(), [4, 2]).expect("four inputs");
    let d = Tensor::from_vec(D.to_vec(), [4, 1]).expect("four targets");
    Dataset::new(x, d).expect("four of each")
}

/// ∂Loss/∂w of every parameter at the current weights, from one backward pass, where
/// Loss(W) = (1/N) Σ_n Div(y_n, d_n) with Div = ½ (y − d)².
fn gradients(net: &XorNet, params: &Parameters<f64>) -> Vec<Tensor<f64>> {
    let (tape, data) = (Tape::new(), xor_data());
    let p = params.record(&tape);
    let y = net.forward(&p, tape.constant_tensor(data.inputs().clone()));
    let loss = L2Divergence
        .loss(y, data.targets())
        .expect("d has y's shape");
    p.gradients(&loss.backward()) // backpropagation
}

/// Gradient descent on all four inputs at once, w ← w − η ∂Loss/∂w, for `steps` steps; the
/// loss before each step and after the last.
fn train(net: &XorNet, params: &mut Parameters<f64>, steps: usize) -> Vec<f64> {
    let (data, mut sgd) = (xor_data(), Sgd::new(ETA));
    let history = Trainer::new(net, &L2Divergence, &mut sgd)
        .epochs(steps)
        .batch_size(X.len())
        .fit(params, &data, &mut StdRng::seed_from_u64(SEED))
        .expect("the targets fit the network");
    let (last, _) = evaluate(net, params, &L2Divergence, &data, &mut Tape::new()).expect("fits");
    history
        .iter()
        .map(|epoch| epoch.train_loss)
        .chain([last])
        .collect()
}

/// The points of each class, as the chart wants them.
fn by_class(points: &[[f64; 2]], class: f64) -> Vec<(f64, f64)> {
    points
        .iter()
        .zip(D)
        .filter(|(_, d)| *d == class)
        .map(|(p, _)| (p[0], p[1]))
        .collect()
}

fn training(nb: &Notebook, net: &XorNet, params: &mut Parameters<f64>) -> Vec<f64> {
    nb.section("Training the 2-2-1 network by backpropagation");
    nb.say(format!(
        "z^(1) = W^(1) x + b^(1), y^(1) = σ(z^(1)); z^(2) = W^(2) y^(1) + b^(2), y = σ(z^(2)).\n\
         Loss(W) = (1/4) Σ ½ (y − d)² over the four inputs; every step\n\
         w_ij^(k) ← w_ij^(k) − η ∂Loss/∂w_ij^(k), η = {ETA}, the gradients from the tape.\n\
         Weights: Xavier-uniform from seed {SEED}, biases 0 ({} parameters).",
        params.count()
    ));

    // The first backward pass, to see what backpropagation hands the optimiser.
    let grads = gradients(net, params);
    println!(
        "\n  the first step's gradients, from one backward pass (unit j's incoming weights \
         w_·j^(k) in its own brackets):"
    );
    for (name, grad) in params.names().iter().zip(&grads) {
        // one bracket per unit j: a weight matrix's row j, or the bias's entry j
        let width = if grad.dims().len() == 2 {
            grad.dims()[1]
        } else {
            1
        };
        let values: Vec<String> = grad.to_vec().iter().map(|g| format!("{g:+.5}")).collect();
        let rows: Vec<String> = values
            .chunks(width)
            .map(|row| format!("[{}]", row.join(", ")))
            .collect();
        println!("    ∂Loss/∂{name:<14} {}", rows.join(" "));
    }

    let steps = nb.choose(3_000, 10_000);
    let history = train(net, params, steps);
    let (start, end) = (history[0], history[history.len() - 1]);
    println!("\n   step   Loss");
    for s in [0, steps / 100, steps / 10, steps / 4, steps / 2, steps] {
        println!("  {s:>5}   {:.6}", history[s]);
    }
    println!();
    let factor = start / end;
    nb.claim(
        factor > 100.0,
        format!(
            "the loss falls from {start:.4} to {end:.6}, by a factor of {factor:.0} (> 100) \
             in {steps} steps"
        ),
    );

    let outputs = net.evaluate(params, &X);
    println!("\n   x₁ x₂ |  d  |    y     |y − d|");
    for ((x, d), (_, y)) in X.iter().zip(D).zip(&outputs) {
        println!(
            "   {}  {}  |  {d}  |  {y:.4}  {:.4}",
            x[0],
            x[1],
            (y - d).abs()
        );
    }
    println!();
    let worst = outputs
        .iter()
        .zip(D)
        .map(|((_, y), d)| (y - d).abs())
        .fold(0.0, f64::max);
    nb.claim(
        worst < 0.1,
        format!("all four XOR outputs are right: |y − d| ≤ {worst:.3} < 0.1 on each"),
    );

    let log_loss: Vec<(f64, f64)> = history
        .iter()
        .enumerate()
        .step_by((steps / 500).max(1))
        .map(|(s, l)| (s as f64, l.log10()))
        .collect();
    let (xs, ys) = notebook::bounds(log_loss.iter().copied());
    let chart = Chart::new("XOR 2-2-1: the loss under gradient descent", xs, ys)
        .labels("step", "log₁₀ Loss")
        .line("Loss = ¼ Σ ½(y − d)²", log_loss, 0);
    nb.save(&chart, "loss.svg").expect("write loss.svg");
    history
}

fn hidden_features(nb: &Notebook, net: &XorNet, params: &Parameters<f64>) {
    nb.section("What the hidden layer computes");
    nb.say(
        "The hidden outputs y^(1) = (y₁^(1), y₂^(1)) of the four inputs: the network's own \
         features.",
    );
    let outputs = net.evaluate(params, &X);
    let hidden: Vec<[f64; 2]> = outputs.iter().map(|(h, _)| *h).collect();
    println!("\n   x₁ x₂ |  d  |  y₁^(1)   y₂^(1)");
    for ((x, d), h) in X.iter().zip(D).zip(&hidden) {
        println!(
            "   {}  {}  |  {d}  |  {:.4}   {:.4}",
            x[0], x[1], h[0], h[1]
        );
    }
    println!();

    // A perceptron on the hidden features: Rosenblatt's rule converges only if a line
    // separates them (example 02: on the raw inputs it cycles for ever).
    let mut unit = Perceptron::new(2);
    let outcome = unit.train(&hidden, &D, 1.0, 10_000);
    nb.claim(
        matches!(outcome, Training::Converged { .. }),
        format!(
            "the hidden layer makes XOR linearly separable: Rosenblatt's rule on y^(1) \
             converges ({outcome:?})"
        ),
    );
    let (w, b) = (unit.weights(), unit.bias());
    nb.say(format!(
        "  the perceptron's line in hidden space: {:+.3}·y₁^(1) {:+.3}·y₂^(1) {:+.3} = 0",
        w[0], w[1], b
    ));
    let (v, c) = net.output_line(params);
    nb.say(format!(
        "  the output unit's own line z^(2) = 0:  {:+.3}·y₁^(1) {:+.3}·y₂^(1) {:+.3} = 0",
        v[0], v[1], c
    ));
    let right = hidden
        .iter()
        .zip(D)
        .all(|(h, d)| (v[0] * h[0] + v[1] * h[1] + c > 0.0) == (d == 1.0));
    nb.claim(
        right,
        "the output unit is itself such a line: z^(2) > 0 exactly on the hidden points with d = 1",
    );

    nb.save(
        &hidden_space_chart(net, params, &hidden, ([w[0], w[1]], b)),
        "hidden_space.svg",
    )
    .expect("write hidden_space.svg");
}

/// The hidden space: the four inputs' images (labelled by the input they come from), the
/// image of the input square's grid (how the hidden layer bends and squashes the plane), the
/// perceptron's line and the output unit's line.
fn hidden_space_chart(
    net: &XorNet,
    params: &Parameters<f64>,
    hidden: &[[f64; 2]],
    perceptron: ([f64; 2], f64),
) -> Chart {
    // room above the unit square for the legend
    let (xs, ys) = (-0.05..1.1, -0.05..1.4);
    let mut chart = Chart::new(
        "hidden space: where y^(1) sends the XOR inputs",
        xs.clone(),
        ys,
    )
    .labels("y₁^(1)", "y₂^(1)");
    // The lines x₁ = c and x₂ = c of the unit square, carried through the hidden layer.
    let ts: Vec<f64> = (0..=40).map(|i| i as f64 / 40.0).collect();
    let mut label = "image of a grid on [0, 1]²";
    for c in [0.0, 0.25, 0.5, 0.75, 1.0] {
        for line in [
            ts.iter().map(|&t| [c, t]).collect::<Vec<_>>(),
            ts.iter().map(|&t| [t, c]).collect::<Vec<_>>(),
        ] {
            let image = net.evaluate(params, &line);
            chart = chart.line(label, image.iter().map(|(h, _)| (h[0], h[1])), 7);
            label = "";
        }
    }
    if let Some(ends) = line_across(perceptron.0, perceptron.1, &xs, &xs) {
        chart = chart.line("perceptron on y^(1)", ends, 2);
    }
    let (v, c) = net.output_line(params);
    if let Some(ends) = line_across(v, c, &xs, &xs) {
        chart = chart.dashed("output unit: z^(2) = 0", ends, 3);
    }
    // Name each image by its input; images closer than 0.1 share one note.
    let mut notes: Vec<((f64, f64), String)> = Vec::new();
    for (x, h) in X.iter().zip(hidden) {
        let name = format!("({}, {})", x[0], x[1]);
        match notes
            .iter_mut()
            .find(|(at, _)| (at.0 - h[0]).hypot(at.1 - h[1]) < 0.1)
        {
            Some((_, text)) => *text = format!("{text} {name}"),
            None => notes.push(((h[0], h[1]), name)),
        }
    }
    for ((a, b), text) in notes {
        // to the left of points near the right edge, so that the note stays inside
        let at = (if a > 0.7 { a - 0.25 } else { a + 0.02 }, b + 0.08);
        chart = chart.text(at, &text);
    }
    chart
        .points("d = 0", by_class(hidden, 0.0), 0)
        .points("d = 1", by_class(hidden, 1.0), 1)
}

fn surfaces(nb: &Notebook, net: &XorNet, params: &Parameters<f64>) {
    nb.section("The decision surface");
    nb.say(
        "The output y(x) over the plane: above 0.5 the network says 1 (':'), below it 0 ('.'); \
         o marks d = 0, X marks d = 1. The dashed lines in the picture are the hidden units' \
         zⱼ^(1) = 0.\n",
    );
    let marks: Vec<(f64, f64, char)> = X
        .iter()
        .zip(D)
        .map(|(x, d)| (x[0], x[1], if d == 1.0 { 'X' } else { 'o' }))
        .collect();
    let map = text_map(
        PLANE,
        PLANE,
        48,
        16,
        |a, b| {
            if net.output_at(params, a, b) > 0.5 {
                ':'
            } else {
                '.'
            }
        },
        &marks,
    );
    println!("{map}");
    let resolution = nb.choose(40, 60);
    let mut decision = Chart::new("XOR 2-2-1: the output y(x)", PLANE, PLANE)
        .labels("x₁", "x₂")
        .shade(Shading::Probability, resolution, |a, b| {
            net.output_at(params, a, b)
        });
    for (j, sub) in SUB.into_iter().enumerate() {
        let (w, b) = net.hidden_line(params, j);
        if let Some(ends) = line_across(w, b, &PLANE, &PLANE) {
            decision = decision.dashed(&format!("z{}^(1) = 0", sub), ends, 2 + 2 * j);
        }
    }
    decision = decision
        .points("d = 0", by_class(&X, 0.0), 0)
        .points("d = 1", by_class(&X, 1.0), 1);
    nb.save(&decision, "decision.svg")
        .expect("write decision.svg");

    nb.say(
        "\nEach hidden unit alone is a soft half-plane, yⱼ^(1) = σ(Σᵢ w_ij^(1) xᵢ + bⱼ^(1)); the output \
         unit's weights combine the two.",
    );
    let (v, c) = net.output_line(params);
    nb.say(format!(
        "  z^(2) = {:+.2}·y₁^(1) {:+.2}·y₂^(1) {:+.2}",
        v[0], v[1], c
    ));
    for (j, sub) in SUB.into_iter().enumerate() {
        let (w, b) = net.hidden_line(params, j);
        nb.say(format!(
            "  unit {}: z{}^(1) = {:+.2}·x₁ {:+.2}·x₂ {:+.2}",
            j + 1,
            sub,
            w[0],
            w[1],
            b
        ));
    }
    // coarser panels: three probability shadings in one file stay under 200 KB
    let resolution = resolution.min(36);
    let mut figure = Figure::new("XOR 2-2-1: each unit's output over the input plane", 3);
    for (j, sub) in SUB.into_iter().enumerate() {
        let (w, b) = net.hidden_line(params, j);
        let title = format!("hidden unit {}: y{}^(1)(x)", j + 1, sub);
        let mut panel =
            Chart::new(&title, PLANE, PLANE).shade(Shading::Probability, resolution, |a, b| {
                net.evaluate(params, &[[a, b]])[0].0[j]
            });
        if let Some(ends) = line_across(w, b, &PLANE, &PLANE) {
            panel = panel.dashed("", ends, 2 + 2 * j);
        }
        figure = figure.panel(panel.points("", by_class(&X, 0.0), 0).points(
            "",
            by_class(&X, 1.0),
            1,
        ));
    }
    figure = figure.panel(
        Chart::new("output: y(x)", PLANE, PLANE)
            .shade(Shading::Probability, resolution, |a, b| {
                net.output_at(params, a, b)
            })
            .points("", by_class(&X, 0.0), 0)
            .points("", by_class(&X, 1.0), 1),
    );
    nb.save(&figure, "units.svg").expect("write units.svg");
}

/// ‖∇Loss‖ over all the parameters: how fast gradient descent can still move.
fn gradient_norm(net: &XorNet, params: &Parameters<f64>) -> f64 {
    gradients(net, params)
        .iter()
        .flat_map(|g| g.to_vec())
        .map(|g| g * g)
        .sum::<f64>()
        .sqrt()
}

/// How a run from one start ended.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ending {
    /// All four outputs within 0.1 of d.
    Solved,
    /// Two outputs stuck at 0.5, the other two right.
    Stalled,
    /// Anything else (still on its way down).
    Descending,
}

/// One training run from one seed: where it ended.
struct Run {
    seed: u64,
    loss: f64,
    slope: f64,
    outputs: Vec<([f64; 2], f64)>,
}

impl Run {
    fn ending(&self) -> Ending {
        let errors: Vec<f64> = self
            .outputs
            .iter()
            .zip(D)
            .map(|((_, y), d)| (y - d).abs())
            .collect();
        let halves = self.stuck_at_half();
        let others_right = errors
            .iter()
            .enumerate()
            .all(|(n, e)| halves.contains(&n) || *e < 0.1);
        if errors.iter().all(|e| *e < 0.1) {
            Ending::Solved
        } else if halves.len() == 2 && others_right {
            Ending::Stalled
        } else {
            Ending::Descending
        }
    }

    /// The inputs whose output is within 0.05 of 0.5.
    fn stuck_at_half(&self) -> Vec<usize> {
        (0..X.len())
            .filter(|&n| (self.outputs[n].1 - 0.5).abs() < 0.05)
            .collect()
    }

    /// How far apart the hidden layer puts the inputs stuck at 0.5.
    fn hidden_gap(&self) -> f64 {
        match self.stuck_at_half()[..] {
            [a, b] => {
                let (p, q) = (self.outputs[a].0, self.outputs[b].0);
                (p[0] - q[0]).hypot(p[1] - q[1])
            }
            _ => f64::INFINITY,
        }
    }
}

fn other_starts(nb: &Notebook) {
    nb.section("Other random starts");
    let (seeds, steps) = nb.choose((10, 3_000), (20, 10_000));
    nb.say(format!(
        "Gradient descent only ever goes downhill from where it starts. The same training \
         from {seeds} seeds, {steps} steps each:\n"
    ));
    let bar = nb.progress(seeds as u64, "seeds");
    let mut runs = Vec::new();
    for seed in 0..seeds as u64 {
        let mut params = Parameters::new();
        let net = XorNet::new(&mut params, seed);
        let history = train(&net, &mut params, steps);
        runs.push(Run {
            seed,
            loss: history[history.len() - 1],
            slope: gradient_norm(&net, &params),
            outputs: net.evaluate(&params, &X),
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    for run in &runs {
        let ys: Vec<String> = run.outputs.iter().map(|(_, y)| format!("{y:.2}")).collect();
        println!(
            "  seed {:>2}: Loss {:.5}  ‖∇Loss‖ {:.1e}  y = [{}]  {:?}",
            run.seed,
            run.loss,
            run.slope,
            ys.join(", "),
            run.ending()
        );
    }
    println!();
    let of = |kind: Ending| -> Vec<&Run> { runs.iter().filter(|r| r.ending() == kind).collect() };
    let (solved, stalled) = (of(Ending::Solved), of(Ending::Stalled));
    nb.claim(
        solved.len() * 2 > seeds,
        format!("most starts solve XOR ({} of {seeds})", solved.len()),
    );
    let best_solved = solved.iter().map(|r| r.loss).fold(f64::INFINITY, f64::min);
    let least_stalled = stalled.iter().map(|r| r.loss).fold(f64::INFINITY, f64::min);
    let steepest = stalled.iter().map(|r| r.slope).fold(0.0, f64::max);
    let names: Vec<u64> = stalled.iter().map(|r| r.seed).collect();
    nb.claim(
        !stalled.is_empty() && steepest < 1e-3,
        format!(
            "not all: from seeds {names:?} it stalls with two outputs at 0.5 and the other two \
             right, a loss over {:.0}× the best solved run's, yet a gradient as small as at a \
             solution (‖∇Loss‖ ≤ {steepest:.1e} < 10⁻³)",
            least_stalled / best_solved
        ),
    );
    let widest = stalled.iter().map(|r| r.hidden_gap()).fold(0.0, f64::max);
    let mixed = stalled.iter().all(|r| {
        let stuck = r.stuck_at_half();
        stuck.len() == 2 && D[stuck[0]] != D[stuck[1]]
    });
    nb.claim(
        widest < 0.05 && mixed,
        format!(
            "why: in each stalled run the hidden layer sends the two inputs stuck at 0.5 (one \
             with d = 0, one with d = 1) to almost the same point of hidden space (at most \
             {widest:.3} apart), so no output unit can tell them apart and 0.5 is its best answer"
        ),
    );
    nb.say(
        "A flat region of the loss, not the answer: the hidden layer has merged two inputs, and \
         the gradient that would pull them apart is tiny. Here only a different start got past \
         it.",
    );
}

fn main() {
    let nb = Notebook::start("03_xor_backprop", "03 · XOR with a hidden layer");
    let mut params = Parameters::new();
    let net = XorNet::new(&mut params, SEED);
    training(&nb, &net, &mut params);
    hidden_features(&nb, &net, &params);
    surfaces(&nb, &net, &params);
    other_starts(&nb);
    nb.finish();
}
