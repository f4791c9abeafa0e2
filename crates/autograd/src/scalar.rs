//! [`Var`]: a scalar variable on a tape, and the methods that record operations on it.

use std::fmt;

use crate::error::Error;
use crate::op::{NodeId, Op};
use crate::real::Real;
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

    #[inline(always)]
    #[track_caller]
    fn unary(self, op: Op) -> Var<'t> {
        self.tape.record(op)
    }

    /// Records `make(lhs, rhs)` after checking that both operands live on the same tape.
    #[inline(always)]
    #[track_caller]
    pub(crate) fn binary(self, rhs: Var<'t>, make: impl FnOnce(NodeId, NodeId) -> Op) -> Var<'t> {
        self.same_tape(rhs);
        self.tape.record(make(self.id, rhs.id))
    }

    #[inline]
    #[track_caller]
    fn same_tape(self, other: Var<'t>) {
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

    /// `scale * self + shift`, as one node.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// assert_eq!(x.affine(3.0, 1.0).value(), 7.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn affine(self, scale: f64, shift: f64) -> Var<'t> {
        self.unary(Op::Affine {
            x: self.id,
            scale,
            shift,
        })
    }

    /// `e^x`. Derivative: `e^x`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(0.0);
    /// assert_eq!(x.exp().backward().wrt(x), 1.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn exp(self) -> Var<'t> {
        self.unary(Op::Exp(self.id))
    }

    /// `ln x`; NaN for `x < 0`, `-inf` at 0 (IEEE). Derivative: `1/x`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(4.0);
    /// assert_eq!(x.ln().backward().wrt(x), 0.25);
    /// ```
    #[inline]
    #[track_caller]
    pub fn ln(self) -> Var<'t> {
        self.unary(Op::Ln(self.id))
    }

    /// `√x`; NaN for `x < 0` (IEEE). Derivative: `1/(2√x)`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(9.0);
    /// assert_eq!(x.sqrt().value(), 3.0);
    /// assert_eq!(x.sqrt().backward().wrt(x), 1.0 / 6.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn sqrt(self) -> Var<'t> {
        self.unary(Op::Sqrt(self.id))
    }

    /// `x^n` for an integer `n`. Derivative: `n x^(n-1)`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// assert_eq!(x.powi(3).backward().wrt(x), 12.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn powi(self, n: i32) -> Var<'t> {
        self.unary(Op::PowI(self.id, n))
    }

    /// `x^p` for a constant real `p`. Derivative: `p x^(p-1)`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(4.0);
    /// assert_eq!(x.powf(1.5).backward().wrt(x), 3.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn powf(self, p: f64) -> Var<'t> {
        self.unary(Op::PowF(self.id, p))
    }

    /// `x^y` with a variable exponent. Derivatives: `y x^(y-1)` and `x^y ln x` (NaN for a
    /// negative base, as in PyTorch).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let (x, y) = (tape.var(2.0), tape.var(3.0));
    /// let grads = x.pow(y).backward();
    /// assert_eq!(grads.wrt(x), 12.0);
    /// assert!((grads.wrt(y) - 8.0 * 2f64.ln()).abs() < 1e-12);
    /// ```
    #[inline]
    #[track_caller]
    pub fn pow(self, exponent: Var<'t>) -> Var<'t> {
        self.binary(exponent, Op::Pow)
    }

    /// `sin x`. Derivative: `cos x`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(0.0);
    /// assert_eq!(x.sin().backward().wrt(x), 1.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn sin(self) -> Var<'t> {
        self.unary(Op::Sin(self.id))
    }

    /// `cos x`. Derivative: `-sin x`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(0.0);
    /// assert_eq!(x.cos().backward().wrt(x), 0.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn cos(self) -> Var<'t> {
        self.unary(Op::Cos(self.id))
    }

    /// `tanh x`. Derivative: `1 - tanh² x`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(0.0);
    /// assert_eq!(x.tanh().backward().wrt(x), 1.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn tanh(self) -> Var<'t> {
        self.unary(Op::Tanh(self.id))
    }

    /// Logistic sigmoid `σ(x) = 1 / (1 + e^-x)`, finite for any `x`. Derivative: `σ(1 - σ)`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(0.0);
    /// assert_eq!(x.sigmoid().value(), 0.5);
    /// assert_eq!(x.sigmoid().backward().wrt(x), 0.25);
    /// ```
    #[inline]
    #[track_caller]
    pub fn sigmoid(self) -> Var<'t> {
        self.unary(Op::Sigmoid(self.id))
    }

    /// `ln(1 + x)`, accurate for small `x`; derivative `1 / (1 + x)`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(1e-20);
    /// assert_eq!(x.ln_1p().value(), 1e-20); // ln(1 + x) would round to 0
    /// assert_eq!(x.ln_1p().backward().wrt(x), 1.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn ln_1p(self) -> Var<'t> {
        self.unary(Op::Ln1p(self.id))
    }

    /// `e^x - 1`, accurate for small `x`; derivative `e^x`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(1e-20);
    /// assert_eq!(x.exp_m1().value(), 1e-20);
    /// assert_eq!(x.exp_m1().backward().wrt(x), 1.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn exp_m1(self) -> Var<'t> {
        self.unary(Op::ExpM1(self.id))
    }

    /// The error function; derivative `2/√π e^(-x²)`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(0.0);
    /// assert_eq!(x.erf().value(), 0.0);
    /// assert!((x.erf().backward().wrt(x) - 2.0 / std::f64::consts::PI.sqrt()).abs() < 1e-15);
    /// ```
    #[inline]
    #[track_caller]
    pub fn erf(self) -> Var<'t> {
        self.unary(Op::Erf(self.id))
    }

    /// `max(0, x)`. Derivative: 1 for `x > 0`, else 0 (so `relu'(0) = 0`).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(0.0);
    /// assert_eq!(x.relu().backward().wrt(x), 0.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn relu(self) -> Var<'t> {
        self.unary(Op::Relu(self.id))
    }

    /// `|x|`. Derivative: `sign x`, so `|x|'(0) = 0`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(-3.0);
    /// assert_eq!(x.abs().backward().wrt(x), -1.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn abs(self) -> Var<'t> {
        self.unary(Op::Abs(self.id))
    }

    /// `max(x, y)`. The gradient goes to the larger; on a tie, half goes to each.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let (x, y) = (tape.var(1.0), tape.var(1.0));
    /// let grads = x.max(y).backward();
    /// assert_eq!((grads.wrt(x), grads.wrt(y)), (0.5, 0.5));
    /// ```
    #[inline]
    #[track_caller]
    pub fn max(self, other: Var<'t>) -> Var<'t> {
        self.binary(other, Op::Max)
    }

    /// `min(x, y)`. The gradient goes to the smaller; on a tie, half goes to each.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let (x, y) = (tape.var(1.0), tape.var(2.0));
    /// let grads = x.min(y).backward();
    /// assert_eq!((grads.wrt(x), grads.wrt(y)), (1.0, 0.0));
    /// ```
    #[inline]
    #[track_caller]
    pub fn min(self, other: Var<'t>) -> Var<'t> {
        self.binary(other, Op::Min)
    }

    /// The threshold unit `1 if x > 0 else 0`. Its derivative is 0 wherever it exists
    /// (and taken as 0 at the jump), so no gradient flows through it.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let z = tape.var(0.3);
    /// assert_eq!(z.step().value(), 1.0);
    /// assert_eq!(z.step().backward().wrt(z), 0.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn step(self) -> Var<'t> {
        self.unary(Op::Step(self.id))
    }

    /// `-1`, `0` or `1` by the sign of `x` (`sign(0) = 0`); derivative 0.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// assert_eq!(tape.var(-2.5).sign().value(), -1.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn sign(self) -> Var<'t> {
        self.unary(Op::Sign(self.id))
    }

    /// `x · ln y`, taken as 0 where `x = 0` whatever `y` (so `0 · ln 0 = 0`, the limit that
    /// entropies `Σ p ln p` need). Derivatives: `ln y` (0 where `x = 0`) and `x / y`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let (p, q) = (tape.var(0.0), tape.var(0.0));
    /// assert_eq!(p.xlogy(q).value(), 0.0); // not 0 · -inf = NaN
    /// let (x, y) = (tape.var(2.0), tape.var(4.0));
    /// let grads = x.xlogy(y).backward();
    /// assert_eq!((grads.wrt(x), grads.wrt(y)), (4f64.ln(), 0.5));
    /// ```
    #[inline]
    #[track_caller]
    pub fn xlogy(self, y: Var<'t>) -> Var<'t> {
        self.binary(y, Op::XLogY)
    }

    /// A new leaf with this value: gradients stop here and do not flow back into `self`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// let y = x * x.detach(); // x · 3, with the 3 held constant
    /// assert_eq!(y.backward().wrt(x), 3.0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn detach(self) -> Var<'t> {
        self.tape.push(Op::Leaf, self.value())
    }
}

