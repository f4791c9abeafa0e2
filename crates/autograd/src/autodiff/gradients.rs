//! The gradient stores that backward returns: [`Gradients`] (numbers and tensors) and
//! [`GradientGraph`] (variables on the tape, which can be differentiated again), and the
//! [`Variable`] trait through which both are asked about scalars and tensors alike.

use crate::dtype::Family;
use crate::dtype::{ByDtype, DType};
use crate::error::OrPanic;
use crate::tensor::families::{MaybeTensors, Tensors};

use crate::autodiff::reverse::{Columns, Numbers, Recorder, Seed, ones_seed, sweep, sweep_with};
use crate::autodiff::watched::Inspector;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::ops::NodeId;
use crate::tape::{Tape, Value};
use crate::tensor::Tensor;
use crate::var::TensorVar;
use crate::var::Var;

/// The gradients of one output with respect to every node recorded before it.
///
/// Returned by [`Var::backward`] and [`TensorVar::backward`]; ask it with
/// [`wrt`](Self::wrt), which gives an `f64` for a [`Var`] and a [`Tensor`] for a
/// [`TensorVar`]. Nodes the output does not depend on (including nodes recorded after it)
/// have gradient zero.
///
/// ```
/// use autograd::Tape;
///
/// // y = x^2 + 5x + 4
/// let tape = Tape::new();
/// let x = tape.var(3.0);
/// let unused = tape.var(1.0);
/// let y = x * x + 5.0 * x + 4.0;
/// assert_eq!(y.value(), 28.0);
/// let grads = y.backward();
/// assert_eq!(grads.wrt(x), 11.0); // dy/dx = 2x + 5
/// assert_eq!(grads.wrt(unused), 0.0);
/// assert_eq!(grads.wrt(y), 1.0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Gradients {
    tape: u64,
    generation: u64,
    columns: Columns<f64, Tensor<f32>, Tensor<f64>>,
}

/// A scalar or tensor variable: what gradient stores can be asked about.
///
/// Implemented by [`Var`] (its gradient is an `f64`) and [`TensorVar`] (a [`Tensor`] of its
/// shape); the methods are the stores' plumbing; call [`Gradients::wrt`] and
/// [`GradientGraph::wrt`].
///
/// ```
/// use autograd::{Tape, Tensor};
///
/// let tape = Tape::new();
/// let s = tape.var(2.0);
/// let t = tape.tensor(Tensor::<f64>::ones([2]));
/// let y = (t * s).sum();
/// let grads = y.backward();
/// let (ds, dt): (f64, Tensor<f64>) = (grads.wrt(s), grads.wrt(t));
/// assert_eq!((ds, dt.to_vec()), (2.0, vec![2.0, 2.0]));
/// ```
pub trait Variable<'t>: Copy + sealed::Sealed {
    /// The gradient as a number: `f64` or `Tensor<F>`.
    type Gradient;
    /// The tape it is recorded on.
    fn tape(self) -> &'t Tape;
    /// Its node index.
    fn node(self) -> usize;
    #[doc(hidden)]
    fn gradient_in(self, grads: &Gradients) -> Self::Gradient;
    #[doc(hidden)]
    fn gradient_variable_in(self, graph: &GradientGraph<'t>) -> Self;
    /// Stores `value` as this variable's entry (a forward-mode seed); checks its shape.
    #[doc(hidden)]
    fn seed_in(self, store: &mut Gradients, value: Self::Gradient) -> Result<()>;
}

/// Only this crate's variables implement [`Variable`]: its hidden methods are the stores'
/// plumbing, not an extension point.
mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Var<'_> {}
    impl<F: crate::Float> Sealed for crate::TensorVar<'_, F> {}
}

