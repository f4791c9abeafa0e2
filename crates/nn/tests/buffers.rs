//! Buffers: tensors saved with the parameters but not trained, set by a training forward pass
//! (running statistics), read in evaluation, left alone by the optimisers.

use autograd::{Float, Tensor, TensorVar};
use nn::optim::{Adam, Sgd};
use nn::train::{MeanSquaredError, Trainer};
use nn::{Bound, Module, ParamId, Parameters, data::Dataset, weights};
use rand::{SeedableRng, rngs::StdRng};

/// `y = (x − μ) · a`, with μ the batch mean in training (and a running mean kept as batch
/// norm does: `μ_run ← 0.9 μ_run + 0.1 μ_batch`), the running mean in evaluation.
struct Centre {
    scale: ParamId,
    running_mean: ParamId,
}

impl<F: Float> Module<F> for Centre {
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        let mean = if p.is_training() {
            let batch = x.mean_axes(&[0], false);
            let running = p.get(self.running_mean).value() * 0.9 + batch.value() * 0.1;
            p.set_buffer(self.running_mean, running).unwrap();
            batch
        } else {
            p.get(self.running_mean)
        };
        (x - mean) * p.get(self.scale)
    }
}

fn centre(params: &mut Parameters<f64>) -> Centre {
    Centre {
        scale: params.add("scale", Tensor::ones([2])),
        running_mean: params.add_buffer("running_mean", Tensor::zeros([2])),
    }
}

#[test]
fn a_training_pass_sets_the_buffer_the_optimiser_leaves_it_and_evaluation_reads_it() {
    // one batch of 4 rows whose column means are (2, 10)
    let x =
        Tensor::<f64>::from_vec(vec![1.0, 8.0, 3.0, 12.0, 2.0, 10.0, 2.0, 10.0], [4, 2]).unwrap();
    let data = Dataset::new(x.clone(), Tensor::zeros([4, 2])).unwrap();
    for weight_decay in [0.0, 0.5] {
        let mut params = Parameters::<f64>::new();
        let model = centre(&mut params);
        let mut sgd = Sgd::new(0.01).with_weight_decay(weight_decay);
        Trainer::new(&model, &MeanSquaredError, &mut sgd)
            .epochs(3)
            .batch_size(4)
            .fit(&mut params, &data, &mut StdRng::seed_from_u64(0))
            .unwrap();
        // three steps of μ ← 0.9 μ + 0.1 (2, 10), from 0: (1 − 0.9³) (2, 10); weight decay and
        // the gradient of the loss did not touch it
        let expected: Vec<f64> = [2.0, 10.0]
            .iter()
            .map(|m| {
                let mut mu = 0.0;
                for _ in 0..3 {
                    mu = mu * 0.9 + m * 0.1;
                }
                mu
            })
            .collect();
        let running = params.get(model.running_mean).to_vec();
        for (r, e) in running.iter().zip(&expected) {
            assert!(
                (r - e).abs() < 1e-12,
                "decay {weight_decay}: {running:?} vs {expected:?}"
            );
        }
        // evaluation centres on the running mean, not on the batch
        let out = model.predict(&params, &x);
        let scale = params.get(model.scale).to_vec();
        let want: Vec<f64> = x
            .to_vec()
            .iter()
            .enumerate()
            .map(|(i, v)| (v - running[i % 2]) * scale[i % 2])
            .collect();
        for (o, w) in out.to_vec().iter().zip(&want) {
            assert!((o - w).abs() < 1e-12);
        }
    }
}

/// A model that only reads the buffer (its forward never sets it).
struct Reads(ParamId);

impl<F: Float> Module<F> for Reads {
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        x * p.get(self.0)
    }
}

fn train_with(optimizer: &mut impl nn::optim::Optimizer<f64>) -> (Parameters<f64>, Centre) {
    let mut params = Parameters::<f64>::new();
    let model = centre(&mut params);
    params
        .set(model.running_mean, Tensor::full([2], 5.0))
        .unwrap();
    let data = Dataset::new(Tensor::ones([2, 2]), Tensor::zeros([2, 2])).unwrap();
    Trainer::new(&Reads(model.running_mean), &MeanSquaredError, optimizer)
        .epochs(2)
        .fit(&mut params, &data, &mut StdRng::seed_from_u64(1))
        .unwrap();
    (params, model)
}

#[test]
fn optimisers_leave_buffers_alone_even_with_weight_decay() {
    let runs = [
        train_with(&mut Sgd::new(0.1).with_weight_decay(0.5)),
        train_with(&mut Sgd::new(0.1).with_momentum(0.9).with_weight_decay(0.5)),
        train_with(&mut Adam::new(0.1).with_weight_decay(0.5)),
    ];
    for (i, (params, model)) in runs.iter().enumerate() {
        assert_eq!(
            params.get(model.running_mean).to_vec(),
            vec![5.0, 5.0],
            "optimiser {i}"
        );
    }
}

#[test]
fn weights_round_trip_buffers_by_name() {
    let (params, _) = train_with(&mut Adam::new(0.1));
    let bytes = weights::to_bytes(&params).unwrap();
    let mut loaded = Parameters::<f64>::new();
    let fresh = centre(&mut loaded);
    weights::load_bytes(&mut loaded, &bytes, "memory").unwrap();
    assert_eq!(loaded.get(fresh.running_mean).to_vec(), vec![5.0, 5.0]);
    assert!(!loaded.is_trainable(fresh.running_mean));
}

#[test]
fn a_summary_counts_buffers_apart() {
    let mut params = Parameters::<f64>::new();
    let model = centre(&mut params);
    let summary = model.summary(&params, &Tensor::zeros([3, 2]));
    assert_eq!((summary.total_params, summary.trainable_params), (4, 2));
    assert!(
        summary.to_string().contains("Trainable: 2; buffers: 2"),
        "{summary}"
    );
}
