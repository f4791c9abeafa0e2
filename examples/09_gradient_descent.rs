//! # 09 · Gradient descent and the empirical risk
//!
//! The lecture's algorithm: `w_t = w_{t−1} − η ∇f(w_{t−1})`, repeated while
//! `|f(w_t) − f(w_{t−1})| > ε` (`nn::optim::StoppingRule`), every gradient read off the
//! autograd tape. On a 1-D function with two minima (where it ends depends on where it starts);
//! on an elongated 2-D quadratic bowl `½ wᵀAw`, where the step size η decides everything: too
//! small crawls, `η* = 2/(λ_min + λ_max)` is fastest, just under `2/λ_max` still converges and
//! just over it diverges; on Rosenbrock's banana valley. Then the empirical risk
//! `Loss(W) = (1/N) Σ_i Div(f(W; x_i), d_i)` of a line fitted to noisy points, minimised by the
//! same descent and compared with the least-squares solution in closed form.
//!
//! Run: `cargo run --release --example 09_gradient_descent` (and `-- --quick` for the
//! few-second version). The chapter: `docs/course/09-gradient-descent.md`.

use autograd::{Real, Tape, Tensor};
use nn::losses::{empirical_risk, l2_divergence};
use nn::optim::{Optimizer, Sgd, StoppingRule};
use notebook::{Chart, Figure, Notebook, Shading, bounds};
use rand::{SeedableRng, rngs::StdRng};

/// A function to minimise, written once over [`Real`]: on numbers to draw it, on tape
/// variables to differentiate it.
trait Objective {
    fn at<R: Real>(&self, w: &[R]) -> R;
}

/// `f(x) = x⁴ − 3x² + x`: a global minimum near −1.30 and a local one near 1.13.
struct TwoWells;

impl Objective for TwoWells {
    fn at<R: Real>(&self, w: &[R]) -> R {
        let x = w[0].clone();
        x.clone().powi(4) - x.clone().powi(2) * 3.0 + x
    }
}

/// `f(w) = ½ wᵀAw` with `A` symmetric: a bowl whose axes are `A`'s eigenvectors.
struct Quadratic {
    a: [[f64; 2]; 2],
}

impl Quadratic {
    /// The bowl with curvatures `λ_min`, `λ_max` along axes turned by `angle` radians.
    fn rotated(lambda_min: f64, lambda_max: f64, angle: f64) -> Quadratic {
        let (c, s) = (angle.cos(), angle.sin());
        // A = R diag(λ_min, λ_max) Rᵀ
        let a = [
            [
                lambda_min * c * c + lambda_max * s * s,
                (lambda_min - lambda_max) * c * s,
            ],
            [
                (lambda_min - lambda_max) * c * s,
                lambda_min * s * s + lambda_max * c * c,
            ],
        ];
        Quadratic { a }
    }
}

impl Objective for Quadratic {
    fn at<R: Real>(&self, w: &[R]) -> R {
        let (x, y) = (w[0].clone(), w[1].clone());
        let [[a, b], [_, d]] = self.a;
        (x.clone() * x.clone() * a + x * y.clone() * (2.0 * b) + y.clone() * y * d) * 0.5
    }
}

/// Rosenbrock's function `(1 − x)² + 100 (y − x²)²`: minimum 0 at (1, 1), at the end of a
/// long curved valley.
struct Rosenbrock;

impl Objective for Rosenbrock {
    fn at<R: Real>(&self, w: &[R]) -> R {
        let (x, y) = (w[0].clone(), w[1].clone());
        (-x.clone() + 1.0).powi(2) + (y - x.powi(2)).powi(2) * 100.0
    }
}

/// The eigenvalues (smallest first) of a symmetric 2 × 2 matrix.
fn symmetric_eigenvalues(a: [[f64; 2]; 2]) -> (f64, f64) {
    let (mean, det) = (
        (a[0][0] + a[1][1]) / 2.0,
        a[0][0] * a[1][1] - a[0][1] * a[1][0],
    );
    let spread = (mean * mean - det).max(0.0).sqrt();
    (mean - spread, mean + spread)
}