impl<'t> Variable<'t> for Var<'t> {
    type Gradient = f64;
    fn tape(self) -> &'t Tape {
        Var::tape(self)
    }
    fn node(self) -> usize {
        self.id()
    }
    fn gradient_in(self, grads: &Gradients) -> f64 {
        grads
            .columns
            .scalar
            .get(self.id())
            .copied()
            .flatten()
            .unwrap_or(0.0)
    }
    fn gradient_variable_in(self, graph: &GradientGraph<'t>) -> Self {
        match graph.columns.scalar.get(self.id()).copied().flatten() {
            Some(grad) => grad,
            None => graph.tape.constant(0.0),
        }
    }
    fn seed_in(self, store: &mut Gradients, value: f64) -> Result<()> {
        let column = &mut store.columns.scalar;
        if column.len() <= self.id() {
            column.resize(self.id() + 1, None);
        }
        column[self.id()] = Some(value);
        Ok(())
    }
}

/// The tensor slot of a tensor node, if the store was filled after it was recorded.
fn slot_of(tape: &Tape, id: NodeId) -> usize {
    match tape.node(id).value() {
        Value::Tensor(slot) => slot as usize,
        Value::Scalar(_) => unreachable!("a TensorVar names a tensor node"),
    }
}

impl<'t, F: Float> Variable<'t> for TensorVar<'t, F> {
    type Gradient = Tensor<F>;
    fn tape(self) -> &'t Tape {
        TensorVar::tape(self)
    }
    fn node(self) -> usize {
        self.id()
    }
    fn gradient_in(self, grads: &Gradients) -> Tensor<F> {
        let tape = TensorVar::tape(self);
        let found = if self.node_id() as usize >= grads.columns.scalar.len() {
            None
        } else {
            let slot = slot_of(tape, self.node_id());
            match F::DTYPE {
                DType::F32 => {
                    F::join_f32::<MaybeTensors>(grads.columns.t32.get(slot).cloned().flatten())
                }
                DType::F64 => {
                    F::join_f64::<MaybeTensors>(grads.columns.t64.get(slot).cloned().flatten())
                }
            }
            .flatten()
        };
        found.unwrap_or_else(|| Tensor::zeros(self.shape()))
    }
    fn gradient_variable_in(self, graph: &GradientGraph<'t>) -> Self {
        let tape = graph.tape;
        let found = if self.node_id() as usize >= graph.columns.scalar.len() {
            None
        } else {
            let slot = slot_of(tape, self.node_id());
            match F::DTYPE {
                DType::F32 => {
                    F::join_f32::<MaybeVars<'t>>(graph.columns.t32.get(slot).copied().flatten())
                }
                DType::F64 => {
                    F::join_f64::<MaybeVars<'t>>(graph.columns.t64.get(slot).copied().flatten())
                }
            }
            .flatten()
        };
        found.unwrap_or_else(|| tape.constant_tensor(Tensor::zeros(self.shape())))
    }
    fn seed_in(self, store: &mut Gradients, value: Tensor<F>) -> Result<()> {
        self.shape().expect_same("jvp", value.shape())?;
        let id = self.id();
        let slot = slot_of(TensorVar::tape(self), self.node_id());
        let columns = &mut store.columns;
        // a tensor's entry is found only if the scalar column reaches its node
        if columns.scalar.len() <= id {
            columns.scalar.resize(id + 1, None);
        }
        if columns.t32.len() <= slot {
            columns.t32.resize_with(slot + 1, || None);
        }
        if columns.t64.len() <= slot {
            columns.t64.resize_with(slot + 1, || None);
        }
        match F::split::<Tensors>(value) {
            ByDtype::F32(v) => columns.t32[slot] = Some(v),
            ByDtype::F64(v) => columns.t64[slot] = Some(v),
        }
        Ok(())
    }
}

impl Gradients {
    /// An empty store, to be filled (again and again, without allocating) by
    /// `backward_into`.
    ///
    /// ```
    /// let grads = autograd::Gradients::new();
    /// let tape = autograd::Tape::new();
    /// assert!(grads.try_wrt(tape.var(1.0)).is_err()); // not filled for this tape yet
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// `∂output/∂x`: an `f64` for a scalar, a tensor of `x`'s shape for a tensor. Panics if
    /// `x` is from another tape or from after a clear; the fallible form is
    /// [`try_wrt`](Self::try_wrt).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// assert_eq!(x.powi(2).backward().wrt(x), 6.0);
    /// ```
    #[track_caller]
    pub fn wrt<'t, X: Variable<'t>>(&self, x: X) -> X::Gradient {
        self.try_wrt(x).or_panic()
    }

