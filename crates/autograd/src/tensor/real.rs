//! Raw tensors as [`Real`] numbers (elementwise, broadcasting) and as [`TensorAlgebra`]: what
//! lets the chain-rule table compute tensor gradients as plain tensors.

use super::Tensor;
use crate::element::Float;
use crate::error::OrPanic;
use crate::real::{Real, TensorAlgebra};
use crate::shape::Shape;

/// Elementwise functions of raw tensors, with the same conventions as scalars. Binary ones
/// broadcast and panic naming both shapes if they cannot.
///
/// ```
/// use autograd::{Real, Tensor};
///
/// let t = Tensor::<f64>::from_vec(vec![-1.0, 0.0, 2.0], [3]).unwrap();
/// assert_eq!(t.clone().relu().to_vec(), vec![0.0, 0.0, 2.0]);
/// assert_eq!(t.clone().max(Tensor::scalar(1.0)).to_vec(), vec![1.0, 1.0, 2.0]);
/// ```
impl<F: Float> Real for Tensor<F> {
    fn affine(self, scale: f64, shift: f64) -> Self {
        let (s, t) = (F::from_f64(scale), F::from_f64(shift));
        self.map(|x| s * x + t)
    }
    fn exp(self) -> Self {
        self.map(Float::exp)
    }
    fn ln(self) -> Self {
        self.map(Float::ln)
    }
    fn sqrt(self) -> Self {
        self.map(Float::sqrt)
    }
    fn powi(self, n: i32) -> Self {
        self.map(|x| x.powi(n))
    }
    fn powf(self, p: f64) -> Self {
        let p = F::from_f64(p);
        self.map(|x| x.powf(p))
    }
    #[track_caller]
    fn pow(self, exponent: Self) -> Self {
        self.zip("pow", &exponent, Float::powf)
    }
    fn sin(self) -> Self {
        self.map(Float::sin)
    }
    fn cos(self) -> Self {
        self.map(Float::cos)
    }
    fn tanh(self) -> Self {
        self.map(Float::tanh)
    }
    fn sigmoid(self) -> Self {
        self.map(Float::sigmoid)
    }
    fn ln_1p(self) -> Self {
        self.map(Float::ln_1p)
    }
    fn exp_m1(self) -> Self {
        self.map(Float::exp_m1)
    }
    fn erf(self) -> Self {
        self.map(Float::erf)
    }
    fn relu(self) -> Self {
        self.map(Float::relu)
    }
    fn abs(self) -> Self {
        self.map(Float::abs)
    }
    #[track_caller]
    fn max(self, other: Self) -> Self {
        self.zip("max", &other, Float::max)
    }
    #[track_caller]
    fn min(self, other: Self) -> Self {
        self.zip("min", &other, Float::min)
    }
    fn step(self) -> Self {
        self.map(Float::step)
    }
    fn sign(self) -> Self {
        self.map(Float::sign)
    }
    #[track_caller]
    fn xlogy(self, y: Self) -> Self {
        self.zip("xlogy", &y, Float::xlogy)
    }
}

impl<F: Float> TensorAlgebra for Tensor<F> {
    type Scalar = f64;

    fn shape(&self) -> Shape {
        Tensor::shape(self).clone()
    }
    fn sum_to_shape(self, shape: &Shape) -> Self {
        self.try_sum_to_shape(shape).or_panic()
    }
    fn broadcast_to(self, shape: &Shape) -> Self {
        self.try_broadcast_to(shape).or_panic()
    }
    fn reshape(self, shape: &Shape) -> Self {
        self.try_reshape(shape).or_panic()
    }
    fn permute(self, axes: &[usize]) -> Self {
        self.try_permute(axes).or_panic()
    }
    fn matmul_transposed(self, rhs: Self, lhs_transposed: bool, rhs_transposed: bool) -> Self {
        self.try_matmul_transposed(&rhs, lhs_transposed, rhs_transposed)
            .or_panic()
    }
    fn sum_axes(self, axes: &[usize], keepdim: bool) -> Self {
        self.try_sum_axes(axes, keepdim).or_panic()
    }
    fn narrow(self, axis: usize, start: usize, len: usize) -> Self {
        self.try_narrow(axis, start, len).or_panic()
    }
    fn pad(self, axis: usize, start: usize, total: usize) -> Self {
        self.try_pad(axis, start, total).or_panic()
    }
    fn index_select(self, axis: usize, indices: &[usize]) -> Self {
        self.try_index_select(axis, indices).or_panic()
    }
    fn index_add(self, axis: usize, indices: &[usize], size: usize) -> Self {
        self.try_index_add(axis, indices, size).or_panic()
    }
    fn gather(self, axis: usize, index: &[usize], index_shape: &Shape) -> Self {
        self.try_gather(axis, index, index_shape).or_panic()
    }
    fn scatter_add(self, axis: usize, index: &[usize], target: &Shape) -> Self {
        self.try_scatter_add(axis, index, target).or_panic()
    }
    fn zeros_like(&self) -> Self {
        Tensor::zeros_like(self)
    }
    fn eq_mask(self, other: Self) -> Self {
        self.try_eq(&other).or_panic()
    }
    fn select(self, on_true: Self, on_false: Self) -> Self {
        self.try_select(&on_true, &on_false).or_panic()
    }
    fn item(self) -> f64 {
        Tensor::item(&self).or_panic().to_f64()
    }
    fn scalar_like(&self, value: f64) -> Self {
        Tensor::scalar(F::from_f64(value))
    }
}
