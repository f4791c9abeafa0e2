//! A training loop: epochs of shuffled mini-batches, the loss (and accuracy) per epoch on
//! the training and validation sets, a progress bar that can be turned off, early stopping.

use autograd::{Float, Tape, Tensor, TensorVar};
use indicatif::{ProgressBar, ProgressStyle};
use rand::Rng;

use crate::data::{Dataset, accuracy, classes_of};
use crate::error::Result;
use crate::losses;
use crate::module::{Module, Parameters};
use crate::optim::Optimizer;

/// What the loop minimises: the mean loss of a batch of outputs against their targets.
///
/// ```
/// use autograd::Tensor;
/// use nn::train::{CrossEntropy, Objective};
/// let scores = Tensor::<f64>::from_vec(vec![0.1, 0.9, 0.8, 0.2], [2, 2]).unwrap();
/// let classes = Tensor::from_vec(vec![1.0, 1.0], [2]).unwrap();
/// assert_eq!(CrossEntropy.classes(&scores, &classes), Some((vec![1, 0], vec![1, 1])));
/// ```
pub trait Objective<F: Float> {
    /// The mean loss of the batch.
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> TensorVar<'t, F>;
    /// The classes the outputs predict and the targets hold, for accuracy; `None` for
    /// regression.
    fn classes(&self, outputs: &Tensor<F>, targets: &Tensor<F>)
    -> Option<(Vec<usize>, Vec<usize>)>;
}

/// Cross-entropy from logits `[N, C]` against class indices stored as numbers `[N]`.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::train::{CrossEntropy, Objective};
/// let tape = Tape::new();
/// let logits = tape.tensor(Tensor::<f64>::zeros([2, 4]));
/// let loss = CrossEntropy.loss(logits, &Tensor::from_vec(vec![1.0, 3.0], [2]).unwrap());
/// assert!((loss.value().item().unwrap() - 4f64.ln()).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossEntropy;

impl<F: Float> Objective<F> for CrossEntropy {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> TensorVar<'t, F> {
        let classes = class_indices(targets);
        losses::empirical_risk(losses::cross_entropy(outputs, &classes))
    }
    fn classes(
        &self,
        outputs: &Tensor<F>,
        targets: &Tensor<F>,
    ) -> Option<(Vec<usize>, Vec<usize>)> {
        Some((classes_of(outputs), class_indices(targets)))
    }
}

/// Cross-entropy from logits `[N, C]` against one-hot targets `[N, C]` (the lecture's
/// `d`; see [`one_hot`](crate::data::one_hot)): `−Σᵢ dᵢ ln softmax(z)ᵢ`, averaged over the
/// batch.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::train::{CrossEntropyOneHot, Objective};
/// let tape = Tape::new();
/// let logits = tape.tensor(Tensor::<f64>::zeros([2, 4]));
/// let d = nn::data::one_hot::<f64>(&[1, 3], 4);
/// let loss = CrossEntropyOneHot.loss(logits, &d);
/// assert!((loss.value().item().unwrap() - 4f64.ln()).abs() < 1e-12);
/// assert_eq!(CrossEntropyOneHot.classes(&logits.value(), &d).unwrap().1, vec![1, 3]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossEntropyOneHot;

impl<F: Float> Objective<F> for CrossEntropyOneHot {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> TensorVar<'t, F> {
        let d = outputs.tape().constant_tensor(targets.clone());
        losses::empirical_risk(losses::cross_entropy_one_hot(outputs, d))
    }
    fn classes(
        &self,
        outputs: &Tensor<F>,
        targets: &Tensor<F>,
    ) -> Option<(Vec<usize>, Vec<usize>)> {
        Some((classes_of(outputs), classes_of(targets)))
    }
}

/// The mean squared error against targets of the outputs' shape.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::train::{MeanSquaredError, Objective};
/// let tape = Tape::new();
/// let y = tape.tensor(Tensor::<f64>::ones([2, 1]));
/// assert_eq!(MeanSquaredError.loss(y, &Tensor::zeros([2, 1])).value().item().unwrap(), 1.0);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MeanSquaredError;

impl<F: Float> Objective<F> for MeanSquaredError {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> TensorVar<'t, F> {
        losses::mse(outputs, outputs.tape().constant_tensor(targets.clone()))
    }
    fn classes(&self, _: &Tensor<F>, _: &Tensor<F>) -> Option<(Vec<usize>, Vec<usize>)> {
        None
    }
}

/// Class indices stored as numbers.
fn class_indices<F: Float>(targets: &Tensor<F>) -> Vec<usize> {
    targets
        .as_slice()
        .iter()
        .map(|c| c.to_f64() as usize)
        .collect()
}

