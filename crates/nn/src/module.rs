//! Parameters and modules.
//!
//! Parameters live outside the tape, in a [`Parameters`] store that survives training steps
//! and names every tensor (for saving). Each step records them on a fresh or cleared tape
//! ([`Parameters::record`]), runs the modules' `forward` on the recorded variables, and reads
//! their gradients back in the store's order ([`Bound::gradients`]) for an optimiser.
//!
//! ```
//! use autograd::{Tape, Tensor};
//! use nn::{Activation, Mlp, Module, Parameters, losses, optim::{Adam, Optimizer}};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut params = Parameters::<f64>::new();
//! let model = Mlp::new(&mut params, "mlp", &[2, 8, 1], Activation::Tanh, &mut StdRng::seed_from_u64(0));
//! let x = Tensor::from_vec(vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], [4, 2]).unwrap();
//! let d = Tensor::from_vec(vec![0.0, 1.0, 1.0, 0.0], [4, 1]).unwrap(); // XOR
//! let mut adam = Adam::new(0.05);
//! let mut tape = Tape::new();
//! for _ in 0..300 {
//!     tape.clear();
//!     let p = params.record(&tape);
//!     let y = model.forward(&p, tape.constant_tensor(x.clone()));
//!     let loss = losses::mse(y, tape.constant_tensor(d.clone()));
//!     let grads = p.gradients(&loss.backward());
//!     adam.step(&mut params, &grads);
//! }
//! let p = params.record(&tape);
//! let y = model.forward(&p, tape.constant_tensor(x)).value();
//! assert!(y.as_slice().iter().zip([0.0, 1.0, 1.0, 0.0]).all(|(y, d)| (y - d).abs() < 0.1));
//! ```

use autograd::OrPanic;
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use autograd::{Float, Gradients, Tape, Tensor, TensorVar};

use crate::error::{Error, Result};
use crate::input::Input;
use crate::summary::{Summary, SummaryRow};

/// Where a parameter sits in its [`Parameters`] store, and which store: an id works only
/// with the store that made it (or a copy of it made after), anything else is an error
/// ([`Error::ForeignParam`]) instead of another parameter's tensor.
///
/// ```
/// use autograd::Tensor;
/// let mut params = nn::Parameters::<f64>::new();
/// let id: nn::ParamId = params.add("w", Tensor::zeros([1]));
/// assert_eq!(params.name(id), "w");
/// let mut other = nn::Parameters::<f64>::new();
/// other.add("v", Tensor::zeros([1]));
/// assert!(matches!(other.try_get(id), Err(nn::Error::ForeignParam { .. })));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamId {
    store: u64,
    index: usize,
}

/// The number of the next store: unique in the process, so ids of two stores never mix up.
static NEXT_STORE: AtomicU64 = AtomicU64::new(1);

/// Finds `id` among `len` entries of store `store`, or says why not.
fn locate(id: ParamId, store: u64, len: usize) -> Result<usize> {
    if id.store == store && id.index < len {
        Ok(id.index)
    } else {
        Err(Error::ForeignParam {
            index: id.index,
            owner: id.store,
            used_with: store,
            len,
        })
    }
}

/// Named parameter tensors, in the order they were added. Each store has a number of its own,
/// which its [`ParamId`]s and the optimisers stepping it check; a clone keeps the number (it
/// is a copy of the same parameters: a snapshot to restore, the model's ids work on it).
///
/// ```
/// use autograd::Tensor;
/// let mut params = nn::Parameters::<f32>::new();
/// let w = params.add("layer.weight", Tensor::zeros([2, 3]));
/// assert_eq!(params.name(w), "layer.weight");
/// assert_eq!(params.len(), 1);
/// assert_eq!(params.count(), 6);
/// ```
#[derive(Debug, Clone)]
pub struct Parameters<F: Float> {
    id: u64,
    names: Vec<String>,
    tensors: Vec<Tensor<F>>,
    /// `false` for a buffer: saved and loaded, but not trained. Shared with every `Bound`
    /// recorded from the store (a step copies no flags).
    trainable: Arc<[bool]>,
}

