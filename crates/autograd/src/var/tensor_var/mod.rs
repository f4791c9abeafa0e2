//! [`TensorVar`]: a tensor on a tape, and the methods that record operations on it.
//!
//! Each method computes its value with the raw [`Tensor`] kernels and records one node. Ops
//! that check shapes come in two spellings: `try_matmul` returns a `Result`, `matmul` panics
//! with the same message at the caller's line.

use crate::error::OrPanic;
use std::fmt;
use std::marker::PhantomData;

use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::ops::{
    BroadcastTo, Flip, Fold, MatMul, NodeId, Op, Param, Permute, Reshape, Sum, SumToShape,
    ToTensor, Unfold,
};
use crate::shape::Shape;
use crate::tape::Tape;
use crate::tensor::window::Columns;
use crate::tensor::{Tensor, Window2d};
use crate::var::Var;

mod conv;
mod elementwise;
mod index;
mod join;
mod operators;
mod plain;
mod pool;
mod reduce;
mod select;

/// A tensor of `F` (`f32` or `f64`) on a [`Tape`]: a `Copy` handle naming one recorded node.
///
/// ```
/// use autograd::{Tape, Tensor};
///
/// // y = Σ (W x)², dy/dW = 2 (W x) xᵀ
/// let tape = Tape::new();
/// let w = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [2, 2]).unwrap());
/// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -1.0], [2, 1]).unwrap());
/// let wx = w.matmul(x); // [-1, -1]
/// let y = (wx * wx).sum();
/// assert_eq!(y.value().item().unwrap(), 2.0);
/// let grads = y.backward();
/// assert_eq!(grads.wrt(w).to_vec(), vec![-2.0, 2.0, -2.0, 2.0]);
/// ```
#[derive(Clone, Copy)]
pub struct TensorVar<'t, F: Float> {
    tape: &'t Tape,
    id: NodeId,
    element: PhantomData<F>,
}

impl<F: Float> fmt::Debug for TensorVar<'_, F> {
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "TensorVar(#{} = {} {:?})",
            self.id,
            self.op().name(),
            self.value()
        )
    }
}

impl<'t, F: Float> TensorVar<'t, F> {
    #[track_caller]
    pub(crate) fn new(tape: &'t Tape, id: NodeId) -> Self {
        TensorVar {
            tape,
            id,
            element: PhantomData,
        }
    }

    /// The value computed when this node was recorded (shares its storage).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f32>::ones([2]));
    /// assert_eq!((x * 3.0).value().to_vec(), vec![3.0, 3.0]);
    /// ```
    #[track_caller]
    pub fn value(self) -> Tensor<F> {
        self.tape.tensor_value(self.id)
    }

    /// The shape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([2, 3]));
    /// assert_eq!(x.shape(), autograd::Shape::from([2, 3]));
    /// ```
    #[track_caller]
    pub fn shape(self) -> Shape {
        self.value().shape().clone()
    }

    /// The dimensions.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// assert_eq!(tape.tensor(autograd::Tensor::<f64>::zeros([4])).dims(), &[4]);
    /// ```
    #[track_caller]
    pub fn dims(self) -> Vec<usize> {
        self.value().dims().to_vec()
    }

    /// This node's index on its tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([1]));
    /// assert!(x.id() < x.exp().id());
    /// ```
    #[track_caller]
    pub fn id(self) -> usize {
        self.id as usize
    }

    /// The operation that produced this node.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([1]));
    /// assert_eq!(x.exp().op().name(), "exp");
    /// ```
    #[track_caller]
    pub fn op(self) -> Op {
        self.tape.node(self.id).op
    }

    /// The tape this variable is recorded on.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([1]));
    /// assert_eq!(x.tape().id(), tape.id());
    /// ```
    #[track_caller]
    pub fn tape(self) -> &'t Tape {
        self.tape
    }

    #[track_caller]
    pub(crate) fn node_id(self) -> NodeId {
        self.id
    }

    /// `ForeignVariable` unless the other operand is on this tensor's tape.
    pub(crate) fn same_tape(self, other_tape: &Tape, other_id: NodeId) -> Result<()> {
        if !std::ptr::eq(self.tape, other_tape) {
            return Err(Error::ForeignVariable {
                node: other_id as usize,
                var_tape: other_tape.id(),
                other_tape: self.tape.id(),
            });
        }
        Ok(())
    }

    /// Records a structural op whose parameter (a shape or an axis list) is stored on the tape.
    #[track_caller]
    pub(crate) fn with_param(
        self,
        dims: &[usize],
        make: impl FnOnce(Param) -> Op,
        value: Tensor<F>,
    ) -> Self {
        let index = self.tape.push_param(dims);
        self.tape.push_tensor(make(index), value)
    }
}