/// `f(w)` and `∇f(w)`, the gradient from one backward pass over a fresh tape.
fn value_and_gradient(f: &impl Objective, w: &[f64]) -> (f64, Vec<f64>) {
    let tape = Tape::new();
    let vars = tape.vars(w);
    let y = f.at(&vars);
    (y.value(), y.backward().wrt_all(&vars))
}

/// The Hessian `∂²f/∂w_i∂w_j` from the tape: the backward pass is itself recorded, and each
/// gradient component differentiated again.
fn hessian(f: &impl Objective, w: &[f64]) -> [[f64; 2]; 2] {
    let tape = Tape::new();
    let vars = tape.vars(w);
    let gradient = f.at(&vars).backward_graph().wrt_all(&vars);
    let row = |i: usize| {
        let second = gradient[i].backward().wrt_all(&vars);
        [second[0], second[1]]
    };
    [row(0), row(1)]
}

fn norm(w: &[f64]) -> f64 {
    w.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// How a descent ended.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// The stopping rule fired after this many steps.
    Stopped(usize),
    /// The step budget ran out first.
    OutOfSteps,
    /// `|w|` passed 10⁶ (or f stopped being finite) after this many steps.
    Diverged(usize),
}

/// A descent: every iterate `w_t` and `f(w_t)`, and how it ended.
struct Descent {
    path: Vec<Vec<f64>>,
    values: Vec<f64>,
    outcome: Outcome,
}

impl Descent {
    fn last(&self) -> &[f64] {
        self.path.last().expect("a descent has a start")
    }

    /// The per-step contraction of `‖w_t − w*‖` over the last `k` steps (geometric mean).
    fn rate(&self, minimum: &[f64], k: usize) -> f64 {
        let distance = |w: &[f64]| {
            let d: Vec<f64> = w.iter().zip(minimum).map(|(a, b)| a - b).collect();
            norm(&d)
        };
        let n = self.path.len();
        (distance(&self.path[n - 1]) / distance(&self.path[n - 1 - k])).powf(1.0 / k as f64)
    }
}

/// Gradient descent as in the lecture: `w_t = w_{t−1} − η ∇f(w_{t−1})` while
/// `|f(w_t) − f(w_{t−1})| ≥ ε`, for at most `budget` steps (`ε = 0`: run the whole budget).
fn descend(f: &impl Objective, start: &[f64], eta: f64, epsilon: f64, budget: usize) -> Descent {
    let mut rule = StoppingRule::new(epsilon);
    let mut w = start.to_vec();
    let (mut path, mut values) = (Vec::new(), Vec::new());
    for t in 0.. {
        let (value, gradient) = value_and_gradient(f, &w);
        path.push(w.clone());
        values.push(value);
        let outcome = if !value.is_finite() || norm(&w) > 1e6 {
            Some(Outcome::Diverged(t))
        } else if rule.should_stop(value) {
            Some(Outcome::Stopped(t))
        } else if t == budget {
            Some(Outcome::OutOfSteps)
        } else {
            None
        };
        if let Some(outcome) = outcome {
            return Descent {
                path,
                values,
                outcome,
            };
        }
        for (wi, gi) in w.iter_mut().zip(&gradient) {
            *wi -= eta * gi;
        }
    }
    unreachable!("the loop returns")
}

/// A root of `g` in `[lo, hi]` by bisection (`g(lo)` and `g(hi)` of opposite signs).
fn bisect(g: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if (g(mid) > 0.0) == (g(lo) > 0.0) {
            lo = mid
        } else {
            hi = mid
        }
    }
    0.5 * (lo + hi)
}