impl<F: Float> Default for Parameters<F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<F: Float> Parameters<F> {
    /// An empty store.
    ///
    /// ```
    /// assert!(nn::Parameters::<f64>::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Parameters {
            id: NEXT_STORE.fetch_add(1, Ordering::Relaxed),
            names: Vec::new(),
            tensors: Vec::new(),
            trainable: Arc::from([]),
        }
    }

    /// Adds a parameter and returns its id.
    ///
    /// # Panics
    /// If the name is taken: names identify parameters in saved files.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// let b = params.add("bias", Tensor::zeros([4]));
    /// assert_eq!(params.get(b).dims(), &[4]);
    /// ```
    #[track_caller]
    pub fn add(&mut self, name: impl Into<String>, tensor: Tensor<F>) -> ParamId {
        self.insert(name.into(), tensor, true)
    }

    /// Adds a buffer: a named tensor that is saved and loaded with the parameters but not
    /// trained (PyTorch's `register_buffer`), such as batch normalisation's running mean.
    /// It is recorded as a constant (no gradient), optimisers leave it alone, and a module
    /// gives it a new value from a training forward pass with [`Bound::set_buffer`].
    ///
    /// # Panics
    /// If the name is taken.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f32>::new();
    /// let w = params.add("w", Tensor::ones([2]));
    /// let mean = params.add_buffer("running_mean", Tensor::zeros([2]));
    /// assert_eq!((params.is_trainable(w), params.is_trainable(mean)), (true, false));
    /// assert_eq!((params.count(), params.trainable_count()), (4, 2));
    /// ```
    #[track_caller]
    pub fn add_buffer(&mut self, name: impl Into<String>, tensor: Tensor<F>) -> ParamId {
        self.insert(name.into(), tensor, false)
    }

    #[track_caller]
    fn insert(&mut self, name: String, tensor: Tensor<F>, trainable: bool) -> ParamId {
        assert!(
            !self.names.contains(&name),
            "Parameters::add: a parameter named {name:?} exists already"
        );
        self.names.push(name);
        self.tensors.push(tensor);
        self.trainable = self.trainable.iter().copied().chain([trainable]).collect();
        ParamId {
            store: self.id,
            index: self.tensors.len() - 1,
        }
    }

    /// `true` for a trained parameter, `false` for a buffer (and for an id of another store).
    ///
    /// ```
    /// let mut params = nn::Parameters::<f64>::new();
    /// let b = params.add_buffer("b", autograd::Tensor::zeros([1]));
    /// assert!(!params.is_trainable(b));
    /// ```
    pub fn is_trainable(&self, id: ParamId) -> bool {
        locate(id, self.id, self.tensors.len()).is_ok_and(|i| self.trainable[i])
    }

    /// Whether each tensor, in order, is trained (`false` for buffers): what optimisers read.
    ///
    /// ```
    /// let mut params = nn::Parameters::<f64>::new();
    /// params.add("w", autograd::Tensor::zeros([1]));
    /// params.add_buffer("b", autograd::Tensor::zeros([1]));
    /// assert_eq!(params.trainable(), [true, false]);
    /// ```
    pub fn trainable(&self) -> &[bool] {
        &self.trainable
    }

    /// The tensors to update and whether each is trained: what an optimiser's step reads,
    /// without copying the flags.
    pub(crate) fn tensors_and_trainable_mut(&mut self) -> (&mut [Tensor<F>], &[bool]) {
        (&mut self.tensors, &self.trainable)
    }

    /// How many numbers are trained (buffers not counted).
    ///
    /// ```
    /// let mut params = nn::Parameters::<f64>::new();
    /// params.add_buffer("b", autograd::Tensor::zeros([3]));
    /// assert_eq!(params.trainable_count(), 0);
    /// ```
    pub fn trainable_count(&self) -> usize {
        self.tensors
            .iter()
            .zip(self.trainable.iter())
            .filter(|(_, t)| **t)
            .map(|(t, _)| t.numel())
            .sum()
    }

    /// Takes the buffer values a training forward pass set on `bound` ([`Bound::set_buffer`]);
    /// `fit` and `Trainer` do it after every step. An error if `bound` was recorded from
    /// another store.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let count = params.add_buffer("count", Tensor::zeros([1]));
    /// let tape = Tape::new();
    /// let bound = params.record(&tape);
    /// bound.set_buffer(count, Tensor::ones([1])).unwrap();
    /// params.update_buffers(&bound).unwrap();
    /// assert_eq!(params.get(count).to_vec(), vec![1.0]);
    /// ```
    pub fn update_buffers(&mut self, bound: &Bound<'_, F>) -> Result<()> {
        if bound.store != self.id {
            return Err(Error::ForeignParam {
                index: 0,
                owner: bound.store,
                used_with: self.id,
                len: self.tensors.len(),
            });
        }
        for (i, update) in bound.buffer_updates.borrow_mut().iter_mut().enumerate() {
            if let Some(value) = update.take() {
                self.tensors[i] = value;
            }
        }
        Ok(())
    }

    /// The parameter's current value; an error if `id` is not from this store.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// assert_eq!(params.try_get(w).unwrap().to_vec(), vec![1.0]);
    /// let err = nn::Parameters::<f64>::new().try_get(w).unwrap_err();
    /// assert!(err.to_string().contains("an id works only with the Parameters that made it"));
    /// ```
    pub fn try_get(&self, id: ParamId) -> Result<&Tensor<F>> {
        Ok(&self.tensors[self.index(id)?])
    }

    /// [`try_get`](Self::try_get) that panics with the same message.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// assert_eq!(params.get(w).to_vec(), vec![1.0]);
    /// ```
    #[track_caller]
    pub fn get(&self, id: ParamId) -> &Tensor<F> {
        self.try_get(id).or_panic()
    }

    /// This store's number (shared by its clones), for the checks of ids and optimisers.
    pub(crate) fn store_id(&self) -> u64 {
        self.id
    }

    /// The position of `id` in this store.
    fn index(&self, id: ParamId) -> Result<usize> {
        locate(id, self.id, self.tensors.len())
    }

    /// Replaces the parameter's value (a custom initialisation, a loaded value); an error
    /// naming the parameter if the shape differs, or if `id` is not from this store.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// let b = params.add("fc.bias", Tensor::zeros([2]));
    /// params.set(b, Tensor::full([2], 0.1)).unwrap();
    /// assert_eq!(params.get(b).to_vec(), vec![0.1, 0.1]);
    /// let err = params.set(b, Tensor::zeros([3])).unwrap_err();
    /// assert_eq!(err.to_string(), "parameter fc.bias has shape [2], not [3]");
    /// ```
    pub fn set(&mut self, id: ParamId, value: Tensor<F>) -> Result<()> {
        let index = self.index(id)?;
        let current = &self.tensors[index];
        if current.shape() != value.shape() {
            return Err(Error::ParameterShape {
                name: self.names[index].clone(),
                expected: current.shape().clone(),
                found: value.shape().clone(),
            });
        }
        self.tensors[index] = value;
        Ok(())
    }

    /// The parameter's name.
    ///
    /// # Panics
    /// If `id` is not from this store, with the message of [`try_get`](Self::try_get).
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// assert_eq!(params.name(w), "w");
    /// ```
    #[track_caller]
    pub fn name(&self, id: ParamId) -> &str {
        let index = self.index(id).or_panic();
        &self.names[index]
    }

    /// Every name, in order.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// params.add("a", Tensor::ones([1]));
    /// params.add("b", Tensor::ones([1]));
    /// assert_eq!(params.names(), ["a", "b"]);
    /// ```
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Every tensor, in order.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// params.add("a", Tensor::ones([2]));
    /// assert_eq!(params.tensors()[0].numel(), 2);
    /// ```
    pub fn tensors(&self) -> &[Tensor<F>] {
        &self.tensors
    }

    /// Every tensor, to update in place (an optimiser's step). Keep each tensor's shape:
    /// optimisers check it against their state.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// params.add("a", Tensor::ones([1]));
    /// params.tensors_mut()[0].as_mut_slice()[0] = 5.0;
    /// assert_eq!(params.tensors()[0].to_vec(), vec![5.0]);
    /// ```
    pub fn tensors_mut(&mut self) -> &mut [Tensor<F>] {
        &mut self.tensors
    }

    /// How many parameter tensors.
    ///
    /// ```
    /// assert_eq!(nn::Parameters::<f64>::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.tensors.len()
    }

    /// `true` when there are none.
    ///
    /// ```
    /// assert!(nn::Parameters::<f32>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tensors.is_empty()
    }

    /// How many numbers in all.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// params.add("w", Tensor::zeros([3, 2]));
    /// params.add("b", Tensor::zeros([3]));
    /// assert_eq!(params.count(), 9);
    /// ```
    pub fn count(&self) -> usize {
        self.tensors.iter().map(Tensor::numel).sum()
    }

    /// Records every parameter on `tape` as a variable, for one step.
    ///
    /// Clear the tape (`tape.clear()`) at the start of every step: without it, each step's
    /// backward pass walks the whole history of all earlier steps, so training slows down
    /// step after step (quadratic time in all). Debug builds print a warning (once per
    /// process) when parameters are recorded 100 times on one tape without a clear.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([2]));
    /// let tape = Tape::new();
    /// let bound = params.record(&tape);
    /// assert_eq!(bound.get(w).value().to_vec(), vec![1.0, 1.0]);
    /// ```
    pub fn record<'t>(&self, tape: &'t Tape) -> Bound<'t, F> {
        self.record_for(tape, Mode::Train)
    }

    /// [`record`](Self::record) for a forward pass in `mode`, which every module sees
    /// ([`Bound::mode`]).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// use nn::{Mode, Parameters};
    /// let mut params = Parameters::<f64>::new();
    /// params.add("w", Tensor::ones([2]));
    /// let tape = Tape::new();
    /// let bound = params.record_for(&tape, Mode::Eval);
    /// assert!(!bound.is_training());
    /// ```
    pub fn record_for<'t>(&self, tape: &'t Tape, mode: Mode) -> Bound<'t, F> {
        #[cfg(debug_assertions)]
        growth::note(tape);
        Bound {
            store: self.id,
            vars: self
                .tensors
                .iter()
                .zip(self.trainable.iter())
                .map(|(t, &trained)| {
                    if trained {
                        tape.tensor(t.clone())
                    } else {
                        tape.constant_tensor(t.clone()) // a buffer: no gradient
                    }
                })
                .collect(),
            mode,
            trainable: self.trainable.clone(),
            buffer_updates: RefCell::new(Vec::new()),
        }
    }
}

