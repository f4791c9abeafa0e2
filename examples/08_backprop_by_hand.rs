//! # 08 · Backpropagation by hand
//!
//! A two-layer network (2 inputs, 3 sigmoid hidden units, 2 sigmoid outputs, L2 divergence) is
//! run forward and backward twice: once by the lecture's recursion written out in plain `f64`
//! arithmetic, once by recording it on the tape and calling `backward`. Every forward value
//! `z^(k)`, `y^(k)` and every derivative `∂Div/∂y^(k)`, `∂Div/∂z^(k)`, `∂Div/∂w_ij^(k)` is
//! printed side by side and checked equal. Then the output activation becomes softmax, a
//! *vector* activation: its Jacobian is read off the tape, checked against the lecture's
//! formula, and the backward step must sum over all outputs; the scalar rule would be wrong.
//!
//! Run: `cargo run --release --example 08_backprop_by_hand` (quick either way; `--quick` is
//! accepted). The chapter: `docs/course/08-backprop-by-hand.md`.

use autograd::{Tape, Var};
use notebook::{ImageGrid, Notebook};

/// The network's weights: `w1[i][j]` is `w_ij^(1)` (input `i` to hidden unit `j`).
struct Weights {
    w1: [[f64; 3]; 2],
    b1: [f64; 3],
    w2: [[f64; 2]; 3],
    b2: [f64; 2],
}

const WEIGHTS: Weights = Weights {
    w1: [[0.5, -0.3, 0.8], [-0.6, 0.4, 0.2]],
    b1: [0.1, -0.2, 0.05],
    w2: [[0.7, -0.5], [-0.4, 0.9], [0.3, 0.6]],
    b2: [-0.1, 0.2],
};
const X: [f64; 2] = [1.0, -2.0];
const D: [f64; 2] = [1.0, 0.0];

/// The output activation: scalar (each `y_i` depends on its own `z_i`) or vector.
#[derive(Clone, Copy, PartialEq)]
enum Output {
    Sigmoid,
    Softmax,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|v| v / s).collect()
}

/// Everything the forward and backward passes compute, in the lecture's names.
#[derive(Debug, Default)]
struct Pass {
    z1: Vec<f64>,
    y1: Vec<f64>,
    z2: Vec<f64>,
    y2: Vec<f64>,
    div: f64,
    d_y2: Vec<f64>,
    d_z2: Vec<f64>,
    d_w2: Vec<Vec<f64>>,
    d_y1: Vec<f64>,
    d_z1: Vec<f64>,
    d_w1: Vec<Vec<f64>>,
}

/// The lecture's recursion, written out: forward `z_j^(k) = Σ_i w_ij^(k) y_i^(k-1) + b_j^(k)`,
/// `y^(k) = σ(z^(k))`; backward from `∂Div/∂y^(2) = y − d`.
fn by_hand(w: &Weights, output: Output) -> Pass {
    let mut p = Pass {
        z1: (0..3)
            .map(|j| (0..2).map(|i| w.w1[i][j] * X[i]).sum::<f64>() + w.b1[j])
            .collect(),
        ..Pass::default()
    };
    p.y1 = p.z1.iter().map(|&z| sigmoid(z)).collect();
    p.z2 = (0..2)
        .map(|j| (0..3).map(|i| w.w2[i][j] * p.y1[i]).sum::<f64>() + w.b2[j])
        .collect();
    p.y2 = match output {
        Output::Sigmoid => p.z2.iter().map(|&z| sigmoid(z)).collect(),
        Output::Softmax => softmax(&p.z2),
    };
    p.div = 0.5 * (0..2).map(|i| (p.y2[i] - D[i]).powi(2)).sum::<f64>();

    // ∂Div/∂y_i = y_i − d_i for the L2 divergence
    p.d_y2 = (0..2).map(|i| p.y2[i] - D[i]).collect();
    p.d_z2 = match output {
        // scalar activation: ∂Div/∂z_i = σ'(z_i) ∂Div/∂y_i, with σ' = y(1 − y)
        Output::Sigmoid => (0..2)
            .map(|i| p.y2[i] * (1.0 - p.y2[i]) * p.d_y2[i])
            .collect(),
        // vector activation: ∂Div/∂z_i = Σ_j ∂y_j/∂z_i ∂Div/∂y_j
        Output::Softmax => (0..2)
            .map(|i| {
                (0..2)
                    .map(|j| softmax_jacobian(&p.y2, j, i) * p.d_y2[j])
                    .sum()
            })
            .collect(),
    };
    // ∂Div/∂w_ij^(2) = y_i^(1) ∂Div/∂z_j^(2)
    p.d_w2 = (0..3)
        .map(|i| (0..2).map(|j| p.y1[i] * p.d_z2[j]).collect())
        .collect();
    // ∂Div/∂y_i^(1) = Σ_j w_ij^(2) ∂Div/∂z_j^(2)
    p.d_y1 = (0..3)
        .map(|i| (0..2).map(|j| w.w2[i][j] * p.d_z2[j]).sum())
        .collect();
    // ∂Div/∂z_i^(1) = σ'(z_i^(1)) ∂Div/∂y_i^(1)
    p.d_z1 = (0..3)
        .map(|i| p.y1[i] * (1.0 - p.y1[i]) * p.d_y1[i])
        .collect();
    // ∂Div/∂w_ij^(1) = y_i^(0) ∂Div/∂z_j^(1), with y^(0) = x
    p.d_w1 = (0..2)
        .map(|i| (0..3).map(|j| X[i] * p.d_z1[j]).collect())
        .collect();
    p
}