    /// `∂output/∂x`, or an error naming the tapes if `x` does not belong to them.
    ///
    /// ```
    /// use autograd::{Error, Tape};
    ///
    /// let mut tape = Tape::new();
    /// let grads = tape.var(1.0).exp().backward();
    /// tape.clear();
    /// let x = tape.var(1.0);
    /// assert!(matches!(grads.try_wrt(x), Err(Error::StaleGradients { .. })));
    /// ```
    pub fn try_wrt<'t, X: Variable<'t>>(&self, x: X) -> Result<X::Gradient> {
        self.check(x)?;
        Ok(x.gradient_in(self))
    }

    /// An error if `x` is from another tape than this store's, or from after a clear.
    pub(crate) fn check<'t, X: Variable<'t>>(&self, x: X) -> Result<()> {
        let tape = x.tape();
        if self.tape == 0 {
            // tape ids start at 1: 0 is a store made by `Gradients::default()`
            return Err(Error::EmptyGradients {
                node: x.node(),
                var_tape: tape.id(),
            });
        }
        if tape.id() != self.tape {
            return Err(Error::ForeignVariable {
                node: x.node(),
                var_tape: tape.id(),
                other_tape: self.tape,
            });
        }
        if tape.generation() != self.generation {
            return Err(Error::StaleGradients {
                tape: self.tape,
                node: x.node(),
                grads_generation: self.generation,
                var_generation: tape.generation(),
            });
        }
        Ok(())
    }

    /// An error if `tape` is not (this generation of) the store's tape.
    pub(crate) fn check_tape(&self, tape: &Tape) -> Result<()> {
        if tape.id() != self.tape {
            return Err(Error::ForeignVariable {
                node: 0,
                var_tape: self.tape,
                other_tape: tape.id(),
            });
        }
        if tape.generation() != self.generation {
            return Err(Error::StaleGradients {
                tape: self.tape,
                node: 0,
                grads_generation: self.generation,
                var_generation: tape.generation(),
            });
        }
        Ok(())
    }

    /// Ties the (empty) store to `tape`'s current generation.
    pub(crate) fn start(&mut self, tape: &Tape) {
        self.tape = tape.id();
        self.generation = tape.generation();
    }

    pub(crate) fn columns(&self) -> &Columns<f64, Tensor<f32>, Tensor<f64>> {
        &self.columns
    }

    pub(crate) fn columns_mut(&mut self) -> &mut Columns<f64, Tensor<f32>, Tensor<f64>> {
        &mut self.columns
    }

    /// The gradients of the listed variables, in order.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let xs = tape.vars(&[1.0, 2.0]);
    /// let grads = (xs[0] * xs[1]).backward();
    /// assert_eq!(grads.wrt_all(&xs), vec![2.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn wrt_all<'t, X: Variable<'t>>(&self, xs: &[X]) -> Vec<X::Gradient> {
        // a loop, not `map`: a closure would report its own line, not the caller's
        let mut all = Vec::with_capacity(xs.len());
        for &x in xs {
            all.push(self.wrt(x));
        }
        all
    }

    /// Runs the sweep on numbers from `root` with `seed`, into this store; with anomaly
    /// detection on, stops at (and returns) the first non-finite value or gradient.
    fn fill(
        &mut self,
        tape: &Tape,
        root: NodeId,
        seed: Seed<f64, Tensor<f32>, Tensor<f64>>,
    ) -> Result<()> {
        self.start(tape);
        let detect = tape.detects_anomalies();
        if detect && let Some(anomaly) = tape.anomaly().filter(|a| a.node <= root as usize) {
            return Err(Error::Anomaly(Box::new(anomaly)));
        }
        let slots = tape.tensor_count();
        let hooks = tape.watch.hooks.borrow();
        let found = tape.with_contents(|nodes, tensors, params| {
            let numbers = Numbers {
                nodes,
                tensors,
                params,
            };
            if hooks.is_empty() && !detect {
                sweep(&numbers, root, seed, slots, &mut self.columns);
                return None;
            }
            let locations = tape.watch.locations.borrow();
            let constants = tape.scalar_constants();
            let mut inspector = Inspector {
                hooks: &hooks,
                detect,
                locations: &locations,
                constants: &constants,
                found: None,
            };
            sweep_with(
                &numbers,
                root,
                seed,
                slots,
                &mut self.columns,
                &mut inspector,
            );
            inspector.found
        });
        forget_constants(&mut self.columns.scalar, &tape.scalar_constants());
        match found {
            Some(anomaly) => Err(Error::Anomaly(Box::new(anomaly))),
            None => Ok(()),
        }
    }
}

