//! Whole networks against finite differences: random architectures, every activation, every
//! loss, every parameter's gradient (f64).

use autograd::{GradCheck, Tape, Tensor, TensorVar, check_tensor_gradients};
use nn::{Activation, Bound, Mlp, Module, Parameters, losses};
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

#[derive(Debug, Clone, Copy)]
enum Loss {
    L2,
    Mse,
    BceWithLogits,
    CrossEntropy,
    MaxMargin,
}

fn loss<'t>(kind: Loss, y: TensorVar<'t, f64>, classes: &[usize]) -> TensorVar<'t, f64> {
    let tape = y.tape();
    let dims = y.dims();
    let one_hot = tape.constant_tensor(nn::data::one_hot(classes, dims[1]));
    match kind {
        Loss::L2 => losses::empirical_risk(losses::l2_divergence(y, one_hot)),
        Loss::Mse => losses::mse(y, one_hot),
        Loss::BceWithLogits => losses::binary_cross_entropy_with_logits(y, one_hot).mean(),
        Loss::CrossEntropy => losses::empirical_risk(losses::cross_entropy(y, classes)),
        Loss::MaxMargin => losses::max_margin(y, one_hot * 2.0 - 1.0).mean(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_parameter_gradient_of_random_networks(
        widths in prop::collection::vec(1usize..=4, 1..=3),
        activation in prop::sample::select(Activation::ALL.to_vec()),
        kind in prop::sample::select(vec![Loss::L2, Loss::Mse, Loss::BceWithLogits, Loss::CrossEntropy, Loss::MaxMargin]),
        samples in 1usize..=3,
        seed in any::<u64>(),
    ) {
        let mut rng = StdRng::seed_from_u64(seed);
        let (inputs, classes_count) = (2, 3);
        let mut all = vec![inputs];
        all.extend(&widths);
        all.push(classes_count);
        let mut params = Parameters::<f64>::new();
        let model = Mlp::new(&mut params, "net", &all, activation, &mut rng);
        let x = Tensor::<f64>::rand_uniform([samples, inputs], -2.0, 2.0, &mut rng);
        let classes: Vec<usize> = (0..samples).map(|i| (seed as usize + i) % classes_count).collect();
        let report = check_tensor_gradients(
            |p| {
                // the checker's variables are the parameters, in the store's order
                let tape = p[0].tape();
                let bound = Bound::from_vars(&params, p.to_vec()).expect("one variable per parameter");
                let y = model.forward(&bound, tape.constant_tensor(x.clone()));
                loss(kind, y, &classes)
            },
            params.tensors(),
            &GradCheck { abs_tol: 1e-5, rel_tol: 1e-4, ..GradCheck::default() },
        ).map_err(|e| TestCaseError::fail(format!("{all:?} {activation:?} {kind:?}: {e}")))?;
        prop_assert_eq!(report.compared() + report.near_kink(), params.count());
    }
}

#[test]
fn a_tape_recorded_network_equals_the_same_network_on_plain_tensors() {
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(
        &mut params,
        "m",
        &[3, 4, 2],
        Activation::Gelu,
        &mut StdRng::seed_from_u64(9),
    );
    let tape = Tape::new();
    let y = model.forward(
        &params.record(&tape),
        tape.constant_tensor(Tensor::ones([2, 3])),
    );
    assert_eq!(y.dims(), &[2, 2]);
}
