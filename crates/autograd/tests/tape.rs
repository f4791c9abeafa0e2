//! The tape's contract: reuse without allocation, observable size, deep and large graphs,
//! and clear errors when a variable meets the wrong tape or stale gradients.

use autograd::{Error, Gradients, Tape};

#[test]
fn clear_keeps_capacity_so_a_warm_loop_does_not_allocate() {
    let mut tape = Tape::new();
    let mut grads = Gradients::new();
    let mut memory = Vec::new();
    for step in 0..5 {
        let w = tape.var(1.0 + step as f64);
        let mut y = w;
        for _ in 0..1000 {
            y = (y * 0.5).tanh() + w;
        }
        y.backward_into(&mut grads);
        assert!(grads.wrt(w).is_finite());
        assert_eq!(tape.len(), 1 + 3000);
        memory.push(tape.memory_bytes());
        tape.clear();
        assert!(tape.is_empty());
    }
    // The first step grows the tape; every later step fits in what it already has.
    assert!(memory[0] > 0);
    assert!(memory.windows(2).all(|w| w[0] == w[1]), "{memory:?}");
}

#[test]
fn memory_is_reported_per_node() {
    let tape = Tape::with_capacity(1000);
    let per_node = tape.memory_bytes() / 1000;
    assert!(per_node > 0 && per_node <= 32, "{per_node} bytes per node");
    assert_eq!(tape.len(), 0);
}

#[test]
fn a_chain_one_million_deep_needs_no_recursion() {
    // y = x · 1.000001 repeated: dy/dx = 1.000001^n
    let tape = Tape::new();
    let x = tape.var(1.0);
    let mut y = x;
    let depth = 1_000_000;
    for _ in 0..depth {
        y *= 1.000_001;
    }
    let grads = y.backward();
    let expected = 1.000_001f64.powi(depth);
    assert!((grads.wrt(x) - expected).abs() < 1e-6 * expected);
}

#[test]
fn ten_million_nodes() {
    // A wide sum of squares: y = Σ xᵢ², dy/dxᵢ = 2xᵢ
    let tape = Tape::with_capacity(10_000_000);
    let xs = tape.vars(&(0..2_500_000).map(|i| i as f64 * 1e-6).collect::<Vec<_>>());
    let mut y = xs[0] * xs[0];
    for &x in &xs[1..] {
        y += x * x;
    }
    assert_eq!(tape.len(), 2_500_000 * 3 - 1); // n leaves, n squares, n - 1 sums
    // and a chain on top to pass ten million
    let mut z = y;
    while tape.len() < 10_000_000 {
        z += 0.0;
    }
    let grads = z.backward();
    assert_eq!(grads.wrt(xs[1234]), 2.0 * xs[1234].value());
}

#[test]
fn gradients_refuse_a_variable_of_another_tape() {
    let (a, b) = (Tape::new(), Tape::new());
    let x = a.var(1.0);
    let grads = (b.var(2.0) * 3.0).backward();
    let err = grads.try_wrt(x).unwrap_err();
    assert_eq!(
        err,
        Error::ForeignVariable {
            node: 0,
            var_tape: a.id(),
            other_tape: b.id()
        }
    );
    assert!(err.to_string().contains(&format!("tape #{}", a.id())));
}

#[test]
#[should_panic(expected = "but it was used with another tape")]
fn wrt_panics_with_the_same_message() {
    let (a, b) = (Tape::new(), Tape::new());
    let x = a.var(1.0);
    let _ = (b.var(2.0) * 3.0).backward().wrt(x);
}

#[test]
fn gradients_from_before_a_clear_refuse_new_variables() {
    let mut tape = Tape::new();
    let grads = {
        let x = tape.var(1.0);
        (x * x).backward()
    };
    tape.clear();
    let y = tape.var(5.0); // same node index as the old x
    let err = grads.try_wrt(y).unwrap_err();
    assert!(
        matches!(err, Error::StaleGradients { node: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("call backward again"));
}

#[test]
fn gradient_graph_refuses_a_variable_of_another_tape() {
    let (a, b) = (Tape::new(), Tape::new());
    let x = a.var(1.0);
    let graph = (b.var(2.0).exp()).backward_graph();
    assert!(matches!(
        graph.try_wrt(x),
        Err(Error::ForeignVariable { .. })
    ));
}

#[test]
fn no_grad_records_leaves_and_restores_recording_even_after_a_panic() {
    let tape = Tape::new();
    let x = tape.var(3.0);
    let frozen = tape.no_grad(|| x * x + 1.0); // 10, as a constant
    assert_eq!(frozen.value(), 10.0);
    let y = frozen * x; // dy/dx = 10, not 10 + 2x·x
    assert_eq!(y.backward().wrt(x), 10.0);
    // recording is back on after the scope, and after a panic inside one
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tape.no_grad(|| panic!("inside no_grad"));
    }));
    assert!(caught.is_err());
    let z = x * x;
    assert_eq!(z.backward().wrt(x), 6.0);
}