impl<'t, F: Float> TensorVar<'t, F> {
    /// The sum of all elements, as a 0-d tensor.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::ones([2, 3]));
    /// assert_eq!(x.sum().value().item().unwrap(), 6.0);
    /// ```
    #[track_caller]
    pub fn sum(self) -> Self {
        let axes: Vec<usize> = (0..self.value().ndim()).collect();
        self.sum_axes(&axes, false)
    }

    /// The sum over `axes`, keeping them as size-1 dimensions if `keepdim`; an error for an
    /// axis the tensor does not have, or one given twice.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::ones([2, 3]));
    /// assert_eq!(x.try_sum_axes(&[1], false).unwrap().value().to_vec(), vec![3.0, 3.0]);
    /// assert_eq!(x.try_sum_axes(&[0], true).unwrap().dims(), &[1, 3]);
    /// assert!(x.try_sum_axes(&[2], false).is_err());
    /// ```
    #[track_caller]
    pub fn try_sum_axes(self, axes: &[usize], keepdim: bool) -> Result<Self> {
        let value = self.value().try_sum_axes(axes, keepdim)?;
        let x = self.id;
        Ok(self.with_param(axes, |axes| Op::Sum(Sum { x, axes, keepdim }), value))
    }

    /// [`try_sum_axes`](Self::try_sum_axes) that panics with the same message.
    #[track_caller]
    pub fn sum_axes(self, axes: &[usize], keepdim: bool) -> Self {
        self.try_sum_axes(axes, keepdim).or_panic()
    }

    /// The mean of all elements, as a 0-d tensor (NaN for an empty tensor).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::arange(0.0, 4.0, 1.0));
    /// assert_eq!(x.mean().value().item().unwrap(), 1.5);
    /// ```
    #[track_caller]
    pub fn mean(self) -> Self {
        let n = self.value().numel() as f64;
        self.sum().affine(1.0 / n, 0.0)
    }

    /// The mean over `axes`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::from_fn([2, 2], |i| i[1] as f64));
    /// assert_eq!(x.try_mean_axes(&[1], false).unwrap().value().to_vec(), vec![0.5, 0.5]);
    /// ```
    #[track_caller]
    pub fn try_mean_axes(self, axes: &[usize], keepdim: bool) -> Result<Self> {
        let count: usize = axes
            .iter()
            .map(|&a| self.value().dims().get(a).copied().unwrap_or(1))
            .product();
        Ok(self
            .try_sum_axes(axes, keepdim)?
            .affine(1.0 / count as f64, 0.0))
    }

    /// [`try_mean_axes`](Self::try_mean_axes) that panics with the same message.
    #[track_caller]
    pub fn mean_axes(self, axes: &[usize], keepdim: bool) -> Self {
        self.try_mean_axes(axes, keepdim).or_panic()
    }

    /// The matrix product over the last two axes, leading axes broadcast:
    /// `[..., m, k] · [..., k, n] → [..., m, n]`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let a = tape.tensor(Tensor::<f64>::ones([2, 3]));
    /// let b = tape.tensor(Tensor::<f64>::ones([4, 5]));
    /// let err = a.try_matmul(b).unwrap_err();
    /// assert_eq!(err.to_string(), "shape mismatch in matmul: lhs [2, 3], rhs [4, 5]");
    /// ```
    #[track_caller]
    pub fn try_matmul(self, rhs: TensorVar<'t, F>) -> Result<Self> {
        self.try_matmul_transposed(rhs, false, false)
    }

