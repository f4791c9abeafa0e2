//! Inputs that are not one float tensor and targets that are not floats: integer class
//! labels train exactly as the same labels stored as numbers, a module with two inputs and a
//! module indexed by integers train through the same `Trainer`, and a validation set turns
//! on early stopping that restores the best weights.

use autograd::{Float, Tensor, TensorVar};
use nn::data::{Dataset, Indices, Samples};
use nn::optim::{Adam, Sgd};
use nn::train::{CrossEntropy, EarlyStopping, MeanSquaredError, Trainer, evaluate};
use nn::{Activation, Bound, Mlp, Module, ParamId, Parameters};
use rand::{SeedableRng, rngs::StdRng};

fn moons(n: usize, seed: u64) -> (Tensor<f64>, Vec<usize>) {
    let m = nn::data::two_moons(n, 0.15, &mut StdRng::seed_from_u64(seed));
    let x = Tensor::from_vec(m.points.iter().flatten().copied().collect(), [n, 2]).unwrap();
    let labels = m.labels.iter().map(|&l| usize::from(l > 0.0)).collect();
    (x, labels)
}

#[test]
fn integer_labels_train_bit_for_bit_as_the_same_labels_stored_as_numbers() {
    let (x, labels) = moons(64, 1);
    let floats: Vec<f64> = labels.iter().map(|&l| l as f64).collect();
    let as_numbers = Dataset::new(x.clone(), Tensor::from_vec(floats, [64]).unwrap()).unwrap();
    let as_indices = Dataset::new(x, Indices::labels(labels, 2).unwrap()).unwrap();
    let train = |data_is_indices: bool| {
        let mut rng = StdRng::seed_from_u64(2);
        let mut params = Parameters::<f64>::new();
        let model = Mlp::new(&mut params, "m", &[2, 8, 2], Activation::Tanh, &mut rng);
        let mut adam = Adam::new(0.02);
        let history = if data_is_indices {
            Trainer::new(&model, &CrossEntropy, &mut adam)
                .epochs(5)
                .batch_size(16)
                .fit(&mut params, &as_indices, &mut rng)
                .unwrap()
        } else {
            Trainer::new(&model, &CrossEntropy, &mut adam)
                .epochs(5)
                .batch_size(16)
                .fit(&mut params, &as_numbers, &mut rng)
                .unwrap()
        };
        (history, params.tensors().to_vec())
    };
    let (h_indices, p_indices) = train(true);
    let (h_numbers, p_numbers) = train(false);
    assert_eq!(h_indices, h_numbers);
    assert_eq!(p_indices, p_numbers);
    assert!(h_indices.last().unwrap().train_accuracy.unwrap() > 0.7);
}

#[test]
fn a_label_the_model_has_no_output_for_is_refused_before_training() {
    let (x, mut labels) = moons(8, 4);
    labels[5] = 2; // a third class, for a model with two outputs
    let data = Dataset::new(x, Indices::labels(labels, 3).unwrap()).unwrap();
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(
        &mut params,
        "m",
        &[2, 2],
        Activation::Identity,
        &mut StdRng::seed_from_u64(0),
    );
    let before = params.tensors().to_vec();
    let mut sgd = Sgd::new(0.1);
    let err = Trainer::new(&model, &CrossEntropy, &mut sgd)
        .fit(&mut params, &data, &mut StdRng::seed_from_u64(1))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "fit: training set: row 5: label 2 is not a class (a whole number in 0..2)"
    );
    assert_eq!(params.tensors(), &before[..]);
    let err = evaluate(
        &model,
        &params,
        &CrossEntropy,
        &data,
        &mut autograd::Tape::new(),
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("evaluate: row 5: label 2"),
        "{err}"
    );
}

/// `y = table[id] + w · x`: an embedding row per id plus a linear term of a second input.
struct TableAndLinear {
    table: ParamId,
    w: ParamId,
}

impl<F: Float> Module<F, (Indices, Tensor<F>)> for TableAndLinear {
    fn forward<'t>(
        &self,
        p: &Bound<'t, F>,
        (ids, x): (Indices, TensorVar<'t, F>),
    ) -> TensorVar<'t, F> {
        p.get(self.table).index_select(0, ids.as_slice()) + x.matmul(p.get(self.w))
    }
}

