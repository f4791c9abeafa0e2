//! # 02 · Rosenblatt's learning rule
//!
//! The perceptron `y = 1 if w·x + b > 0 else 0` learns from its mistakes: whenever its output
//! `y(x)` differs from the desired `d(x)`, `w ← w + η (d − y) x` (and `b ← b + η (d − y)`).
//! On a linearly separable set in the plane the rule converges, within Novikoff's bound of
//! `(R/γ)²` updates, and we draw its boundary after every update. On XOR it never converges:
//! it cycles, every weight vector it visits misclassifies a point, and a four-line argument
//! shows that no line can separate XOR at all.
//!
//! Run: `cargo run --release --example 02_rosenblatt` (add `-- --quick` for the CI run).
//! The chapter: `docs/course/02-rosenblatt.md`.

use std::collections::HashMap;
use std::ops::Range;

use nn::perceptron::{Perceptron, Training};
use notebook::{Chart, Figure, Notebook, Shading, line_across, text_map};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// The learning rate η. From zero weights the rule's mistakes do not depend on η (it only
/// scales w and b), so 1 keeps the numbers readable.
const ETA: f64 = 1.0;
/// The plane we draw the separable set in: its samples lie in [−1, 1]².
const PLANE: Range<f64> = -1.2..1.2;
/// The plane we draw XOR in.
const XOR_PLANE: Range<f64> = -0.5..1.5;
/// The teacher that labels the separable set: d = 1 when x₁ + 2x₂ − 0.5 > 0.
const TEACHER: ([f64; 2], f64) = ([1.0, 2.0], -0.5);
/// Samples closer than this to the teacher's line (in the augmented space) are discarded, so
/// the set has a margin γ of at least this much.
const MIN_MARGIN: f64 = 0.08;

/// One weight vector the rule visited: after which update, in which epoch.
#[derive(Debug, Clone, Copy)]
struct Visit {
    epoch: usize,
    w: [f64; 2],
    b: f64,
}

fn visit_of(unit: &Perceptron, epoch: usize) -> Visit {
    let w = unit.weights();
    Visit {
        epoch,
        w: [w[0], w[1]],
        b: unit.bias(),
    }
}

