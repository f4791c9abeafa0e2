//! Second order through a whole network: the Hessian-vector product of a small MLP's loss,
//! from the recorded backward pass, against finite differences of its gradient.

use autograd::{
    GradCheck, Tensor, check_tensor_gradients, check_tensor_hessian_vector, tensor_function,
};
use rand::{SeedableRng, rngs::StdRng};

#[test]
fn hessian_vector_product_of_a_small_mlp_loss() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut random = |dims: &[usize]| Tensor::<f64>::rand_uniform(dims, -1.0, 1.0, &mut rng);
    // x: 6 samples of 3 features; targets d: 6 × 2; W1: 3 × 4, b1: 4, W2: 4 × 2, b2: 2
    let (x, d) = (random(&[6, 3]), random(&[6, 2]));
    let params = [random(&[3, 4]), random(&[4]), random(&[4, 2]), random(&[2])];
    let direction: Vec<_> = params.iter().map(|p| random(p.dims())).collect();
    // L = ½ mean ‖tanh(x W1 + b1) W2 + b2 − d‖²
    let loss = tensor_function(|v| {
        let tape = v[0].tape();
        let (x, d) = (
            tape.constant_tensor(x.clone()),
            tape.constant_tensor(d.clone()),
        );
        let hidden = (x.matmul(v[0]) + v[1]).tanh();
        let out = hidden.matmul(v[2]) + v[3];
        ((out - d).powi(2) * 0.5).mean()
    });
    let report = check_tensor_gradients(loss, &params, &GradCheck::default()).unwrap();
    assert_eq!(report.compared(), 12 + 4 + 8 + 2);
    let report =
        check_tensor_hessian_vector(loss, &params, &direction, &GradCheck::second_order()).unwrap();
    assert_eq!(report.compared(), 26);
}
