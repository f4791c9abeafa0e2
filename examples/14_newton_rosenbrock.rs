//! # 14 · Forward mode, Hessians and Newton's method
//!
//! Forward mode pushes a direction `v` through the tape and gives `J v` for every output at
//! once; reverse mode pulls `u` back and gives `uᵀJ` for every input at once. The example
//! checks that they are transposes of each other (`u · (J v) = (Jᵀu) · v`) and agree with
//! finite differences, builds a Jacobian both ways, and then uses the Hessian (forward mode
//! over the recorded gradient) for Newton's method on Rosenbrock's banana valley:
//! `x ← x − H⁻¹ ∇f`. Newton reaches the minimum in a handful of steps where gradient descent
//! needs thousands; the picture shows both paths.
//!
//! Run: `cargo run --release --example 14_newton_rosenbrock` (`-- --quick` gives gradient
//! descent 20,000 steps instead of 100,000). The chapter: `docs/course/14-newton-rosenbrock.md`.

use autograd::{Direction, Tape, Tensor, TensorVar, hessian, hvp, jacobian, jvp, tensor_fn, vjp};
use notebook::{Chart, Notebook, Shading};

fn vector(values: &[f64]) -> Tensor<f64> {
    Tensor::from_vec(values.to_vec(), [values.len()]).expect("a vector")
}

fn dot(a: &Tensor<f64>, b: &Tensor<f64>) -> f64 {
    a.as_slice()
        .iter()
        .zip(b.as_slice())
        .map(|(p, q)| p * q)
        .sum()
}