fn one_dimension(nb: &Notebook) {
    nb.section("1-D: f(x) = x⁴ − 3x² + x, from two starts");
    nb.say("w_t = w_{t−1} − η df/dw, while |f(w_t) − f(w_{t−1})| > ε (η = 0.02, ε = 10⁻¹²).");
    nb.say("df/dw comes from the tape at each step. The minima, for comparison: the roots of");
    nb.say("f'(x) = 4x³ − 6x + 1 by bisection.\n");
    let slope = |x: f64| 4.0 * x.powi(3) - 6.0 * x + 1.0;
    let (global, local) = (bisect(slope, -2.0, -1.0), bisect(slope, 0.5, 2.0));
    let f = |x: f64| TwoWells.at(&[x]);
    let (eta, epsilon) = (0.02, 1e-12);
    let runs: Vec<(f64, Descent)> = [-2.0, 2.0]
        .map(|x0| (x0, descend(&TwoWells, &[x0], eta, epsilon, 10_000)))
        .into();
    for (x0, run) in &runs {
        let x = run.last()[0];
        println!(
            "  from x0 = {x0:>4}: {:?}, x = {x:.6}, f(x) = {:.6}, f'(x) = {:.1e}",
            run.outcome,
            f(x),
            value_and_gradient(&TwoWells, &[x]).1[0]
        );
    }
    let (left, right) = (runs[0].1.last()[0], runs[1].1.last()[0]);
    nb.say("");
    nb.claim(
        runs.iter()
            .all(|(_, r)| matches!(r.outcome, Outcome::Stopped(_))),
        "the stopping rule ends both descents within the budget",
    );
    nb.claim(
        (left - global).abs() < 1e-4 && (right - local).abs() < 1e-4,
        format!(
            "from −2 it finds the global minimum x = {global:.4} (f = {:.3}); from 2 the local one \
             x = {local:.4} (f = {:.3}): gradient descent finds a minimum near its start, not the best",
            f(global),
            f(local)
        ),
    );
    let wild = descend(&TwoWells, &[2.0], 0.2, epsilon, 10_000);
    let xs: Vec<String> = wild
        .path
        .iter()
        .take(4)
        .map(|w| format!("{:.3}", w[0]))
        .collect();
    nb.claim(
        matches!(wild.outcome, Outcome::Diverged(t) if t < 10),
        format!(
            "with η = 0.2 the same start diverges: x = {} ... |x| > 10⁶ after {} steps",
            xs.join(", "),
            match wild.outcome {
                Outcome::Diverged(t) => t,
                _ => 0,
            }
        ),
    );

    let curve = (0..=200)
        .map(|i| -2.2 + 4.4 * i as f64 / 200.0)
        .map(|x| (x, f(x)));
    let mut chart = Chart::new(
        "gradient descent on x⁴ − 3x² + x (η = 0.02)",
        -2.3..2.3,
        -5.0..12.0,
    )
    .labels("x", "f(x)")
    .line("f", curve, 7);
    for (k, (x0, run)) in runs.iter().enumerate() {
        let points = run.path.iter().map(|w| (w[0], f(w[0])));
        chart = chart.path(&format!("from x0 = {x0}"), points, k);
    }
    let chart = chart
        .text((global - 0.5, f(global) - 0.9), "global minimum")
        .text((local - 0.4, f(local) - 0.9), "local minimum");
    nb.save(&chart, "one_dimension.svg")
        .expect("write one_dimension.svg");
}

/// The convergence rate of GD on the quadratic: `max |1 − η λ|` over its eigenvalues.
fn theoretical_rate(eta: f64, (lambda_min, lambda_max): (f64, f64)) -> f64 {
    (1.0 - eta * lambda_min)
        .abs()
        .max((1.0 - eta * lambda_max).abs())
}

