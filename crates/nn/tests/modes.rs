//! The mode a module sees: training in `fit`'s steps and `Parameters::record`, evaluation in
//! `predict`, `try_predict_batched` and `evaluate`.

use std::sync::{Arc, Mutex};

use autograd::{Float, Tensor, TensorVar};
use nn::train::{MeanSquaredError, TrainConfig, evaluate, fit};
use nn::{Bound, Mode, Module, Parameters, data::Dataset, optim::Sgd};
use rand::{SeedableRng, rngs::StdRng};

/// `y = w ⊙ x` in evaluation, `y = 2 w ⊙ x` in training (as dropout's inverted scaling
/// differs between the modes), noting every mode it is run in.
struct ModeSpy {
    w: nn::ParamId,
    seen: Arc<Mutex<Vec<Mode>>>,
}

impl<F: Float> Module<F> for ModeSpy {
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        self.seen.lock().unwrap().push(p.mode());
        let y = x * p.get(self.w);
        if p.is_training() { y * 2.0 } else { y }
    }
}

fn spy() -> (ModeSpy, Parameters<f64>, Arc<Mutex<Vec<Mode>>>) {
    let mut params = Parameters::new();
    let w = params.add("w", Tensor::ones([1]));
    let seen = Arc::new(Mutex::new(Vec::new()));
    (
        ModeSpy {
            w,
            seen: seen.clone(),
        },
        params,
        seen,
    )
}

#[test]
fn predict_and_evaluate_run_in_evaluation_mode_and_fit_trains() {
    let (model, mut params, seen) = spy();
    let x = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0], [3, 1]).unwrap();
    // evaluation: y = x, so predict returns the inputs and the loss against them is zero
    assert_eq!(model.predict(&params, &x).to_vec(), vec![1.0, 2.0, 3.0]);
    assert_eq!(
        model.try_predict_batched(&params, &x, 2).unwrap().to_vec(),
        vec![1.0, 2.0, 3.0]
    );
    let data = Dataset::new(x.clone(), x.clone()).unwrap();
    let mut tape = autograd::Tape::new();
    let (loss, _) = evaluate(&model, &params, &MeanSquaredError, &data, &mut tape).unwrap();
    assert_eq!(loss, 0.0);
    assert!(seen.lock().unwrap().iter().all(|&m| m == Mode::Eval));
    seen.lock().unwrap().clear();
    // training: the shape probe before the run sees Eval (it must not update buffers), the
    // one step of one epoch sees Train, its validation Eval
    let config = TrainConfig {
        epochs: 1,
        batch_size: 3,
        ..Default::default()
    };
    let mut sgd = Sgd::new(0.0);
    let rng = &mut StdRng::seed_from_u64(0);
    fit(
        &model,
        &mut params,
        &mut sgd,
        &MeanSquaredError,
        &data,
        Some(&data),
        &config,
        rng,
    )
    .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, [Mode::Eval, Mode::Train, Mode::Eval]);
}
