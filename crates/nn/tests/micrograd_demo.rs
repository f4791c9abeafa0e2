//! micrograd's demo, end to end on the scalar engine: an MLP 2-16-16-1 learns two moons.

use autograd::{Gradients, Tape};
use nn::data::two_moons;
use nn::{Activation, ScalarMlp, losses, regularizers};
use rand::{SeedableRng, rngs::StdRng};

#[test]
fn the_demo_network_learns_two_moons() {
    let mut rng = StdRng::seed_from_u64(1337);
    let data = two_moons(100, 0.1, &mut rng);
    let mut model = ScalarMlp::new(2, &[16, 16, 1], Activation::Relu, &mut rng);
    let mut tape = Tape::new();
    let mut grads = Gradients::new();
    let mut history = Vec::new();
    for k in 0..100 {
        tape.clear();
        let params = model.param_vars(&tape);
        let scores: Vec<_> = data
            .points
            .iter()
            .map(|p| model.forward(&params, &tape.vars(p))[0])
            .collect();
        let loss = losses::mean_hinge(&scores, &data.labels)
            + 1e-4 * regularizers::sum_of_squares(&params);
        let correct = scores
            .iter()
            .zip(&data.labels)
            .filter(|(s, d)| (s.value() > 0.0) == (**d > 0.0))
            .count();
        history.push((loss.value(), correct));
        loss.backward_into(&mut grads);
        let learning_rate = 1.0 - 0.9 * k as f64 / 100.0;
        for (p, &var) in model.parameters_mut().iter_mut().zip(&params) {
            *p -= learning_rate * grads.wrt(var);
        }
    }
    let (first_loss, _) = history[0];
    let (last_loss, last_correct) = *history.last().unwrap();
    assert!(
        last_loss < 0.2 * first_loss,
        "loss went from {first_loss} to {last_loss}"
    );
    assert!(
        last_correct >= 97,
        "accuracy {last_correct}% after 100 steps"
    );
}