/// Stop when the validation loss (or the training loss, without validation data) has not
/// improved by `min_delta` for `patience` epochs.
///
/// ```
/// let rule = nn::train::EarlyStopping { patience: 5, min_delta: 1e-4 };
/// let config = nn::train::TrainConfig { early_stopping: Some(rule), ..Default::default() };
/// assert_eq!(config.early_stopping.unwrap().patience, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarlyStopping {
    /// Epochs without improvement to wait.
    pub patience: usize,
    /// The smallest decrease that counts as an improvement.
    pub min_delta: f64,
}

/// How to train.
///
/// ```
/// let config = nn::train::TrainConfig { epochs: 5, batch_size: 32, ..Default::default() };
/// assert!(!config.progress);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Samples per mini-batch.
    pub batch_size: usize,
    /// Draw a progress bar on the terminal.
    pub progress: bool,
    /// Stop early, if set.
    pub early_stopping: Option<EarlyStopping>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 10,
            batch_size: 32,
            progress: false,
            early_stopping: None,
        }
    }
}

/// The figures of one epoch (see [`fit`] for a run that returns them).
///
/// ```
/// let stats = nn::train::EpochStats { epoch: 1, train_loss: 0.5, train_accuracy: Some(0.9), validation_loss: None, validation_accuracy: None };
/// assert_eq!(stats.train_accuracy, Some(0.9));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochStats {
    /// The epoch, from 1.
    pub epoch: usize,
    /// The mean training loss over the epoch's batches.
    pub train_loss: f64,
    /// The training accuracy over the epoch's batches (classification only).
    pub train_accuracy: Option<f64>,
    /// The loss on the validation set after the epoch.
    pub validation_loss: Option<f64>,
    /// The accuracy on the validation set after the epoch (classification only).
    pub validation_accuracy: Option<f64>,
}

/// Trains `model` on `train` for `config.epochs` epochs of shuffled mini-batches, evaluating
/// on `validation` after each; returns the figures of every epoch run.
///
/// ```
/// use autograd::Tensor;
/// use nn::data::Dataset;
/// use nn::optim::Adam;
/// use nn::train::{CrossEntropy, TrainConfig, fit};
/// use nn::{Activation, Mlp, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// // XOR as a two-class problem
/// let x = Tensor::<f64>::from_vec(vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], [4, 2]).unwrap();
/// let data = Dataset::new(x, Tensor::from_vec(vec![0.0, 1.0, 1.0, 0.0], [4]).unwrap()).unwrap();
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut params = Parameters::new();
/// let model = Mlp::new(&mut params, "xor", &[2, 8, 2], Activation::Tanh, &mut rng);
/// let config = TrainConfig { epochs: 200, batch_size: 4, ..Default::default() };
/// let stats = fit(&model, &mut params, &mut Adam::new(0.05), &CrossEntropy, &data, None, &config, &mut rng).unwrap();
/// assert_eq!(stats.last().unwrap().train_accuracy, Some(1.0));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn fit<F: Float>(
    model: &impl Module<F>,
    params: &mut Parameters<F>,
    optimizer: &mut impl Optimizer<F>,
    objective: &impl Objective<F>,
    train: &Dataset<F>,
    validation: Option<&Dataset<F>>,
    config: &TrainConfig,
    rng: &mut impl Rng,
) -> Result<Vec<EpochStats>> {
    let mut tape = Tape::new();
    let mut history: Vec<EpochStats> = Vec::new();
    let (mut best, mut stale) = (f64::INFINITY, 0);
    for epoch in 1..=config.epochs {
        let batches = train.batches(config.batch_size, rng)?;
        let bar = progress_bar(config.progress, batches.len(), epoch, config.epochs);
        let (mut loss_sum, mut predicted, mut labels) = (0.0, Vec::new(), Vec::new());
        for batch in &batches {
            tape.clear();
            let p = params.record(&tape);
            let outputs = model.forward(&p, tape.constant_tensor(batch.inputs().clone()));
            let loss = objective.loss(outputs, batch.targets());
            let grads = p.gradients(&loss.backward());
            optimizer.try_step(params, &grads)?;
            let value = loss.value().item()?.to_f64();
            loss_sum += value * batch.len() as f64;
            if let Some((p, l)) = objective.classes(&outputs.value(), batch.targets()) {
                predicted.extend(p);
                labels.extend(l);
            }
            bar.set_message(format!("loss {value:.4}"));
            bar.inc(1);
        }
        bar.finish_and_clear();
        let (validation_loss, validation_accuracy) = match validation {
            Some(data) => {
                let (loss, accuracy) = evaluate(model, params, objective, data, &mut tape)?;
                (Some(loss), accuracy)
            }
            None => (None, None),
        };
        let stats = EpochStats {
            epoch,
            train_loss: loss_sum / train.len() as f64,
            train_accuracy: (!labels.is_empty()).then(|| accuracy(&predicted, &labels)),
            validation_loss,
            validation_accuracy,
        };
        history.push(stats);
        if let Some(rule) = config.early_stopping {
            let watched = stats.validation_loss.unwrap_or(stats.train_loss);
            if watched < best - rule.min_delta {
                (best, stale) = (watched, 0);
            } else {
                stale += 1;
                if stale >= rule.patience {
                    break;
                }
            }
        }
    }
    Ok(history)
}

