//! Comparisons (masks of 0 and 1) and `where`, the elementwise select, with broadcasting.

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, Result};

/// One comparison: the name for errors and the predicate.
macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident, $op:literal, |$a:ident, $b:ident| $pred:expr;)+) => {
        impl<T: Float> Tensor<T> {
            $(
                $(#[$doc])*
                pub fn $name(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
                    self.try_zip($op, other, |$a, $b| if $pred { T::ONE } else { T::ZERO })
                }
            )+
        }
    };
}

comparisons! {
    /// `1` where `self > other`, else `0` (broadcasting); NaN compares false.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![-1.0, 0.0, 2.0], [3]).unwrap();
    /// assert_eq!(t.try_gt(&Tensor::scalar(0.0)).unwrap().to_vec(), vec![0.0, 0.0, 1.0]);
    /// ```
    try_gt, "gt", |a, b| a > b;
    /// `1` where `self >= other`, else `0` (broadcasting).
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![-1.0, 0.0], [2]).unwrap();
    /// assert_eq!(t.try_ge(&Tensor::scalar(0.0)).unwrap().to_vec(), vec![0.0, 1.0]);
    /// ```
    try_ge, "ge", |a, b| a >= b;
    /// `1` where `self < other`, else `0` (broadcasting).
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![-1.0, 0.0], [2]).unwrap();
    /// assert_eq!(t.try_lt(&Tensor::scalar(0.0)).unwrap().to_vec(), vec![1.0, 0.0]);
    /// ```
    try_lt, "lt", |a, b| a < b;
    /// `1` where `self <= other`, else `0` (broadcasting).
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![-1.0, 1.0], [2]).unwrap();
    /// assert_eq!(t.try_le(&Tensor::scalar(0.0)).unwrap().to_vec(), vec![1.0, 0.0]);
    /// ```
    try_le, "le", |a, b| a <= b;
    /// `1` where `self == other`, else `0` (broadcasting).
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap();
    /// assert_eq!(t.try_eq(&Tensor::scalar(2.0)).unwrap().to_vec(), vec![0.0, 1.0]);
    /// ```
    try_eq, "eq", |a, b| a == b;
}

impl<T: Float> Tensor<T> {
    /// `on_true` where this mask is non-zero, `on_false` elsewhere, all three broadcast to a
    /// common shape. A select, not `mask · a + (1 − mask) · b`, so an infinity or NaN in the
    /// branch not taken stays out of the result.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let mask = Tensor::<f64>::from_vec(vec![1.0, 0.0], [2]).unwrap();
    /// let a = Tensor::<f64>::from_vec(vec![5.0, f64::INFINITY], [2]).unwrap();
    /// let b = Tensor::<f64>::scalar(-1.0);
    /// assert_eq!(mask.try_select(&a, &b).unwrap().to_vec(), vec![5.0, -1.0]);
    /// ```
    pub fn try_select(&self, on_true: &Tensor<T>, on_false: &Tensor<T>) -> Result<Tensor<T>> {
        let branches =
            on_true
                .shape()
                .broadcast(on_false.shape())
                .ok_or_else(|| Error::ShapeMismatch {
                    op: "where",
                    lhs: on_true.shape().clone(),
                    rhs: on_false.shape().clone(),
                })?;
        let shape = self
            .shape()
            .broadcast(&branches)
            .ok_or_else(|| Error::ShapeMismatch {
                op: "where (mask)",
                lhs: self.shape().clone(),
                rhs: branches.clone(),
            })?;
        let (c, a, b) = (
            self.try_broadcast_to(shape.clone())?,
            on_true.try_broadcast_to(shape.clone())?,
            on_false.try_broadcast_to(shape.clone())?,
        );
        let data = c
            .as_slice()
            .iter()
            .zip(a.as_slice().iter().zip(b.as_slice()))
            .map(|(&c, (&a, &b))| if c != T::ZERO { a } else { b })
            .collect();
        Ok(Tensor::from_parts(data, shape))
    }
}
