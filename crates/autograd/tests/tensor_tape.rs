//! Tensors and the tape: both element types and scalars on one tape, second order in f32,
//! clearing, numbers on the left, and where-masks under the gradient checker.

use autograd::{Error, GradCheck, Tape, Tensor, check_tensor_gradients, tensor_function};

#[test]
fn f32_f64_and_scalars_share_one_tape() {
    let tape = Tape::new();
    let a = tape.tensor(Tensor::<f32>::from_vec(vec![1.0, 2.0], [2]).unwrap());
    let b = tape.tensor(Tensor::<f64>::from_vec(vec![3.0, 4.0], [2]).unwrap());
    let s = tape.var(0.5);
    // y = s · Σ a² + Σ b³ · s²
    let y = s * (a * a).sum().item() + (b.powi(3)).sum().item() * s * s;
    assert!((y.value() - (0.5 * 5.0 + 91.0 * 0.25)).abs() < 1e-9);
    let grads = y.backward();
    assert_eq!(grads.wrt(a).to_vec(), vec![1.0f32, 2.0]); // 2 s a
    assert_eq!(grads.wrt(b).to_vec(), vec![6.75, 12.0]); // 3 b² s²
    assert!((grads.wrt(s) - (5.0 + 2.0 * 0.5 * 91.0)).abs() < 1e-9);
}

#[test]
fn second_order_in_f32() {
    // f(x) = Σ x⁴: H v = 12 x² ⊙ v
    let tape = Tape::new();
    let x = tape.tensor(Tensor::<f32>::from_vec(vec![1.0, -2.0], [2]).unwrap());
    let v = tape.tensor(Tensor::<f32>::from_vec(vec![1.0, 0.5], [2]).unwrap());
    let grad = x.powi(4).sum().backward_graph().wrt(x);
    assert_eq!(grad.value().to_vec(), vec![4.0, -32.0]);
    let hv = (grad * v).sum().backward().wrt(x);
    assert_eq!(hv.to_vec(), vec![12.0, 24.0]);
}

#[test]
fn a_number_on_the_left() {
    let tape = Tape::new();
    let x = tape.tensor(Tensor::<f64>::from_vec(vec![2.0, 4.0], [2]).unwrap());
    let y = 8.0 / x; // [4, 2]
    assert_eq!(y.value().to_vec(), vec![4.0, 2.0]);
    // d/dx 8/x = -8/x²
    assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![-2.0, -0.5]);
    let z = 1.0 - x * 2.0 + 3.0;
    assert_eq!(z.value().to_vec(), vec![0.0, -4.0]);
}

#[test]
fn clearing_a_tape_of_tensors() {
    let mut tape = Tape::new();
    let grads = {
        let x = tape.tensor(Tensor::<f64>::ones([100]));
        (x * x).sum().backward()
    };
    assert!(tape.memory_bytes() >= 100 * 8);
    tape.clear();
    assert!(tape.is_empty());
    let y = tape.tensor(Tensor::<f64>::ones([100]));
    assert!(matches!(
        grads.try_wrt(y),
        Err(Error::StaleGradients { .. })
    ));
    // and the cleared tape works as new
    assert_eq!((y * 3.0).sum().backward().wrt(y).to_vec(), vec![3.0; 100]);
}

#[test]
fn a_gradient_graph_asked_for_inside_no_grad_is_still_recorded() {
    let tape = Tape::new();
    let x = tape.tensor(Tensor::<f64>::from_vec(vec![3.0], [1]).unwrap());
    let grad = tape.no_grad(|| x.powi(3).sum().backward_graph().wrt(x));
    // the forward inside no_grad is a leaf, so this graph is of a constant: zero
    assert_eq!(grad.value().to_vec(), vec![0.0]);
    let grad = x.powi(3).sum().backward_graph().wrt(x).sum(); // 3x² = 27
    let second = tape.no_grad(|| grad.backward_graph().wrt(x)); // 6x = 18
    assert_eq!(second.value().to_vec(), vec![18.0]);
    // recorded, so it can be differentiated once more: 6
    assert_eq!(second.sum().backward().wrt(x).to_vec(), vec![6.0]);
}

#[test]
fn where_masks_computed_from_the_input_are_kinks_to_the_checker() {
    // f(x) = Σ where(x > 0, x², −x): smooth on each side, a kink at 0
    let f = tensor_function(|v| {
        let zero = v[0].tape().tensor(Tensor::scalar(0.0));
        v[0].gt(zero).select(v[0].powi(2), -v[0]).sum()
    });
    let away = Tensor::from_vec(vec![-1.0, 0.5], [2]).unwrap();
    let report = check_tensor_gradients(f, &[away], &GradCheck::default()).unwrap();
    assert_eq!(report.compared(), 2);
    let on_the_kink = Tensor::from_vec(vec![0.0, 0.5], [2]).unwrap();
    let report = check_tensor_gradients(f, &[on_the_kink], &GradCheck::default()).unwrap();
    assert_eq!((report.compared(), report.near_kink()), (1, 1));
}

#[test]
fn memory_counts_shared_storage_once() {
    let tape = Tape::new();
    let x = tape.tensor(Tensor::<f64>::zeros([1000]));
    let before = tape.memory_bytes();
    let _views: Vec<_> = (0..10).map(|_| x.reshape([10, 100])).collect();
    let after = tape.memory_bytes();
    // ten reshapes share x's 8000 bytes: only their nodes and shape parameters are new
    assert!(after - before < 8000, "{before} -> {after}");
    let _copy = x * 2.0; // a new storage
    assert!(tape.memory_bytes() - after >= 8000);
}

#[test]
fn constants_and_what_is_computed_from_them_get_no_gradient() {
    let tape = Tape::new();
    let data = tape.constant_tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap());
    let scaled = data * 3.0 + 1.0; // constants only: a constant
    let w = tape.tensor(Tensor::<f64>::from_vec(vec![0.5, -0.5], [2]).unwrap());
    let mask = w.gt(tape.constant_tensor(Tensor::scalar(0.0)));
    let frozen = tape.no_grad(|| w * 2.0);
    let loss = (scaled * w + mask * frozen * w + w.detach()).sum();
    let grads = loss.backward();
    // ∂/∂w = scaled + mask · frozen = [4 + 1, 7 + 0]
    assert_eq!(grads.wrt(w).to_vec(), vec![5.0, 7.0]);
    for constant in [data, scaled, mask, frozen] {
        assert_eq!(grads.wrt(constant).to_vec(), vec![0.0, 0.0], "{constant:?}");
    }
    // a variable leaf made inside no_grad is still a variable
    let inside = tape.no_grad(|| tape.tensor(Tensor::<f64>::ones([2])));
    assert_eq!(
        (inside * 2.0).sum().backward().wrt(inside).to_vec(),
        vec![2.0, 2.0]
    );
}