/// Returns the steps η* took, for comparison.
fn quadratic_bowl(nb: &Notebook) -> usize {
    nb.section("2-D: an elongated bowl f(w) = ½ wᵀAw, and the step size η");
    let bowl = Quadratic::rotated(1.0, 10.0, 0.5);
    let start = [-4.0, 2.5];
    nb.say(format!(
        "A = [[{:.3}, {:.3}], [{:.3}, {:.3}]] (curvatures 1 and 10 along axes turned by 0.5 rad).",
        bowl.a[0][0], bowl.a[0][1], bowl.a[1][0], bowl.a[1][1]
    ));
    let h = hessian(&bowl, &start);
    let same = (0..2).all(|i| (0..2).all(|j| (h[i][j] - bowl.a[i][j]).abs() < 1e-12));
    nb.claim(
        same,
        "the tape's Hessian of ½ wᵀAw is A (second derivatives by a recorded backward pass)",
    );
    let (lambda_min, lambda_max) = symmetric_eigenvalues(h);
    let (eta_best, eta_edge) = (2.0 / (lambda_min + lambda_max), 2.0 / lambda_max);
    nb.say(format!(
        "Its eigenvalues: λ_min = {lambda_min:.3}, λ_max = {lambda_max:.3}."
    ));
    nb.say("Along each eigenvector GD multiplies the error by (1 − ηλ) per step, so it converges");
    nb.say(format!(
        "iff η < 2/λ_max = {eta_edge:.4}, and fastest at η* = 2/(λ_min + λ_max) = {eta_best:.4}, where the"
    ));
    nb.say(format!(
        "rate is (κ − 1)/(κ + 1) = {:.4} with κ = λ_max/λ_min.\n",
        (lambda_max / lambda_min - 1.0) / (lambda_max / lambda_min + 1.0)
    ));
    let (epsilon, budget) = (1e-12, 1000);
    let etas = [
        ("too small", 0.005),
        ("η*, the best", eta_best),
        ("0.98 · 2/λ_max", 0.98 * eta_edge),
        ("1.02 · 2/λ_max", 1.02 * eta_edge),
    ];
    println!(
        "  {:<15} {:>7} | {:<15} {:>12} {:>11} {:>9} {:>9}",
        "η", "", "outcome", "f(w_T)", "‖w_T − w*‖", "rate", "theory"
    );
    let runs: Vec<Descent> = etas
        .iter()
        .map(|&(_, eta)| descend(&bowl, &start, eta, epsilon, budget))
        .collect();
    for ((name, eta), run) in etas.iter().zip(&runs) {
        println!(
            "  {name:<15} {eta:>7.4} | {:<15} {:>12.3e} {:>11.3e} {:>9.4} {:>9.4}",
            format!("{:?}", run.outcome),
            run.values.last().expect("a value"),
            norm(run.last()),
            run.rate(&[0.0, 0.0], 20),
            theoretical_rate(*eta, (lambda_min, lambda_max))
        );
    }
    nb.say("");
    nb.claim(
        runs[0].outcome == Outcome::OutOfSteps && norm(runs[0].last()) > 1e-3,
        format!(
            "η = 0.005 is too small: after {budget} steps the rule has not stopped and ‖w − w*‖ = {:.3}",
            norm(runs[0].last())
        ),
    );
    let steps = |run: &Descent| match run.outcome {
        Outcome::Stopped(t) => t,
        _ => usize::MAX,
    };
    nb.claim(
        (0..4).all(|k| k == 1 || steps(&runs[1]) < steps(&runs[k])) && norm(runs[1].last()) < 1e-5,
        format!(
            "η* converges fastest: the rule stops after {} steps with ‖w − w*‖ = {:.1e}",
            steps(&runs[1]),
            norm(runs[1].last())
        ),
    );
    nb.claim(
        matches!(runs[2].outcome, Outcome::Stopped(_)) && norm(runs[2].last()) < 1e-4,
        format!(
            "η slightly below 2/λ_max converges, zigzagging: stopped after {} steps, ‖w − w*‖ = {:.1e}",
            steps(&runs[2]),
            norm(runs[2].last())
        ),
    );
    nb.claim(
        matches!(runs[3].outcome, Outcome::Diverged(_)),
        format!(
            "η slightly above 2/λ_max diverges: ‖w‖ passed 10⁶ after {} steps",
            match runs[3].outcome {
                Outcome::Diverged(t) => t,
                _ => 0,
            }
        ),
    );
    let rates_match = etas.iter().zip(&runs).all(|((_, eta), run)| {
        (run.rate(&[0.0, 0.0], 20) - theoretical_rate(*eta, (lambda_min, lambda_max))).abs() < 1e-3
    });
    nb.claim(
        rates_match,
        "each run's measured contraction per step (last 20 steps) is max |1 − ηλ| to 10⁻³",
    );

    // the stopping rule measures progress, not distance to the minimum
    let hasty = descend(&bowl, &start, 0.005, 1e-3, budget);
    nb.claim(
        matches!(hasty.outcome, Outcome::Stopped(_)) && norm(hasty.last()) > 0.1,
        format!(
            "but a loose ε misleads: with η = 0.005 and ε = 10⁻³ the rule stops after {} steps, \
             still {:.2} from the minimum",
            steps(&hasty),
            norm(hasty.last())
        ),
    );

    // the trajectories over log-spaced contours, two panels a picture (shading is heavy)
    let range = 5.0;
    let pictures = [
        ("η too small, and η*", "bowl_small_and_best.svg", 0..2),
        ("η either side of 2/λ_max", "bowl_at_the_edge.svg", 2..4),
    ];
    for (title, file, members) in pictures {
        let mut figure = Figure::new(&format!("gradient descent on ½ wᵀAw: {title}"), 2);
        for k in members {
            let ((name, eta), run) = (etas[k], &runs[k]);
            // at most ~120 markers: every 10th step of the slow run (it does not zigzag),
            // the first 120 of the others (every step, so that the zigzag shows)
            let stride = if k == 0 { 10 } else { 1 };
            let inside: Vec<(usize, (f64, f64))> = run
                .path
                .iter()
                .enumerate()
                .take_while(|(_, w)| w[0].abs() <= range && w[1].abs() <= range)
                .step_by(stride)
                .take(120)
                .map(|(t, w)| (t, (w[0], w[1])))
                .collect();
            let last = inside.last().map_or(0, |(t, _)| *t);
            let chart = Chart::new(
                &format!("η = {eta:.4} ({name}): steps 0 to {last}"),
                -range..range,
                -range..range,
            )
            .labels("w₁", "w₂")
            .shade(Shading::Levels { log: true }, 60, |x, y| bowl.at(&[x, y]))
            .path("", inside.into_iter().map(|(_, w)| w), 3);
            figure = figure.panel(chart);
        }
        nb.save(&figure, file).expect("write the bowl pictures");
    }

    // the rate as a function of η
    let count = nb.choose(30, 120);
    let bar = nb.progress(count as u64, "η sweep");
    let sweep: Vec<(f64, f64)> = (1..=count)
        .map(|i| {
            let eta = 0.22 * i as f64 / count as f64;
            let run = descend(&bowl, &start, eta, 0.0, 200);
            bar.inc(1);
            (eta, run.rate(&[0.0, 0.0], 20))
        })
        .collect();
    bar.finish_and_clear();
    let best = sweep
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a sweep");
    let spacing = 0.22 / count as f64;
    nb.claim(
        (best.0 - eta_best).abs() <= spacing
            && sweep
                .iter()
                .all(|&(eta, rate)| (rate < 1.0) == (eta < eta_edge)),
        format!(
            "over {count} values of η in (0, 0.22]: the fastest is η = {:.4} (η* = {eta_best:.4}), and \
             descent contracts (rate < 1) exactly when η < 2/λ_max",
            best.0
        ),
    );
    let theory = (1..=220).map(|i| {
        let eta = i as f64 / 1000.0;
        (eta, theoretical_rate(eta, (lambda_min, lambda_max)))
    });
    let chart = Chart::new("contraction per step against η", 0.0..0.225, 0.75..1.25)
        .labels("η", "‖w_t − w*‖ / ‖w_{t−1} − w*‖")
        .line("theory: max |1 − ηλ|", theory, 0)
        .points("measured (tape gradients)", sweep.iter().copied(), 1)
        .dashed("", [(eta_best, 0.75), (eta_best, 1.25)], 2)
        .dashed("", [(eta_edge, 0.75), (eta_edge, 1.25)], 3)
        .dashed("", [(0.0, 1.0), (0.225, 1.0)], 7)
        .text((eta_best - 0.01, 0.77), "η*")
        .text((eta_edge + 0.002, 0.77), "2/λ_max");
    nb.save(&chart, "rate_vs_eta.svg")
        .expect("write rate_vs_eta.svg");
    steps(&runs[1])
}

