//! Making tensors: from data, filled, from a function, ranges, the identity, random draws.
//! Every size is checked before anything is allocated, and allocation is fallible, so a
//! shape too large to address or to hold is an error, never a wrapped size or an abort. Each
//! constructor has a `try_` form and a plain one that panics at the caller's line.

use std::sync::Arc;

use rand::Rng;

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, OrPanic, Result};
use crate::shape::Shape;

impl<T: Float> Tensor<T> {
    /// A tensor from row-major data; an error if the length does not match the shape, or if
    /// the shape is too large to address.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let err = Tensor::<f32>::from_vec(vec![1.0; 5], [2, 3]).unwrap_err();
    /// assert_eq!(err.to_string(), "from_vec: shape [2, 3] holds 6 elements, got 5");
    /// // 3 · 0x5555_5555_5555_5556 wraps to 2 in usize: refused, not believed
    /// assert!(Tensor::<f32>::from_vec(vec![1.0, 2.0], [3, 0x5555_5555_5555_5556]).is_err());
    /// ```
    pub fn from_vec(data: Vec<T>, shape: impl Into<Shape>) -> Result<Self> {
        let shape = shape.into();
        if data.len() != shape.checked_size("from_vec", size_of::<T>())? {
            return Err(Error::LengthMismatch {
                op: "from_vec",
                shape,
                len: data.len(),
            });
        }
        Ok(Tensor {
            data: Arc::new(super::pool::Buffer::new(data)),
            shape,
        })
    }

    /// Internal constructor for data already known to fit the shape.
    pub(crate) fn from_parts(data: Vec<T>, shape: Shape) -> Self {
        debug_assert_eq!(data.len(), shape.numel(), "{shape}");
        Tensor {
            data: Arc::new(super::pool::Buffer::new(data)),
            shape,
        }
    }

    /// A 0-d tensor holding one value.
    ///
    /// ```
    /// let t = autograd::Tensor::scalar(2.5f64);
    /// assert_eq!((t.ndim(), t.item().unwrap()), (0, 2.5));
    /// ```
    pub fn scalar(value: T) -> Self {
        Self::from_parts(vec![value], Shape::scalar())
    }

    /// Every element `value`; an error if the shape is too large to address or to allocate.
    ///
    /// ```
    /// use autograd::{Error, Tensor};
    ///
    /// assert_eq!(Tensor::try_full([2], 7.0f32).unwrap().to_vec(), vec![7.0; 2]);
    /// let err = Tensor::try_full([1 << 40, 1 << 40], 0.0f32).unwrap_err();
    /// assert!(matches!(err, Error::SizeOverflow { op: "full", .. }), "{err}");
    /// ```
    pub fn try_full(shape: impl Into<Shape>, value: T) -> Result<Self> {
        let shape = shape.into();
        let data = filled_vec("full", &shape, value)?;
        Ok(Self::from_parts(data, shape))
    }

    /// Every element `value`; panics where [`try_full`](Self::try_full) errs.
    ///
    /// ```
    /// let t = autograd::Tensor::full([2, 2], 7.0f32);
    /// assert_eq!(t.to_vec(), vec![7.0; 4]);
    /// ```
    #[track_caller]
    pub fn full(shape: impl Into<Shape>, value: T) -> Self {
        Self::try_full(shape, value).or_panic()
    }

    /// Every element 0; an error if the shape is too large (see [`try_full`](Self::try_full)).
    ///
    /// ```
    /// assert!(autograd::Tensor::<f64>::try_zeros([usize::MAX, 2]).is_err());
    /// ```
    pub fn try_zeros(shape: impl Into<Shape>) -> Result<Self> {
        Self::try_full(shape, T::ZERO)
    }

    /// Every element 0.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::zeros([3]).to_vec(), vec![0.0; 3]);
    /// ```
    #[track_caller]
    pub fn zeros(shape: impl Into<Shape>) -> Self {
        Self::try_full(shape, T::ZERO).or_panic()
    }

