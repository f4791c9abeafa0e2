//! Anomaly mode through `nn`: `nn`'s layers and losses are `#[track_caller]`, so the first
//! non-finite value is traced to the user's line, not to a line inside `nn`.

use autograd::{Tape, Tensor};
use nn::{Dense, Module, Parameters};
use rand::{SeedableRng, rngs::StdRng};

#[test]
fn an_overflow_inside_a_layer_names_the_callers_line() {
    let mut params = Parameters::<f64>::new();
    let layer = Dense::new(&mut params, "fc", 2, 3, &mut StdRng::seed_from_u64(0));
    params
        .set(layer.weight(), Tensor::full([3, 2], 1e308))
        .unwrap();
    let tape = Tape::new();
    tape.detect_anomalies(true);
    let bound = params.record(&tape);
    let x = tape.constant_tensor(Tensor::ones([4, 2])); // finite, but W x = 2e308 overflows
    let y = layer.forward(&bound, x);
    let line = line!() - 1;
    let anomaly = tape.anomaly().expect("1e308 + 1e308 overflows");
    let location = anomaly.location.unwrap();
    assert!(
        location.contains("anomaly_location.rs") && location.contains(&format!(":{line}:")),
        "{location}"
    );
    assert!(y.value().to_vec().iter().any(|v| v.is_infinite()));
}
