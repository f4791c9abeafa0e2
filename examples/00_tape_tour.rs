//! # 00 · A tour of the tape
//!
//! Builds one expression, prints its value and the Wengert list the tape recorded, replays
//! the chain rule backwards, checks every gradient against finite differences, then
//! differentiates the gradients again for the Hessian. Last, the same engine on tensors: a
//! small layer's gradient, checked element by element, and a Hessian-vector product.
//!
//! Run: `cargo run --release --example 00_tape_tour` (it is quick; `--quick` is accepted).

use autograd::{
    GradCheck, Real, Tape, Tensor, check_gradients, check_second_order, check_tensor_gradients,
    check_tensor_hessian_vector, tensor_function,
};

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

    tensors();
    println!("\nAll claims held.");
}

/// The same tape with tensors: L = Σ tanh(W x + b), one node per tensor op.
fn tensors() {
    println!("\n## The same engine on tensors: L = Σ tanh(W x + b)\n");
    let w = Tensor::<f64>::from_fn([2, 3], |i| 0.4 * i[0] as f64 - 0.3 * i[1] as f64 + 0.1);
    let x = Tensor::<f64>::from_vec(vec![1.0, -2.0, 0.5], [3, 1]).expect("3 values for [3, 1]");
    let b = Tensor::<f64>::from_vec(vec![0.1, -0.1], [2, 1]).expect("2 values for [2, 1]");
    let layer = tensor_function(|v| (v[0].matmul(v[1]) + v[2]).tanh().sum());

    let tape = Tape::new();
    let (wv, xv, bv) = (
        tape.tensor(w.clone()),
        tape.tensor(x.clone()),
        tape.tensor(b.clone()),
    );
    let loss = layer(&[wv, xv, bv]);
    println!(
        "  L = {:.9}  ({} nodes on the tape)",
        loss.value().item().expect("a sum"),
        tape.len()
    );
    let grads = loss.backward();
    // ∂L/∂W = (1 − tanh²(W x + b)) xᵀ: an outer product
    let grad_w = grads.wrt(wv);
    println!("  ∂L/∂W:\n{grad_w}");
    let z = w.try_matmul(&x).expect("[2, 3] · [3, 1]") + &b;
    let slope = z.map(|v| 1.0 - v.tanh().powi(2));
    let by_hand = slope
        .try_matmul(&x.try_transpose().expect("2-d"))
        .expect("[2, 1] · [1, 3]");
    for (g, h) in grad_w.as_slice().iter().zip(by_hand.as_slice()) {
        assert!((g - h).abs() < 1e-12, "∂L/∂W differs from (1 − tanh²) xᵀ");
    }
    println!("  equal to (1 − tanh²(W x + b)) xᵀ computed by hand");

    let inputs = [w, x, b];
    let report = check_tensor_gradients(layer, &inputs, &GradCheck::default())
        .expect("every element's gradient agrees with finite differences");
    println!(
        "  gradient check: {} elements of W, x and b agree with finite differences",
        report.compared()
    );
    let direction: Vec<Tensor<f64>> = inputs.iter().map(|t| t.map(|_| 0.5)).collect();
    let report =
        check_tensor_hessian_vector(layer, &inputs, &direction, &GradCheck::second_order())
            .expect("the Hessian-vector product agrees with differences of gradients");
    println!(
        "  Hessian-vector product from the recorded backward pass: {} elements agree",
        report.compared()
    );
    assert_eq!(report.compared(), 6 + 3 + 2);
}