/// Whether a forward pass is training or evaluating: a module that behaves differently
/// (dropout, batch normalisation's batch or running statistics) reads it from its [`Bound`].
/// PyTorch's `train()` / `eval()`, but per recording rather than a flag left on the model.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{Mode, Parameters};
/// let params = Parameters::<f64>::new();
/// let tape = Tape::new();
/// assert_eq!(params.record(&tape).mode(), Mode::Train);
/// assert_eq!(params.record_for(&tape, Mode::Eval).mode(), Mode::Eval);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Training: the default of [`Parameters::record`], and what `fit` uses for its steps.
    #[default]
    Train,
    /// Evaluation (inference): what `predict` and `evaluate` use.
    Eval,
}

/// The parameters recorded on one tape, for one step.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let mut params = nn::Parameters::<f64>::new();
/// params.add("w", Tensor::ones([3]));
/// let tape = Tape::new();
/// let bound: nn::Bound<f64> = params.record(&tape);
/// assert_eq!(bound.all().len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Bound<'t, F: Float> {
    store: u64,
    vars: Vec<TensorVar<'t, F>>,
    mode: Mode,
    trainable: Arc<[bool]>,
    /// Values for buffers set by a training forward pass, taken by `update_buffers`; empty
    /// (no allocation) until a buffer is set.
    buffer_updates: RefCell<Vec<Option<Tensor<F>>>>,
}