impl Real for Var<'_> {
    #[inline]
    #[track_caller]
    fn affine(self, scale: f64, shift: f64) -> Self {
        Var::affine(self, scale, shift)
    }
    #[inline]
    #[track_caller]
    fn exp(self) -> Self {
        Var::exp(self)
    }
    #[inline]
    #[track_caller]
    fn ln(self) -> Self {
        Var::ln(self)
    }
    #[inline]
    #[track_caller]
    fn sqrt(self) -> Self {
        Var::sqrt(self)
    }
    #[inline]
    #[track_caller]
    fn powi(self, n: i32) -> Self {
        Var::powi(self, n)
    }
    #[inline]
    #[track_caller]
    fn powf(self, p: f64) -> Self {
        Var::powf(self, p)
    }
    #[inline]
    #[track_caller]
    fn pow(self, exponent: Self) -> Self {
        Var::pow(self, exponent)
    }
    #[inline]
    #[track_caller]
    fn sin(self) -> Self {
        Var::sin(self)
    }
    #[inline]
    #[track_caller]
    fn cos(self) -> Self {
        Var::cos(self)
    }
    #[inline]
    #[track_caller]
    fn tanh(self) -> Self {
        Var::tanh(self)
    }
    #[inline]
    #[track_caller]
    fn sigmoid(self) -> Self {
        Var::sigmoid(self)
    }
    #[inline]
    #[track_caller]
    fn ln_1p(self) -> Self {
        Var::ln_1p(self)
    }
    #[inline]
    #[track_caller]
    fn exp_m1(self) -> Self {
        Var::exp_m1(self)
    }
    #[inline]
    #[track_caller]
    fn erf(self) -> Self {
        Var::erf(self)
    }
    #[inline]
    #[track_caller]
    fn relu(self) -> Self {
        Var::relu(self)
    }
    #[inline]
    #[track_caller]
    fn abs(self) -> Self {
        Var::abs(self)
    }
    #[inline]
    #[track_caller]
    fn max(self, other: Self) -> Self {
        Var::max(self, other)
    }
    #[inline]
    #[track_caller]
    fn min(self, other: Self) -> Self {
        Var::min(self, other)
    }
    #[inline]
    #[track_caller]
    fn step(self) -> Self {
        Var::step(self)
    }
    #[inline]
    #[track_caller]
    fn sign(self) -> Self {
        Var::sign(self)
    }
    #[inline]
    #[track_caller]
    fn xlogy(self, y: Self) -> Self {
        Var::xlogy(self, y)
    }
}
