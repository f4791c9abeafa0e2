//! The tape's side of the handles: the constructors of variables (`Tape::var`,
//! `Tape::tensor`, ...), and recording an op as a handle. The tape layer below works in node
//! ids; this is where they become `Var`s and `TensorVar`s.

use crate::dtype::Float;
use crate::ops::{NodeId, Op};
use crate::tape::{Tape, Value};
use crate::tensor::Tensor;
use crate::var::{TensorVar, Var};

impl Tape {
    /// Records a leaf: an input you want gradients with respect to.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// assert_eq!(x.value(), 3.0);
    /// ```
    #[track_caller]
    pub fn var(&self, value: f64) -> Var<'_> {
        self.push(Op::Leaf, value)
    }

    /// Records a tensor leaf: an input you want gradients with respect to.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let w = tape.tensor(Tensor::<f64>::ones([2, 2]));
    /// assert_eq!(w.dims(), &[2, 2]);
    /// ```
    #[track_caller]
    pub fn tensor<F: Float>(&self, value: Tensor<F>) -> TensorVar<'_, F> {
        TensorVar::new(self, self.append_tensor(Op::Leaf, value, false))
    }

    /// Records a tensor that is data, not a parameter (an input batch, targets, a mask): a
    /// constant. No gradient is computed or stored for it, nor for anything computed only
    /// from constants; its gradient reads as zeros.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let x = tape.constant_tensor(Tensor::<f64>::ones([4, 3])); // a batch of inputs
    /// let w = tape.tensor(Tensor::<f64>::ones([3, 2]));
    /// let grads = x.matmul(w).sum().backward(); // ∂/∂x is never computed
    /// assert_eq!(grads.wrt(w).to_vec(), vec![4.0; 6]);
    /// assert_eq!(grads.wrt(x).to_vec(), vec![0.0; 12]);
    /// ```
    #[track_caller]
    pub fn constant_tensor<F: Float>(&self, value: Tensor<F>) -> TensorVar<'_, F> {
        self.push_constant_tensor(value)
    }

    /// Records a number that is data, not a parameter (an input `x`, a target `d`): a
    /// constant. Its gradient reads as zero, anomaly detection, `explain_backward` and graph
    /// pictures leave it out, as for [`constant_tensor`](Self::constant_tensor). (Gradients
    /// flow *through* ops on it as usual.) A plain `f64` operand records no node at all
    /// (`2.0 * x`): use it where you can.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let w = tape.var(0.5);
    /// let x = tape.constant(4.0);
    /// let grads = (w * x).backward();
    /// assert_eq!(grads.wrt(w), 4.0);
    /// assert_eq!(grads.wrt(x), 0.0); // data: no gradient (a `var` would have 0.5)
    /// ```
    #[track_caller]
    pub fn constant(&self, value: f64) -> Var<'_> {
        Var::new(self, self.push_constant_node(value))
    }

    /// Records one [`constant`](Self::constant) per number, in order: a data point's inputs.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let w = tape.var(2.0);
    /// let x = tape.constants(&[1.0, 3.0]);
    /// let grads = (w * x[0] + w * x[1]).backward();
    /// assert_eq!((grads.wrt(w), grads.wrt(x[1])), (4.0, 0.0));
    /// ```
    #[track_caller]
    pub fn constants(&self, values: &[f64]) -> Vec<Var<'_>> {
        // a loop, not a closure, so that anomaly reports name the caller's line
        let mut constants = Vec::with_capacity(values.len());
        for &v in values {
            constants.push(self.constant(v));
        }
        constants
    }

    /// Records one variable per number, in order.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let xs = tape.vars(&[1.0, 2.0]);
    /// assert_eq!(xs[1].value(), 2.0);
    /// ```
    #[track_caller]
    pub fn vars(&self, values: &[f64]) -> Vec<Var<'_>> {
        // a loop, not a closure, so that anomaly reports name the caller's line
        let mut vars = Vec::with_capacity(values.len());
        for &v in values {
            vars.push(self.var(v));
        }
        vars
    }

    /// The node at index `id` as a variable, or `None` past the end: to walk the tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// let _ = x.exp();
    /// let listing: Vec<String> = (0..tape.len())
    ///     .filter_map(|i| tape.entry(i))
    ///     .map(|v| format!("#{} = {}", v.id(), v.op()))
    ///     .collect();
    /// assert_eq!(listing, ["#0 = leaf", "#1 = exp(#0)"]);
    /// ```
    ///
    /// Tensor nodes are not listed this way: `entry` gives `None` for them.
    pub fn entry(&self, id: usize) -> Option<Var<'_>> {
        let id = NodeId::try_from(id).ok()?;
        let is_scalar = matches!(self.node_value(id)?, Value::Scalar(_));
        is_scalar.then(|| Var::new(self, id))
    }

    /// Appends a node whose value is already computed.
    #[inline]
    #[track_caller]
    pub(crate) fn push(&self, op: Op, value: f64) -> Var<'_> {
        Var::new(self, self.push_node(op, value))
    }

    /// Computes `op` from the values of its inputs and appends it (always inlined, so that
    /// the `match` in `Op::eval` folds away for the op the caller records).
    #[inline(always)]
    #[track_caller]
    pub(crate) fn record(&self, op: Op) -> Var<'_> {
        Var::new(self, self.record_node(op))
    }

    /// Appends a tensor node whose value is already computed (a constant if every input is).
    #[track_caller]
    pub(crate) fn push_tensor<F: Float>(&self, op: Op, value: Tensor<F>) -> TensorVar<'_, F> {
        TensorVar::new(self, self.push_tensor_node(op, value))
    }

    /// Appends a constant tensor leaf.
    #[track_caller]
    pub(crate) fn push_constant_tensor<F: Float>(&self, value: Tensor<F>) -> TensorVar<'_, F> {
        TensorVar::new(self, self.push_constant_tensor_node(value))
    }
}