impl<'t, F: Float> Bound<'t, F> {
    /// Variables standing for the parameters of `params`, already recorded, in the store's
    /// order: for instance the variables a gradient checker hands over, to check a whole
    /// network. An error unless there is one per parameter, of its shape.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// let tape = Tape::new();
    /// let bound = nn::Bound::from_vars(&params, vec![tape.tensor(Tensor::full([1], 2.0))]).unwrap();
    /// assert_eq!(bound.get(w).value().to_vec(), vec![2.0]);
    /// assert!(nn::Bound::from_vars(&params, vec![tape.tensor(Tensor::full([2], 2.0))]).is_err());
    /// ```
    pub fn from_vars(params: &Parameters<F>, vars: Vec<TensorVar<'t, F>>) -> Result<Self> {
        if vars.len() != params.len() {
            return Err(Error::CountMismatch {
                context: "Bound::from_vars",
                left: params.len(),
                left_what: "parameters",
                right: vars.len(),
                right_what: "variables",
            });
        }
        for ((name, t), v) in params.names.iter().zip(&params.tensors).zip(&vars) {
            if t.shape() != &v.shape() {
                return Err(Error::ParameterShape {
                    name: name.clone(),
                    expected: t.shape().clone(),
                    found: v.shape(),
                });
            }
        }
        Ok(Bound {
            store: params.id,
            vars,
            mode: Mode::Train,
            trainable: params.trainable.clone(),
            buffer_updates: RefCell::new(Vec::new()),
        })
    }

