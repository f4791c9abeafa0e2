//! Reductions beyond the sum: maximum, minimum, log-sum-exp and argmax.

use super::TensorVar;
use crate::dtype::Float;
use crate::error::Result;
use crate::ops::{Extreme, Op};

impl<'t, F: Float> TensorVar<'t, F> {
    /// The largest element over `axes`. Its gradient goes to the largest element; ties split
    /// it equally (as PyTorch's `amax`).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 3.0, 3.0, 0.0], [2, 2]).unwrap());
    /// let m = x.try_max_axes(&[1], false).unwrap();
    /// assert_eq!(m.value().to_vec(), vec![3.0, 3.0]);
    /// assert_eq!(m.sum().backward().wrt(x).to_vec(), vec![0.0, 1.0, 1.0, 0.0]);
    /// let all = x.try_max_axes(&[0, 1], false).unwrap(); // a tie between two 3s
    /// assert_eq!(all.backward().wrt(x).to_vec(), vec![0.0, 0.5, 0.5, 0.0]);
    /// ```
    #[track_caller]
    pub fn try_max_axes(self, axes: &[usize], keepdim: bool) -> Result<Self> {
        let value = self.value().try_max_axes(axes, keepdim)?;
        let x = self.node_id();
        Ok(self.with_param(
            axes,
            |axes| {
                Op::Extreme(Extreme {
                    x,
                    axes,
                    keepdim,
                    max: true,
                })
            },
            value,
        ))
    }

    /// The smallest element over `axes`; ties split the gradient equally.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -3.0], [2]).unwrap());
    /// let m = x.try_min_axes(&[0], false).unwrap();
    /// assert_eq!(m.backward().wrt(x).to_vec(), vec![0.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn try_min_axes(self, axes: &[usize], keepdim: bool) -> Result<Self> {
        let value = self.value().try_min_axes(axes, keepdim)?;
        let x = self.node_id();
        Ok(self.with_param(
            axes,
            |axes| {
                Op::Extreme(Extreme {
                    x,
                    axes,
                    keepdim,
                    max: false,
                })
            },
            value,
        ))
    }

    /// `ln Σ e^x` over `axes`, computed stably as `m + ln Σ e^(x − m)` with `m` the
    /// (detached) maximum, so logits of ±1000 give finite values and gradients. Its gradient is
    /// the softmax over `axes`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1000.0, 1000.0], [2]).unwrap());
    /// let lse = x.try_logsumexp(&[0], false).unwrap();
    /// assert!((lse.value().item().unwrap() - (1000.0 + 2f64.ln())).abs() < 1e-9);
    /// assert_eq!(lse.backward().wrt(x).to_vec(), vec![0.5, 0.5]);
    /// ```
    #[track_caller]
    pub fn try_logsumexp(self, axes: &[usize], keepdim: bool) -> Result<Self> {
        // m is a constant: the result does not depend on it, only its rounding does. (An
        // infinite maximum is replaced by 0 so that ∞ − ∞ does not make NaN; over an empty
        // axis there is no maximum, and the sum of no terms gives ln 0 = −∞, as in PyTorch.)
        let value = self.value();
        let reduced = value.reduced_axes("logsumexp", axes)?;
        let empty = (0..value.ndim()).any(|i| reduced[i] && value.dims()[i] == 0);
        let m = if empty {
            value.try_sum_axes(axes, true)?
        } else {
            value.try_max_axes(axes, true)?
        };
        let m = m.map(|v| if v.to_f64().is_finite() { v } else { F::ZERO });
        let m = self.tape().constant_tensor(m);
        let sum = (self - m).exp().try_sum_axes(axes, true)?;
        let lse = sum.ln() + m;
        if keepdim {
            Ok(lse)
        } else {
            let dims: Vec<usize> = (0..self.value().ndim())
                .filter(|i| !axes.contains(i))
                .map(|i| self.value().dims()[i])
                .collect();
            lse.try_reshape(dims)
        }
    }

    /// The index of the largest element along `axis` for every position of the other axes,
    /// in row-major order. No gradient: it is a choice, not a value.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let logits = tape.tensor(Tensor::<f64>::from_vec(vec![0.1, 2.0, 0.3, 5.0, 1.0, 0.0], [2, 3]).unwrap());
    /// assert_eq!(logits.try_argmax(1).unwrap(), vec![1, 0]);
    /// ```
    #[track_caller]
    pub fn try_argmax(self, axis: usize) -> Result<Vec<usize>> {
        self.value().try_argmax(axis)
    }
}
