//! [`Var`]: a scalar variable on a tape, and the methods that record operations on it.

use std::fmt;

use crate::error::Error;
use crate::ops::{NodeId, Op};
use crate::tape::Tape;

/// A scalar (`f64`) on a [`Tape`]: a `Copy` handle naming one recorded node.
///
/// Every operation on a `Var` (the arithmetic operators, with other variables or plain numbers
/// on either side, and the methods below) records a node and returns its handle.
///
/// ```
/// use autograd::Tape;
///
/// let tape = Tape::new();
/// let a = tape.var(3.0);
/// let b = tape.var(-2.0);
/// let c = (a * b + a.exp() / 2.0).tanh() - b.powi(3);
/// let grads = c.backward();
/// // dc/db = (1 - tanh²(ab + e^a/2)) a - 3b²
/// let t = (3.0 * -2.0 + 3.0_f64.exp() / 2.0).tanh();
/// assert!((grads.wrt(b) - ((1.0 - t * t) * 3.0 - 12.0)).abs() < 1e-12);
/// ```
#[derive(Clone, Copy)]
pub struct Var<'t> {
    tape: &'t Tape,
    id: NodeId,
}

impl fmt::Debug for Var<'_> {
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let node = self.tape.node(self.id);
        write!(
            f,
            "Var(#{} = {} {:?})",
            self.id,
            node.op.name(),
            node.scalar()
        )
    }
}

impl fmt::Display for Var<'_> {
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value(), f)
    }
}

impl<'t> Var<'t> {
    #[inline]
    #[track_caller]
    pub(crate) fn new(tape: &'t Tape, id: NodeId) -> Self {
        Var { tape, id }
    }

    /// The value computed when this node was recorded.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// assert_eq!((x * x + 1.0).value(), 5.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn value(self) -> f64 {
        self.tape.node(self.id).scalar()
    }

    /// This node's index on its tape (its position in topological order).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let (x, y) = (tape.var(1.0), tape.var(2.0));
    /// assert!(x.id() < y.id() && y.id() < (x + y).id());
    /// ```
    #[inline]
    #[track_caller]
    pub fn id(self) -> usize {
        self.id as usize
    }

    /// The operation that produced this node, with its inputs.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// assert_eq!((x * x).op().to_string(), "mul(#0, #0)");
    /// ```
    #[inline]
    #[track_caller]
    pub fn op(self) -> Op {
        self.tape.node(self.id).op
    }

    /// The tape this variable is recorded on.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(1.0);
    /// let c = x.tape().constant(2.0); // make a number on the same tape
    /// assert_eq!((x * c).value(), 2.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn tape(self) -> &'t Tape {
        self.tape
    }

    #[inline]
    #[track_caller]
    pub(crate) fn node_id(self) -> NodeId {
        self.id
    }

    #[inline]
    #[track_caller]
    pub(crate) fn same_tape(self, other: Var<'t>) {
        if !std::ptr::eq(self.tape, other.tape) {
            panic!(
                "{}",
                Error::ForeignVariable {
                    node: other.id(),
                    var_tape: other.tape.id(),
                    other_tape: self.tape.id(),
                }
            );
        }
    }

    /// A constant with this value ([`Tape::constant`]): gradients stop here and do not flow
    /// back into `self`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// let held = x.detach();
    /// let y = x * held; // x · 3, with the 3 held constant
    /// let grads = y.backward();
    /// assert_eq!((grads.wrt(x), grads.wrt(held)), (3.0, 0.0));
    /// ```
    #[inline]
    #[track_caller]
    pub fn detach(self) -> Var<'t> {
        self.tape.constant(self.value())
    }
}

impl crate::dtype::sealed::Sealed for Var<'_> {}