/// The lecture's softmax derivative `∂y_j/∂z_i`: `y_i(1 − y_i)` if `i = j`, else `−y_i y_j`.
fn softmax_jacobian(y: &[f64], j: usize, i: usize) -> f64 {
    if i == j {
        y[i] * (1.0 - y[i])
    } else {
        -y[i] * y[j]
    }
}

/// The same network recorded on the tape: every weight, `z` and `y` is a variable, so the
/// gradient store answers for each of them.
struct Recorded<'t> {
    w1: Vec<Vec<Var<'t>>>,
    w2: Vec<Vec<Var<'t>>>,
    z1: Vec<Var<'t>>,
    y1: Vec<Var<'t>>,
    z2: Vec<Var<'t>>,
    y2: Vec<Var<'t>>,
    div: Var<'t>,
}

fn record<'t>(tape: &'t Tape, w: &Weights, output: Output) -> Recorded<'t> {
    let w1: Vec<Vec<Var>> = w.w1.iter().map(|row| tape.vars(row)).collect();
    let w2: Vec<Vec<Var>> = w.w2.iter().map(|row| tape.vars(row)).collect();
    let (b1, b2) = (tape.vars(&w.b1), tape.vars(&w.b2));
    let x = tape.vars(&X);
    let z1: Vec<Var> = (0..3)
        .map(|j| (0..2).fold(b1[j], |acc, i| acc + w1[i][j] * x[i]))
        .collect();
    let y1: Vec<Var> = z1.iter().map(|z| z.sigmoid()).collect();
    let z2: Vec<Var> = (0..2)
        .map(|j| (0..3).fold(b2[j], |acc, i| acc + w2[i][j] * y1[i]))
        .collect();
    let y2: Vec<Var> = match output {
        Output::Sigmoid => z2.iter().map(|z| z.sigmoid()).collect(),
        Output::Softmax => {
            let e: Vec<Var> = z2.iter().map(|z| z.exp()).collect();
            let total = e[0] + e[1];
            e.iter().map(|&v| v / total).collect()
        }
    };
    let div = 0.5 * ((y2[0] - D[0]).powi(2) + (y2[1] - D[1]).powi(2));
    Recorded {
        w1,
        w2,
        z1,
        y1,
        z2,
        y2,
        div,
    }
}

fn largest_difference(a: impl IntoIterator<Item = f64>, b: impl IntoIterator<Item = f64>) -> f64 {
    a.into_iter()
        .zip(b)
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max)
}

fn print_rows(name: &str, hand: &[f64], tape: &[f64]) {
    for (i, (h, t)) in hand.iter().zip(tape).enumerate() {
        print_row(&format!("{name}_{}", i + 1), *h, *t);
    }
}

