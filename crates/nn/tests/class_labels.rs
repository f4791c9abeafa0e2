//! Class labels are checked where they enter: a label of −1, NaN, 1.7 or ≥ the number of
//! classes is an error (or, from a plain form, a panic) naming the row and the value, never a
//! class read by `as usize` or a panic about `gather`. Written against the API that existed
//! before the check, so that each test failed there.

use autograd::{Tape, Tensor};
use nn::data::{ConfusionMatrix, Dataset, classes_of, one_hot};
use nn::optim::Adam;
use nn::train::{CrossEntropy, TrainConfig, evaluate, fit};
use nn::{Activation, Mlp, Parameters, losses};
use rand::{SeedableRng, rngs::StdRng};

/// Four XOR points with the given labels, a two-class model and its parameters.
fn xor(labels: [f64; 4]) -> (Dataset<Tensor<f64>>, Mlp, Parameters<f64>) {
    let x = Tensor::from_vec(vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], [4, 2]).unwrap();
    let data = Dataset::new(x, Tensor::from_vec(labels.to_vec(), [4]).unwrap()).unwrap();
    let mut params = Parameters::new();
    let model = Mlp::new(
        &mut params,
        "m",
        &[2, 4, 2],
        Activation::Tanh,
        &mut StdRng::seed_from_u64(1),
    );
    (data, model, params)
}

#[test]
fn fit_refuses_every_label_that_is_not_a_class_and_trains_nothing() {
    let config = TrainConfig {
        epochs: 2,
        batch_size: 2,
        ..Default::default()
    };
    for (bad, shown) in [
        (-1.0, "-1"),
        (f64::NAN, "NaN"),
        (1.7, "1.7"),
        (2.0, "2"),
        (7.0, "7"),
    ] {
        let (data, model, mut params) = xor([0.0, 1.0, 1.0, bad]);
        let before = params.tensors().to_vec();
        let mut rng = StdRng::seed_from_u64(2);
        let result = fit(
            &model,
            &mut params,
            &mut Adam::new(0.1),
            &CrossEntropy,
            &data,
            None,
            &config,
            &mut rng,
        );
        let expected = format!(
            "fit: training set: row 3: label {shown} is not a class (a whole number in 0..2)"
        );
        assert_eq!(result.unwrap_err().to_string(), expected);
        assert_eq!(
            params.tensors(),
            &before[..],
            "a refused run changes nothing"
        );
    }
}

#[test]
fn fit_checks_the_validation_set_before_training() {
    let (train, model, mut params) = xor([0.0, 1.0, 1.0, 0.0]);
    let (validation, _, _) = xor([0.0, 0.5, 1.0, 0.0]);
    let config = TrainConfig {
        epochs: 1,
        batch_size: 4,
        ..Default::default()
    };
    let mut rng = StdRng::seed_from_u64(2);
    let result = fit(
        &model,
        &mut params,
        &mut Adam::new(0.1),
        &CrossEntropy,
        &train,
        Some(&validation),
        &config,
        &mut rng,
    );
    assert_eq!(
        result.unwrap_err().to_string(),
        "fit: validation set: row 1: label 0.5 is not a class (a whole number in 0..2)"
    );
}

#[test]
fn evaluate_refuses_a_label_that_is_not_a_class() {
    let (data, model, params) = xor([0.0, 1.0, 3.0, 0.0]);
    let err = evaluate(&model, &params, &CrossEntropy, &data, &mut Tape::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "evaluate: row 2: label 3 is not a class (a whole number in 0..2)"
    );
}

#[test]
fn f32_labels_are_checked_and_reported_as_written() {
    let x = Tensor::<f32>::zeros([2, 2]);
    let data = Dataset::new(x, Tensor::from_vec(vec![1.0, 0.1], [2]).unwrap()).unwrap();
    let mut params = Parameters::new();
    let model = Mlp::new(
        &mut params,
        "m",
        &[2, 2],
        Activation::Identity,
        &mut StdRng::seed_from_u64(1),
    );
    let err = evaluate(&model, &params, &CrossEntropy, &data, &mut Tape::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "evaluate: row 1: label 0.1 is not a class (a whole number in 0..2)"
    );
}

#[test]
#[should_panic(expected = "cross_entropy: row 1: label 3 is not a class (a whole number in 0..3)")]
fn cross_entropy_names_the_row_instead_of_gather() {
    let tape = Tape::new();
    let z = tape.tensor(Tensor::<f64>::zeros([2, 3]));
    let _ = losses::cross_entropy(z, &[0, 3]);
}

#[test]
#[should_panic(expected = "nll: row 0: label 2 is not a class (a whole number in 0..2)")]
fn nll_names_the_row() {
    let tape = Tape::new();
    let _ = losses::nll(tape.tensor(Tensor::<f64>::zeros([1, 2])), &[2]);
}

#[test]
#[should_panic(expected = "one_hot: row 2: label 4 is not a class (a whole number in 0..4)")]
fn one_hot_names_the_row() {
    let _ = one_hot::<f32>(&[0, 1, 4], 4);
}

#[test]
#[should_panic(
    expected = "ConfusionMatrix labels: row 1: label 5 is not a class (a whole number in 0..3)"
)]
fn the_confusion_matrix_names_the_row() {
    let _ = ConfusionMatrix::new(&[0, 1], &[0, 5], 3);
}

#[test]
#[should_panic(expected = "classes_of: row 1 has a NaN score, so it names no class")]
fn a_row_of_scores_with_a_nan_names_no_class() {
    let scores = Tensor::<f64>::from_vec(vec![0.2, 0.8, f64::NAN, 0.1], [2, 2]).unwrap();
    let _ = classes_of(&scores);
}