    /// `op(self) · op(rhs)`, where `op` transposes the last two axes of an operand whose flag
    /// is set, read through strides (no copy): `x.try_matmul_transposed(w, false, true)` is
    /// `x · wᵀ`, a dense layer's product with its weight stored `[out, in]`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::ones([2, 3]));
    /// let w = tape.tensor(Tensor::<f64>::from_fn([4, 3], |i| i[0] as f64));
    /// let y = x.try_matmul_transposed(w, false, true).unwrap(); // [2, 3] · [3, 4]
    /// assert_eq!(y.value().to_vec(), x.matmul(w.transpose()).value().to_vec());
    /// ```
    #[track_caller]
    pub fn try_matmul_transposed(
        self,
        rhs: TensorVar<'t, F>,
        a_transposed: bool,
        b_transposed: bool,
    ) -> Result<Self> {
        self.same_tape(rhs.tape, rhs.id)?;
        let value = self
            .value()
            .try_matmul_transposed(&rhs.value(), a_transposed, b_transposed)?;
        let op = Op::MatMul(MatMul {
            a: self.id,
            b: rhs.id,
            a_transposed,
            b_transposed,
        });
        Ok(self.tape.push_tensor(op, value))
    }

    /// [`try_matmul`](Self::try_matmul) that panics naming both shapes.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let a = tape.tensor(Tensor::<f64>::ones([2, 3]));
    /// let b = tape.tensor(Tensor::<f64>::ones([3, 4]));
    /// assert_eq!(a.matmul(b).value().to_vec(), vec![3.0; 8]);
    /// ```
    #[track_caller]
    pub fn matmul(self, rhs: TensorVar<'t, F>) -> Self {
        self.try_matmul(rhs).or_panic()
    }

    /// The same elements in a new shape with as many elements.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([2, 3]));
    /// assert_eq!(x.try_reshape([3, 2]).unwrap().dims(), &[3, 2]);
    /// assert!(x.try_reshape([4]).is_err());
    /// ```
    #[track_caller]
    pub fn try_reshape(self, shape: impl Into<Shape>) -> Result<Self> {
        let shape = shape.into();
        let value = self.value().try_reshape(shape.clone())?;
        let x = self.id;
        Ok(self.with_param(
            shape.dims(),
            |shape| Op::Reshape(Reshape { x, shape }),
            value,
        ))
    }

    /// [`try_reshape`](Self::try_reshape) that panics with the same message.
    #[track_caller]
    pub fn reshape(self, shape: impl Into<Shape>) -> Self {
        self.try_reshape(shape).or_panic()
    }

    /// Repeated along broadcast dimensions to `shape`.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::ones([3]));
    /// assert_eq!(x.try_broadcast_to([2, 3]).unwrap().dims(), &[2, 3]);
    /// assert!(x.try_broadcast_to([2]).is_err());
    /// ```
    #[track_caller]
    pub fn try_broadcast_to(self, shape: impl Into<Shape>) -> Result<Self> {
        let shape = shape.into();
        let value = self.value().try_broadcast_to(shape.clone())?;
        let x = self.id;
        Ok(self.with_param(
            shape.dims(),
            |shape| Op::BroadcastTo(BroadcastTo { x, shape }),
            value,
        ))
    }

    /// [`try_broadcast_to`](Self::try_broadcast_to) that panics with the same message.
    #[track_caller]
    pub fn broadcast_to(self, shape: impl Into<Shape>) -> Self {
        self.try_broadcast_to(shape).or_panic()
    }

    /// Summed down to `shape`, the inverse of broadcasting `shape` up to this one.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::ones([2, 3]));
    /// assert_eq!(x.try_sum_to_shape([3]).unwrap().value().to_vec(), vec![2.0; 3]);
    /// ```
    #[track_caller]
    pub fn try_sum_to_shape(self, shape: impl Into<Shape>) -> Result<Self> {
        let shape = shape.into();
        let value = self.value().try_sum_to_shape(&shape)?;
        let x = self.id;
        Ok(self.with_param(
            shape.dims(),
            |shape| Op::SumToShape(SumToShape { x, shape }),
            value,
        ))
    }

    /// [`try_sum_to_shape`](Self::try_sum_to_shape) that panics with the same message.
    #[track_caller]
    pub fn sum_to_shape(self, shape: impl Into<Shape>) -> Self {
        self.try_sum_to_shape(shape).or_panic()
    }

    /// The axes reordered: axis `i` of the result is axis `axes[i]` of this tensor.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([2, 3, 4]));
    /// assert_eq!(x.try_permute(&[2, 0, 1]).unwrap().dims(), &[4, 2, 3]);
    /// assert!(x.try_permute(&[0, 1]).is_err());
    /// ```
    #[track_caller]
    pub fn try_permute(self, axes: &[usize]) -> Result<Self> {
        let value = self.value().try_permute(axes)?;
        let x = self.id;
        Ok(self.with_param(axes, |axes| Op::Permute(Permute { x, axes }), value))
    }

