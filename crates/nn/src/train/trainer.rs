//! [`Trainer`]: the training loop as a value, with named options (the objective, the
//! optimiser, the validation set, epochs, batch size, early stopping) and hook points: a
//! callback on every step, after the forward pass and before the backward pass (to log, to
//! register gradient hooks, to read the tape), and one after every epoch (to log, to keep a
//! metric, to stop).

use std::ops::ControlFlow;

use autograd::{Float, Tape, Tensor, TensorVar};
use rand::Rng;

use super::{
    EarlyStopping, EpochStats, Objective, TrainConfig, check_data, evaluate, progress_bar,
};
use crate::data::{Dataset, Samples, accuracy};
use crate::error::Result;
use crate::input::Input;
use crate::module::{Bound, Module, Parameters};
use crate::optim::Optimizer;

/// What a step callback sees: the step's place, its tape, the recorded parameters, the
/// outputs and the loss, after the forward pass and before the backward pass.
///
/// ```
/// # use nn::train::Step;
/// fn log<F: autograd::Float>(step: &Step<'_, '_, F>) {
///     println!("epoch {} batch {}: loss {}", step.epoch, step.batch, step.loss.value());
/// }
/// ```
#[derive(Debug)]
pub struct Step<'s, 't, F: Float> {
    /// The epoch, from 1.
    pub epoch: usize,
    /// The batch within the epoch, from 0.
    pub batch: usize,
    /// The tape the step records on (cleared before each step).
    pub tape: &'t Tape,
    /// The parameters as recorded for this step (in training mode).
    pub params: &'s Bound<'t, F>,
    /// The model's outputs for the batch.
    pub outputs: TensorVar<'t, F>,
    /// The batch's loss, about to be differentiated.
    pub loss: TensorVar<'t, F>,
}

type StepCallback<'a, F> = Box<dyn FnMut(&Step<'_, '_, F>) + 'a>;
type EpochCallback<'a> = Box<dyn FnMut(&EpochStats) -> ControlFlow<()> + 'a>;

/// A training loop with named options and callbacks.
///
/// ```
/// use std::ops::ControlFlow;
/// use autograd::Tensor;
/// use nn::data::Dataset;
/// use nn::optim::Adam;
/// use nn::train::{CrossEntropy, EarlyStopping, Trainer};
/// use nn::{Activation, Mlp, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// // XOR as a two-class problem
/// let x = Tensor::<f64>::from_vec(vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], [4, 2]).unwrap();
/// let data = Dataset::classification(x, Tensor::from_vec(vec![0.0, 1.0, 1.0, 0.0], [4]).unwrap(), 2).unwrap();
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut params = Parameters::new();
/// let model = Mlp::new(&mut params, "xor", &[2, 8, 2], Activation::Tanh, &mut rng);
/// let mut adam = Adam::new(0.05);
/// let mut steps = 0;
/// let history = Trainer::new(&model, &CrossEntropy, &mut adam)
///     .epochs(500)
///     .batch_size(4)
///     .early_stopping(EarlyStopping::new(20))
///     .on_step(|_| steps += 1)
///     .on_epoch(|stats| {
///         // stop as soon as every answer is right
///         if stats.train_accuracy == Some(1.0) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
///     })
///     .fit(&mut params, &data, &mut rng)
///     .unwrap();
/// assert_eq!(history.last().unwrap().train_accuracy, Some(1.0));
/// assert_eq!(steps, history.len()); // one batch per epoch
/// ```
pub struct Trainer<'a, F: Float, M, O, P, X = Tensor<F>, T = Tensor<F>> {
    model: &'a M,
    objective: &'a O,
    optimizer: &'a mut P,
    config: TrainConfig,
    validation: Option<&'a Dataset<X, T>>,
    /// Whether early stopping was set (or turned off) by the caller; if not, a validation
    /// set turns on [`EarlyStopping::DEFAULT`].
    early_stopping_chosen: bool,
    detect_anomalies: bool,
    on_step: Vec<StepCallback<'a, F>>,
    on_epoch: Vec<EpochCallback<'a>>,
}

