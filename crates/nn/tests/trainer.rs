//! The training loop's hook points: a step callback sees the step before its backward pass
//! (so gradient hooks work inside `fit`), an epoch callback can stop the run, and `fit` is the
//! same loop.

use std::ops::ControlFlow;

use autograd::Tensor;
use nn::optim::Sgd;
use nn::train::{CrossEntropy, MeanSquaredError, TrainConfig, Trainer, fit};
use nn::{Activation, Dense, Mlp, Parameters, data::Dataset, data::two_moons};
use rand::{SeedableRng, rngs::StdRng};

#[test]
fn a_gradient_hook_registered_in_a_step_callback_runs_in_that_steps_backward() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut params = Parameters::<f64>::new();
    let dense = Dense::new(&mut params, "d", 2, 1, &mut rng);
    let (weight, bias) = (dense.weight(), dense.bias());
    let before = (params.get(weight).to_vec(), params.get(bias).to_vec());
    let data = Dataset::new(Tensor::ones([4, 2]), Tensor::full([4, 1], 3.0)).unwrap();
    let mut sgd = Sgd::new(0.1);
    let mut hooked = 0;
    Trainer::new(&dense, &MeanSquaredError, &mut sgd)
        .epochs(3)
        .batch_size(4)
        .on_step(|step| {
            // freeze the weight: its gradient is replaced by zeros in this step's backward
            step.params.get(weight).register_hook(|g| g.map(|_| 0.0));
            hooked += 1;
        })
        .fit(&mut params, &data, &mut rng)
        .unwrap();
    assert_eq!(hooked, 3);
    assert_eq!(
        params.get(weight).to_vec(),
        before.0,
        "the frozen weight moved"
    );
    assert_ne!(
        params.get(bias).to_vec(),
        before.1,
        "the bias should have learned"
    );
}

#[test]
fn an_epoch_callback_stops_the_run_and_fit_is_the_same_loop() {
    let data = {
        let m = two_moons(40, 0.1, &mut StdRng::seed_from_u64(1));
        let x = Tensor::from_vec(m.points.iter().flatten().copied().collect(), [40, 2]).unwrap();
        let classes: Vec<f64> = m
            .labels
            .iter()
            .map(|&l| if l > 0.0 { 1.0 } else { 0.0 })
            .collect();
        Dataset::classification(x, Tensor::from_vec(classes, [40]).unwrap(), 2).unwrap()
    };
    let run = |stop_after: Option<usize>| {
        let mut rng = StdRng::seed_from_u64(2);
        let mut params = Parameters::<f64>::new();
        let model = Mlp::new(&mut params, "m", &[2, 8, 2], Activation::Tanh, &mut rng);
        let mut sgd = Sgd::new(0.5);
        let mut trainer = Trainer::new(&model, &CrossEntropy, &mut sgd)
            .epochs(6)
            .batch_size(10);
        if let Some(n) = stop_after {
            trainer = trainer.on_epoch(move |stats| {
                if stats.epoch == n {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
        }
        let history = trainer.fit(&mut params, &data, &mut rng).unwrap();
        (history, params.tensors().to_vec())
    };
    let (stopped, _) = run(Some(2));
    assert_eq!(stopped.len(), 2);
    // `fit` with the same options gives the same run, number for number
    let (full, trained) = run(None);
    let mut rng = StdRng::seed_from_u64(2);
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(&mut params, "m", &[2, 8, 2], Activation::Tanh, &mut rng);
    let config = TrainConfig {
        epochs: 6,
        batch_size: 10,
        ..Default::default()
    };
    let history = fit(
        &model,
        &mut params,
        &mut Sgd::new(0.5),
        &CrossEntropy,
        &data,
        None,
        &config,
        &mut rng,
    )
    .unwrap();
    assert_eq!(history, full);
    assert_eq!(params.tensors().to_vec(), trained);
}
