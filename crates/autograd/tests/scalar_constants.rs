//! A scalar constant (`Tape::constant`, `Var::detach`, a value made inside `no_grad`)
//! receives no gradient, as a constant tensor does: its gradient reads as zero in reverse
//! mode and in recorded gradient graphs, anomaly detection does not report what reaches it,
//! `explain_backward` has no step into it and graph pictures show no gradient. Gradients still
//! flow through ops on it to the variables.

use autograd::{Graph, Tape};

#[test]
fn a_constant_reads_zero_and_the_variables_next_to_it_are_unchanged() {
    let tape = Tape::new();
    let (w, c, v) = (tape.var(0.5), tape.constant(4.0), tape.var(4.0));
    let y = w * c + w * v;
    let grads = y.backward();
    assert_eq!(grads.wrt(w), 8.0);
    assert_eq!(
        grads.wrt(v),
        0.5,
        "a var of the same value still has its gradient"
    );
    assert_eq!(grads.wrt(c), 0.0);
    // recorded gradients too
    let graph = y.backward_graph();
    assert_eq!(graph.wrt(c).value(), 0.0);
    assert_eq!(graph.wrt(w).value(), 8.0);
    // detach and no_grad make constants
    let held = w.detach();
    let made = tape.no_grad(|| w * 3.0);
    let z = held * made * w;
    let grads = z.backward();
    assert_eq!((grads.wrt(held), grads.wrt(made)), (0.0, 0.0));
    assert_eq!(grads.wrt(w), 0.5 * 1.5);
}

#[test]
fn anomaly_detection_does_not_report_an_infinite_gradient_handed_to_a_constant() {
    let tape = Tape::new();
    tape.detect_anomalies(true);
    let w = tape.var(2.0);
    let c = tape.constant(0.0);
    let y = w * c.sqrt(); // ∂y/∂c = w / (2 √0) = ∞, but c is data
    let grads = y
        .try_backward()
        .expect("no anomaly in what reaches a variable");
    assert_eq!(grads.wrt(w), 0.0);
    assert_eq!(grads.wrt(c), 0.0);
    // the same with a variable is reported
    let v = tape.var(0.0);
    let err = (w * v.sqrt()).try_backward().unwrap_err();
    assert!(err.to_string().contains("infinite"), "{err}");
}

#[test]
fn explanations_and_pictures_leave_constants_out() {
    let tape = Tape::new();
    let (w, x) = (tape.var(3.0), tape.constant(2.0));
    let y = w * x;
    let explained = y.explain_backward(&[(w, "w"), (x, "x"), (y, "y")]).unwrap();
    let inputs: Vec<usize> = explained.steps().iter().map(|s| s.input).collect();
    assert_eq!(inputs, vec![w.id()], "one step, into w");
    let grads = y.backward();
    let text = Graph::of(y)
        .gradients(&grads)
        .name(w, "w")
        .name(x, "x")
        .to_text();
    let x_line = text.lines().find(|l| l.contains("x")).unwrap();
    assert!(!x_line.contains("grad"), "{text}");
    let w_line = text.lines().find(|l| l.contains("w")).unwrap();
    assert!(w_line.contains("grad 2"), "{text}");
    assert!(
        Graph::of(y).to_dot().contains("fillcolor=\"#eeeeee\""),
        "constants are grey"
    );
}

#[test]
fn constants_are_forgotten_on_clear() {
    let mut tape = Tape::new();
    let _ = tape.constant(1.0);
    tape.clear();
    let v = tape.var(1.0); // node 0 again, now a variable
    assert_eq!((v * v).backward().wrt(v), 2.0);
}

#[test]
fn a_hook_on_a_constant_never_sees_a_gradient() {
    let tape = Tape::new();
    let (x, c) = (tape.var(3.0), tape.constant(2.0));
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = seen.clone();
    c.register_hook(move |g| {
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        g
    });
    let grads = (c * x).backward();
    assert_eq!((grads.wrt(x), grads.wrt(c)), (2.0, 0.0));
    assert!(
        !seen.load(std::sync::atomic::Ordering::Relaxed),
        "the hook ran on a constant"
    );
}
