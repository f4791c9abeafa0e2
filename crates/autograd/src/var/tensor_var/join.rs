//! Cutting, joining and reshaping helpers: narrow, pad, concat, stack, squeeze, unsqueeze,
//! matrix-vector and outer products.

use super::TensorVar;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::ops::{Concat, Narrow, Op, Pad};
use crate::tensor::Tensor;

/// Converts a dimension to the `u32` an op stores.
#[track_caller]
/// An axis, already checked against the tensor's (few) dimensions.
fn small(n: usize) -> u32 {
    u32::try_from(n).expect("an axis index fits in u32")
}

/// A position or length as the op stores it, or an error naming it when it passes `u32`
/// (an empty tensor can have an axis longer than that).
fn stored(op: &'static str, what: &'static str, n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| Error::TooLargeToRecord { op, what, value: n })
}

impl<'t, F: Float> TensorVar<'t, F> {
    /// Elements `start .. start + len` along `axis` (a slice).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::arange(0.0, 5.0, 1.0));
    /// let y = x.try_narrow(0, 1, 3).unwrap();
    /// assert_eq!(y.value().to_vec(), vec![1.0, 2.0, 3.0]);
    /// assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![0.0, 1.0, 1.0, 1.0, 0.0]);
    /// assert!(x.try_narrow(0, 4, 2).is_err());
    /// ```
    #[track_caller]
    pub fn try_narrow(self, axis: usize, start: usize, len: usize) -> Result<Self> {
        let value = self.value().try_narrow(axis, start, len)?;
        let op = Op::Narrow(Narrow {
            x: self.node_id(),
            axis: small(axis),
            start: stored("narrow", "start", start)?,
            len: stored("narrow", "len", len)?,
        });
        Ok(self.tape().push_tensor(op, value))
    }

    /// Placed at `start` along `axis` inside zeros of length `total` (narrow's inverse).
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::ones([2]));
    /// assert_eq!(x.try_pad(0, 1, 4).unwrap().value().to_vec(), vec![0.0, 1.0, 1.0, 0.0]);
    /// ```
    #[track_caller]
    pub fn try_pad(self, axis: usize, start: usize, total: usize) -> Result<Self> {
        let value = self.value().try_pad(axis, start, total)?;
        let op = Op::Pad(Pad {
            x: self.node_id(),
            axis: small(axis),
            start: stored("pad", "start", start)?,
            total: stored("pad", "total", total)?,
        });
        Ok(self.tape().push_tensor(op, value))
    }

    /// The tensors joined along `axis`; the other dimensions must agree.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, TensorVar};
    /// let tape = Tape::new();
    /// let a = tape.tensor(Tensor::<f64>::ones([2, 1]));
    /// let b = tape.tensor(Tensor::<f64>::zeros([2, 2]));
    /// let c = TensorVar::try_concat(&[a, b], 1).unwrap();
    /// assert_eq!(c.dims(), &[2, 3]);
    /// assert_eq!(c.sum().backward().wrt(a).to_vec(), vec![1.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn try_concat(tensors: &[TensorVar<'t, F>], axis: usize) -> Result<Self> {
        let first = *tensors.first().ok_or(Error::NoTensors { op: "concat" })?;
        for t in tensors {
            first.same_tape(t.tape(), t.node_id())?;
        }
        let values: Vec<Tensor<F>> = tensors.iter().map(|t| t.value()).collect();
        let value = Tensor::try_concat(&values, axis)?;
        let ids: Vec<usize> = tensors.iter().map(|t| t.id()).collect();
        let axis = small(axis);
        Ok(first.with_param(&ids, |inputs| Op::Concat(Concat { inputs, axis }), value))
    }

    /// The tensors, all of one shape, stacked along a new axis `axis`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, TensorVar};
    /// let tape = Tape::new();
    /// let rows: Vec<_> = (0..3).map(|i| tape.tensor(Tensor::<f64>::full([2], i as f64))).collect();
    /// let m = TensorVar::try_stack(&rows, 0).unwrap();
    /// assert_eq!(m.dims(), &[3, 2]);
    /// assert_eq!(m.value().to_vec(), vec![0.0, 0.0, 1.0, 1.0, 2.0, 2.0]);
    /// ```
    #[track_caller]
    pub fn try_stack(tensors: &[TensorVar<'t, F>], axis: usize) -> Result<Self> {
        if tensors.is_empty() {
            return Err(Error::NoTensors { op: "stack" });
        }
        let expanded = tensors
            .iter()
            .map(|t| t.try_unsqueeze(axis))
            .collect::<Result<Vec<_>>>()?;
        Self::try_concat(&expanded, axis)
    }

    /// A new axis of size 1 at `axis` (`0 ..= ndim`).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([3]));
    /// assert_eq!(x.try_unsqueeze(0).unwrap().dims(), &[1, 3]);
    /// assert_eq!(x.try_unsqueeze(1).unwrap().dims(), &[3, 1]);
    /// assert!(x.try_unsqueeze(2).is_err());
    /// ```
    #[track_caller]
    pub fn try_unsqueeze(self, axis: usize) -> Result<Self> {
        let mut dims = self.dims();
        if axis > dims.len() {
            return Err(Error::InvalidAxis {
                op: "unsqueeze",
                axis,
                shape: self.shape(),
            });
        }
        dims.insert(axis, 1);
        self.try_reshape(dims)
    }

    /// The axis `axis`, which must have size 1, removed.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([3, 1]));
    /// assert_eq!(x.try_squeeze(1).unwrap().dims(), &[3]);
    /// assert!(x.try_squeeze(0).is_err());
    /// ```
    #[track_caller]
    pub fn try_squeeze(self, axis: usize) -> Result<Self> {
        let mut dims = self.dims();
        match dims.get(axis) {
            None => {
                return Err(Error::InvalidAxis {
                    op: "squeeze",
                    axis,
                    shape: self.shape(),
                });
            }
            Some(&size) if size != 1 => {
                return Err(Error::NotSizeOne {
                    op: "squeeze",
                    axis,
                    size,
                    shape: self.shape(),
                });
            }
            Some(_) => {}
        }
        dims.remove(axis);
        self.try_reshape(dims)
    }

    /// The matrix-vector product `A v`: `[m, k] · [k] → [m]`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let a = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [2, 2]).unwrap());
    /// let v = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -1.0], [2]).unwrap());
    /// assert_eq!(a.try_matvec(v).unwrap().value().to_vec(), vec![-1.0, -1.0]);
    /// ```
    #[track_caller]
    pub fn try_matvec(self, v: TensorVar<'t, F>) -> Result<Self> {
        let product = self.try_matmul(v.try_unsqueeze(v.value().ndim())?)?;
        product.try_squeeze(product.value().ndim() - 1)
    }

    /// The outer product `u vᵀ` of two vectors: `[m] × [n] → [m, n]`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let u = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap());
    /// let v = tape.tensor(Tensor::<f64>::from_vec(vec![3.0, 4.0, 5.0], [3]).unwrap());
    /// assert_eq!(u.try_outer(v).unwrap().value().to_vec(), vec![3.0, 4.0, 5.0, 6.0, 8.0, 10.0]);
    /// ```
    #[track_caller]
    pub fn try_outer(self, v: TensorVar<'t, F>) -> Result<Self> {
        if self.value().ndim() != 1 || v.value().ndim() != 1 {
            return Err(Error::ShapeMismatch {
                op: "outer",
                lhs: self.shape(),
                rhs: v.shape(),
            });
        }
        let column = self.try_unsqueeze(1)?;
        let row = v.try_unsqueeze(0)?;
        column.try_mul(row)
    }
}