    /// [`try_permute`](Self::try_permute) that panics with the same message.
    #[track_caller]
    pub fn permute(self, axes: &[usize]) -> Self {
        self.try_permute(axes).or_panic()
    }

    /// The elements in reverse order along each of `axes`; an error for an axis the tensor
    /// does not have, or one named twice. Its gradient is the same flip.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::arange(1.0, 4.0, 1.0));
    /// let y = x.try_flip(&[0]).unwrap();
    /// assert_eq!(y.value().to_vec(), vec![3.0, 2.0, 1.0]);
    /// let w = tape.tensor(autograd::Tensor::<f64>::arange(1.0, 4.0, 1.0));
    /// // d/dx Σ w ⊙ flip(x) = flip(w)
    /// assert_eq!((y * w).sum().backward().wrt(x).to_vec(), vec![3.0, 2.0, 1.0]);
    /// assert!(x.try_flip(&[1]).is_err());
    /// ```
    #[track_caller]
    pub fn try_flip(self, axes: &[usize]) -> Result<Self> {
        let value = self.value().try_flip(axes)?;
        let x = self.id;
        Ok(self.with_param(axes, |axes| Op::Flip(Flip { x, axes }), value))
    }

    /// Every position of `window` over images `[N, C, H, W]`, its elements as a column:
    /// `[N, C · kh · kw, OH · OW]` (im2col, PyTorch's `F.unfold`; see
    /// [`Tensor::try_unfold`]). Its gradient is [`fold`](Self::fold) of the upstream
    /// gradient. A convolution is a matrix product with these columns.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window2d};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::ones([1, 1, 3, 3]));
    /// let cols = x.try_unfold(Window2d::new([2, 2])).unwrap();
    /// // each pixel's gradient counts the windows it lies in
    /// let g = cols.sum().backward().wrt(x);
    /// assert_eq!(g.to_vec(), vec![1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]);
    /// assert!(x.try_unfold(Window2d::new([4, 4])).is_err());
    /// ```
    #[track_caller]
    pub fn try_unfold(self, window: Window2d) -> Result<Self> {
        self.unfold_as(window, Columns::PerImage)
    }