    /// The variable of a parameter; an error if `id` is not from the store recorded.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// let tape = Tape::new();
    /// assert_eq!(params.record(&tape).try_get(w).unwrap().dims(), &[1]);
    /// assert!(nn::Parameters::<f64>::new().record(&tape).try_get(w).is_err());
    /// ```
    pub fn try_get(&self, id: ParamId) -> Result<TensorVar<'t, F>> {
        Ok(self.vars[locate(id, self.store, self.vars.len())?])
    }

    /// [`try_get`](Self::try_get) that panics with the same message (a module's `forward`
    /// has no error to return).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// let tape = Tape::new();
    /// assert_eq!(params.record(&tape).get(w).dims(), &[1]);
    /// ```
    #[track_caller]
    pub fn get(&self, id: ParamId) -> TensorVar<'t, F> {
        self.try_get(id).or_panic()
    }

    /// Sets a buffer's value for after this step (a running statistic, from a training
    /// forward pass): [`Parameters::update_buffers`] takes it, as `fit` does after every step.
    /// An error for a trained parameter, an id of another store, or a value of another shape.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::zeros([2]));
    /// let mean = params.add_buffer("mean", Tensor::zeros([2]));
    /// let tape = Tape::new();
    /// let bound = params.record(&tape);
    /// assert!(bound.set_buffer(mean, Tensor::ones([2])).is_ok());
    /// assert!(bound.set_buffer(w, Tensor::ones([2])).is_err()); // trained, not a buffer
    /// assert!(bound.set_buffer(mean, Tensor::ones([3])).is_err()); // another shape
    /// ```
    pub fn set_buffer(&self, id: ParamId, value: Tensor<F>) -> Result<()> {
        let index = locate(id, self.store, self.vars.len())?;
        if self.trainable[index] {
            return Err(Error::NotABuffer { index });
        }
        let expected = self.vars[index].shape();
        if value.shape() != &expected {
            return Err(Error::ParameterShape {
                name: format!("buffer {index}"),
                expected,
                found: value.shape().clone(),
            });
        }
        let mut updates = self.buffer_updates.borrow_mut();
        if updates.len() < self.vars.len() {
            updates.resize(self.vars.len(), None);
        }
        updates[index] = Some(value);
        Ok(())
    }

    /// The mode of the forward pass these parameters were recorded for.
    ///
    /// ```
    /// let params = nn::Parameters::<f32>::new();
    /// let tape = autograd::Tape::new();
    /// assert_eq!(params.record(&tape).mode(), nn::Mode::Train);
    /// ```
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// `true` in [`Mode::Train`].
    ///
    /// ```
    /// let params = nn::Parameters::<f32>::new();
    /// let tape = autograd::Tape::new();
    /// assert!(params.record(&tape).is_training());
    /// ```
    pub fn is_training(&self) -> bool {
        self.mode == Mode::Train
    }

    /// The same parameters for a forward pass in `mode` (no new nodes).
    ///
    /// ```
    /// let params = nn::Parameters::<f32>::new();
    /// let tape = autograd::Tape::new();
    /// let eval = params.record(&tape).with_mode(nn::Mode::Eval);
    /// assert!(!eval.is_training());
    /// ```
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Every recorded parameter, in the store's order (for a regulariser over all of them).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// params.add("w", Tensor::ones([2]));
    /// let tape = Tape::new();
    /// assert_eq!(params.record(&tape).all().len(), 1);
    /// ```
    pub fn all(&self) -> &[TensorVar<'t, F>] {
        &self.vars
    }

    /// The gradients of every parameter, in the store's order (zeros for one the loss does not
    /// depend on).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::full([2], 3.0));
    /// let tape = Tape::new();
    /// let p = params.record(&tape);
    /// let grads = p.gradients(&(p.get(w) * p.get(w)).sum().backward());
    /// assert_eq!(grads[0].to_vec(), vec![6.0, 6.0]);
    /// ```
    #[track_caller]
    pub fn gradients(&self, grads: &Gradients) -> Vec<Tensor<F>> {
        self.vars.iter().map(|&v| grads.wrt(v)).collect()
    }
}