    /// Every element 1.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::ones([2]).to_vec(), vec![1.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn ones(shape: impl Into<Shape>) -> Self {
        Self::try_full(shape, T::ONE).or_panic()
    }

    /// Zeros of this tensor's shape.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::ones([2, 3]);
    /// assert_eq!(t.zeros_like().dims(), &[2, 3]);
    /// ```
    pub fn zeros_like(&self) -> Self {
        Self::from_parts(vec![T::ZERO; self.numel()], self.shape.clone())
    }

    /// Element `f(index)` at every index, in row-major order; an error if the shape is too
    /// large.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::try_from_fn([2, 3], |i| (10 * i[0] + i[1]) as f64).unwrap();
    /// assert_eq!(t.to_vec(), vec![0.0, 1.0, 2.0, 10.0, 11.0, 12.0]);
    /// ```
    pub fn try_from_fn(shape: impl Into<Shape>, mut f: impl FnMut(&[usize]) -> T) -> Result<Self> {
        let shape = shape.into();
        let mut data = empty_vec("from_fn", &shape)?;
        let mut index = vec![0; shape.ndim()];
        for _ in 0..shape.numel() {
            data.push(f(&index));
            // odometer increment, last dimension fastest
            for d in (0..index.len()).rev() {
                index[d] += 1;
                if index[d] < shape.dims()[d] {
                    break;
                }
                index[d] = 0;
            }
        }
        Ok(Self::from_parts(data, shape))
    }

    /// [`try_from_fn`](Self::try_from_fn) that panics with the same message.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::from_fn([2, 3], |i| (10 * i[0] + i[1]) as f64);
    /// assert_eq!(t.to_vec(), vec![0.0, 1.0, 2.0, 10.0, 11.0, 12.0]);
    /// ```
    #[track_caller]
    pub fn from_fn(shape: impl Into<Shape>, f: impl FnMut(&[usize]) -> T) -> Self {
        Self::try_from_fn(shape, f).or_panic()
    }

    /// `start, start + step, ...` up to but excluding `end`, as a 1-d tensor (numpy's
    /// `arange`); an error if an argument is not finite or the result is too large.
    ///
    /// ```
    /// use autograd::Tensor;
    /// assert_eq!(Tensor::<f64>::try_arange(0.0, 1.0, 0.25).unwrap().to_vec(), vec![0.0, 0.25, 0.5, 0.75]);
    /// let err = Tensor::<f64>::try_arange(0.0, f64::NAN, 1.0).unwrap_err();
    /// assert_eq!(err.to_string(), "arange: end = NaN, but it must be finite");
    /// assert!(Tensor::<f64>::try_arange(0.0, 1e300, 1.0).is_err());
    /// ```
    pub fn try_arange(start: T, end: T, step: T) -> Result<Self> {
        let (s, e, d) = (start.to_f64(), end.to_f64(), step.to_f64());
        for (name, value) in [("start", s), ("end", e), ("step", d)] {
            finite("arange", name, value)?;
        }
        let count = if d != 0.0 && (e - s) / d > 0.0 {
            ((e - s) / d).ceil()
        } else {
            0.0
        };
        // `as usize` saturates; a saturated count fails the size check below.
        let shape = Shape::from([count as usize]);
        let mut data = empty_vec("arange", &shape)?;
        data.extend((0..shape.numel()).map(|i| T::from_f64(s + d * i as f64)));
        Ok(Self::from_parts(data, shape))
    }

    /// [`try_arange`](Self::try_arange) that panics with the same message.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::arange(0.0, 1.0, 0.25);
    /// assert_eq!(t.to_vec(), vec![0.0, 0.25, 0.5, 0.75]);
    /// ```
    #[track_caller]
    pub fn arange(start: T, end: T, step: T) -> Self {
        Self::try_arange(start, end, step).or_panic()
    }

    /// `n` evenly spaced values from `start` to `end`, both included (numpy's `linspace`);
    /// an error if an end is not finite or `n` elements cannot be allocated.
    ///
    /// ```
    /// use autograd::Tensor;
    /// assert_eq!(Tensor::<f64>::try_linspace(0.0, 1.0, 3).unwrap().to_vec(), vec![0.0, 0.5, 1.0]);
    /// assert!(Tensor::<f64>::try_linspace(0.0, f64::INFINITY, 3).is_err());
    /// ```
    pub fn try_linspace(start: T, end: T, n: usize) -> Result<Self> {
        let (s, e) = (start.to_f64(), end.to_f64());
        finite("linspace", "start", s)?;
        finite("linspace", "end", e)?;
        let shape = Shape::from([n]);
        let mut data = empty_vec("linspace", &shape)?;
        data.extend((0..n).map(|i| {
            if n == 1 {
                start
            } else if i + 1 == n {
                end
            } else {
                T::from_f64(s + (e - s) * i as f64 / (n - 1) as f64)
            }
        }));
        Ok(Self::from_parts(data, shape))
    }

    /// [`try_linspace`](Self::try_linspace) that panics with the same message.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::linspace(0.0, 1.0, 5);
    /// assert_eq!(t.to_vec(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// ```
    #[track_caller]
    pub fn linspace(start: T, end: T, n: usize) -> Self {
        Self::try_linspace(start, end, n).or_panic()
    }

    /// The `n × n` identity matrix; an error if it is too large.
    ///
    /// ```
    /// assert!(autograd::Tensor::<f32>::try_eye(usize::MAX).is_err());
    /// ```
    pub fn try_eye(n: usize) -> Result<Self> {
        Self::try_from_fn([n, n], |i| if i[0] == i[1] { T::ONE } else { T::ZERO })
    }

    /// The `n × n` identity matrix.
    ///
    /// ```
    /// let i = autograd::Tensor::<f32>::eye(2);
    /// assert_eq!(i.to_vec(), vec![1.0, 0.0, 0.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn eye(n: usize) -> Self {
        Self::try_eye(n).or_panic()
    }

    /// Elements drawn uniformly from `[low, high)` with the given generator (seed it for
    /// reproducible runs). An error if a bound is not finite or `low > high` (`low == high`
    /// gives `low` everywhere), or if the shape is too large.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut rng = StdRng::seed_from_u64(0);
    /// let t = Tensor::<f64>::try_rand_uniform([100], -1.0, 1.0, &mut rng).unwrap();
    /// assert!(t.to_vec().iter().all(|x| (-1.0..1.0).contains(x)));
    /// let err = Tensor::<f64>::try_rand_uniform([2], 1.0, f64::NAN, &mut rng).unwrap_err();
    /// assert_eq!(err.to_string(), "rand_uniform: high = NaN, but it must be finite");
    /// assert!(Tensor::<f64>::try_rand_uniform([2], 1.0, 0.0, &mut rng).is_err());
    /// ```
    pub fn try_rand_uniform(
        shape: impl Into<Shape>,
        low: T,
        high: T,
        rng: &mut impl Rng,
    ) -> Result<Self> {
        let shape = shape.into();
        let (lo, hi) = (low.to_f64(), high.to_f64());
        finite("rand_uniform", "low", lo)?;
        finite("rand_uniform", "high", hi)?;
        if lo > hi {
            return Err(Error::InvalidArgument {
                op: "rand_uniform",
                name: "low",
                value: lo,
                expected: "at most high",
            });
        }
        let mut data = empty_vec("rand_uniform", &shape)?;
        let width = hi - lo;
        data.extend((0..shape.numel()).map(|_| {
            loop {
                let u = rng.random::<f64>();
                // Past f64::MAX apart (e.g. ±1e308) the width overflows: mix the bounds
                // instead, which stays finite.
                let x = if width.is_finite() {
                    lo + width * u
                } else {
                    lo * (1.0 - u) + hi * u
                };
                // Rounding (to f32, or of the mix) can reach `high`: draw again to keep the
                // interval half-open. u = 0 gives `low`, so this ends.
                let x = T::from_f64(x);
                if x < high || low >= high {
                    break x;
                }
            }
        }));
        Ok(Self::from_parts(data, shape))
    }

    /// [`try_rand_uniform`](Self::try_rand_uniform) that panics with the same message.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let t = Tensor::<f64>::rand_uniform([100], -1.0, 1.0, &mut StdRng::seed_from_u64(0));
    /// let again = Tensor::<f64>::rand_uniform([100], -1.0, 1.0, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(t.to_vec(), again.to_vec());
    /// ```
    #[track_caller]
    pub fn rand_uniform(shape: impl Into<Shape>, low: T, high: T, rng: &mut impl Rng) -> Self {
        Self::try_rand_uniform(shape, low, high, rng).or_panic()
    }

    /// Elements drawn from the normal distribution N(`mean`, `std`²), by `rand_distr`'s
    /// ziggurat sampler (one random draw per sample, nearly always). An error if `mean` or
    /// `std` is not finite, `std < 0`, or the shape is too large.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut rng = StdRng::seed_from_u64(1);
    /// let t = Tensor::<f64>::try_rand_normal([10_000], 0.0, 2.0, &mut rng).unwrap();
    /// assert!((t.to_vec().iter().sum::<f64>() / 10_000.0).abs() < 0.1);
    /// let err = Tensor::<f64>::try_rand_normal([2], 0.0, f64::NAN, &mut rng).unwrap_err();
    /// assert_eq!(err.to_string(), "rand_normal: std = NaN, but it must be finite");
    /// ```
    pub fn try_rand_normal(
        shape: impl Into<Shape>,
        mean: T,
        std: T,
        rng: &mut impl Rng,
    ) -> Result<Self> {
        let shape = shape.into();
        let (m, s) = (mean.to_f64(), std.to_f64());
        finite("rand_normal", "mean", m)?;
        finite("rand_normal", "std", s)?;
        if s < 0.0 {
            return Err(Error::InvalidArgument {
                op: "rand_normal",
                name: "std",
                value: s,
                expected: "at least 0",
            });
        }
        let mut data = empty_vec("rand_normal", &shape)?;
        data.extend((0..shape.numel()).map(|_| {
            let z: f64 = rng.sample(rand_distr::StandardNormal);
            T::from_f64(m + s * z)
        }));
        Ok(Self::from_parts(data, shape))
    }

    /// [`try_rand_normal`](Self::try_rand_normal) that panics with the same message.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let t = Tensor::<f64>::rand_normal([10_000], 0.0, 2.0, &mut StdRng::seed_from_u64(1));
    /// let mean = t.to_vec().iter().sum::<f64>() / 10_000.0;
    /// assert!(mean.abs() < 0.1);
    /// ```
    #[track_caller]
    pub fn rand_normal(shape: impl Into<Shape>, mean: T, std: T, rng: &mut impl Rng) -> Self {
        Self::try_rand_normal(shape, mean, std, rng).or_panic()
    }
}

