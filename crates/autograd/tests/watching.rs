//! The tools for watching a backward pass, used together on tensor programs: anomaly mode
//! names the line of this file that made the first NaN or infinity (in a value or in a
//! gradient), hooks change what flows on, and the gradient store keeps intermediate nodes.

use autograd::{Error, Found, Graph, Tape, Tensor};

fn vector(values: &[f64]) -> Tensor<f64> {
    Tensor::from_vec(values.to_vec(), [values.len()]).unwrap()
}

#[test]
fn a_gradient_anomaly_in_a_tensor_program_names_its_line() {
    let tape = Tape::new();
    tape.detect_anomalies(true);
    let w = tape.tensor(vector(&[0.0, 1.0, 4.0]));
    let x = tape.constant_tensor(vector(&[1.0, 2.0, 3.0]));
    let root = w.sqrt(); // finite values, but d sqrt(w)/dw = 1/(2 sqrt w) is infinite at 0
    let line = line!() - 1;
    let loss = (root * x).sum();
    assert!(tape.anomaly().is_none(), "the forward pass is finite");
    let Err(Error::Anomaly(anomaly)) = loss.try_backward() else {
        panic!("the gradient through sqrt at 0 is infinite");
    };
    assert_eq!(anomaly.node, root.id());
    assert_eq!(anomaly.inputs, vec!["[3]".to_string()]);
    assert!(matches!(
        anomaly.found,
        Found::Gradient {
            infinite: 1,
            of: 3,
            ..
        }
    ));
    let location = anomaly.location.clone().unwrap();
    assert!(
        location.contains("watching.rs") && location.contains(&format!(":{line}:")),
        "{location}"
    );
}

#[test]
fn a_value_anomaly_is_reported_before_any_gradient_is_computed() {
    let tape = Tape::new();
    tape.detect_anomalies(true);
    let logits = tape.tensor(vector(&[1000.0, 0.0]));
    let naive_softmax = logits.exp() / logits.exp().sum(); // exp(1000) = inf: this line
    let line = line!() - 1;
    let loss = naive_softmax.ln().sum();
    let err = loss.try_backward().unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("non-finite value (1 infinite of 2)"),
        "{message}"
    );
    assert!(
        message.contains(&format!("watching.rs:{line}:")),
        "{message}"
    );
    // detection off: the same program runs and gives NaN gradients silently
    let quiet = Tape::new();
    let logits = quiet.tensor(vector(&[1000.0, 0.0]));
    let loss = (logits.exp() / logits.exp().sum()).ln().sum();
    assert!(
        loss.backward()
            .wrt(logits)
            .to_vec()
            .iter()
            .any(|g| g.is_nan())
    );
}

#[test]
fn hooks_scale_what_flows_on_and_the_store_keeps_every_node() {
    let tape = Tape::new();
    let w = tape.tensor(Tensor::<f64>::from_fn([2, 3], |i| {
        (i[0] * 3 + i[1]) as f64 * 0.1
    }));
    let x = tape.constant_tensor(Tensor::<f64>::ones([3, 1]));
    let hidden = w.matmul(x).tanh();
    let loss = (hidden * hidden).sum();
    let plain = loss.backward();
    hidden.register_hook(|g| g * 0.5);
    let halved = loss.backward();
    // the hidden layer's own gradient is halved, and so is everything upstream of it
    let (h0, h1) = (plain.wrt(hidden), halved.wrt(hidden));
    for (a, b) in h0.as_slice().iter().zip(h1.as_slice()) {
        assert_eq!(a * 0.5, *b);
    }
    for (a, b) in plain.wrt(w).as_slice().iter().zip(halved.wrt(w).as_slice()) {
        assert!((a * 0.5 - b).abs() < 1e-15);
    }
    // the graph shows the hidden node with its (halved) gradient
    let text = Graph::of(loss)
        .gradients(&halved)
        .name(hidden, "hidden")
        .to_text();
    assert!(text.contains("hidden = tanh("), "{text}");
}