    /// [`try_unfold`](Self::try_unfold)'s columns with the batch as the middle axis,
    /// `[C · kh · kw, N, OH · OW]` (see [`Tensor::try_unfold_batched`]): one matrix over the
    /// whole batch, which `conv2d` multiplies by its weight in one product. Its gradient is
    /// [`fold_batched`](Self::fold_batched) of the upstream gradient.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window2d};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::ones([2, 1, 3, 3]));
    /// let cols = x.try_unfold_batched(Window2d::new([2, 2])).unwrap();
    /// assert_eq!(cols.dims(), &[4, 2, 4]);
    /// let g = cols.sum().backward().wrt(x);
    /// assert_eq!(g.to_vec()[..9], [1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn try_unfold_batched(self, window: Window2d) -> Result<Self> {
        self.unfold_as(window, Columns::Batched)
    }

    #[track_caller]
    fn unfold_as(self, window: Window2d, layout: Columns) -> Result<Self> {
        let value = self.value().unfold_as(window, layout)?;
        let dims = self.dims();
        let param = window.to_param([dims[2], dims[3]], layout);
        let x = self.id;
        Ok(self.with_param(&param, |window| Op::Unfold(Unfold { x, window }), value))
    }

    /// Columns `[N, C · kh · kw, L]` of `window` over images of `size` summed back into
    /// `[N, C, H, W]` (col2im, PyTorch's `F.fold`; see [`Tensor::try_fold`]): `unfold`'s
    /// adjoint, and its gradient is [`unfold`](Self::unfold) of the upstream gradient.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window2d};
    /// let tape = Tape::new();
    /// let cols = tape.tensor(Tensor::<f64>::ones([1, 4, 4]));
    /// let image = cols.try_fold(Window2d::new([2, 2]), [3, 3]).unwrap();
    /// assert_eq!(image.dims(), &[1, 1, 3, 3]);
    /// assert_eq!(image.sum().backward().wrt(cols).to_vec(), vec![1.0; 16]);
    /// ```
    #[track_caller]
    pub fn try_fold(self, window: Window2d, size: [usize; 2]) -> Result<Self> {
        self.fold_as(window, size, Columns::PerImage)
    }

    /// Columns `[C · kh · kw, N, L]` (the layout of
    /// [`unfold_batched`](Self::unfold_batched)) summed back into images `[N, C, H, W]`
    /// (see [`Tensor::try_fold_batched`]); its gradient is `unfold_batched` of the upstream
    /// gradient.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window2d};
    /// let tape = Tape::new();
    /// let cols = tape.tensor(Tensor::<f64>::ones([4, 2, 4]));
    /// let images = cols.try_fold_batched(Window2d::new([2, 2]), [3, 3]).unwrap();
    /// assert_eq!(images.dims(), &[2, 1, 3, 3]);
    /// assert_eq!(images.sum().backward().wrt(cols).to_vec(), vec![1.0; 32]);
    /// ```
    #[track_caller]
    pub fn try_fold_batched(self, window: Window2d, size: [usize; 2]) -> Result<Self> {
        self.fold_as(window, size, Columns::Batched)
    }

    #[track_caller]
    fn fold_as(self, window: Window2d, size: [usize; 2], layout: Columns) -> Result<Self> {
        let value = self.value().fold_as(window, size, layout)?;
        let param = window.to_param(size, layout);
        let x = self.id;
        Ok(self.with_param(&param, |window| Op::Fold(Fold { x, window }), value))
    }

    /// The last two axes swapped; an error for fewer than two axes.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::zeros([2, 3]));
    /// assert_eq!(x.try_transpose().unwrap().dims(), &[3, 2]);
    /// ```
    #[track_caller]
    pub fn try_transpose(self) -> Result<Self> {
        let n = self.value().ndim();
        if n < 2 {
            return Err(Error::InvalidAxis {
                op: "transpose",
                axis: 1,
                shape: self.shape(),
            });
        }
        let mut axes: Vec<usize> = (0..n).collect();
        axes.swap(n - 2, n - 1);
        self.try_permute(&axes)
    }

    /// [`try_transpose`](Self::try_transpose) that panics with the same message.
    #[track_caller]
    pub fn transpose(self) -> Self {
        self.try_transpose().or_panic()
    }

    /// The only element of a one-element tensor, as a scalar variable on the same tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::full([2], 1.5));
    /// let total = x.sum().item();
    /// assert_eq!(total.value(), 3.0);
    /// assert_eq!(total.backward().wrt(x).to_vec(), vec![1.0, 1.0]);
    /// assert!(x.try_item().is_err());
    /// ```
    #[track_caller]
    pub fn try_item(self) -> Result<Var<'t>> {
        let value = self.value().item().map_err(|_| Error::NotOneElement {
            op: "item",
            shape: self.shape(),
        })?;
        Ok(self.tape.push(Op::Item(self.id), value.to_f64()))
    }

    /// [`try_item`](Self::try_item) that panics with the same message.
    #[track_caller]
    pub fn item(self) -> Var<'t> {
        self.try_item().or_panic()
    }

    /// A new leaf with this value: gradients stop here.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.tensor(autograd::Tensor::<f64>::full([1], 3.0));
    /// let y = (x * x.detach()).sum();
    /// assert_eq!(y.backward().wrt(x).to_vec(), vec![3.0]);
    /// ```
    #[track_caller]
    pub fn detach(self) -> Self {
        self.tape.push_constant_tensor(self.value())
    }
}

impl<'t> Var<'t> {
    /// This scalar as a 0-d tensor of `F` on the same tape, to mix with tensors.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let s = tape.var(2.0);
    /// let x = tape.tensor(Tensor::<f64>::ones([3]));
    /// let y = (x * s.to_tensor()).sum(); // or simply x * s
    /// assert_eq!(y.backward().wrt(s), 3.0);
    /// ```
    #[track_caller]
    pub fn to_tensor<F: Float>(self) -> TensorVar<'t, F> {
        let value = Tensor::scalar(F::from_f64(self.value()));
        self.tape()
            .push_tensor(Op::ToTensor(ToTensor { x: self.node_id() }), value)
    }
}

impl<F: Float> crate::dtype::sealed::Sealed for TensorVar<'_, F> {}