/// Gradients recorded as variables on the tape, so they can be differentiated again.
///
/// Returned by [`Var::backward_graph`] and [`TensorVar::backward_graph`]. The backward pass
/// runs the same chain-rule table as `backward`, but on variables, so each gradient is a
/// variable with its own history.
///
/// ```
/// use autograd::Tape;
///
/// // f(x, y) = x² y: a Hessian by differentiating the gradient again
/// let tape = Tape::new();
/// let (x, y) = (tape.var(3.0), tape.var(2.0));
/// let f = x * x * y;
/// let df = f.backward_graph();
/// let dfdx = df.wrt(x); // 2xy
/// assert_eq!(dfdx.value(), 12.0);
/// let second = dfdx.backward();
/// assert_eq!(second.wrt(x), 4.0); // ∂²f/∂x² = 2y
/// assert_eq!(second.wrt(y), 6.0); // ∂²f/∂x∂y = 2x
/// ```
#[derive(Debug, Clone)]
pub struct GradientGraph<'t> {
    tape: &'t Tape,
    columns: Columns<Var<'t>, TensorVar<'t, f32>, TensorVar<'t, f64>>,
}

impl<'t> GradientGraph<'t> {
    /// `∂output/∂x` as a variable of `x`'s kind; a recorded zero if the output does not depend
    /// on `x`. Panics if `x` is from another tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// let dx = x.powi(3).backward_graph().wrt(x); // 3x²
    /// assert_eq!(dx.value(), 27.0);
    /// assert_eq!(dx.backward().wrt(x), 18.0); // 6x
    /// ```
    #[track_caller]
    pub fn wrt<X: Variable<'t>>(&self, x: X) -> X {
        self.try_wrt(x).or_panic()
    }

    /// `∂output/∂x` as a variable, or an error if `x` is from another tape.
    ///
    /// ```
    /// use autograd::Tape;
    /// let (a, b) = (Tape::new(), Tape::new());
    /// let graph = a.var(1.0).exp().backward_graph();
    /// assert!(graph.try_wrt(b.var(1.0)).is_err());
    /// ```
    pub fn try_wrt<X: Variable<'t>>(&self, x: X) -> Result<X> {
        if !std::ptr::eq(x.tape(), self.tape) {
            return Err(Error::ForeignVariable {
                node: x.node(),
                var_tape: x.tape().id(),
                other_tape: self.tape.id(),
            });
        }
        Ok(x.gradient_variable_in(self))
    }

    /// The gradient variables of the listed variables, in order.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let xs = tape.vars(&[1.0, 2.0]);
    /// let grad = (xs[0] * xs[1]).backward_graph().wrt_all(&xs);
    /// assert_eq!((grad[0].value(), grad[1].value()), (2.0, 1.0));
    /// ```
    #[track_caller]
    pub fn wrt_all<X: Variable<'t>>(&self, xs: &[X]) -> Vec<X> {
        let mut all = Vec::with_capacity(xs.len());
        for &x in xs {
            all.push(self.wrt(x));
        }
        all
    }

    /// Runs the sweep on variables from `root` with `seed`.
    fn record(
        tape: &'t Tape,
        root: NodeId,
        seed: Seed<Var<'t>, TensorVar<'t, f32>, TensorVar<'t, f64>>,
    ) -> Self {
        let mut columns = Columns::default();
        let slots = tape.tensor_count();
        // A gradient graph exists to be differentiated: record it even inside `no_grad`.
        tape.with_grad(|| sweep(&Recorder { tape }, root, seed, slots, &mut columns));
        forget_constants(&mut columns.scalar, &tape.scalar_constants());
        GradientGraph { tape, columns }
    }
}

