//! A `ParamId` works only with the `Parameters` that made it (or a copy made after it): used
//! with another store it is an error naming both, never another parameter's tensor. Written
//! against the API that existed before the check, so that each test failed there.

use autograd::{Tape, Tensor};
use nn::{Activation, Mlp, Module, Parameters};
use rand::{SeedableRng, rngs::StdRng};

/// Two stores whose first parameters have the same shape but different values.
fn two_stores() -> (Parameters<f64>, Parameters<f64>, nn::ParamId) {
    let mut a = Parameters::new();
    let id = a.add("a.w", Tensor::full([2], 1.0));
    let mut b = Parameters::new();
    b.add("b.w", Tensor::full([2], 2.0));
    (a, b, id)
}

#[test]
#[should_panic(expected = "is not in parameter set")]
fn reading_another_stores_parameter_panics_instead_of_reading_the_wrong_tensor() {
    let (_, b, id) = two_stores();
    let _ = b.get(id);
}

#[test]
fn setting_another_stores_parameter_is_an_error_and_changes_nothing() {
    let (_, mut b, id) = two_stores();
    assert!(b.set(id, Tensor::zeros([2])).is_err());
    assert_eq!(b.tensors()[0].to_vec(), vec![2.0, 2.0]);
}

#[test]
#[should_panic(expected = "is not in parameter set")]
fn a_model_run_on_another_stores_parameters_panics() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut a = Parameters::<f64>::new();
    let model = Mlp::new(&mut a, "m", &[2, 2], Activation::Tanh, &mut rng);
    let mut b = Parameters::<f64>::new();
    Mlp::new(&mut b, "m", &[2, 2], Activation::Tanh, &mut rng);
    let tape = Tape::new();
    let _ = model.forward(&b.record(&tape), tape.constant_tensor(Tensor::ones([1, 2])));
}

#[test]
fn a_copy_made_after_the_id_accepts_it() {
    let (a, _, id) = two_stores();
    let snapshot = a.clone();
    assert_eq!(snapshot.get(id).to_vec(), vec![1.0, 1.0]);
    let tape = Tape::new();
    assert_eq!(
        snapshot.record(&tape).get(id).value().to_vec(),
        vec![1.0, 1.0]
    );
}