#[test]
fn a_module_with_integer_and_tensor_inputs_trains_through_the_same_trainer() {
    // the truth: y = [3, -1, 2][id] + 0.5 x
    let n = 60;
    let ids: Vec<usize> = (0..n).map(|i| i % 3).collect();
    let xs: Vec<f64> = (0..n).map(|i| (i as f64 / 7.0).sin()).collect();
    let ys: Vec<f64> = ids
        .iter()
        .zip(&xs)
        .map(|(&id, &x)| [3.0, -1.0, 2.0][id] + 0.5 * x)
        .collect();
    let inputs = (
        Indices::labels(ids, 3).unwrap(),
        Tensor::from_vec(xs, [n, 1]).unwrap(),
    );
    let data = Dataset::new(inputs, Tensor::from_vec(ys, [n, 1]).unwrap()).unwrap();
    assert_eq!(data.inputs().describe(), "([60] indices < 3, [60, 1])");

    let mut params = Parameters::<f64>::new();
    let model = TableAndLinear {
        table: params.add("table", Tensor::zeros([3, 1])),
        w: params.add("w", Tensor::zeros([1, 1])),
    };
    let mut adam = Adam::new(0.1);
    let history = Trainer::new(&model, &MeanSquaredError, &mut adam)
        .epochs(150)
        .batch_size(20)
        .fit(&mut params, &data, &mut StdRng::seed_from_u64(5))
        .unwrap();
    assert!(
        history.last().unwrap().train_loss < 1e-4,
        "{:?}",
        history.last()
    );
    let table = params.get(model.table).to_vec();
    for (got, want) in table.iter().zip([3.0, -1.0, 2.0]) {
        assert!((got - want).abs() < 0.02, "{table:?}");
    }
    // one call to predict, batched or not
    let whole = model.predict(&params, data.inputs());
    let batched = model
        .try_predict_batched(&params, data.inputs(), 7)
        .unwrap();
    assert_eq!(whole, batched);
    let summary = model.summary(&params, data.inputs());
    assert_eq!(summary.input, "([60] indices < 3, [60, 1])");
    assert_eq!(summary.rows[0].output.dims(), &[60, 1]);
}

#[test]
fn a_validation_set_turns_on_early_stopping_that_restores_the_best_weights() {
    // a learning rate far too large: validation gets worse after the first epochs
    let (x, labels) = moons(60, 7);
    let (vx, vlabels) = moons(60, 8);
    let train = Dataset::new(x, Indices::labels(labels, 2).unwrap()).unwrap();
    let validation = Dataset::new(vx, Indices::labels(vlabels, 2).unwrap()).unwrap();
    let run = |rule: Option<Option<EarlyStopping>>| {
        let mut rng = StdRng::seed_from_u64(9);
        let mut params = Parameters::new();
        let model = Mlp::new(&mut params, "m", &[2, 16, 2], Activation::Relu, &mut rng);
        let mut sgd = Sgd::new(3.0);
        let mut trainer = Trainer::new(&model, &CrossEntropy, &mut sgd)
            .epochs(60)
            .batch_size(10)
            .validation(&validation);
        if let Some(rule) = rule {
            trainer = trainer.early_stopping(rule);
        }
        let history = trainer.fit(&mut params, &train, &mut rng).unwrap();
        let (loss, _) = evaluate(
            &model,
            &params,
            &CrossEntropy,
            &validation,
            &mut autograd::Tape::new(),
        )
        .unwrap();
        let losses: Vec<f64> = history.iter().map(|s| s.validation_loss.unwrap()).collect();
        (loss, losses)
    };
    let (restored, losses) = run(None);
    let best = losses.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        best < *losses.last().unwrap(),
        "the run must get worse: {losses:?}"
    );
    assert_eq!(restored, best, "the default restores the best epoch");
    let best_at = losses.iter().position(|&l| l == best).unwrap();
    assert!(
        losses.len() <= best_at + 1 + EarlyStopping::DEFAULT.patience,
        "{losses:?}"
    );
    // turned off: every epoch runs and the last weights stay
    let (kept, all) = run(Some(None));
    assert_eq!(all.len(), 60);
    assert_eq!(kept, *all.last().unwrap());
}

