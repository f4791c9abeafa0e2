//! A training loop: epochs of shuffled mini-batches, the loss (and accuracy) per epoch on
//! the training and validation sets, a progress bar that can be turned off, early stopping.
//!
//! [`fit`] checks the data before the first step: every target must fit the objective (for
//! [`CrossEntropy`], a whole number in `0..C` for a model with `C` outputs), or it returns an
//! error naming the set, the row and the value, with the parameters untouched. It records
//! each step on a cleared tape. A loop of your own must clear its tape too (`tape.clear()` at
//! the start of each step): a tape that keeps every step's nodes makes each backward pass walk
//! the whole history, so each step is slower than the last and the run takes quadratic time
//! (debug builds warn after 100 steps on one uncleared tape).

use autograd::{Float, Tape, Tensor, TensorVar};
use indicatif::{ProgressBar, ProgressStyle};
use rand::Rng;

use crate::data::{Dataset, Indices, Samples, accuracy, classes_in, labels_to_classes};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::losses;
use crate::module::{Mode, Module, Parameters};
use crate::optim::Optimizer;

mod trainer;

pub use trainer::{Step, Trainer};

/// What the loop minimises: the mean loss of a batch of outputs against their targets, of
/// type `T` (a float tensor unless the objective says otherwise; [`CrossEntropy`] also takes
/// [`Indices`] labels).
///
/// ```
/// use autograd::Tensor;
/// use nn::data::Indices;
/// use nn::train::{CrossEntropy, Objective};
/// let scores = Tensor::<f64>::from_vec(vec![0.1, 0.9, 0.8, 0.2], [2, 2]).unwrap();
/// let classes = Indices::labels(vec![1, 1], 2).unwrap();
/// assert_eq!(CrossEntropy.classes(&scores, &classes).unwrap(), Some((vec![1, 0], vec![1, 1])));
/// let bad = Indices::labels(vec![1, 2], 3).unwrap();
/// assert!(CrossEntropy.classes(&scores, &bad).is_err()); // 2 is not a class of 2 outputs
/// ```
pub trait Objective<F: Float, T = Tensor<F>> {
    /// The mean loss of the batch; an error naming the row of a target that does not fit the
    /// outputs.
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &T) -> Result<TensorVar<'t, F>>;
    /// The classes the outputs predict and the targets hold, for accuracy (`None`, the
    /// default, for regression); an error naming the row of a target that is not a class, or
    /// of an output row with a NaN.
    fn classes(
        &self,
        outputs: &Tensor<F>,
        targets: &T,
    ) -> Result<Option<(Vec<usize>, Vec<usize>)>> {
        let _ = (outputs, targets);
        Ok(None)
    }
    /// Checks a whole data set's targets before a run, for a model whose output for one
    /// sample has dims `per_sample` (`[C]` for a classifier): an error naming `context`, the
    /// row and the value of the first target that does not fit. By default, all fit.
    fn check_targets(
        &self,
        per_sample: &[usize],
        targets: &T,
        context: &'static str,
    ) -> Result<()> {
        let _ = (per_sample, targets, context);
        Ok(())
    }
}

/// Cross-entropy from logits `[N, C]` against class labels: [`Indices`] (`[N]`, the
/// natural form), or labels stored as numbers in a float tensor, `[N]` (or `[N, 1]`), each
/// of which must be a whole number in `0..C` (a label of −1, NaN or 1.7 is an error naming
/// the row, not read as a class).
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::data::Indices;
/// use nn::train::{CrossEntropy, Objective};
/// let tape = Tape::new();
/// let logits = tape.tensor(Tensor::<f64>::zeros([2, 4]));
/// let loss = CrossEntropy.loss(logits, &Indices::labels(vec![1, 3], 4).unwrap()).unwrap();
/// assert!((loss.value().item().unwrap() - 4f64.ln()).abs() < 1e-12);
/// // the same labels as numbers
/// let same = CrossEntropy.loss(logits, &Tensor::from_vec(vec![1.0, 3.0], [2]).unwrap()).unwrap();
/// assert_eq!(same.value(), loss.value());
/// let err = CrossEntropy.loss(logits, &Tensor::from_vec(vec![1.0, -1.0], [2]).unwrap()).unwrap_err();
/// assert_eq!(err.to_string(), "CrossEntropy: row 1: label -1 is not a class (a whole number in 0..4)");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossEntropy;