/// A weight matrix's derivatives, named `w_ij` (input `i`, unit `j`).
fn print_matrix(name: &str, hand: &[Vec<f64>], tape: &[Vec<f64>]) {
    for (i, (h_row, t_row)) in hand.iter().zip(tape).enumerate() {
        for (j, (h, t)) in h_row.iter().zip(t_row).enumerate() {
            print_row(&format!("{name}_{}{}", i + 1, j + 1), *h, *t);
        }
    }
}

fn print_row(label: &str, hand: f64, tape: f64) {
    println!("  {label:<18} {hand:>+12.8} {tape:>+12.8}");
}

/// Runs both passes, prints them side by side and checks they agree; returns the hand pass.
fn compare(nb: &Notebook, output: Output) -> Pass {
    let hand = by_hand(&WEIGHTS, output);
    let tape = Tape::new();
    let net = record(&tape, &WEIGHTS, output);
    let grads = net.div.backward();
    let values = |v: &[Var]| v.iter().map(|x| x.value()).collect::<Vec<_>>();
    let wrt = |v: &[Var]| v.iter().map(|&x| grads.wrt(x)).collect::<Vec<_>>();

    println!("  {:<18} {:>12} {:>12}", "quantity", "by hand", "tape");
    println!("  forward");
    print_rows("z^(1)", &hand.z1, &values(&net.z1));
    print_rows("y^(1)", &hand.y1, &values(&net.y1));
    print_rows("z^(2)", &hand.z2, &values(&net.z2));
    print_rows("y^(2)", &hand.y2, &values(&net.y2));
    print_row("Div", hand.div, net.div.value());
    println!("  backward");
    print_rows("∂Div/∂y^(2)", &hand.d_y2, &wrt(&net.y2));
    print_rows("∂Div/∂z^(2)", &hand.d_z2, &wrt(&net.z2));
    print_rows("∂Div/∂y^(1)", &hand.d_y1, &wrt(&net.y1));
    print_rows("∂Div/∂z^(1)", &hand.d_z1, &wrt(&net.z1));
    let flat = |m: &[Vec<f64>]| m.iter().flatten().copied().collect::<Vec<_>>();
    let flat_wrt = |m: &[Vec<Var>]| {
        m.iter()
            .flatten()
            .map(|&x| grads.wrt(x))
            .collect::<Vec<_>>()
    };
    let matrix_wrt = |m: &[Vec<Var>]| m.iter().map(|row| wrt(row)).collect::<Vec<_>>();
    print_matrix("∂Div/∂w^(2)", &hand.d_w2, &matrix_wrt(&net.w2));
    print_matrix("∂Div/∂w^(1)", &hand.d_w1, &matrix_wrt(&net.w1));
    println!("  (w_ij^(k) joins y_i^(k−1) to z_j^(k))\n");

    let forward = largest_difference(
        [&hand.z1, &hand.y1, &hand.z2, &hand.y2]
            .into_iter()
            .flatten()
            .copied(),
        [&net.z1, &net.y1, &net.z2, &net.y2]
            .into_iter()
            .flatten()
            .map(|v| v.value()),
    );
    let backward = largest_difference(
        [&hand.d_y2, &hand.d_z2, &hand.d_y1, &hand.d_z1]
            .into_iter()
            .flatten()
            .copied()
            .chain(flat(&hand.d_w2))
            .chain(flat(&hand.d_w1)),
        [&net.y2, &net.z2, &net.y1, &net.z1]
            .into_iter()
            .flat_map(|v| wrt(v))
            .chain(flat_wrt(&net.w2))
            .chain(flat_wrt(&net.w1)),
    );
    nb.claim(
        forward < 1e-14,
        format!("every forward value z^(k), y^(k) agrees (largest difference {forward:.1e})"),
    );
    nb.claim(
        backward < 1e-14,
        format!(
            "every derivative ∂Div/∂y, ∂Div/∂z, ∂Div/∂w agrees (largest difference {backward:.1e})"
        ),
    );
    hand
}