fn rosenbrock(nb: &Notebook, bowl_steps: usize) {
    nb.section("2-D: Rosenbrock's valley (1 − x)² + 100 (y − x²)²");
    let (start, eta, budget) = ([-1.2, 1.0], 1e-3, 50_000);
    let (low, high) = symmetric_eigenvalues(hessian(&Rosenbrock, &[1.0, 1.0]));
    let (_, high_start) = symmetric_eigenvalues(hessian(&Rosenbrock, &start));
    nb.say(format!(
        "From ({}, {}) with η = {eta}. The tape's Hessian at the minimum (1, 1) has eigenvalues",
        start[0], start[1]
    ));
    nb.say(format!(
        "{low:.4} and {high:.1} (κ = {:.0}): the valley floor is nearly flat along its length and",
        high / low
    ));
    nb.say(format!(
        "steep across it. η must stay below 2/λ_max: {:.5} there, {:.5} at the start.\n",
        2.0 / high,
        2.0 / high_start
    ));
    let run = descend(&Rosenbrock, &start, eta, 1e-14, budget);
    let end = run.last();
    let distance = norm(&[end[0] - 1.0, end[1] - 1.0]);
    println!(
        "  {:?}: w = ({:.5}, {:.5}), f = {:.2e}, distance to (1, 1) = {distance:.1e}",
        run.outcome,
        end[0],
        end[1],
        run.values.last().expect("a value")
    );
    let after = |t: usize| {
        let w = &run.path[t.min(run.path.len() - 1)];
        norm(&[w[0] - 1.0, w[1] - 1.0])
    };
    println!(
        "  distance to (1, 1) after 100, 1000, 5000 steps: {:.3}, {:.3}, {:.3}",
        after(100),
        after(1000),
        after(5000)
    );
    nb.say("");
    nb.claim(
        run.values.windows(2).all(|v| v[1] <= v[0]),
        "f falls at every step",
    );
    nb.claim(
        matches!(run.outcome, Outcome::Stopped(t) if t > 5000) && distance < 1e-2,
        format!(
            "GD reaches (1, 1) to {distance:.0e}, but needs {} steps (the bowl with κ = 10: {bowl_steps})",
            match run.outcome {
                Outcome::Stopped(t) => t,
                _ => 0,
            }
        ),
    );
    let shown: Vec<(f64, f64)> = run
        .path
        .iter()
        .enumerate()
        .filter(|(t, _)| *t < 50 || t % 100 == 0)
        .map(|(_, w)| (w[0], w[1]))
        .collect();
    let chart = Chart::new(
        "gradient descent on Rosenbrock (η = 0.001)",
        -2.0..2.0,
        -1.0..3.0,
    )
    .labels("x", "y")
    .shade(Shading::Levels { log: true }, 60, |x, y| {
        Rosenbrock.at(&[x, y])
    })
    .line("w_t", shown, 3)
    .points("start", [(start[0], start[1])], 1)
    .points("minimum (1, 1)", [(1.0, 1.0)], 8);
    nb.save(&chart, "rosenbrock.svg")
        .expect("write rosenbrock.svg");
}