/// Something with a forward pass over recorded parameters: a layer or a network. Its input
/// is a float tensor unless it says otherwise: `X` can be [`Indices`](crate::data::Indices)
/// (token ids for an embedding), a pair `(A, B)` (two inputs, or a sequence and its initial
/// state), or any other [`Input`].
///
/// ```
/// use autograd::{Float, Tape, Tensor, TensorVar};
/// use nn::{Bound, Module, ParamId, Parameters};
///
/// /// y = a ⊙ x: one learned scale per feature
/// struct Scale(ParamId);
/// impl<F: Float> Module<F> for Scale {
///     fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
///         x * p.get(self.0)
///     }
/// }
/// let mut params = Parameters::<f64>::new();
/// let scale = Scale(params.add("a", Tensor::full([2], 3.0)));
/// let tape = Tape::new();
/// let y = scale.forward(&params.record(&tape), tape.constant_tensor(Tensor::ones([1, 2])));
/// assert_eq!(y.value().to_vec(), vec![3.0, 3.0]);
/// ```
///
/// A module with another input: a lookup table indexed by class, here with a second tensor
/// input added to the looked-up rows.
///
/// ```
/// use autograd::{Float, Tensor, TensorVar};
/// use nn::data::Indices;
/// use nn::{Bound, Module, ParamId, Parameters};
///
/// /// rows of a table, picked by index, plus an offset
/// struct Lookup(ParamId);
/// impl<F: Float> Module<F, (Indices, Tensor<F>)> for Lookup {
///     fn forward<'t>(&self, p: &Bound<'t, F>, (ids, offset): (Indices, TensorVar<'t, F>)) -> TensorVar<'t, F> {
///         p.get(self.0).index_select(0, ids.as_slice()) + offset
///     }
/// }
/// let mut params = Parameters::<f64>::new();
/// let table = Lookup(params.add("table", Tensor::from_vec(vec![0.0, 1.0, 10.0, 11.0], [2, 2]).unwrap()));
/// let ids = Indices::labels(vec![1, 0, 1], 2).unwrap();
/// let y = table.predict(&params, &(ids, Tensor::full([3, 2], 0.5)));
/// assert_eq!(y.to_vec(), vec![10.5, 11.5, 0.5, 1.5, 10.5, 11.5]);
/// ```
pub trait Module<F: Float, X: Input<F> = Tensor<F>> {
    /// The output for a batch `x` (first axis: samples).
    fn forward<'t>(&self, params: &Bound<'t, F>, x: X::Var<'t>) -> TensorVar<'t, F>;

    /// The output for the inputs `x`, with no tape in sight: one call for inference, in
    /// [`Mode::Eval`]. Nothing is recorded to differentiate (the forward runs inside
    /// `no_grad`).
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Activation, Mlp, Module, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "mlp", &[2, 8, 3], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// let logits = model.predict(&params, &Tensor::zeros([5, 2]));
    /// assert_eq!(logits.dims(), &[5, 3]);
    /// ```
    fn predict(&self, params: &Parameters<F>, x: &X) -> Tensor<F> {
        evaluate_on(self, params, &Tape::new(), x)
    }

    /// [`predict`](Self::predict) in batches of at most `batch_size` samples (the first
    /// axis), joined: the memory of one batch's forward pass, whatever the number of
    /// samples. An error for a batch size of zero or inputs with no sample axis.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Activation, Mlp, Module, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut params = Parameters::<f64>::new();
    /// let model = Mlp::new(&mut params, "mlp", &[2, 8, 3], Activation::Tanh, &mut StdRng::seed_from_u64(0));
    /// let x = Tensor::from_fn([10, 2], |i| i[0] as f64 - i[1] as f64);
    /// let batched = model.try_predict_batched(&params, &x, 4).unwrap(); // 4 + 4 + 2 rows
    /// let whole = model.predict(&params, &x);
    /// assert!(batched.as_slice().iter().zip(whole.as_slice()).all(|(a, b)| (a - b).abs() < 1e-12));
    /// assert!(model.try_predict_batched(&params, &x, 0).is_err());
    /// ```
    fn try_predict_batched(
        &self,
        params: &Parameters<F>,
        x: &X,
        batch_size: usize,
    ) -> Result<Tensor<F>> {
        if batch_size == 0 {
            return Err(Error::ZeroBatchSize);
        }
        let rows = x.samples()?;
        if rows <= batch_size {
            return Ok(self.predict(params, x));
        }
        let mut tape = Tape::new();
        let mut outputs = Vec::with_capacity(rows.div_ceil(batch_size));
        let mut order: Vec<usize> = Vec::with_capacity(batch_size);
        for start in (0..rows).step_by(batch_size) {
            order.clear();
            order.extend(start..rows.min(start + batch_size));
            let batch = x.select_samples(&order)?;
            tape.clear(); // keeps its buffers: no allocation for the tape after the first batch
            outputs.push(evaluate_on(self, params, &tape, &batch));
        }
        Ok(Tensor::try_concat(&outputs, 0)?)
    }