impl<'a, F, M, O, P, X, T> Trainer<'a, F, M, O, P, X, T>
where
    F: Float,
    X: Input<F>,
    T: Samples,
    M: Module<F, X>,
    O: Objective<F, T>,
    P: Optimizer<F>,
{
    /// A loop that trains `model` to minimise `objective` with `optimizer`, with the options
    /// of [`TrainConfig::default`] (10 epochs of batches of 32, no progress bar), and early
    /// stopping by [`EarlyStopping::DEFAULT`] once a validation set is given, unless
    /// [`early_stopping`](Self::early_stopping) or [`config`](Self::config) says otherwise
    /// (a `TrainConfig` is taken as it is: its `None` means no early stopping, as for
    /// [`fit`](super::fit)).
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// let trainer = Trainer::new(&model, &MeanSquaredError, &mut sgd).epochs(3);
    /// assert_eq!(trainer.options().epochs, 3);
    /// ```
    pub fn new(model: &'a M, objective: &'a O, optimizer: &'a mut P) -> Self {
        Trainer {
            model,
            objective,
            optimizer,
            config: TrainConfig::default(),
            validation: None,
            early_stopping_chosen: false,
            detect_anomalies: false,
            on_step: Vec::new(),
            on_epoch: Vec::new(),
        }
    }

    /// All the numeric options at once.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// let config = nn::train::TrainConfig { epochs: 4, batch_size: 8, ..Default::default() };
    /// let trainer = Trainer::new(&model, &MeanSquaredError, &mut sgd).config(config);
    /// assert_eq!(trainer.options(), config);
    /// ```
    pub fn config(mut self, config: TrainConfig) -> Self {
        self.config = config;
        self.early_stopping_chosen = true;
        self
    }

    /// The options as they stand.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// let trainer = Trainer::new(&model, &MeanSquaredError, &mut sgd);
    /// assert_eq!(trainer.options(), nn::train::TrainConfig::default());
    /// ```
    pub fn options(&self) -> TrainConfig {
        self.config
    }

    /// Passes over the training data.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// assert_eq!(Trainer::new(&model, &MeanSquaredError, &mut sgd).epochs(7).options().epochs, 7);
    /// ```
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.config.epochs = epochs;
        self
    }

    /// Samples per mini-batch.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// assert_eq!(Trainer::new(&model, &MeanSquaredError, &mut sgd).batch_size(64).options().batch_size, 64);
    /// ```
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.config.batch_size = batch_size;
        self
    }

    /// Draw a progress bar on the terminal.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// assert!(Trainer::new(&model, &MeanSquaredError, &mut sgd).progress(true).options().progress);
    /// ```
    pub fn progress(mut self, show: bool) -> Self {
        self.config.progress = show;
        self
    }

    /// Stop early by `rule` (and, with `restore_best`, end with the best epoch's weights), or
    /// not at all with `None`. Without this call, a run with a validation set stops by
    /// [`EarlyStopping::DEFAULT`] and ends with the best
    /// epoch's weights; a run without one trains every epoch.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// let rule = nn::train::EarlyStopping::new(3);
    /// let trainer = Trainer::new(&model, &MeanSquaredError, &mut sgd).early_stopping(rule);
    /// assert_eq!(trainer.options().early_stopping, Some(rule));
    /// ```
    pub fn early_stopping(mut self, rule: impl Into<Option<EarlyStopping>>) -> Self {
        self.config.early_stopping = rule.into();
        self.early_stopping_chosen = true;
        self
    }

    /// Evaluate on `data` after every epoch (its loss is what early stopping watches).
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// use autograd::Tensor;
    /// let test = nn::data::Dataset::new(Tensor::<f32>::zeros([4, 1]), Tensor::<f32>::zeros([4, 1])).unwrap();
    /// let train = test.clone();
    /// let history = Trainer::new(&model, &MeanSquaredError, &mut sgd)
    ///     .epochs(2)
    ///     .validation(&test)
    ///     .fit(&mut params, &train, &mut StdRng::seed_from_u64(1))
    ///     .unwrap();
    /// assert!(history.iter().all(|s| s.validation_loss.is_some()));
    /// ```
    pub fn validation(self, data: &'a Dataset<X, T>) -> Self {
        self.validation_set(Some(data))
    }

    /// [`validation`](Self::validation), or none.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// let trainer = Trainer::new(&model, &MeanSquaredError, &mut sgd).validation_set(None);
    /// assert_eq!(trainer.options().epochs, 10);
    /// ```
    pub fn validation_set(mut self, data: Option<&'a Dataset<X, T>>) -> Self {
        self.validation = data;
        self
    }

    /// Turn on the tape's anomaly detection: the first NaN or infinity in a value or a
    /// gradient stops the run with an error naming the op and the line that recorded it.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Activation, Mlp, Parameters, data::Dataset, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let data = Dataset::new(Tensor::full([2, 1], f64::INFINITY), Tensor::zeros([2, 1])).unwrap();
    /// let mut sgd = Sgd::new(0.1);
    /// let err = Trainer::new(&model, &MeanSquaredError, &mut sgd)
    ///     .detect_anomalies(true)
    ///     .fit(&mut params, &data, &mut StdRng::seed_from_u64(1))
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("recorded at"), "{err}");
    /// ```
    pub fn detect_anomalies(mut self, on: bool) -> Self {
        self.detect_anomalies = on;
        self
    }

    /// Call `f` on every step, after the forward pass and before the backward pass: to log
    /// the loss, to register gradient hooks on the step's variables, to read the tape.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Activation, Mlp, Parameters, data::Dataset, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let data = Dataset::new(Tensor::ones([8, 1]), Tensor::zeros([8, 1])).unwrap();
    /// let mut losses = Vec::new();
    /// let mut sgd = Sgd::new(0.1);
    /// Trainer::new(&model, &MeanSquaredError, &mut sgd)
    ///     .epochs(2)
    ///     .batch_size(4)
    ///     .on_step(|step| losses.push(step.loss.value().item().unwrap()))
    ///     .fit(&mut params, &data, &mut StdRng::seed_from_u64(1))
    ///     .unwrap();
    /// assert_eq!(losses.len(), 4); // 2 epochs of 2 batches
    /// ```
    pub fn on_step(mut self, f: impl FnMut(&Step<'_, '_, F>) + 'a) -> Self {
        self.on_step.push(Box::new(f));
        self
    }

    /// Call `f` after every epoch with its figures; `ControlFlow::Break(())` stops the run.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters, optim::Sgd, train::{MeanSquaredError, Trainer}};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "m", &[1, 1], Activation::Identity, &mut StdRng::seed_from_u64(0));
    /// let mut sgd = Sgd::<f32>::new(0.1);
    /// use autograd::Tensor;
    /// use std::ops::ControlFlow;
    /// let data = nn::data::Dataset::new(Tensor::<f32>::ones([4, 1]), Tensor::<f32>::zeros([4, 1])).unwrap();
    /// let history = Trainer::new(&model, &MeanSquaredError, &mut sgd)
    ///     .epochs(100)
    ///     .on_epoch(|stats| if stats.epoch == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
    ///     .fit(&mut params, &data, &mut StdRng::seed_from_u64(1))
    ///     .unwrap();
    /// assert_eq!(history.len(), 3);
    /// ```
    pub fn on_epoch(mut self, f: impl FnMut(&EpochStats) -> ControlFlow<()> + 'a) -> Self {
        self.on_epoch.push(Box::new(f));
        self
    }

    /// Trains the parameters on `train`; returns the figures of every epoch run.
    ///
    /// Before the first step, every target of both sets is checked against the model's
    /// output for one sample: a target that does not fit the objective is an error naming
    /// the set, the row and the value, and nothing is trained. Each step records on a tape
    /// cleared first, in training mode; validation runs in evaluation mode.
    pub fn fit(
        &mut self,
        params: &mut Parameters<F>,
        train: &Dataset<X, T>,
        rng: &mut impl Rng,
    ) -> Result<Vec<EpochStats>> {
        let mut tape = Tape::new();
        tape.detect_anomalies(self.detect_anomalies);
        let (mut config, objective, model) = (self.config, self.objective, self.model);
        if !self.early_stopping_chosen && self.validation.is_some() {
            config.early_stopping = Some(EarlyStopping::DEFAULT);
        }
        check_data(model, params, objective, train, self.validation, &tape)?;
        let mut history: Vec<EpochStats> = Vec::new();
        let (mut best, mut stale) = (f64::INFINITY, 0);
        // the best epoch's parameters: clones share storage, so this costs one copy of the
        // parameters on the next step (an update never writes into storage that is shared)
        let mut best_params: Option<Vec<Tensor<F>>> = None;
        for epoch in 1..=config.epochs {
            let batches = train.batches(config.batch_size, rng)?;
            let bar = progress_bar(config.progress, batches.len(), epoch, config.epochs);
            let (mut loss_sum, mut predicted, mut labels) = (0.0, Vec::new(), Vec::new());
            for (index, batch) in batches.enumerate() {
                let batch = batch?;
                tape.clear();
                let p = params.record(&tape);
                let outputs = model.forward(&p, batch.inputs().record(&tape));
                let loss = objective.loss(outputs, batch.targets())?;
                let step = Step {
                    epoch,
                    batch: index,
                    tape: &tape,
                    params: &p,
                    outputs,
                    loss,
                };
                for f in &mut self.on_step {
                    f(&step);
                }
                let grads = p.gradients(&loss.try_backward()?);
                params.update_buffers(&p)?; // running statistics set by the forward pass
                let value = loss.value().item()?.to_f64();
                loss_sum += value * batch.len() as f64;
                if let Some((p, l)) = objective.classes(&outputs.value(), batch.targets())? {
                    predicted.extend(p);
                    labels.extend(l);
                }
                // the tape's copies of the weights go first, so that the step updates them in
                // place (while a tape holds them, it writes a new weights-sized buffer)
                tape.clear();
                self.optimizer.try_step(params, &grads)?;
                if let Some(bar) = &bar {
                    bar.set_message(format!("loss {value:.4}"));
                    bar.inc(1);
                }
            }
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            let (validation_loss, validation_accuracy) = match self.validation {
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
            let mut stop = false;
            for f in &mut self.on_epoch {
                stop |= f(&stats).is_break();
            }
            if let Some(rule) = config.early_stopping {
                let watched = stats.validation_loss.unwrap_or(stats.train_loss);
                if watched < best - rule.min_delta {
                    (best, stale) = (watched, 0);
                    if rule.restore_best {
                        best_params = Some(params.tensors().to_vec());
                    }
                } else {
                    stale += 1;
                    stop |= stale >= rule.patience;
                }
            }
            if stop {
                break;
            }
        }
        if let Some(best) = best_params {
            params.tensors_mut().clone_from_slice(&best);
        }
        Ok(history)
    }
}
