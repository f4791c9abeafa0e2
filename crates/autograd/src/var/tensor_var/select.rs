//! Comparisons (constant masks) and `where` on tensor variables.

use super::TensorVar;
use crate::dtype::Float;
use crate::error::OrPanic;
use crate::error::Result;
use crate::ops::{Op, Where};

macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident => $raw:ident;)+) => {
        impl<'t, F: Float> TensorVar<'t, F> {
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(self, other: TensorVar<'t, F>) -> Result<Self> {
                    self.same_tape(other.tape(), other.node_id())?;
                    let mask = self.value().$raw(&other.value())?;
                    Ok(self.tape().push_constant_tensor(mask))
                }
            )+
        }
    };
}

comparisons! {
    /// A constant mask: `1` where `self > other`, else `0` (broadcasting). It is recorded as
    /// a leaf: no gradient flows through a comparison.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![-1.0, 2.0], [2]).unwrap());
    /// let zero = tape.tensor(Tensor::scalar(0.0));
    /// assert_eq!(x.try_gt(zero).unwrap().value().to_vec(), vec![0.0, 1.0]);
    /// ```
    try_gt => try_gt;
    /// A constant mask: `1` where `self >= other`, else `0`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![-1.0, 0.0], [2]).unwrap());
    /// let zero = tape.tensor(Tensor::scalar(0.0));
    /// assert_eq!(x.try_ge(zero).unwrap().value().to_vec(), vec![0.0, 1.0]);
    /// ```
    try_ge => try_ge;
    /// A constant mask: `1` where `self < other`, else `0`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![-1.0, 0.0], [2]).unwrap());
    /// let zero = tape.tensor(Tensor::scalar(0.0));
    /// assert_eq!(x.try_lt(zero).unwrap().value().to_vec(), vec![1.0, 0.0]);
    /// ```
    try_lt => try_lt;
    /// A constant mask: `1` where `self <= other`, else `0`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 0.0], [2]).unwrap());
    /// let zero = tape.tensor(Tensor::scalar(0.0));
    /// assert_eq!(x.try_le(zero).unwrap().value().to_vec(), vec![0.0, 1.0]);
    /// ```
    try_le => try_le;
    /// A constant mask: `1` where `self == other`, else `0`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 0.0], [2]).unwrap());
    /// let zero = tape.tensor(Tensor::scalar(0.0));
    /// assert_eq!(x.try_eq(zero).unwrap().value().to_vec(), vec![0.0, 1.0]);
    /// ```
    try_eq => try_eq;
}

impl<'t, F: Float> TensorVar<'t, F> {
    /// `on_true` where this mask is non-zero, `on_false` elsewhere, all broadcast together.
    /// A select: the branch not taken gets exactly zero gradient, even where its value is
    /// infinite or NaN (`mask · a + (1 − mask) · b` would give NaN there).
    ///
    /// A zero gradient reaching a branch still passes through that branch's own rule: for
    /// `ln x` at `x = 0` the rule computes `0 / 0`. Guard the input too ("double where"), as
    /// in PyTorch and JAX:
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// // a safe log: ln x where x > 0, else 0, with a finite gradient everywhere
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![0.0, 2.0], [2]).unwrap());
    /// let (zero, one) = (tape.tensor(Tensor::scalar(0.0)), tape.tensor(Tensor::scalar(1.0)));
    /// let positive = x.try_gt(zero).unwrap();
    /// let safe_x = positive.select(x, one); // ln never sees the 0
    /// let y = positive.select(safe_x.ln(), zero);
    /// assert_eq!(y.value().to_vec(), vec![0.0, 2f64.ln()]);
    /// assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![0.0, 0.5]);
    /// ```
    #[track_caller]
    pub fn try_select(self, on_true: TensorVar<'t, F>, on_false: TensorVar<'t, F>) -> Result<Self> {
        self.same_tape(on_true.tape(), on_true.node_id())?;
        self.same_tape(on_false.tape(), on_false.node_id())?;
        let value = self
            .value()
            .try_select(&on_true.value(), &on_false.value())?;
        let op = Op::Where(Where {
            cond: self.node_id(),
            a: on_true.node_id(),
            b: on_false.node_id(),
        });
        Ok(self.tape().push_tensor(op, value))
    }

    /// [`try_select`](Self::try_select) that panics with the same message.
    #[track_caller]
    pub fn select(self, on_true: TensorVar<'t, F>, on_false: TensorVar<'t, F>) -> Self {
        self.try_select(on_true, on_false).or_panic()
    }

    /// Elements limited to `[low, high]`: `min(max(x, low), high)`. The gradient is 1 inside
    /// and 0 outside (at a bound, half, as for `max` and `min` ties).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::from_vec(vec![-2.0, 0.5, 3.0], [3]).unwrap());
    /// let y = x.clamp(-1.0, 1.0);
    /// assert_eq!(y.value().to_vec(), vec![-1.0, 0.5, 1.0]);
    /// assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![0.0, 1.0, 0.0]);
    /// ```
    #[track_caller]
    pub fn clamp(self, low: f64, high: f64) -> Self {
        let constant = |v: f64| {
            self.tape()
                .constant_tensor(crate::Tensor::scalar(F::from_f64(v)))
        };
        self.max(constant(low)).min(constant(high))
    }
}
