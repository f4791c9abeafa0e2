//! Elementwise kernels: `map` for one tensor, `zip` with numpy broadcasting for two, and the
//! arithmetic operators built on them. Plain loops over contiguous slices, which the
//! compiler vectorises; no allocation per element.

use crate::error::OrPanic;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::sync::Arc;

use super::Tensor;
use super::families::{Slices, Tensors};
use super::vector_math::{self, VectorFn};
use crate::dtype::{ByDtype, Float};
use crate::error::{Error, Result};
use crate::shape::Shape;

impl<T: Float> Tensor<T> {
    /// `f` of every element by the vectorised kernels (`vector_math/`), for `f32`; `None`
    /// for `f64`, which keeps the scalar functions (so that an `f64` tensor and a scalar
    /// variable agree to the bit).
    pub(crate) fn map_vectorised(&self, f: VectorFn) -> Option<Tensor<T>> {
        match T::split::<Slices<'_>>(self.as_slice()) {
            ByDtype::F32(x) => {
                let y = Tensor::from_parts(vector_math::map_f32(f, x), self.shape().clone());
                T::join_f32::<Tensors>(y)
            }
            ByDtype::F64(_) => None,
        }
    }

    /// `f` applied to every element (split over the thread pool for large tensors).
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::arange(0.0, 3.0, 1.0);
    /// assert_eq!(t.map(|x| x * x).to_vec(), vec![0.0, 1.0, 4.0]);
    /// ```
    pub fn map(&self, f: impl Fn(T) -> T + Sync) -> Tensor<T> {
        let data = super::parallel::map_new(self.as_slice(), f);
        Tensor::from_parts(data, self.shape().clone())
    }

    /// `self[i] = f(self[i], other[i])` for tensors of one shape: in place when nothing else
    /// shares `self`'s storage, otherwise into a new buffer in the same single pass (never a
    /// copy followed by an update: an optimiser stepping weights a tape still holds). Split
    /// over the thread pool for large tensors (so `f` is `Sync`). An error naming both shapes
    /// if they differ.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut w = Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap();
    /// let kept = w.clone(); // shares the storage
    /// w.try_update(&Tensor::full([2], 0.5), |w, g| w - g).unwrap();
    /// assert_eq!((w.to_vec(), kept.to_vec()), (vec![0.5, 1.5], vec![1.0, 2.0]));
    /// assert!(w.try_update(&Tensor::zeros([3]), |w, _| w).is_err());
    /// ```
    pub fn try_update(&mut self, other: &Tensor<T>, f: impl Fn(T, T) -> T + Sync) -> Result<()> {
        self.shape().expect_same("update", other.shape())?;
        match Arc::get_mut(&mut self.data) {
            Some(data) => super::parallel::update(data, other.as_slice(), f),
            None => {
                let data = super::parallel::zip_new(self.as_slice(), other.as_slice(), f);
                *self = Tensor::from_parts(data, self.shape().clone());
            }
        }
        Ok(())
    }

    /// An update that keeps two numbers of state per element (an optimiser's moments):
    /// `self[i] = f(self[i], grad[i], &mut state[0][i], &mut state[1][i])` for every
    /// element, in place and split over the thread pool above 64 Ki elements, as
    /// [`try_update`](Self::try_update). Storage shared with clones is copied first (see
    /// [`as_mut_slice`](Self::as_mut_slice)). An error naming the shapes if the four
    /// differ; nothing is changed then.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let mut w = Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap();
    /// let g = Tensor::from_vec(vec![0.5, -1.0], [2]).unwrap();
    /// let (mut sum, mut count) = (Tensor::zeros([2]), Tensor::zeros([2]));
    /// w.try_update_with_state(&g, [&mut sum, &mut count], |w, g, s, n| {
    ///     *s += g; // a running sum of the gradients
    ///     *n += 1.0;
    ///     w - 0.1 * *s / *n
    /// })
    /// .unwrap();
    /// assert_eq!(w.to_vec(), vec![0.95, 2.1]);
    /// assert_eq!((sum.to_vec(), count.to_vec()), (vec![0.5, -1.0], vec![1.0, 1.0]));
    /// assert!(w.try_update_with_state(&Tensor::zeros([3]), [&mut sum, &mut count], |w, _, _, _| w).is_err());
    /// ```
    pub fn try_update_with_state(
        &mut self,
        grad: &Tensor<T>,
        state: [&mut Tensor<T>; 2],
        f: impl Fn(T, T, &mut T, &mut T) -> T + Sync,
    ) -> Result<()> {
        let [s, t] = state;
        for other in [grad.shape(), s.shape(), t.shape()] {
            self.shape().expect_same("update", other)?;
        }
        super::parallel::update_with_state(
            self.as_mut_slice(),
            grad.as_slice(),
            [s.as_mut_slice(), t.as_mut_slice()],
            f,
        );
        Ok(())
    }

    /// `self[i] = f(i, self[i])` for every flat index `i`, in order: in place when nothing
    /// else shares the storage, otherwise into a new buffer in the same pass (as
    /// [`try_update`](Self::try_update), for updates that read several tensors, like Adam's).
    ///
    /// ```
    /// let mut w = autograd::Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap();
    /// let step = [0.5, 1.0];
    /// w.update_indexed(|i, w| w - step[i]);
    /// assert_eq!(w.to_vec(), vec![0.5, 1.0]);
    /// ```
    pub fn update_indexed(&mut self, mut f: impl FnMut(usize, T) -> T) {
        match Arc::get_mut(&mut self.data) {
            Some(data) => {
                for (i, x) in data.iter_mut().enumerate() {
                    *x = f(i, *x);
                }
            }
            None => {
                let data = self
                    .as_slice()
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| f(i, x))
                    .collect();
                *self = Tensor::from_parts(data, self.shape().clone());
            }
        }
    }

    /// `f` applied to pairs of elements after broadcasting both tensors to a common shape
    /// (numpy's rules); an error naming `op` and both shapes if they do not broadcast.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let column = Tensor::<f64>::from_vec(vec![1.0, 2.0], [2, 1]).unwrap();
    /// let row = Tensor::<f64>::from_vec(vec![10.0, 20.0, 30.0], [3]).unwrap();
    /// let sum = column.try_zip("add", &row, |a, b| a + b).unwrap();
    /// assert_eq!(sum.dims(), &[2, 3]);
    /// assert_eq!(sum.to_vec(), vec![11.0, 21.0, 31.0, 12.0, 22.0, 32.0]);
    ///
    /// let err = row.try_zip("add", &Tensor::zeros([2]), |a, b| a + b).unwrap_err();
    /// assert_eq!(err.to_string(), "shape mismatch in add: lhs [3], rhs [2]");
    /// ```
    pub fn try_zip(
        &self,
        op: &'static str,
        other: &Tensor<T>,
        f: impl Fn(T, T) -> T + Sync,
    ) -> Result<Tensor<T>> {
        let (a, b) = (self.as_slice(), other.as_slice());
        if self.shape() == other.shape() {
            let data = super::parallel::zip_new(a, b, f);
            return Ok(Tensor::from_parts(data, self.shape().clone()));
        }
        let out = self
            .shape()
            .broadcast(other.shape())
            .ok_or_else(|| Error::ShapeMismatch {
                op,
                lhs: self.shape().clone(),
                rhs: other.shape().clone(),
            })?;
        // Two broadcast operands can ask for far more than either holds ([n, 1] + [1, n]).
        let data = super::empty_vec(op, &out)?;
        let data = zip_broadcast(data, a, self.shape(), b, other.shape(), &out, f);
        Ok(Tensor::from_parts(data, out))
    }

    /// [`try_zip`](Self::try_zip) that panics with the same message.
    #[track_caller]
    pub(crate) fn zip(
        &self,
        op: &'static str,
        other: &Tensor<T>,
        f: impl Fn(T, T) -> T + Sync,
    ) -> Self {
        self.try_zip(op, other, f).or_panic()
    }
}