impl CrossEntropy {
    /// The classes of float `targets` for logits `[N, C]`: one valid label per row.
    fn labels<F: Float>(
        context: &'static str,
        dims: &[usize],
        targets: &Tensor<F>,
    ) -> Result<Vec<usize>> {
        let (rows, classes) = Self::logits_dims(context, dims)?;
        if targets.dims() != [rows] && targets.dims() != [rows, 1] {
            return Err(Error::Shape {
                context,
                what: "targets",
                expected: format!("[{rows}] or [{rows}, 1] (one label per row of outputs)"),
                found: targets.shape().clone(),
            });
        }
        labels_to_classes(context, targets.as_slice(), classes)
    }

    /// `[N, C]`, or an error.
    fn logits_dims(context: &'static str, dims: &[usize]) -> Result<(usize, usize)> {
        match *dims {
            [rows, classes] => Ok((rows, classes)),
            _ => Err(Error::Shape {
                context,
                what: "outputs",
                expected: "[N, C] (logits)".into(),
                found: autograd::Shape::from(dims.to_vec()),
            }),
        }
    }

    /// Checks [`Indices`] labels against logits `[N, C]`: one per row, each below `C`.
    fn index_labels<'a>(
        context: &'static str,
        dims: &[usize],
        labels: &'a Indices,
    ) -> Result<&'a [usize]> {
        let (rows, classes) = Self::logits_dims(context, dims)?;
        if labels.dims() != [rows] {
            return Err(Error::Shape {
                context,
                what: "targets",
                expected: format!("[{rows}] (one label per row of outputs)"),
                found: labels.shape().clone(),
            });
        }
        // (labels below `classes` by construction need no look)
        let beyond = if labels.bound() > classes {
            labels.as_slice().iter().position(|&l| l >= classes)
        } else {
            None
        };
        if let Some(row) = beyond {
            return Err(Error::Label {
                context,
                row,
                value: labels.as_slice()[row] as f64,
                classes,
            });
        }
        Ok(labels.as_slice())
    }
}

impl<F: Float> Objective<F> for CrossEntropy {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> Result<TensorVar<'t, F>> {
        let classes = Self::labels("CrossEntropy", &outputs.dims(), targets)?;
        Ok(losses::empirical_risk(losses::try_cross_entropy(
            outputs, &classes,
        )?))
    }
    fn classes(
        &self,
        outputs: &Tensor<F>,
        targets: &Tensor<F>,
    ) -> Result<Option<(Vec<usize>, Vec<usize>)>> {
        let labels = Self::labels("CrossEntropy", outputs.dims(), targets)?;
        Ok(Some((predicted(outputs)?, labels)))
    }
    fn check_targets(
        &self,
        per_sample: &[usize],
        targets: &Tensor<F>,
        context: &'static str,
    ) -> Result<()> {
        let rows = targets.dims().first().copied().unwrap_or(0);
        Self::labels(context, &batch_dims(rows, per_sample), targets).map(|_| ())
    }
}

impl<F: Float> Objective<F, Indices> for CrossEntropy {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Indices) -> Result<TensorVar<'t, F>> {
        let classes = Self::index_labels("CrossEntropy", &outputs.dims(), targets)?;
        Ok(losses::empirical_risk(losses::try_cross_entropy(
            outputs, classes,
        )?))
    }
    fn classes(
        &self,
        outputs: &Tensor<F>,
        targets: &Indices,
    ) -> Result<Option<(Vec<usize>, Vec<usize>)>> {
        let labels = Self::index_labels("CrossEntropy", outputs.dims(), targets)?;
        Ok(Some((predicted(outputs)?, labels.to_vec())))
    }
    fn check_targets(
        &self,
        per_sample: &[usize],
        targets: &Indices,
        context: &'static str,
    ) -> Result<()> {
        let rows = targets.dims()[0];
        Self::index_labels(context, &batch_dims(rows, per_sample), targets).map(|_| ())
    }
}

