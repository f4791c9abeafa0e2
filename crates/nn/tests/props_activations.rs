//! Every activation's derivative, from the tape, against finite differences: on scalars to
//! second order, and on tensors (every element) with Hessian-vector products.

use autograd::{
    GradCheck, Tensor, check_gradients, check_second_order, check_tensor_gradients,
    check_tensor_hessian_vector,
};
use nn::Activation;
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

fn activation() -> impl Strategy<Value = Activation> {
    prop::sample::select(Activation::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn on_scalars(f in activation(), z in -4.0..4.0f64) {
        let fail = |e: autograd::Error| TestCaseError::fail(format!("{f:?} at {z}: {e}"));
        check_gradients(|v| f.apply(v[0]), &[z], &GradCheck::default()).map_err(fail)?;
        check_second_order(|v| f.apply(v[0]), &[z], &GradCheck::second_order()).map_err(fail)?;
    }

    #[test]
    fn on_tensors(f in activation(), dims in prop::collection::vec(1usize..=3, 0..=2), seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let x = Tensor::<f64>::rand_uniform(dims.clone(), -3.0, 3.0, &mut rng);
        let w = Tensor::<f64>::rand_uniform(dims, -1.0, 1.0, &mut rng);
        let fail = |e: autograd::Error| TestCaseError::fail(format!("{f:?}: {e}"));
        let weighted = autograd::tensor_function(|v| {
            (f.apply(v[0]) * v[0].tape().constant_tensor(w.clone())).sum()
        });
        check_tensor_gradients(weighted, std::slice::from_ref(&x), &GradCheck::default())
            .map_err(fail)?;
        check_tensor_hessian_vector(weighted, std::slice::from_ref(&x), std::slice::from_ref(&w), &GradCheck::second_order())
            .map_err(fail)?;
    }
}