/// The general broadcasting loop: walks the output in row-major order with an odometer over
/// the outer dimensions and a strided inner loop over the last one, pushing onto `data`
/// (empty, with room for the output).
fn zip_broadcast<T: Float>(
    mut data: Vec<T>,
    a: &[T],
    a_shape: &Shape,
    b: &[T],
    b_shape: &Shape,
    out: &Shape,
    f: impl Fn(T, T) -> T,
) -> Vec<T> {
    if out.numel() == 0 {
        return data;
    }
    if out.ndim() == 0 {
        data.push(f(a[0], b[0]));
        return data;
    }
    let dims = out.dims();
    let (sa, sb) = (
        a_shape.broadcast_strides(out),
        b_shape.broadcast_strides(out),
    );
    let last = dims.len() - 1;
    let (inner, ia, ib) = (dims[last], sa[last], sb[last]);
    let mut index = vec![0; last];
    let (mut oa, mut ob) = (0, 0);
    for _ in 0..out.numel() / inner {
        // The inner axis is contiguous or broadcast on each side: slices and `extend` let
        // the compiler drop the bounds checks and vectorise (a bias add is the (1, 0) case).
        match (ia, ib) {
            (1, 1) => data.extend(
                a[oa..oa + inner]
                    .iter()
                    .zip(&b[ob..ob + inner])
                    .map(|(&x, &y)| f(x, y)),
            ),
            (1, 0) => {
                let y = b[ob];
                data.extend(a[oa..oa + inner].iter().map(|&x| f(x, y)));
            }
            (0, 1) => {
                let x = a[oa];
                data.extend(b[ob..ob + inner].iter().map(|&y| f(x, y)));
            }
            _ => data.extend((0..inner).map(|k| f(a[oa + k * ia], b[ob + k * ib]))),
        }
        for d in (0..last).rev() {
            index[d] += 1;
            oa += sa[d];
            ob += sb[d];
            if index[d] < dims[d] {
                break;
            }
            oa -= sa[d] * dims[d];
            ob -= sb[d] * dims[d];
            index[d] = 0;
        }
    }
    data
}