/// An empty vector with room for `shape`'s elements: `SizeOverflow` if the shape is too
/// large to address, `AllocationFailed` if the allocator refuses (never an abort).
pub(crate) fn empty_vec<T: Float>(op: &'static str, shape: &Shape) -> Result<Vec<T>> {
    let n = shape.checked_size(op, size_of::<T>())?;
    if let Some(kept) = super::pool::take(n) {
        return Ok(kept);
    }
    let mut data = Vec::new();
    data.try_reserve_exact(n)
        .map_err(|_| Error::AllocationFailed {
            op,
            shape: shape.clone(),
            bytes: n * size_of::<T>(),
        })?;
    Ok(data)
}

/// Buffers up to this size are filled by `vec!`, which asks the allocator for zeroed memory
/// when the value is 0 (`calloc`: fresh pages come zeroed, nothing is written twice). Larger
/// ones go through `try_reserve`, so that a refused allocation is an `Err`. A refusal below
/// the limit aborts, as everywhere in Rust's standard library.
const EAGER_FILL_BYTES: usize = 1 << 30;

/// `shape`'s elements, every one `value`, with the errors of [`empty_vec`].
pub(crate) fn filled_vec<T: Float>(op: &'static str, shape: &Shape, value: T) -> Result<Vec<T>> {
    let n = shape.checked_size(op, size_of::<T>())?;
    if let Some(mut kept) = super::pool::take(n) {
        kept.resize(n, value);
        return Ok(kept);
    }
    if n * size_of::<T>() <= EAGER_FILL_BYTES {
        return Ok(vec![value; n]);
    }
    let mut data = empty_vec(op, shape)?;
    data.resize(n, value);
    Ok(data)
}

/// `InvalidArgument` unless `value` is finite.
pub(crate) fn finite(op: &'static str, name: &'static str, value: f64) -> Result<()> {
    if !value.is_finite() {
        return Err(Error::InvalidArgument {
            op,
            name,
            value,
            expected: "finite",
        });
    }
    Ok(())
}