/// `[rows, per_sample...]`.
fn batch_dims(rows: usize, per_sample: &[usize]) -> Vec<usize> {
    std::iter::once(rows)
        .chain(per_sample.iter().copied())
        .collect()
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
/// let loss = CrossEntropyOneHot.loss(logits, &d).unwrap();
/// assert!((loss.value().item().unwrap() - 4f64.ln()).abs() < 1e-12);
/// assert_eq!(CrossEntropyOneHot.classes(&logits.value(), &d).unwrap().unwrap().1, vec![1, 3]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossEntropyOneHot;

impl<F: Float> Objective<F> for CrossEntropyOneHot {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> Result<TensorVar<'t, F>> {
        same_shape("CrossEntropyOneHot", &outputs.value(), targets)?;
        let d = outputs.tape().constant_tensor(targets.clone());
        Ok(losses::empirical_risk(losses::cross_entropy_one_hot(
            outputs, d,
        )))
    }
    fn classes(
        &self,
        outputs: &Tensor<F>,
        targets: &Tensor<F>,
    ) -> Result<Option<(Vec<usize>, Vec<usize>)>> {
        same_shape("CrossEntropyOneHot", outputs, targets)?;
        let labels = classes_in("CrossEntropyOneHot targets", targets)?;
        Ok(Some((predicted(outputs)?, labels)))
    }
    fn check_targets(
        &self,
        per_sample: &[usize],
        targets: &Tensor<F>,
        context: &'static str,
    ) -> Result<()> {
        per_sample_shape(context, per_sample, targets)?;
        classes_in(context, targets).map(|_| ())
    }
}

/// The mean squared error against targets of the outputs' shape.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::train::{MeanSquaredError, Objective};
/// let tape = Tape::new();
/// let y = tape.tensor(Tensor::<f64>::ones([2, 1]));
/// assert_eq!(MeanSquaredError.loss(y, &Tensor::zeros([2, 1])).unwrap().value().item().unwrap(), 1.0);
/// assert!(MeanSquaredError.loss(y, &Tensor::zeros([2])).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MeanSquaredError;

impl<F: Float> Objective<F> for MeanSquaredError {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> Result<TensorVar<'t, F>> {
        same_shape("MeanSquaredError", &outputs.value(), targets)?;
        let d = outputs.tape().constant_tensor(targets.clone());
        Ok(losses::mse(outputs, d))
    }
    fn check_targets(
        &self,
        per_sample: &[usize],
        targets: &Tensor<F>,
        context: &'static str,
    ) -> Result<()> {
        per_sample_shape(context, per_sample, targets)
    }
}

/// The lecture's L2 divergence, `Div(Y, d) = ½ ‖Y − d‖²` per sample, averaged over the batch
/// ([`losses::l2_divergence`] then [`losses::empirical_risk`]), against targets of the
/// outputs' shape: half the sum over each sample's outputs, where [`MeanSquaredError`] takes
/// the mean over every element.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::train::{L2Divergence, Objective};
/// let tape = Tape::new();
/// let y = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0, 0.0, 0.0], [2, 2]).unwrap());
/// let d = Tensor::from_vec(vec![1.0, 0.0, 1.0, 1.0], [2, 2]).unwrap();
/// // samples: ½ (0 + 4) = 2 and ½ (1 + 1) = 1; their mean 1.5
/// assert_eq!(L2Divergence.loss(y, &d).unwrap().value().item().unwrap(), 1.5);
/// assert!(L2Divergence.loss(y, &Tensor::zeros([2])).is_err());
/// // one number per sample must still be a column, [N, 1]
/// let flat = tape.tensor(Tensor::<f64>::zeros([2]));
/// assert!(L2Divergence.loss(flat, &Tensor::zeros([2])).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct L2Divergence;