    /// The name a summary shows: the type's name (`Dense`, `Mlp`); an activation shows its
    /// variant (`Relu`).
    ///
    /// ```
    /// use nn::{Activation, Module};
    /// assert_eq!(Module::<f32>::layer_name(&Activation::Tanh), "Tanh");
    /// ```
    fn layer_name(&self) -> String {
        let full = std::any::type_name::<Self>();
        let base = full.split('<').next().unwrap_or(full);
        base.rsplit("::").next().unwrap_or(base).to_string()
    }

    /// This module's trainable numbers in `params`, `None` if it does not say (the default;
    /// `Dense`, `Mlp`, `Sequential` and activations say).
    ///
    /// ```
    /// use nn::{Dense, Module, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let dense = Dense::new(&mut params, "d", 3, 2, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(Module::<f64>::param_count(&dense, &params), Some(8));
    /// ```
    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        let _ = params;
        None
    }

    /// Runs `forward` and appends this module's row (and, for a container, its layers' rows
    /// at `depth + 1`) to `rows`. A container overrides it to summarise its layers; a layer
    /// keeps this default.
    fn summarize<'t>(
        &self,
        params: &Bound<'t, F>,
        store: &Parameters<F>,
        x: X::Var<'t>,
        depth: usize,
        rows: &mut Vec<SummaryRow>,
    ) -> TensorVar<'t, F> {
        let y = self.forward(params, x);
        rows.push(SummaryRow {
            depth,
            layer: self.layer_name(),
            output: y.shape(),
            params: self.param_count(store),
        });
        y
    }

    /// Each layer with its output shape and parameter count, for the inputs `example` (the
    /// batch axis included; zeros will do): the model is run once, in evaluation mode,
    /// recording nothing to differentiate. Panics as `forward` does if the inputs do not fit
    /// the model.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Activation, Mlp, Module, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let model = Mlp::new(&mut params, "mlp", &[4, 3, 2], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// let summary = model.summary(&params, &Tensor::zeros([7, 4]));
    /// let rows: Vec<(usize, &str, Vec<usize>, Option<usize>)> = summary
    ///     .rows
    ///     .iter()
    ///     .map(|r| (r.depth, r.layer.as_str(), r.output.dims().to_vec(), r.params))
    ///     .collect();
    /// assert_eq!(rows, [
    ///     (0, "Mlp", vec![7, 2], Some(23)),
    ///     (1, "Dense", vec![7, 3], Some(15)),
    ///     (1, "Relu", vec![7, 3], Some(0)),
    ///     (1, "Dense", vec![7, 2], Some(8)),
    /// ]);
    /// assert_eq!((summary.total_params, summary.trainable_params), (23, 23));
    /// ```
    #[track_caller]
    fn summary(&self, params: &Parameters<F>, example: &X) -> Summary {
        let tape = Tape::new();
        let mut rows = Vec::new();
        tape.no_grad(|| {
            let bound = params.record_for(&tape, Mode::Eval);
            self.summarize(&bound, params, example.record(&tape), 0, &mut rows);
        });
        Summary {
            input: example.describe(),
            rows,
            total_params: params.count(),
            trainable_params: params.trainable_count(),
            element_bytes: F::DTYPE.size_in_bytes(),
        }
    }
}

/// `model`'s output for `x` on `tape`, in evaluation mode, recording nothing to differentiate.
fn evaluate_on<F: Float, X: Input<F>, M: Module<F, X> + ?Sized>(
    model: &M,
    params: &Parameters<F>,
    tape: &Tape,
    x: &X,
) -> Tensor<F> {
    tape.no_grad(|| {
        let bound = params.record_for(tape, Mode::Eval);
        model.forward(&bound, x.record(tape)).value()
    })
}