/// Drops the gradients the sweep handed to scalar constants (it hands them out as to any
/// leaf, at no extra cost per node): a constant's gradient reads as zero.
fn forget_constants<T>(column: &mut [Option<T>], constants: &[NodeId]) {
    for &c in constants {
        match column.get_mut(c as usize) {
            Some(entry) => *entry = None,
            None => break, // (in increasing order: the rest are past the sweep's root)
        }
    }
}

impl<'t> Var<'t> {
    /// Reverse mode: the gradient of this output with respect to every earlier node.
    ///
    /// One reverse loop over the tape; can be called again, from any node, any number of times.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let a = tape.var(2.0);
    /// let b = a * a + a; // a is used three times: the paths add up
    /// assert_eq!(b.backward().wrt(a), 5.0);
    /// assert_eq!(b.backward().wrt(a), 5.0); // and again
    /// ```
    #[track_caller]
    pub fn backward(self) -> Gradients {
        self.try_backward().or_panic()
    }

    /// [`backward`](Self::backward), or the first NaN or infinity found when the tape
    /// [detects anomalies](Tape::detect_anomalies) (the only way it can fail).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// assert_eq!(x.powi(2).try_backward().unwrap().wrt(x), 4.0);
    /// ```
    pub fn try_backward(self) -> Result<Gradients> {
        let mut grads = Gradients::new();
        self.try_backward_into(&mut grads)?;
        Ok(grads)
    }

    /// [`backward`](Self::backward) into an existing store, reusing its memory: a training
    /// loop that keeps one `Gradients` does not allocate once warm.
    ///
    /// ```
    /// use autograd::{Gradients, Tape};
    ///
    /// let mut tape = Tape::new();
    /// let mut grads = Gradients::new();
    /// for w0 in [1.0, 2.0] {
    ///     let w = tape.var(w0);
    ///     (w * w).backward_into(&mut grads);
    ///     assert_eq!(grads.wrt(w), 2.0 * w0);
    ///     tape.clear();
    /// }
    /// ```
    #[track_caller]
    pub fn backward_into(self, grads: &mut Gradients) {
        self.try_backward_into(grads).or_panic();
    }

    /// [`backward_into`](Self::backward_into), or the first anomaly found (see
    /// [`try_backward`](Self::try_backward)).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// let mut grads = autograd::Gradients::new();
    /// x.exp().try_backward_into(&mut grads).unwrap();
    /// assert_eq!(grads.wrt(x), 2.0f64.exp());
    /// ```
    pub fn try_backward_into(self, grads: &mut Gradients) -> Result<()> {
        grads.fill(self.tape(), self.node_id(), Seed::Scalar(1.0))
    }

    /// Reverse mode with the backward pass recorded on the tape: each gradient is a variable,
    /// which can itself be differentiated (second and higher derivatives, Hessians).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// let y = x.powi(4);
    /// let d1 = y.backward_graph().wrt(x); // 4x³ = 32
    /// let d2 = d1.backward_graph().wrt(x); // 12x² = 48
    /// let d3 = d2.backward().wrt(x); // 24x = 48
    /// assert_eq!((d1.value(), d2.value(), d3), (32.0, 48.0, 48.0));
    /// ```
    pub fn backward_graph(self) -> GradientGraph<'t> {
        let tape = self.tape();
        GradientGraph::record(tape, self.node_id(), Seed::Scalar(tape.constant(1.0)))
    }
}