impl<F: Float> Objective<F> for L2Divergence {
    fn loss<'t>(&self, outputs: TensorVar<'t, F>, targets: &Tensor<F>) -> Result<TensorVar<'t, F>> {
        same_shape("L2Divergence", &outputs.value(), targets)?;
        if outputs.dims().len() < 2 {
            // (the divergence sums each sample's last axis: of [N], that is the batch)
            return Err(Error::Shape {
                context: "L2Divergence",
                what: "outputs",
                expected: "[N, outputs] (one row per sample)".into(),
                found: outputs.shape(),
            });
        }
        let d = outputs.tape().constant_tensor(targets.clone());
        Ok(losses::empirical_risk(losses::l2_divergence(outputs, d)))
    }
    fn check_targets(
        &self,
        per_sample: &[usize],
        targets: &Tensor<F>,
        context: &'static str,
    ) -> Result<()> {
        per_sample_shape(context, per_sample, targets)
    }
}

/// The classes a batch of outputs predicts.
fn predicted<F: Float>(outputs: &Tensor<F>) -> Result<Vec<usize>> {
    classes_in("predicted classes", outputs)
}

/// An error unless targets and outputs have one shape.
fn same_shape<F: Float>(
    context: &'static str,
    outputs: &Tensor<F>,
    targets: &Tensor<F>,
) -> Result<()> {
    if outputs.shape() == targets.shape() {
        return Ok(());
    }
    Err(Error::Shape {
        context,
        what: "targets",
        expected: format!("{} (the outputs' shape)", outputs.shape()),
        found: targets.shape().clone(),
    })
}

/// An error unless each target has the dims `per_sample` of one sample's output.
fn per_sample_shape<F: Float>(
    context: &'static str,
    per_sample: &[usize],
    targets: &Tensor<F>,
) -> Result<()> {
    if targets.dims().get(1..) == Some(per_sample) {
        return Ok(());
    }
    Err(Error::Shape {
        context,
        what: "targets",
        expected: format!("[N, {}] (the outputs' shape)", dims_list(per_sample)),
        found: targets.shape().clone(),
    })
}

fn dims_list(dims: &[usize]) -> String {
    dims.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stop when the validation loss (or the training loss, without validation data) has not
/// improved by `min_delta` for `patience` epochs; with `restore_best`, the parameters are
/// then set back to those of the best epoch (the optimiser's state is not).
///
/// ```
/// let rule = nn::train::EarlyStopping::new(5);
/// assert_eq!((rule.patience, rule.min_delta, rule.restore_best), (5, 0.0, true));
/// let config = nn::train::TrainConfig { early_stopping: Some(rule), ..Default::default() };
/// assert_eq!(config.early_stopping.unwrap().patience, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarlyStopping {
    /// Epochs without improvement to wait.
    pub patience: usize,
    /// The smallest decrease that counts as an improvement.
    pub min_delta: f64,
    /// When training ends, set the parameters back to the best epoch's.
    pub restore_best: bool,
}