/// Noisy points on the line d = 2x − 1, x uniform in [0, 4].
fn noisy_line(n: usize, rng: &mut StdRng) -> (Vec<f64>, Vec<f64>) {
    let x = Tensor::<f64>::rand_uniform([n], 0.0, 4.0, rng).to_vec();
    let noise = Tensor::<f64>::rand_normal([n], 0.0, 0.5, rng).to_vec();
    let d = x
        .iter()
        .zip(&noise)
        .map(|(x, e)| 2.0 * x - 1.0 + e)
        .collect();
    (x, d)
}

/// The least-squares line through the points, in closed form: slope cov(x, d)/var(x).
fn least_squares(x: &[f64], d: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let (mx, md) = (x.iter().sum::<f64>() / n, d.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(d).map(|(x, d)| (x - mx) * (d - md)).sum();
    let var: f64 = x.iter().map(|x| (x - mx).powi(2)).sum();
    let slope = cov / var;
    (slope, md - slope * mx)
}

fn empirical_risk_section(nb: &Notebook) {
    nb.section("The empirical risk, minimised by gradient descent");
    let n = 20;
    let mut rng = StdRng::seed_from_u64(9);
    let (x, d) = noisy_line(n, &mut rng);
    nb.say(format!(
        "{n} noisy points d_i = 2 x_i − 1 + noise; the model f(W; x) = w x + b; the divergence"
    ));
    nb.say("Div(y, d) = ½ (y − d)² per sample and Loss(W) = (1/N) Σ_i Div(f(W; x_i), d_i)");
    nb.say("(nn::losses::l2_divergence, then nn::losses::empirical_risk). The loss is a quadratic");
    nb.say("in (w, b) with Hessian H = [[mean x², mean x], [mean x, 1]]: a bowl again. We take");
    nb.say(
        "η = 1/λ_max, the largest step that overshoots along no axis (η* would zigzag the line).\n",
    );

    let xs = Tensor::from_vec(x.clone(), [n, 1]).expect("n values");
    let ds = Tensor::from_vec(d.clone(), [n, 1]).expect("n values");
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let x2: Vec<f64> = x.iter().map(|x| x * x).collect();
    let (h_min, h_max) = symmetric_eigenvalues([[mean(&x2), mean(&x)], [mean(&x), 1.0]]);
    let eta = 1.0 / h_max;
    println!("  Hessian eigenvalues {h_min:.3} and {h_max:.3}: η = 1/λ_max = {eta:.4}");

    /// The per-sample divergences and the risk at the parameters (w, b), with gradients.
    fn risk(
        params: &[Tensor<f64>],
        xs: &Tensor<f64>,
        ds: &Tensor<f64>,
    ) -> (Vec<f64>, f64, Vec<Tensor<f64>>) {
        let tape = Tape::new();
        let (w, b) = (
            tape.tensor(params[0].clone()),
            tape.tensor(params[1].clone()),
        );
        let y = tape.constant_tensor(xs.clone()).matmul(w) + b;
        let divergences = l2_divergence(y, tape.constant_tensor(ds.clone()));
        let loss = empirical_risk(divergences);
        let grads = loss.backward();
        (
            divergences.value().to_vec(),
            loss.value().item().expect("a scalar loss"),
            vec![grads.wrt(w), grads.wrt(b)],
        )
    }

    let mut params = nn::Parameters::new();
    params.add("w", Tensor::<f64>::zeros([1, 1]));
    params.add("b", Tensor::<f64>::zeros([1]));
    let mut sgd = Sgd::new(eta); // on the whole data set at once: plain gradient descent
    let mut rule = StoppingRule::new(1e-14);
    let (mut losses, mut lines) = (Vec::new(), Vec::new());
    let (first_divergences, _, _) = risk(params.tensors(), &xs, &ds);
    let mut stopped = false;
    for _ in 0..5000 {
        let (_, loss, grads) = risk(params.tensors(), &xs, &ds);
        losses.push(loss);
        lines.push((
            params.tensors()[0].to_vec()[0],
            params.tensors()[1].to_vec()[0],
        ));
        stopped = rule.should_stop(loss);
        if stopped {
            break;
        }
        sgd.step(&mut params, &grads);
    }
    let steps = losses.len() - 1;
    for t in [0, 1, 2, 5, 10, 20, steps] {
        println!(
            "  t = {t:>3}: w = {:>8.5}, b = {:>8.5}, Loss = {:.6}",
            lines[t].0, lines[t].1, losses[t]
        );
    }
    let (w_ls, b_ls) = least_squares(&x, &d);
    let loss_ls = d
        .iter()
        .zip(&x)
        .map(|(d, x)| 0.5 * (w_ls * x + b_ls - d).powi(2))
        .sum::<f64>()
        / n as f64;
    let (w, b) = lines[steps];
    println!(
        "  least squares (closed form): w = {w_ls:>8.5}, b = {b_ls:>8.5}, Loss = {loss_ls:.6}"
    );
    nb.say("");
    let by_hand = first_divergences.iter().sum::<f64>() / n as f64;
    nb.claim(
        (losses[0] - by_hand).abs() < 1e-12,
        format!(
            "the empirical risk is the average of the {n} per-sample divergences: {:.6} = {by_hand:.6}",
            losses[0]
        ),
    );
    nb.claim(
        stopped && losses.windows(2).all(|l| l[1] <= l[0]),
        format!(
            "the loss falls at every step, from {:.4} to {:.6} in {steps} steps (the rule stopped it)",
            losses[0], losses[steps]
        ),
    );
    nb.claim(
        (w - w_ls).abs() < 1e-5 && (b - b_ls).abs() < 1e-5 && losses[steps] - loss_ls < 1e-10,
        format!(
            "the parameters reach the least-squares solution: |w − w_LS| = {:.0e}, |b − b_LS| = {:.0e}",
            (w - w_ls).abs(),
            (b - b_ls).abs()
        ),
    );

    let (xr, yr) = bounds(x.iter().copied().zip(d.iter().copied()));
    let line = |(w, b): (f64, f64)| [(xr.start, w * xr.start + b), (xr.end, w * xr.end + b)];
    // room at the top for the legend
    let mut fit = Chart::new(
        "fitting a line by minimising the empirical risk",
        xr.clone(),
        yr.start..yr.end + 4.0,
    )
    .labels("x", "d")
    .points(
        "samples (x_i, d_i)",
        x.iter().copied().zip(d.iter().copied()),
        0,
    );
    for (k, t) in [1usize, 10, 100].into_iter().enumerate() {
        fit = fit.dashed(&format!("GD after {t} steps"), line(lines[t]), 4 + k);
    }
    let fit = fit.line("GD at the end = least squares", line((w, b)), 3);
    let gap = Chart::new("Loss(W_t) − Loss(W_LS)", 0.0..steps as f64, -16.0..1.0)
        .labels("step t", "log₁₀ of the gap")
        .line(
            "",
            losses
                .iter()
                .enumerate()
                .map(|(t, l)| (t as f64, (l - loss_ls).max(1e-16).log10())),
            0,
        );
    let figure = Figure::new("the empirical risk and gradient descent", 2)
        .panel(fit)
        .panel(gap);
    nb.save(&figure, "empirical_risk.svg")
        .expect("write empirical_risk.svg");
}

fn main() {
    let nb = Notebook::start(
        "09_gradient_descent",
        "09 · Gradient descent and the empirical risk",
    );
    one_dimension(&nb);
    let bowl_steps = quadratic_bowl(&nb);
    rosenbrock(&nb, bowl_steps);
    empirical_risk_section(&nb);
    nb.finish();
}
