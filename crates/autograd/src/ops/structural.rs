//! What a structural tensor primitive provides ([`StructuralOp`]), and what its rules may ask
//! of the sweep that runs them ([`ReverseContext`], [`TangentContext`]).
//!
//! Each structural primitive has its own file in `ops/` with its struct (the fields the `Op`
//! variant carries), its raw forward call with the shape check, its reverse rule and its
//! tangent rule side by side, and one line in the registry of `ops/op.rs`. The rules are
//! written in `TensorAlgebra` operations, so the same rule gives gradients as numbers and, run
//! on tape variables, a recorded backward pass that can be differentiated again.

use std::fmt;

use smallvec::SmallVec;

use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::{Dims, Shape};

/// What a reverse rule can read and where it sends its contributions.
pub(crate) trait ReverseContext<T: TensorAlgebra> {
    /// The value of node `i` (a number, or a variable when the pass is recorded).
    fn primal(&self, i: NodeId) -> T;
    /// The op's own value.
    fn output(&self) -> T;
    /// The shape of node `i`.
    fn shape(&self, i: NodeId) -> Shape;
    /// A parameter stored on the tape.
    fn param(&self, param: Param) -> Dims;
    /// `true` if node `i` keeps no gradient (data, masks): a rule may skip its work.
    fn is_constant(&self, i: NodeId) -> bool;
    /// Adds a contribution to tensor input `i`'s gradient, summing broadcast axes back.
    fn acc(&mut self, i: NodeId, contribution: T);
    /// Adds a contribution to scalar input `i`'s gradient.
    fn acc_scalar(&mut self, i: NodeId, contribution: T::Scalar);
}

/// What a tangent (forward-mode) rule can read.
pub(crate) trait TangentContext<T: TensorAlgebra<Scalar = f64>> {
    /// The value of node `i`.
    fn primal(&self, i: NodeId) -> T;
    /// The op's own value.
    fn output(&self) -> T;
    /// The shape of node `i`.
    fn shape(&self, i: NodeId) -> Shape;
    /// A parameter stored on the tape.
    fn param(&self, param: Param) -> Dims;
    /// The tangent of tensor input `i`, `None` if it does not move.
    fn tangent(&self, i: NodeId) -> Option<T>;
    /// The tangent of scalar input `i`, `None` if it does not move.
    fn scalar_tangent(&self, i: NodeId) -> Option<f64>;
    /// The tangent of tensor input `i`, zeros if it does not move.
    fn or_zeros(&self, i: NodeId) -> T {
        self.tangent(i)
            .unwrap_or_else(|| self.primal(i).zeros_like())
    }
    /// The op's own shape.
    fn output_shape(&self) -> Shape {
        self.output().shape()
    }
}

/// A structural tensor primitive: everything the engine needs to know about it.
pub(crate) trait StructuralOp: Copy + fmt::Display {
    /// The short name printed in reports and pictures.
    fn name(self) -> &'static str;
    /// The nodes it reads.
    fn inputs(self, params: &[Dims]) -> SmallVec<[NodeId; 3]>;
    /// Where it is not differentiable, if anywhere (required, so that a piecewise op cannot
    /// forget to say so and let the gradient checker compare across its kink).
    fn kink(self) -> Option<Kink>;
    /// The chain rule: how `g = ∂root/∂output` flows to the inputs.
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T);
    /// Forward mode: the output's tangent from the inputs' (at least one moves).
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T;
}

/// `shape` with the listed axes set to 1: a reduction's result with keepdim.
pub(crate) fn kept_shape(shape: &Shape, axes: &[usize]) -> Shape {
    let dims: Vec<usize> = (0..shape.ndim())
        .map(|i| {
            if axes.contains(&i) {
                1
            } else {
                shape.dims()[i]
            }
        })
        .collect();
    Shape::from(dims)
}