impl EarlyStopping {
    /// The rule a [`Trainer`] run with a validation set uses unless told otherwise: stop after 10 epochs
    /// without a better validation loss, and restore the best epoch's weights.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Activation, Mlp, Parameters, data::Dataset, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// assert_eq!(nn::train::EarlyStopping::DEFAULT.patience, 10);
    /// // a learning rate so large that every step makes it worse: the run stops early and
    /// // ends with the weights of its best epoch
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let x = Tensor::<f32>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [4, 1]).unwrap();
    /// let data = Dataset::new(x.clone(), x * 2.0).unwrap();
    /// let mut sgd = Sgd::new(0.3);
    /// let history = Trainer::new(&model, &MeanSquaredError, &mut sgd)
    ///     .epochs(1000)
    ///     .validation(&data)
    ///     .fit(&mut params, &data, &mut StdRng::seed_from_u64(1))
    ///     .unwrap();
    /// assert!(history.len() < 1000);
    /// ```
    pub const DEFAULT: EarlyStopping = EarlyStopping {
        patience: 10,
        min_delta: 0.0,
        restore_best: true,
    };

    /// Stop after `patience` epochs without improvement, and restore the best weights.
    ///
    /// ```
    /// assert!(nn::train::EarlyStopping::new(3).restore_best);
    /// ```
    pub fn new(patience: usize) -> Self {
        EarlyStopping {
            patience,
            min_delta: 0.0,
            restore_best: true,
        }
    }
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
/// on `validation` after each; returns the figures of every epoch run. The same as
/// [`Trainer`] with these values; a [`Trainer`] also takes callbacks per step and per epoch
/// and turns on anomaly detection.
///
/// Before the first step, every target of both sets is checked against the model's output
/// for one sample ([`Objective::check_targets`]): a label that is not a class (−1, NaN, 1.7,
/// or `≥ C`) is an error naming the set, the row and the value, and nothing is trained. Later
/// errors (an optimiser option out of range, optimiser state made for other parameters,
/// outputs with NaN) stop the run with an error too; the steps already taken stay taken.
///
/// Each step records on a tape that `fit` clears first, so every step costs the same. A loop
/// written by hand must do the same (`tape.clear()` at the start of each step): otherwise each
/// backward pass walks every earlier step's nodes too, and the run takes quadratic time.
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
/// let data = Dataset::classification(x.clone(), Tensor::from_vec(vec![0.0, 1.0, 1.0, 0.0], [4]).unwrap(), 2).unwrap();
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut params = Parameters::new();
/// let model = Mlp::new(&mut params, "xor", &[2, 8, 2], Activation::Tanh, &mut rng);
/// let config = TrainConfig { epochs: 200, batch_size: 4, ..Default::default() };
/// let stats = fit(&model, &mut params, &mut Adam::new(0.05), &CrossEntropy, &data, None, &config, &mut rng).unwrap();
/// assert_eq!(stats.last().unwrap().train_accuracy, Some(1.0));
///
/// // a label of 2 for a model with two outputs: an error before any step
/// let bad = Dataset::new(x, Tensor::from_vec(vec![0.0, 1.0, 2.0, 0.0], [4]).unwrap()).unwrap();
/// let err = fit(&model, &mut params, &mut Adam::new(0.05), &CrossEntropy, &bad, None, &config, &mut rng).unwrap_err();
/// assert_eq!(err.to_string(), "fit: training set: row 2: label 2 is not a class (a whole number in 0..2)");
/// ```
#[allow(clippy::too_many_arguments)]
pub fn fit<F: Float, X: Input<F>, T: Samples>(
    model: &impl Module<F, X>,
    params: &mut Parameters<F>,
    optimizer: &mut impl Optimizer<F>,
    objective: &impl Objective<F, T>,
    train: &Dataset<X, T>,
    validation: Option<&Dataset<X, T>>,
    config: &TrainConfig,
    rng: &mut impl Rng,
) -> Result<Vec<EpochStats>> {
    Trainer::new(model, objective, optimizer)
        .config(*config)
        .validation_set(validation)
        .fit(params, train, rng)
}

/// Checks the targets of both sets against the model's output for one training sample.
pub(crate) fn check_data<F: Float, X: Input<F>, T: Samples>(
    model: &impl Module<F, X>,
    params: &Parameters<F>,
    objective: &impl Objective<F, T>,
    train: &Dataset<X, T>,
    validation: Option<&Dataset<X, T>>,
    tape: &Tape,
) -> Result<()> {
    if train.is_empty() {
        return Ok(());
    }
    let first = train.select(&[0])?;
    let dims = tape.no_grad(|| {
        let x = first.inputs().record(tape);
        model
            .forward(&params.record_for(tape, Mode::Eval), x)
            .dims()
    });
    let per_sample = dims.get(1..).unwrap_or(&[]);
    objective.check_targets(per_sample, train.targets(), "fit: training set")?;
    if let Some(data) = validation {
        objective.check_targets(per_sample, data.targets(), "fit: validation set")?;
    }
    Ok(())
}