fn softmax_section(nb: &Notebook) {
    nb.section("Softmax: a vector activation");
    nb.say(
        "With softmax, changing one z_i changes every y_j, so ∂Div/∂z_i = Σ_j ∂y_j/∂z_i ∂Div/∂y_j.\n\
         The Jacobian ∂y_j/∂z_i, read off the tape one backward pass per output, beside the\n\
         lecture's y_i(1 − y_i) on the diagonal and −y_i y_j off it:\n",
    );
    let z = [1.5, -0.5, 0.3, 2.0];
    let tape = Tape::new();
    let zs = tape.vars(&z);
    let e: Vec<Var> = zs.iter().map(|v| v.exp()).collect();
    let total = e.iter().skip(1).fold(e[0], |acc, &v| acc + v);
    let y: Vec<Var> = e.iter().map(|&v| v / total).collect();
    let y_values: Vec<f64> = y.iter().map(|v| v.value()).collect();
    let n = z.len();
    // row j of the Jacobian is the gradient of y_j
    let jacobian: Vec<Vec<f64>> = y
        .iter()
        .map(|yj| {
            let grads = yj.backward();
            zs.iter().map(|&zi| grads.wrt(zi)).collect()
        })
        .collect();
    println!("  tape: ∂y_j/∂z_i (row j, column i)          lecture's formula");
    let mut worst: f64 = 0.0;
    for (j, row) in jacobian.iter().enumerate() {
        let tape_row: Vec<String> = row.iter().map(|v| format!("{v:+.4}")).collect();
        let formula: Vec<f64> = (0..n).map(|i| softmax_jacobian(&y_values, j, i)).collect();
        let formula_row: Vec<String> = formula.iter().map(|v| format!("{v:+.4}")).collect();
        worst = worst.max(largest_difference(row.iter().copied(), formula));
        println!("  {}    {}", tape_row.join(" "), formula_row.join(" "));
    }
    nb.claim(
        worst < 1e-15,
        format!("the tape's softmax Jacobian equals the lecture's formula (largest difference {worst:.1e})"),
    );
    let row_sums: f64 = (0..n)
        .map(|i| (0..n).map(|j| jacobian[j][i]).sum::<f64>().abs())
        .fold(0.0, f64::max);
    nb.claim(
        row_sums < 1e-15,
        "each column sums to zero: the y_j always sum to 1, so no z_i can change their total",
    );

    let pixels: Vec<f64> = jacobian.iter().flatten().copied().collect();
    let grid = ImageGrid::new("softmax Jacobian |∂y_j/∂z_i| (dark = large)", 1)
        .cell_size(240)
        .image(&pixels, n, "rows j, columns i");
    nb.save(&grid, "softmax-jacobian.svg")
        .expect("write the Jacobian picture");

    nb.section("The same network with a softmax output");
    let hand = compare(nb, Output::Softmax);
    // The scalar rule keeps only the diagonal of the Jacobian: what a scalar-activation
    // backward pass would compute for softmax.
    let diagonal_only: Vec<f64> = (0..2)
        .map(|i| softmax_jacobian(&hand.y2, i, i) * hand.d_y2[i])
        .collect();
    let gap = largest_difference(diagonal_only.iter().copied(), hand.d_z2.iter().copied());
    println!(
        "\n  ∂Div/∂z^(2) with the full sum: {:+.6?}\n  with the scalar rule (diagonal only): {:+.6?}",
        hand.d_z2, diagonal_only
    );
    nb.claim(
        gap > 1e-3,
        format!("treating softmax as a scalar activation gives a wrong ∂Div/∂z (off by {gap:.3})"),
    );
}

fn main() {
    let nb = Notebook::start("08_backprop_by_hand", "08 · Backpropagation by hand");
    nb.say(
        "A 2-3-2 network with sigmoid units and the L2 divergence Div = ½‖y − d‖², for\n\
         x = (1, −2) and d = (1, 0). The lecture's recursion, layer by layer from the output:",
    );
    for rule in [
        "∂Div/∂y_i^(2)   = y_i − d_i",
        "∂Div/∂z_i^(k)   = σ'(z_i^(k)) ∂Div/∂y_i^(k)",
        "∂Div/∂w_ij^(k)  = y_i^(k−1) ∂Div/∂z_j^(k)",
        "∂Div/∂y_i^(k−1) = Σ_j w_ij^(k) ∂Div/∂z_j^(k)",
    ] {
        nb.say(format!("    {rule}"));
    }
    nb.section("Forward and backward, by hand and by the tape");
    compare(&nb, Output::Sigmoid);
    softmax_section(&nb);
    nb.finish();
}