impl<'t, F: Float> TensorVar<'t, F> {
    /// Reverse mode from a one-element tensor (a loss): the gradient with respect to every
    /// earlier node. An error for a tensor of more elements, naming its shape.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap());
    /// let grads = (x * x).sum().try_backward().unwrap();
    /// assert_eq!(grads.wrt(x).to_vec(), vec![2.0, 4.0]);
    /// let err = (x * x).try_backward().unwrap_err();
    /// assert_eq!(err.to_string(), "backward: needs a tensor of one element, got shape [2]");
    /// ```
    pub fn try_backward(self) -> Result<Gradients> {
        let mut grads = Gradients::new();
        self.try_backward_into(&mut grads)?;
        Ok(grads)
    }

    /// [`try_backward`](Self::try_backward) that panics with the same message.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f32>::full([3], 2.0));
    /// assert_eq!(x.mean().backward().wrt(x).to_vec(), vec![1.0 / 3.0; 3]);
    /// ```
    #[track_caller]
    pub fn backward(self) -> Gradients {
        self.try_backward().or_panic()
    }

    /// [`try_backward`](Self::try_backward) into an existing store, reusing its memory.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::ones([2]));
    /// let mut grads = autograd::Gradients::new();
    /// x.sum().try_backward_into(&mut grads).unwrap();
    /// assert_eq!(grads.wrt(x).to_vec(), vec![1.0, 1.0]);
    /// ```
    pub fn try_backward_into(self, grads: &mut Gradients) -> Result<()> {
        let shape = self.one_element("backward")?;
        grads.fill(self.tape(), self.node_id(), ones_seed::<F>(&shape))
    }

    /// Reverse mode from a one-element tensor with the backward pass recorded, so gradients
    /// can be differentiated again (Hessian-vector products).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// // f(x) = Σ x³: ∇f = 3x², and the Hessian-vector product ∇(∇f · v) = 6 x ⊙ v
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap());
    /// let v = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -1.0], [2]).unwrap());
    /// let grad = x.powi(3).sum().try_backward_graph().unwrap().wrt(x);
    /// assert_eq!(grad.value().to_vec(), vec![3.0, 12.0]);
    /// let hvp = (grad * v).sum().backward().wrt(x);
    /// assert_eq!(hvp.to_vec(), vec![6.0, -12.0]);
    /// ```
    pub fn try_backward_graph(self) -> Result<GradientGraph<'t>> {
        let shape = self.one_element("backward_graph")?;
        let tape = self.tape();
        let ones = tape.constant_tensor(Tensor::<F>::ones(shape));
        let seed = match F::split::<MaybeVars<'t>>(Some(ones)) {
            ByDtype::F32(ones) => Seed::T32(ones.expect("the seed")),
            ByDtype::F64(ones) => Seed::T64(ones.expect("the seed")),
        };
        Ok(GradientGraph::record(tape, self.node_id(), seed))
    }

    /// [`try_backward_graph`](Self::try_backward_graph) that panics with the same message.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::full([1], 2.0));
    /// let g = x.powi(3).sum().backward_graph().wrt(x); // 3x² = 12
    /// assert_eq!(g.sum().backward().wrt(x).to_vec(), vec![12.0]); // 6x
    /// ```
    #[track_caller]
    pub fn backward_graph(self) -> GradientGraph<'t> {
        self.try_backward_graph().or_panic()
    }

    /// This tensor's shape if it has one element, else the error `op` reports.
    fn one_element(self, op: &'static str) -> Result<crate::Shape> {
        let shape = self.shape();
        if shape.numel() != 1 {
            return Err(Error::NotOneElement { op, shape });
        }
        Ok(shape)
    }
}

/// The dtype family `Option<TensorVar<'t, F>>` (see the seam in `dtype/mod.rs`).
pub(crate) struct MaybeVars<'t>(std::marker::PhantomData<&'t ()>);
impl<'t> Family for MaybeVars<'t> {
    type Of<F: Float> = Option<TensorVar<'t, F>>;
}
