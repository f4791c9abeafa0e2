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
//!     adam.step(params.tensors_mut(), &grads);
//! }
//! let p = params.record(&tape);
//! let y = model.forward(&p, tape.constant_tensor(x)).value();
//! assert!(y.as_slice().iter().zip([0.0, 1.0, 1.0, 0.0]).all(|(y, d)| (y - d).abs() < 0.1));
//! ```

use autograd::{Float, Gradients, Tape, Tensor, TensorVar};

use crate::error::{Error, Result};

/// Where a parameter sits in its [`Parameters`] store.
///
/// ```
/// use autograd::Tensor;
/// let mut params = nn::Parameters::<f64>::new();
/// let id: nn::ParamId = params.add("w", Tensor::zeros([1]));
/// assert_eq!(params.name(id), "w");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamId(usize);

/// Named parameter tensors, in the order they were added.
///
/// ```
/// use autograd::Tensor;
/// let mut params = nn::Parameters::<f32>::new();
/// let w = params.add("layer.weight", Tensor::zeros([2, 3]));
/// assert_eq!(params.name(w), "layer.weight");
/// assert_eq!(params.len(), 1);
/// assert_eq!(params.count(), 6);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Parameters<F: Float> {
    names: Vec<String>,
    tensors: Vec<Tensor<F>>,
}

impl<F: Float> Parameters<F> {
    /// An empty store.
    ///
    /// ```
    /// assert!(nn::Parameters::<f64>::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Parameters {
            names: Vec::new(),
            tensors: Vec::new(),
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
        let name = name.into();
        assert!(
            !self.names.contains(&name),
            "Parameters::add: a parameter named {name:?} exists already"
        );
        self.names.push(name);
        self.tensors.push(tensor);
        ParamId(self.tensors.len() - 1)
    }

    /// The parameter's current value.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// assert_eq!(params.get(w).to_vec(), vec![1.0]);
    /// ```
    pub fn get(&self, id: ParamId) -> &Tensor<F> {
        &self.tensors[id.0]
    }

    /// Replaces the parameter's value (a custom initialisation, a loaded value); an error
    /// naming the parameter if the shape differs.
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
        let current = &self.tensors[id.0];
        if current.shape() != value.shape() {
            return Err(Error::ParameterShape {
                name: self.names[id.0].clone(),
                expected: current.shape().clone(),
                found: value.shape().clone(),
            });
        }
        self.tensors[id.0] = value;
        Ok(())
    }

    /// The parameter's name.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// assert_eq!(params.name(w), "w");
    /// ```
    pub fn name(&self, id: ParamId) -> &str {
        &self.names[id.0]
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

    /// Every tensor, to update in place (an optimiser's step).
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
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([2]));
    /// let tape = Tape::new();
    /// let bound = params.record(&tape);
    /// assert_eq!(bound.get(w).value().to_vec(), vec![1.0, 1.0]);
    /// ```
    pub fn record<'t>(&self, tape: &'t Tape) -> Bound<'t, F> {
        Bound {
            vars: self
                .tensors
                .iter()
                .map(|t| tape.tensor(t.clone()))
                .collect(),
        }
    }
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
    vars: Vec<TensorVar<'t, F>>,
}

impl<'t, F: Float> Bound<'t, F> {
    /// Parameters already recorded, in the store's order: for instance the variables a
    /// gradient checker hands over, to check a whole network.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// let tape = Tape::new();
    /// let bound = nn::Bound::from_vars(vec![tape.tensor(Tensor::full([1], 2.0))]);
    /// assert_eq!(bound.get(w).value().to_vec(), vec![2.0]);
    /// ```
    pub fn from_vars(vars: Vec<TensorVar<'t, F>>) -> Self {
        Bound { vars }
    }

    /// The variable of a parameter.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let mut params = nn::Parameters::<f64>::new();
    /// let w = params.add("w", Tensor::ones([1]));
    /// let tape = Tape::new();
    /// assert_eq!(params.record(&tape).get(w).dims(), &[1]);
    /// ```
    pub fn get(&self, id: ParamId) -> TensorVar<'t, F> {
        self.vars[id.0]
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

/// Something with a forward pass over recorded parameters: a layer or a network.
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
pub trait Module<F: Float> {
    /// The output for a batch `x` (first axis: samples).
    fn forward<'t>(&self, params: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F>;
}
