//! An optimiser's state belongs to the parameters it was made for, and its options are
//! checked: reused on another model (of the same parameter count, or even the same shapes) it
//! is an error, never stale moments or an index panic; a negative or non-finite option is an
//! error naming it. Driven through `fit`, whose signature did not change, so that each test
//! failed before the checks.

use autograd::Tensor;
use nn::data::Dataset;
use nn::optim::{Adam, Optimizer, Sgd};
use nn::train::{CrossEntropy, TrainConfig, fit};
use nn::{Activation, Mlp, Parameters};
use rand::{SeedableRng, rngs::StdRng};

fn data() -> Dataset<Tensor<f64>> {
    let x = Tensor::from_vec(vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], [4, 2]).unwrap();
    Dataset::new(x, Tensor::from_vec(vec![0.0, 1.0, 1.0, 0.0], [4]).unwrap()).unwrap()
}

fn model(widths: &[usize], seed: u64) -> (Mlp, Parameters<f64>) {
    let mut params = Parameters::new();
    let model = Mlp::new(
        &mut params,
        "m",
        widths,
        Activation::Tanh,
        &mut StdRng::seed_from_u64(seed),
    );
    (model, params)
}

/// One epoch of `fit` with `optimizer`.
fn run(
    model: &Mlp,
    params: &mut Parameters<f64>,
    optimizer: &mut impl Optimizer<f64>,
) -> Result<(), String> {
    let config = TrainConfig {
        epochs: 1,
        batch_size: 4,
        ..Default::default()
    };
    fit(
        model,
        params,
        optimizer,
        &CrossEntropy,
        &data(),
        None,
        &config,
        &mut StdRng::seed_from_u64(0),
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

#[test]
fn adam_refuses_another_model_of_the_same_shapes() {
    let (a, mut pa) = model(&[2, 4, 2], 1);
    let (b, mut pb) = model(&[2, 4, 2], 2);
    let mut adam = Adam::new(0.1);
    run(&a, &mut pa, &mut adam).unwrap();
    let before = pb.tensors().to_vec();
    let err = run(&b, &mut pb, &mut adam).unwrap_err();
    assert!(
        err.starts_with("Adam: its state was made for parameter set #"),
        "{err}"
    );
    assert_eq!(
        pb.tensors(),
        &before[..],
        "nothing is stepped with a's moments"
    );
}

#[test]
fn adam_refuses_another_model_of_the_same_count_instead_of_panicking() {
    let (a, mut pa) = model(&[2, 4, 2], 1);
    let (b, mut pb) = model(&[2, 3, 2], 2);
    let mut adam = Adam::new(0.1);
    run(&a, &mut pa, &mut adam).unwrap();
    assert!(run(&b, &mut pb, &mut adam).is_err());
}

#[test]
fn momentum_refuses_another_model_and_plain_sgd_has_nothing_to_refuse() {
    let (a, mut pa) = model(&[2, 4, 2], 1);
    let (b, mut pb) = model(&[2, 4, 2], 2);
    let mut momentum = Sgd::new(0.1).with_momentum(0.9);
    run(&a, &mut pa, &mut momentum).unwrap();
    let err = run(&b, &mut pb, &mut momentum).unwrap_err();
    assert!(
        err.starts_with("Sgd: its state was made for parameter set #"),
        "{err}"
    );
    let mut plain = Sgd::new(0.1);
    run(&a, &mut pa, &mut plain).unwrap();
    run(&b, &mut pb, &mut plain).unwrap();
}

#[test]
fn the_same_store_and_its_snapshot_keep_their_state() {
    let (a, mut pa) = model(&[2, 4, 2], 1);
    let mut adam = Adam::new(0.1);
    run(&a, &mut pa, &mut adam).unwrap();
    run(&a, &mut pa, &mut adam).unwrap();
    let mut snapshot = pa.clone();
    run(&a, &mut snapshot, &mut adam).unwrap();
}

#[test]
fn options_out_of_range_are_errors_naming_them_and_change_nothing() {
    let cases = [
        (
            Adam::new(-0.1),
            "Adam: learning rate must be finite and ≥ 0, got -0.1",
        ),
        (
            Adam::new(f64::NAN),
            "Adam: learning rate must be finite and ≥ 0, got NaN",
        ),
        (
            Adam::new(f64::INFINITY),
            "Adam: learning rate must be finite and ≥ 0, got inf",
        ),
        (
            Adam::new(0.1).with_betas(1.0, 0.999),
            "Adam: beta1 must be in [0, 1), got 1",
        ),
        (
            Adam::new(0.1).with_betas(0.9, -0.5),
            "Adam: beta2 must be in [0, 1), got -0.5",
        ),
        (
            Adam::adamw(0.1, -1e-2),
            "Adam: weight decay must be finite and ≥ 0, got -0.01",
        ),
    ];
    for (mut adam, expected) in cases {
        let (a, mut pa) = model(&[2, 4, 2], 1);
        let before = pa.tensors().to_vec();
        assert_eq!(run(&a, &mut pa, &mut adam).unwrap_err(), expected);
        assert_eq!(pa.tensors(), &before[..], "{expected}");
    }
    let sgd_cases = [
        (
            Sgd::new(-1.0),
            "Sgd: learning rate must be finite and ≥ 0, got -1",
        ),
        (
            Sgd::new(0.1).with_momentum(-0.9),
            "Sgd: momentum must be finite and ≥ 0, got -0.9",
        ),
        (
            Sgd::new(0.1).with_nesterov(f64::NAN),
            "Sgd: momentum must be finite and ≥ 0, got NaN",
        ),
        (
            Sgd::new(0.1).with_weight_decay(-1.0),
            "Sgd: weight decay must be finite and ≥ 0, got -1",
        ),
    ];
    for (mut sgd, expected) in sgd_cases {
        let (a, mut pa) = model(&[2, 4, 2], 1);
        assert_eq!(run(&a, &mut pa, &mut sgd).unwrap_err(), expected);
    }
}