/// The loss and accuracy of `model` on a whole dataset, recording nothing to differentiate.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::data::Dataset;
/// use nn::train::{MeanSquaredError, evaluate};
/// use nn::{Activation, Mlp, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut params = Parameters::<f64>::new();
/// let model = Mlp::new(&mut params, "m", &[2, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
/// let data = Dataset::new(Tensor::zeros([3, 2]), Tensor::zeros([3, 1])).unwrap();
/// let (loss, accuracy) = evaluate(&model, &params, &MeanSquaredError, &data, &mut Tape::new()).unwrap();
/// assert_eq!((loss, accuracy), (0.0, None)); // zero inputs, zero biases
/// ```
pub fn evaluate<F: Float>(
    model: &impl Module<F>,
    params: &Parameters<F>,
    objective: &impl Objective<F>,
    data: &Dataset<F>,
    tape: &mut Tape,
) -> Result<(f64, Option<f64>)> {
    tape.clear();
    let (loss, outputs) = tape.no_grad(|| {
        let p = params.record(tape);
        let outputs = model.forward(&p, tape.constant_tensor(data.inputs().clone()));
        (objective.loss(outputs, data.targets()), outputs)
    });
    let accuracy = objective
        .classes(&outputs.value(), data.targets())
        .map(|(p, l)| accuracy(&p, &l));
    Ok((loss.value().item()?.to_f64(), accuracy))
}

/// A bar over an epoch's batches, or a hidden one.
fn progress_bar(show: bool, batches: usize, epoch: usize, epochs: usize) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(batches as u64);
    let style = ProgressStyle::with_template("epoch {prefix} [{bar:30}] {pos}/{len} {msg}")
        .expect("a valid template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(format!("{epoch}/{epochs}"));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::two_moons;
    use crate::optim::Adam;
    use crate::{Activation, Mlp};
    use rand::{SeedableRng, rngs::StdRng};

    fn moons(n: usize, seed: u64) -> Dataset<f64> {
        let m = two_moons(n, 0.1, &mut StdRng::seed_from_u64(seed));
        let x = Tensor::from_vec(m.points.iter().flatten().copied().collect(), [n, 2]).unwrap();
        let y = Tensor::from_vec(
            m.labels
                .iter()
                .map(|&l| if l > 0.0 { 1.0 } else { 0.0 })
                .collect(),
            [n],
        )
        .unwrap();
        Dataset::new(x, y).unwrap()
    }

    #[test]
    fn learns_two_moons_and_reports_every_epoch() {
        let (train, validation) = (moons(200, 1), moons(100, 2));
        let mut rng = StdRng::seed_from_u64(3);
        let mut params = Parameters::new();
        let model = Mlp::new(
            &mut params,
            "m",
            &[2, 16, 16, 2],
            Activation::Relu,
            &mut rng,
        );
        let config = TrainConfig {
            epochs: 60,
            batch_size: 20,
            ..Default::default()
        };
        let stats = fit(
            &model,
            &mut params,
            &mut Adam::new(0.01),
            &CrossEntropy,
            &train,
            Some(&validation),
            &config,
            &mut rng,
        )
        .unwrap();
        assert_eq!(stats.len(), 60);
        let last = stats.last().unwrap();
        assert!(last.validation_accuracy.unwrap() > 0.95, "{last:?}");
        assert!(last.train_loss < stats[0].train_loss / 4.0, "{last:?}");
    }

    #[test]
    fn early_stopping_stops_once_the_loss_stalls() {
        let data = moons(40, 5);
        let mut rng = StdRng::seed_from_u64(6);
        let mut params = Parameters::new();
        let model = Mlp::new(&mut params, "m", &[2, 4, 2], Activation::Tanh, &mut rng);
        let config = TrainConfig {
            epochs: 1000,
            batch_size: 40,
            progress: false,
            early_stopping: Some(EarlyStopping {
                patience: 3,
                min_delta: 0.05,
            }),
        };
        let stats = fit(
            &model,
            &mut params,
            &mut Adam::new(0.001),
            &CrossEntropy,
            &data,
            None,
            &config,
            &mut rng,
        )
        .unwrap();
        assert!(stats.len() < 1000, "ran {} epochs", stats.len());
    }
}
