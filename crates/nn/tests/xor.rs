//! XOR: a single perceptron cannot learn it; a two-layer network trained by backpropagation
//! does, to 100 %.

use autograd::{Tape, Tensor};
use nn::optim::{Adam, Optimizer};
use nn::perceptron::Training;
use nn::{Activation, Mlp, Module, Parameters, Perceptron, losses};
use rand::{SeedableRng, rngs::StdRng};

const X: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
const D: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

#[test]
fn one_threshold_unit_cannot_learn_xor() {
    let outcome = Perceptron::new(2).train(&X, &D, 1.0, 1000);
    assert!(
        matches!(outcome, Training::DidNotConverge { epochs: 1000, .. }),
        "{outcome:?}"
    );
}

#[test]
fn a_two_layer_network_learns_xor_to_100_percent() {
    for seed in 0..5 {
        let mut params = Parameters::<f64>::new();
        let model = Mlp::new(
            &mut params,
            "xor",
            &[2, 4, 1],
            Activation::Tanh,
            &mut StdRng::seed_from_u64(seed),
        );
        let x = Tensor::from_vec(X.concat(), [4, 2]).unwrap();
        let d = Tensor::from_vec(D.to_vec(), [4, 1]).unwrap();
        let mut adam = Adam::new(0.05);
        let mut tape = Tape::new();
        for _ in 0..500 {
            tape.clear();
            let p = params.record(&tape);
            let logits = model.forward(&p, tape.constant_tensor(x.clone()));
            let loss =
                losses::binary_cross_entropy_with_logits(logits, tape.constant_tensor(d.clone()))
                    .mean();
            let grads = p.gradients(&loss.backward());
            adam.step(&mut params, &grads);
        }
        tape.clear();
        let logits = model
            .forward(&params.record(&tape), tape.constant_tensor(x))
            .value();
        let predictions: Vec<f64> = logits
            .as_slice()
            .iter()
            .map(|&z| if z > 0.0 { 1.0 } else { 0.0 })
            .collect();
        assert_eq!(predictions, D.to_vec(), "seed {seed}: logits {logits}");
    }
}