/// Rosenbrock's function `f(x, y) = (1 − x)² + 100 (y − x²)²`, minimum 0 at (1, 1).
fn rosenbrock(p: TensorVar<'_, f64>) -> TensorVar<'_, f64> {
    let (x, y) = (p.narrow(0, 0, 1), p.narrow(0, 1, 1));
    (x.affine(-1.0, 1.0).powi(2) + (y - x.powi(2)).powi(2) * 100.0).sum()
}

fn rosenbrock_value(x: f64, y: f64) -> f64 {
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

fn forward_and_reverse(nb: &Notebook) {
    nb.section("Forward mode and reverse mode are transposes");
    // f: R³ → R², f(x) = (x₀ x₁ + sin x₂, exp(x₀ − x₂))
    let f = tensor_fn(|x: TensorVar<'_, f64>| {
        let (a, b, c) = (x.narrow(0, 0, 1), x.narrow(0, 1, 1), x.narrow(0, 2, 1));
        TensorVar::concat(&[a * b + c.sin(), (a - c).exp()], 0)
    });
    let x = vector(&[0.5, -1.0, 0.25]);
    let v = vector(&[1.0, 2.0, -1.0]);
    let u = vector(&[0.5, -1.5]);
    let (_, jv) = jvp(f, &x, &v).expect("jvp");
    let (_, ut_j) = vjp(f, &x, &u).expect("vjp");
    println!("  J v   (forward, one sweep) = {:?}", jv.to_vec());
    println!("  uᵀJ   (reverse, one sweep) = {:?}", ut_j.to_vec());
    let (left, right) = (dot(&u, &jv), dot(&ut_j, &v));
    println!("  u · (J v) = {left:.15}\n  (Jᵀu) · v = {right:.15}");
    nb.claim(
        (left - right).abs() < 1e-14,
        "u · (J v) = (Jᵀ u) · v: the two modes compute the same Jacobian",
    );

    // J v against a central difference along v
    let h = 1e-6;
    let shifted = |s: f64| {
        let tape = Tape::new();
        f(tape.tensor(&x + &(&v * s))).value()
    };
    let numeric: Vec<f64> = shifted(h)
        .as_slice()
        .iter()
        .zip(shifted(-h).as_slice())
        .map(|(p, q)| (p - q) / (2.0 * h))
        .collect();
    let gap = numeric
        .iter()
        .zip(jv.as_slice())
        .map(|(n, a)| (n - a).abs())
        .fold(0.0, f64::max);
    nb.claim(
        gap < 1e-8,
        format!("J v agrees with (f(x + hv) − f(x − hv)) / 2h (largest difference {gap:.1e})"),
    );

    let j = jacobian(f, &x).expect("jacobian");
    println!("\n  the Jacobian (2 × 3, built with 2 reverse sweeps, fewer than 3 forward ones):");
    for row in j.as_slice().chunks(3) {
        println!("    {:+.6} {:+.6} {:+.6}", row[0], row[1], row[2]);
    }
    let product: Vec<f64> = j
        .as_slice()
        .chunks(3)
        .map(|row| row.iter().zip(v.as_slice()).map(|(a, b)| a * b).sum())
        .collect();
    nb.claim(
        product
            .iter()
            .zip(jv.as_slice())
            .all(|(p, q)| (p - q).abs() < 1e-14),
        "the Jacobian times v is the forward-mode J v",
    );

    // the tape's own forward mode: any node's tangent, intermediate ones included
    let tape = Tape::new();
    let input = tape.tensor(x.clone());
    let hidden = input.sin();
    let out = f(input);
    let tangents = tape.jvp(&Direction::new().along(input, v.clone()));
    println!(
        "\n  tape.jvp gives every node's tangent: sin(x)' = {:?}, f' = {:?}",
        tangents.of(hidden).to_vec(),
        tangents.of(out).to_vec()
    );
    let expected: Vec<f64> = x
        .as_slice()
        .iter()
        .zip(v.as_slice())
        .map(|(xi, vi)| xi.cos() * vi)
        .collect();
    nb.claim(
        tangents.of(hidden).to_vec() == expected && tangents.of(out).to_vec() == jv.to_vec(),
        "an intermediate node's tangent is there too: (sin x)' = cos(x) ⊙ v, and f' = J v",
    );
}

/// Newton's method: `x ← x − H⁻¹ ∇f`, the Hessian from forward over reverse mode.
fn newton(start: [f64; 2], steps: usize) -> Vec<[f64; 2]> {
    let mut path = vec![start];
    let mut p = start;
    for _ in 0..steps {
        let x = vector(&p);
        let tape = Tape::new();
        let input = tape.tensor(x.clone());
        let gradient = rosenbrock(input).backward().wrt(input);
        let (g0, g1) = (gradient.as_slice()[0], gradient.as_slice()[1]);
        if g0.abs().max(g1.abs()) < 1e-12 {
            break; // a stationary point: Newton's step would be zero
        }
        let h = hessian(rosenbrock, &x).expect("hessian");
        let [a, b, c, d] = [0, 1, 2, 3].map(|k| h.as_slice()[k]);
        // H⁻¹ g for a 2 × 2 matrix: [[d, −b], [−c, a]] g / det
        let det = a * d - b * c;
        p = [
            p[0] - (d * g0 - b * g1) / det,
            p[1] - (-c * g0 + a * g1) / det,
        ];
        path.push(p);
    }
    path
}

/// Gradient descent with a fixed rate until the gradient is small or the budget runs out.
fn gradient_descent(start: [f64; 2], eta: f64, budget: usize) -> Vec<[f64; 2]> {
    let mut path = vec![start];
    let mut p = start;
    for _ in 0..budget {
        let tape = Tape::new();
        let input = tape.tensor(vector(&p));
        let g = rosenbrock(input).backward().wrt(input);
        if g.as_slice().iter().all(|v| v.abs() < 1e-6) {
            break;
        }
        p = [p[0] - eta * g.as_slice()[0], p[1] - eta * g.as_slice()[1]];
        path.push(p);
    }
    path
}

fn newton_section(nb: &Notebook) {
    nb.section("The Hessian of Rosenbrock's function");
    let minimum = vector(&[1.0, 1.0]);
    let h = hessian(rosenbrock, &minimum).expect("hessian");
    println!(
        "  H(1, 1) = {:?}  (by hand: [[802, −400], [−400, 200]])",
        h.to_vec()
    );
    nb.claim(
        h.to_vec() == vec![802.0, -400.0, -400.0, 200.0],
        "the Hessian from forward over reverse mode is exact at (1, 1)",
    );
    let v = vector(&[0.3, -0.7]);
    let hv = hvp(rosenbrock, &minimum, &v).expect("hvp");
    let by_matrix = [802.0 * 0.3 - 400.0 * -0.7, -400.0 * 0.3 + 200.0 * -0.7];
    nb.claim(
        hv.as_slice()
            .iter()
            .zip(by_matrix)
            .all(|(a, b)| (a - b).abs() < 1e-12),
        format!("hvp gives H v = {:?} without forming H", hv.to_vec()),
    );

    nb.section("Newton's method against gradient descent");
    let start = [-1.2, 1.0];
    let newton_path = newton(start, 50);
    let gd_budget = nb.choose(20_000, 100_000);
    const ETA: f64 = 1e-3;
    let gd_path = gradient_descent(start, ETA, gd_budget);
    for (k, p) in newton_path.iter().enumerate() {
        println!(
            "  Newton step {k}: ({:+.10}, {:+.10})  f = {:.3e}",
            p[0],
            p[1],
            rosenbrock_value(p[0], p[1])
        );
    }
    let end = newton_path[newton_path.len() - 1];
    let gd_end = gd_path[gd_path.len() - 1];
    println!(
        "  gradient descent (η = {ETA}): {} steps, ends at ({:+.6}, {:+.6}), f = {:.3e}",
        gd_path.len() - 1,
        gd_end[0],
        gd_end[1],
        rosenbrock_value(gd_end[0], gd_end[1])
    );
    nb.claim(
        (end[0] - 1.0).abs() < 1e-10 && (end[1] - 1.0).abs() < 1e-10 && newton_path.len() <= 11,
        format!(
            "Newton reaches (1, 1) to 1e-10 in {} steps",
            newton_path.len() - 1
        ),
    );
    let distance = |p: [f64; 2]| ((p[0] - 1.0).powi(2) + (p[1] - 1.0).powi(2)).sqrt();
    nb.claim(
        gd_path.len() - 1 > 100 * (newton_path.len() - 1)
            && distance(gd_end) < distance(start)
            && rosenbrock_value(gd_end[0], gd_end[1]) < rosenbrock_value(start[0], start[1]),
        format!(
            "gradient descent makes progress but needs over 100 times as many steps ({}), ending {:.1e} away",
            gd_path.len() - 1,
            distance(gd_end)
        ),
    );

    // every 50th GD point keeps the picture light
    let thinned: Vec<(f64, f64)> = gd_path.iter().step_by(50).map(|p| (p[0], p[1])).collect();
    let chart = Chart::new(
        "Rosenbrock: Newton (red) and gradient descent (blue)",
        -1.5..1.5,
        -3.5..2.0,
    )
    .labels("x", "y")
    .shade(Shading::Levels { log: true }, 50, |x, y| {
        rosenbrock_value(x, y) + 1e-3
    })
    .path("gradient descent, every 50th step", thinned, 0)
    .path("Newton", newton_path.iter().map(|p| (p[0], p[1])), 3)
    .points("minimum (1, 1)", [(1.0, 1.0)], 2);
    nb.save(&chart, "newton-vs-gd.svg")
        .expect("write the picture");
}

fn main() {
    let nb = Notebook::start(
        "14_newton_rosenbrock",
        "14 · Forward mode, Hessians and Newton's method",
    );
    forward_and_reverse(&nb);
    newton_section(&nb);
    nb.finish();
}