/// `tensor ∘ tensor` (broadcasting; panics naming both shapes) and `tensor ∘ f64`, by value
/// and by reference.
macro_rules! tensor_operator {
    ($Trait:ident, $method:ident, $name:literal, |$x:ident, $y:ident| $body:expr) => {
        impl<T: Float> $Trait<&Tensor<T>> for &Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $method(self, rhs: &Tensor<T>) -> Tensor<T> {
                self.zip($name, rhs, |$x, $y| $body)
            }
        }
        /// By value: the result reuses the left operand's storage when it is not shared and
        /// already has the result's shape (gradient accumulation in place).
        impl<T: Float> $Trait for Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $method(self, rhs: Tensor<T>) -> Tensor<T> {
                self.$method(&rhs)
            }
        }
        impl<T: Float> $Trait<&Tensor<T>> for Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $method(mut self, rhs: &Tensor<T>) -> Tensor<T> {
                if self.shape() == rhs.shape() {
                    if let Some(data) = Arc::get_mut(&mut self.data) {
                        for (x, &y) in data.iter_mut().zip(rhs.as_slice()) {
                            let ($x, $y) = (*x, y);
                            *x = $body;
                        }
                        return self;
                    }
                }
                (&self).$method(rhs)
            }
        }
        impl<T: Float> $Trait<Tensor<T>> for &Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $method(self, rhs: Tensor<T>) -> Tensor<T> {
                self.$method(&rhs)
            }
        }
        /// A number of either precision, converted to the tensor's.
        impl<T: Float, S: Float> $Trait<S> for &Tensor<T> {
            type Output = Tensor<T>;
            fn $method(self, rhs: S) -> Tensor<T> {
                let $y = T::from_f64(rhs.to_f64());
                self.map(|$x| $body)
            }
        }
        impl<T: Float, S: Float> $Trait<S> for Tensor<T> {
            type Output = Tensor<T>;
            fn $method(self, rhs: S) -> Tensor<T> {
                (&self).$method(rhs)
            }
        }
    };
}

tensor_operator!(Add, add, "add", |x, y| x + y);
tensor_operator!(Sub, sub, "sub", |x, y| x - y);
tensor_operator!(Mul, mul, "mul", |x, y| x * y);
tensor_operator!(Div, div, "div", |x, y| x / y);

impl<T: Float> Neg for &Tensor<T> {
    type Output = Tensor<T>;
    fn neg(self) -> Tensor<T> {
        self.map(|x| -x)
    }
}

impl<T: Float> Neg for Tensor<T> {
    type Output = Tensor<T>;
    fn neg(self) -> Tensor<T> {
        -&self
    }
}

#[cfg(test)]
mod tests {
    use crate::Tensor;

    #[test]
    fn broadcasting_in_three_dimensions_matches_a_direct_loop() {
        let a = Tensor::<f64>::from_fn([2, 1, 4], |i| (i[0] * 10 + i[2]) as f64);
        let b = Tensor::<f64>::from_fn([3, 1], |i| (i[0] * 100) as f64);
        let c = &a + &b;
        assert_eq!(c.dims(), &[2, 3, 4]);
        for i in 0..2 {
            for j in 0..3 {
                for k in 0..4 {
                    assert_eq!(c.at(&[i, j, k]), (i * 10 + k + j * 100) as f64);
                }
            }
        }
    }

    #[test]
    fn by_value_arithmetic_reuses_unshared_storage_only() {
        let a = Tensor::<f64>::ones([3]);
        let b = Tensor::<f64>::full([3], 2.0);
        let kept = a.clone();
        let sum = a + &b; // `a` is shared with `kept`: a new tensor
        assert_eq!((sum.to_vec(), kept.to_vec()), (vec![3.0; 3], vec![1.0; 3]));
        let before = sum.as_slice().as_ptr();
        let twice = sum + &b; // not shared: in place
        assert_eq!(twice.as_slice().as_ptr(), before);
        assert_eq!(twice.to_vec(), vec![5.0; 3]);
    }

    #[test]
    fn size_zero_and_zero_d() {
        let empty = Tensor::<f32>::zeros([0, 3]);
        assert_eq!((&empty + &Tensor::ones([3])).dims(), &[0, 3]);
        let s = Tensor::scalar(2.0f64);
        assert_eq!((&s * &s).item().unwrap(), 4.0);
        assert_eq!((&Tensor::<f64>::ones([2]) - &s).to_vec(), vec![-1.0, -1.0]);
    }

    #[test]
    #[should_panic(expected = "shape mismatch in mul: lhs [2, 3], rhs [2]")]
    fn operators_panic_naming_both_shapes() {
        let _ = Tensor::<f64>::zeros([2, 3]) * Tensor::<f64>::zeros([2]);
    }
}