/// The debug-build warning about a tape that is never cleared.
#[cfg(debug_assertions)]
mod growth {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicBool, Ordering};

    use autograd::Tape;

    /// Records of parameters on one tape without a clear before warning: far more than any
    /// step needs, far fewer than a slow training run makes.
    pub(super) const LIMIT: u32 = 100;

    thread_local! {
        /// The last tape recorded on (its id and generation), and how many records it has had.
        static LAST: Cell<(u64, u64, u32)> = const { Cell::new((0, 0, 0)) };
    }
    static WARNED: AtomicBool = AtomicBool::new(false);

    /// The count after one more record on the tape `(id, generation)`: it restarts on another
    /// tape or after a clear (a new generation).
    pub(super) fn next(last: (u64, u64, u32), id: u64, generation: u64) -> (u64, u64, u32) {
        match last {
            (i, g, n) if i == id && g == generation => (i, g, n.saturating_add(1)),
            _ => (id, generation, 1),
        }
    }

    pub(super) fn note(tape: &Tape) {
        let now = LAST.with(|last| {
            let now = next(last.get(), tape.id(), tape.generation());
            last.set(now);
            now
        });
        if now.2 == LIMIT && !WARNED.swap(true, Ordering::Relaxed) {
            eprintln!(
                "nn: warning: parameters recorded {LIMIT} times on tape #{} without tape.clear(): \
                 each backward walks the whole history, so every step is slower than the last; \
                 clear the tape at the start of each step (printed once, in debug builds)",
                tape.id()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predict_is_the_recorded_forward_in_one_call_batched_or_not() {
        use crate::{Activation, Mlp};
        use rand::{SeedableRng, rngs::StdRng};
        let mut params = Parameters::<f64>::new();
        let mut rng = StdRng::seed_from_u64(1);
        let model = Mlp::new(&mut params, "m", &[3, 5, 2], Activation::Tanh, &mut rng);
        let x = Tensor::<f64>::rand_normal([7, 3], 0.0, 1.0, &mut rng);
        let tape = Tape::new();
        let recorded = model
            .forward(&params.record(&tape), tape.constant_tensor(x.clone()))
            .value();
        assert_eq!(model.predict(&params, &x).to_vec(), recorded.to_vec());
        for batch in [1, 3, 7, 100] {
            let batched = model.try_predict_batched(&params, &x, batch).unwrap();
            assert_eq!(batched.dims(), &[7, 2]);
            for (a, b) in batched.as_slice().iter().zip(recorded.as_slice()) {
                assert!((a - b).abs() < 1e-12, "batch {batch}: {a} vs {b}");
            }
        }
        // no rows in, no rows out; a 0-d input has no rows to batch
        let empty = Tensor::<f64>::zeros([0, 3]);
        assert_eq!(
            model
                .try_predict_batched(&params, &empty, 2)
                .unwrap()
                .dims(),
            &[0, 2]
        );
        let err = model
            .try_predict_batched(&params, &Tensor::scalar(1.0), 2)
            .unwrap_err();
        assert!(matches!(err, Error::NoSampleAxis { .. }), "{err}");
    }

    #[test]
    fn an_id_of_another_store_is_an_error_naming_both() {
        let mut a = Parameters::<f64>::new();
        let id = a.add("w", Tensor::zeros([1]));
        let mut b = Parameters::<f64>::new();
        b.add("v", Tensor::zeros([1]));
        let err = b.try_get(id).unwrap_err();
        assert_eq!(
            err,
            Error::ForeignParam {
                index: 0,
                owner: a.id,
                used_with: b.id,
                len: 1
            }
        );
        assert!(a.clone().try_get(id).is_ok());
        a.add("later", Tensor::zeros([1]));
        let copy = a.clone();
        assert!(copy.try_get(id).is_ok());
    }

    #[cfg(debug_assertions)]
    #[test]
    fn the_growth_count_restarts_on_a_clear_or_another_tape() {
        use super::growth::{LIMIT, next};
        let mut last = (0, 0, 0);
        for _ in 0..LIMIT {
            last = next(last, 7, 0);
        }
        assert_eq!(last, (7, 0, LIMIT)); // 100 records on tape #7, never cleared: warn
        assert_eq!(next(last, 7, 1), (7, 1, 1)); // cleared
        assert_eq!(next(last, 8, 0), (8, 0, 1)); // a fresh tape each step
    }
}
