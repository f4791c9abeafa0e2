//! # 00 · A tour of the tape
//!
//! Builds one expression, prints its value and the Wengert list the tape recorded, replays
//! the chain rule backwards, checks every gradient against finite differences, then
//! differentiates the gradients again for the Hessian.
//!
//! Run: `cargo run --release --example 00_tape_tour` (it is quick; `--quick` is accepted).

use autograd::{GradCheck, Real, Tape, check_gradients, check_second_order};

/// c = tanh(a·b + e^a / 2) − b³, written once: it runs on numbers and on tape variables.
fn c<R: Real + Copy>(a: R, b: R) -> R {
    (a * b + a.exp() / 2.0).tanh() - b.powi(3)
}

fn main() {
    println!("# A tour of the tape\n");
    println!("c = tanh(a·b + e^a / 2) − b³   at a = 3, b = −2\n");

    // ── Forward: every operation is recorded as one node ──
    let tape = Tape::new();
    let a = tape.var(3.0);
    let b = tape.var(-2.0);
    let out = c(a, b);
    println!("## Forward: the tape (a Wengert list, in topological order)\n");
    let grads = out.backward();
    println!("  node  op                        value            ∂c/∂node");
    for node in (0..tape.len()).filter_map(|i| tape.entry(i)) {
        println!(
            "  #{:<4} {:<25} {:>+15.9}  {:>+15.9}",
            node.id(),
            node.op().to_string(),
            node.value(),
            grads.wrt(node)
        );
    }
    println!("\n  c = {:.12}  ({} nodes)", out.value(), tape.len());
    assert_eq!(
        out.value(),
        c(3.0, -2.0),
        "the tape computes what the numbers compute"
    );

    // ── Backward: one reverse loop over the tape ──
    println!("\n## Backward: the gradients, and the same by hand\n");
    let (dc_da, dc_db) = (grads.wrt(a), grads.wrt(b));
    // u = a·b + e^a/2, c = tanh u − b³:
    //   ∂c/∂a = (1 − tanh² u)(b + e^a/2),   ∂c/∂b = (1 − tanh² u)·a − 3b²
    let u: f64 = 3.0 * -2.0 + 3f64.exp() / 2.0;
    let slope = 1.0 - u.tanh().powi(2);
    let (by_hand_a, by_hand_b) = (slope * (-2.0 + 3f64.exp() / 2.0), slope * 3.0 - 12.0);
    println!("  ∂c/∂a = {dc_da:+.15}   by hand {by_hand_a:+.15}");
    println!("  ∂c/∂b = {dc_db:+.15}   by hand {by_hand_b:+.15}");
    assert!((dc_da - by_hand_a).abs() < 1e-12 && (dc_db - by_hand_b).abs() < 1e-12);

    // ── Gradient check: the tape against central finite differences ──
    println!("\n## Gradient check: (f(x + h) − f(x − h)) / 2h\n");
    // The function is passed inline: the checker records it on tapes of its own.
    let report = check_gradients(|v| c(v[0], v[1]), &[3.0, -2.0], &GradCheck::default())
        .expect("analytic and numeric gradients agree");
    for check in &report.checks {
        println!(
            "  {:<9} analytic {:+.10}   numeric {:+.10}   difference {:.1e}",
            check.what,
            check.analytic,
            check.numeric,
            (check.analytic - check.numeric).abs()
        );
    }
    assert_eq!(report.compared(), 2);

    // ── Second order: the backward pass recorded, then differentiated again ──
    println!("\n## Second derivatives: the Hessian from the recorded backward pass\n");
    let gradient = out.backward_graph();
    let (ga, gb) = (gradient.wrt(a), gradient.wrt(b));
    let (row_a, row_b) = (ga.backward(), gb.backward());
    let hessian = [[row_a.wrt(a), row_a.wrt(b)], [row_b.wrt(a), row_b.wrt(b)]];
    println!("  H = [ {:+.9}  {:+.9} ]", hessian[0][0], hessian[0][1]);
    println!("      [ {:+.9}  {:+.9} ]", hessian[1][0], hessian[1][1]);
    assert!(
        (hessian[0][1] - hessian[1][0]).abs() < 1e-12,
        "mixed partials commute"
    );
    let report = check_second_order(|v| c(v[0], v[1]), &[3.0, -2.0], &GradCheck::second_order())
        .expect("the Hessian agrees with differences of gradients");
    println!(
        "  checked against finite differences of the gradient: {} of 4 entries agree",
        report.compared()
    );
    assert_eq!(report.compared(), 4);
    println!(
        "\n  tape now holds {} nodes, {} bytes",
        tape.len(),
        tape.memory_bytes()
    );
    println!("\nAll claims held.");
}