/// Points uniform in [−1, 1]², labelled by the teacher, none within `MIN_MARGIN` of its line.
fn separable_set(n: usize, rng: &mut StdRng) -> (Vec<[f64; 2]>, Vec<f64>) {
    let u = unit_teacher();
    let (mut x, mut d) = (Vec::new(), Vec::new());
    while x.len() < n {
        let p = [rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
        let s = u[0] * p[0] + u[1] * p[1] + u[2];
        if s.abs() >= MIN_MARGIN {
            x.push(p);
            d.push(if s > 0.0 { 1.0 } else { 0.0 });
        }
    }
    (x, d)
}

/// The teacher as a unit vector u = (w₁, w₂, b)/‖(w₁, w₂, b)‖ of the augmented space, where
/// each input is (x₁, x₂, 1).
fn unit_teacher() -> [f64; 3] {
    let ([w1, w2], b) = TEACHER;
    let norm = (w1 * w1 + w2 * w2 + b * b).sqrt();
    [w1 / norm, w2 / norm, b / norm]
}

/// Rosenblatt's rule, one sample at a time (`Perceptron::train` on a one-sample set for one
/// epoch is exactly one step of the rule), recording the weights after every update.
fn train_recording(
    unit: &mut Perceptron,
    x: &[[f64; 2]],
    d: &[f64],
    max_epochs: usize,
) -> (Training, Vec<Visit>) {
    let mut visits = vec![visit_of(unit, 0)];
    let mut updates = 0;
    let mut mistakes = 0;
    for epoch in 1..=max_epochs {
        mistakes = 0;
        for (xi, di) in x.iter().zip(d) {
            let step = unit.train(std::slice::from_ref(xi), std::slice::from_ref(di), ETA, 1);
            if let Training::DidNotConverge { .. } = step {
                // it was a mistake, and the weights moved
                mistakes += 1;
                updates += 1;
                visits.push(visit_of(unit, epoch));
            }
        }
        if mistakes == 0 {
            let outcome = Training::Converged {
                epochs: epoch,
                updates,
            };
            return (outcome, visits);
        }
    }
    let outcome = Training::DidNotConverge {
        epochs: max_epochs,
        mistakes,
    };
    (outcome, visits)
}

/// How many samples the unit (w, b) gets wrong.
fn mistakes_of(w: [f64; 2], b: f64, x: &[[f64; 2]], d: &[f64]) -> usize {
    let unit = Perceptron::with_weights(w.to_vec(), b);
    x.iter()
        .zip(d)
        .filter(|(xi, di)| unit.predict(*xi) != **di)
        .count()
}

/// The colour for epoch `epoch` of `epochs`: six palette colours in a fixed order (not the
/// classes' 0 and 1, nor the final line's red 3), epochs binned when there are more than six,
/// so that a line's colour says when it was drawn.
fn time_color(epoch: usize, epochs: usize) -> usize {
    const TIME: [usize; 6] = [7, 4, 9, 2, 8, 5];
    let bin = (epoch.max(1) - 1) * TIME.len() / epochs.max(1);
    TIME[bin.min(TIME.len() - 1)]
}

fn split_by_class(x: &[[f64; 2]], d: &[f64], class: f64) -> Vec<(f64, f64)> {
    x.iter()
        .zip(d)
        .filter(|(_, di)| **di == class)
        .map(|(p, _)| (p[0], p[1]))
        .collect()
}

/// Every boundary the rule drew, coloured by the epoch it was drawn in, the last one dashed
/// red, over the samples.
fn boundaries_chart(title: &str, x: &[[f64; 2]], d: &[f64], visits: &[Visit]) -> Chart {
    let epochs = visits.last().map_or(1, |v| v.epoch);
    let mut chart = Chart::new(title, PLANE, PLANE).labels("x₁", "x₂");
    let mut labelled = Vec::new();
    for visit in visits {
        if let Some(segment) = line_across(visit.w, visit.b, &PLANE, &PLANE) {
            let color = time_color(visit.epoch, epochs);
            let label = if labelled.contains(&color) {
                String::new()
            } else {
                labelled.push(color);
                format!("epoch {}", visit.epoch)
            };
            chart = chart.line(&label, segment, color);
        }
    }
    if let Some(last) = visits.last()
        && let Some(segment) = line_across(last.w, last.b, &PLANE, &PLANE)
    {
        chart = chart.dashed("final", segment, 3);
    }
    chart.points("d = 0", split_by_class(x, d, 0.0), 0).points(
        "d = 1",
        split_by_class(x, d, 1.0),
        1,
    )
}

fn separable(nb: &Notebook) {
    nb.section("A linearly separable set");
    let n = nb.choose(40, 100);
    let mut rng = StdRng::seed_from_u64(2);
    let (x, d) = separable_set(n, &mut rng);
    let ones = d.iter().filter(|&&di| di == 1.0).count();
    nb.say(format!(
        "{n} points in [−1, 1]², labelled by a teacher line x₁ + 2x₂ − 0.5 = 0 \
         ({ones} with d = 1, {} with d = 0); none closer than {MIN_MARGIN} to it.",
        n - ones
    ));

    // Novikoff's bound: inputs augmented to (x₁, x₂, 1), R = max ‖(x, 1)‖, and γ the margin of
    // the unit separator u: γ = min over samples of (2d − 1) u·(x, 1).
    let u = unit_teacher();
    let r = x
        .iter()
        .map(|p| (p[0] * p[0] + p[1] * p[1] + 1.0).sqrt())
        .fold(0.0, f64::max);
    let gamma = x
        .iter()
        .zip(&d)
        .map(|(p, di)| (2.0 * di - 1.0) * (u[0] * p[0] + u[1] * p[1] + u[2]))
        .fold(f64::INFINITY, f64::min);
    let bound = (r / gamma).powi(2);
    nb.say(format!(
        "Novikoff: with R = max ‖(x, 1)‖ = {r:.3} and the teacher's margin γ = {gamma:.4},\n\
         Rosenblatt's rule from w = 0 makes at most (R/γ)² = {bound:.0} updates."
    ));

    nb.section("Rosenblatt's rule on the separable set");
    nb.say(
        "w ← w + η (d − y) x, b ← b + η (d − y) on each mistake, sample by sample, η = 1, \
         from w = 0, b = 0.\nThe last column counts the mistakes of each new w on the whole \
         set: an update fixes one sample and may break others.",
    );
    let budget = 1000;
    let mut unit = Perceptron::new(2);
    let (outcome, visits) = train_recording(&mut unit, &x, &d, budget);
    println!("\n  update  epoch        w₁        w₂         b   mistakes on the set");
    for (k, v) in visits.iter().enumerate().skip(1) {
        println!(
            "  {k:>6}  {:>5}  {:>+8.3}  {:>+8.3}  {:>+8.3}   {}",
            v.epoch,
            v.w[0],
            v.w[1],
            v.b,
            mistakes_of(v.w, v.b, &x, &d)
        );
    }
    println!();
    let converged = match outcome {
        Training::Converged { epochs, updates } => Some((epochs, updates)),
        Training::DidNotConverge { .. } => None,
    };
    nb.claim(
        converged.is_some(),
        format!("the rule converges on the separable set: {outcome:?}"),
    );
    let (_, updates) = converged.expect("checked by the claim above");
    nb.claim(
        (updates as f64) <= bound,
        format!("{updates} updates ≤ Novikoff's bound (R/γ)² = {bound:.0}"),
    );
    let w = [unit.weights()[0], unit.weights()[1]];
    nb.claim(
        mistakes_of(w, unit.bias(), &x, &d) == 0,
        format!("the final unit classifies all {n} training points correctly"),
    );
    // The sample-by-sample replay is the library's own loop: same outcome, same weights.
    let mut whole = Perceptron::new(2);
    let library = whole.train(&x, &d, ETA, budget);
    nb.claim(
        library == outcome && whole == unit,
        "Perceptron::train over the whole set gives the same updates and the same weights",
    );

    nb.say(format!(
        "\nThe learned boundary {:+.3}·x₁ {:+.3}·x₂ {:+.3} = 0 (o: d = 0, X: d = 1; \
         region '.': y = 0, ':': y = 1):\n",
        w[0],
        w[1],
        unit.bias()
    ));
    let marks: Vec<(f64, f64, char)> = x
        .iter()
        .zip(&d)
        .map(|(p, &di)| (p[0], p[1], if di == 1.0 { 'X' } else { 'o' }))
        .collect();
    let map = text_map(
        PLANE,
        PLANE,
        48,
        16,
        |a, b| {
            if unit.predict(&[a, b]) == 1.0 {
                ':'
            } else {
                '.'
            }
        },
        &marks,
    );
    println!("{map}");

    let chart = boundaries_chart(
        &format!("Rosenblatt's rule: the boundary after each of {updates} updates"),
        &x,
        &d,
        &visits,
    );
    nb.save(&chart, "boundaries.svg")
        .expect("write boundaries.svg");
    nb.save(&final_chart(&unit, &x, &d), "final.svg")
        .expect("write final.svg");
}

/// The final unit's regions, its boundary, and the teacher's line dashed.
fn final_chart(unit: &Perceptron, x: &[[f64; 2]], d: &[f64]) -> Chart {
    let w = [unit.weights()[0], unit.weights()[1]];
    let mut chart = Chart::new(
        "after convergence: learned boundary and teacher",
        PLANE,
        PLANE,
    )
    .labels("x₁", "x₂")
    .shade(Shading::Classes, 60, |a, b| unit.predict(&[a, b]));
    if let Some(segment) = line_across(w, unit.bias(), &PLANE, &PLANE) {
        chart = chart.line("learned: w·x + b = 0", segment, 2);
    }
    if let Some(segment) = line_across(TEACHER.0, TEACHER.1, &PLANE, &PLANE) {
        chart = chart.dashed("teacher", segment, 7);
    }
    chart.points("d = 0", split_by_class(x, d, 0.0), 0).points(
        "d = 1",
        split_by_class(x, d, 1.0),
        1,
    )
}

fn xor(nb: &Notebook) {
    nb.section("XOR: the rule never converges");
    let x = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    let d = [0.0, 1.0, 1.0, 0.0];
    let budget = nb.choose(1_000, 100_000);
    nb.say(format!(
        "The same rule on the four XOR points, with a generous budget of {budget} epochs."
    ));
    let mut unit = Perceptron::new(2);
    let (outcome, visits) = train_recording(&mut unit, &x, &d, budget);
    println!("\n  outcome: {outcome:?}\n");
    nb.claim(
        matches!(outcome, Training::DidNotConverge { .. }),
        format!("the rule does not converge on XOR within {budget} epochs"),
    );
    let least = visits
        .iter()
        .map(|v| mistakes_of(v.w, v.b, &x, &d))
        .min()
        .unwrap_or(0);
    nb.claim(
        least >= 1,
        format!(
            "every one of the {} weight vectors it visits (w = 0 included) misclassifies \
             at least one of the four points",
            visits.len()
        ),
    );

    // The rule is deterministic: once the weights at the start of an epoch repeat, the epochs
    // after it repeat for ever, so no budget would ever be enough.
    let cycle = first_repeat(&epoch_starts(&visits));
    let statement = match cycle {
        Some((first, period)) => format!(
            "the weights entering epoch {} come back {period} epoch(s) later: the rule is \
             caught in a cycle and would never stop, whatever the budget",
            first + 1
        ),
        None => "the weights entering some epoch come back later".to_string(),
    };
    nb.claim(cycle.is_some(), statement);
    let (first, period) = cycle.expect("checked by the claim above");
    let in_cycle: Vec<Visit> = visits
        .iter()
        .copied()
        .filter(|v| v.epoch > first && v.epoch <= first + period)
        .collect();
    println!(
        "\n  one turn of the cycle ({} updates; each new w and how many points it gets wrong):",
        in_cycle.len()
    );
    println!("        w₁        w₂         b   wrong on XOR");
    for v in &in_cycle {
        println!(
            "  {:>+8.1}  {:>+8.1}  {:>+8.1}   {}",
            v.w[0],
            v.w[1],
            v.b,
            mistakes_of(v.w, v.b, &x, &d)
        );
    }
    nb.save(&xor_figure(&x, &d, &in_cycle), "xor_cycle.svg")
        .expect("write xor_cycle.svg");

    nb.section("Why no line separates XOR");
    nb.say(
        "Suppose w₁x₁ + w₂x₂ + b > 0 exactly on (0,1) and (1,0). Then\n\
         \x20 (0,0) → 0 needs           b ≤ 0,\n\
         \x20 (1,0) → 1 needs      w₁ + b > 0,\n\
         \x20 (0,1) → 1 needs      w₂ + b > 0.\n\
         Adding the last two, w₁ + w₂ + 2b > 0, so w₁ + w₂ + b > −b ≥ 0: the unit fires on\n\
         (1,1), which must give 0. No (w, b) computes XOR, so Rosenblatt's rule has nothing to\n\
         converge to. (Novikoff's bound needs a margin γ > 0; XOR has none.) A hidden layer\n\
         fixes this: example 03.",
    );
}

/// The weights at the start of each epoch (after the previous epoch's last update), as exact
/// keys: with 0/1 inputs every weight is a whole multiple of η.
fn epoch_starts(visits: &[Visit]) -> Vec<[i64; 3]> {
    let last_epoch = visits.last().map_or(0, |v| v.epoch);
    let mut starts = Vec::new();
    let mut current = visits[0];
    let mut k = 1;
    for epoch in 1..=last_epoch {
        starts.push([current.w[0], current.w[1], current.b].map(|t| (t / ETA).round() as i64));
        while k < visits.len() && visits[k].epoch == epoch {
            current = visits[k];
            k += 1;
        }
    }
    starts
}

/// The first state seen twice: `(index of its first sighting, distance to the second)`.
fn first_repeat(states: &[[i64; 3]]) -> Option<(usize, usize)> {
    let mut seen = HashMap::new();
    for (i, state) in states.iter().enumerate() {
        if let Some(&first) = seen.get(state) {
            return Some((first, i - first));
        }
        seen.insert(*state, i);
    }
    None
}

/// One panel per weight vector of the cycle: its regions, its line, and rings around the
/// points it gets wrong.
fn xor_figure(x: &[[f64; 2]], d: &[f64], cycle: &[Visit]) -> Figure {
    let mut figure = Figure::new(
        "Rosenblatt's rule on XOR: one turn of its cycle (rings: misclassified)",
        cycle.len().min(4),
    )
    .panel_size(330, 330);
    for v in cycle {
        let unit = Perceptron::with_weights(v.w.to_vec(), v.b);
        let wrong: Vec<(f64, f64)> = x
            .iter()
            .zip(d)
            .filter(|(p, di)| unit.predict(*p) != **di)
            .map(|(p, _)| (p[0], p[1]))
            .collect();
        let title = format!(
            "w = ({}, {}), b = {}: {} wrong",
            v.w[0],
            v.w[1],
            v.b,
            wrong.len()
        );
        let mut chart =
            Chart::new(&title, XOR_PLANE, XOR_PLANE)
                .shade(Shading::Classes, 40, |a, b| unit.predict(&[a, b]));
        if let Some(segment) = line_across(v.w, v.b, &XOR_PLANE, &XOR_PLANE) {
            chart = chart.line("", segment, 2);
        }
        figure = figure.panel(
            chart
                .points("", split_by_class(x, d, 0.0), 0)
                .points("", split_by_class(x, d, 1.0), 1)
                .rings("", wrong, 3),
        );
    }
    figure
}

fn main() {
    let nb = Notebook::start("02_rosenblatt", "02 · Rosenblatt's learning rule");
    separable(&nb);
    xor(&nb);
    nb.finish();
}