#[test]
fn an_autoencoder_trains_through_the_same_trainer_with_its_inputs_as_targets() {
    // points on a line in 4-d: a 4-1-4 linear autoencoder can reconstruct them exactly
    let n = 64;
    let t: Vec<f64> = (0..n).map(|i| i as f64 / n as f64 - 0.5).collect();
    let direction = [1.0, -2.0, 0.5, 1.5];
    let x = Tensor::from_fn([n, 4], |i| t[i[0]] * direction[i[1]]);
    let data = Dataset::new(x.clone(), x).unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    let mut params = Parameters::<f64>::new();
    let model = nn::Sequential::new()
        .then(nn::Dense::new(&mut params, "encoder", 4, 1, &mut rng))
        .then(nn::Dense::new(&mut params, "decoder", 1, 4, &mut rng));
    let mut adam = Adam::new(0.02);
    let history = Trainer::new(&model, &MeanSquaredError, &mut adam)
        .epochs(300)
        .batch_size(16)
        .fit(&mut params, &data, &mut rng)
        .unwrap();
    let (first, last) = (history[0].train_loss, history.last().unwrap().train_loss);
    assert!(last < 1e-4 && last < first / 100.0, "{first} → {last}");
    assert_eq!(
        history.last().unwrap().train_accuracy,
        None,
        "regression: no accuracy"
    );
}

/// An Elman recurrent cell unrolled over `[N, T]` sequences: `h_t = tanh(a h_{t−1} + b x_t)`,
/// the output `c h_T`; the state is carried inside `forward` from step to step.
struct Recurrent {
    a: ParamId,
    b: ParamId,
    c: ParamId,
}

impl<F: Float> Module<F> for Recurrent {
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        let (n, steps) = (x.dims()[0], x.dims()[1]);
        let tape = x.tape();
        let mut h = tape.constant_tensor(Tensor::zeros([n, 1]));
        for t in 0..steps {
            let x_t = x.try_narrow(1, t, 1).unwrap();
            h = (h.matmul(p.get(self.a)) + x_t.matmul(p.get(self.b))).tanh();
        }
        h.matmul(p.get(self.c))
    }
}

#[test]
fn a_recurrent_model_over_sequences_trains_through_the_same_trainer() {
    // the target: a damped sum of the sequence, which the cell can learn
    let (n, steps) = (96, 5);
    let mut rng = StdRng::seed_from_u64(12);
    let x = Tensor::<f64>::rand_uniform([n, steps], -0.5, 0.5, &mut rng);
    let y = Tensor::from_fn([n, 1], |i| {
        (0..steps).fold(0.0, |h: f64, t| (0.5 * h + x.at(&[i[0], t])).tanh())
    });
    let data = Dataset::new(x, y).unwrap();
    let mut params = Parameters::<f64>::new();
    let model = Recurrent {
        a: params.add("a", Tensor::full([1, 1], 0.1)),
        b: params.add("b", Tensor::full([1, 1], 0.3)),
        c: params.add("c", Tensor::full([1, 1], 0.5)),
    };
    let mut adam = Adam::new(0.05);
    let (train, validation) = data.train_test_split(0.75, &mut rng).unwrap();
    let history = Trainer::new(&model, &MeanSquaredError, &mut adam)
        .epochs(200)
        .batch_size(24)
        .validation(&validation)
        .fit(&mut params, &train, &mut rng)
        .unwrap();
    let best = history
        .iter()
        .filter_map(|s| s.validation_loss)
        .fold(f64::INFINITY, f64::min);
    assert!(best < 1e-4, "best validation loss {best}");
    for (id, want) in [(model.a, 0.5), (model.b, 1.0), (model.c, 1.0)] {
        let got = params.get(id).item().unwrap();
        assert!((got - want).abs() < 0.05, "{} = {got}", params.name(id));
    }
}