/// The loss and accuracy of `model` on a whole dataset, recording nothing to differentiate.
/// An error naming the row of a target that does not fit the objective (as [`fit`]).
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::data::Dataset;
/// use nn::train::{CrossEntropy, MeanSquaredError, evaluate};
/// use nn::{Activation, Mlp, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut params = Parameters::<f64>::new();
/// let model = Mlp::new(&mut params, "m", &[2, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
/// let data = Dataset::new(Tensor::zeros([3, 2]), Tensor::zeros([3, 1])).unwrap();
/// let (loss, accuracy) = evaluate(&model, &params, &MeanSquaredError, &data, &mut Tape::new()).unwrap();
/// assert_eq!((loss, accuracy), (0.0, None)); // zero inputs, zero biases
/// // one output, so the only class is 0
/// let labels = Dataset::new(Tensor::zeros([2, 2]), Tensor::from_vec(vec![0.0, 1.0], [2]).unwrap()).unwrap();
/// let err = evaluate(&model, &params, &CrossEntropy, &labels, &mut Tape::new()).unwrap_err();
/// assert_eq!(err.to_string(), "evaluate: row 1: label 1 is not a class (a whole number in 0..1)");
/// ```
pub fn evaluate<F: Float, X: Input<F>, T: Samples>(
    model: &impl Module<F, X>,
    params: &Parameters<F>,
    objective: &impl Objective<F, T>,
    data: &Dataset<X, T>,
    tape: &mut Tape,
) -> Result<(f64, Option<f64>)> {
    tape.clear();
    let (loss, outputs) = tape.no_grad(|| {
        let p = params.record_for(tape, Mode::Eval);
        let outputs = model.forward(&p, data.inputs().record(tape));
        let per_sample = outputs.dims().get(1..).unwrap_or(&[]).to_vec();
        objective.check_targets(&per_sample, data.targets(), "evaluate")?;
        Ok::<_, Error>((objective.loss(outputs, data.targets())?, outputs))
    })?;
    let accuracy = objective
        .classes(&outputs.value(), data.targets())?
        .map(|(p, l)| accuracy(&p, &l));
    Ok((loss.value().item()?.to_f64(), accuracy))
}

/// A bar over an epoch's batches, or none (not even a hidden one: making one parses a
/// style template, a cost per epoch that a run of many tiny epochs would feel).
pub(crate) fn progress_bar(
    show: bool,
    batches: usize,
    epoch: usize,
    epochs: usize,
) -> Option<ProgressBar> {
    if !show {
        return None;
    }
    let bar = ProgressBar::new(batches as u64);
    let style = ProgressStyle::with_template("epoch {prefix} [{bar:30}] {pos}/{len} {msg}")
        .expect("a valid template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(format!("{epoch}/{epochs}"));
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::two_moons;
    use crate::optim::{Adam, Sgd};
    use crate::{Activation, Mlp};
    use rand::{SeedableRng, rngs::StdRng};

    fn moons(n: usize, seed: u64) -> Dataset<Tensor<f64>> {
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
                restore_best: false,
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

    #[test]
    fn early_stopping_restores_the_best_epochs_weights() {
        // a learning rate far too large: the validation loss gets worse after the first
        // epochs, so the best epoch is not the last
        let (train, validation) = (moons(60, 7), moons(60, 8));
        let run = |restore_best: bool| {
            let mut rng = StdRng::seed_from_u64(9);
            let mut params = Parameters::new();
            let model = Mlp::new(&mut params, "m", &[2, 16, 2], Activation::Relu, &mut rng);
            let config = TrainConfig {
                epochs: 40,
                batch_size: 10,
                progress: false,
                early_stopping: Some(EarlyStopping {
                    patience: 40,
                    min_delta: 0.0,
                    restore_best,
                }),
            };
            let mut sgd = Sgd::new(3.0);
            let stats = fit(
                &model,
                &mut params,
                &mut sgd,
                &CrossEntropy,
                &train,
                Some(&validation),
                &config,
                &mut rng,
            )
            .unwrap();
            let (loss, _) = evaluate(
                &model,
                &params,
                &CrossEntropy,
                &validation,
                &mut Tape::new(),
            )
            .unwrap();
            let losses: Vec<f64> = stats.iter().map(|s| s.validation_loss.unwrap()).collect();
            (loss, losses)
        };
        let (restored, losses) = run(true);
        let best = losses.iter().copied().fold(f64::INFINITY, f64::min);
        let last = *losses.last().unwrap();
        assert!(
            best < last,
            "the run must get worse for this test to mean anything: {losses:?}"
        );
        assert_eq!(restored, best, "{losses:?}");
        let (kept, _) = run(false);
        assert_eq!(kept, last);
    }
}
