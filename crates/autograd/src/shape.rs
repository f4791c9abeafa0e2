//! [`Shape`]: the dimensions of a tensor, row-major strides and numpy's broadcasting rules.

use std::fmt;

use smallvec::SmallVec;

/// Dimensions inline up to four; more spill to the heap.
pub(crate) type Dims = SmallVec<[usize; 4]>;

/// The dimensions of a tensor, outermost first (row-major). `[]` is a 0-d tensor (one
/// element).
///
/// ```
/// use autograd::Shape;
///
/// let s = Shape::from([2, 3, 4]);
/// assert_eq!((s.ndim(), s.numel()), (3, 24));
/// assert_eq!(s.strides().as_slice(), &[12, 4, 1]);
/// assert_eq!(s.to_string(), "[2, 3, 4]");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Shape(Dims);

impl Shape {
    /// `Ok` if `other` is this shape, else the `ShapeMismatch` error of `op` naming both
    /// (`self` as the left-hand side).
    pub(crate) fn expect_same(&self, op: &'static str, other: &Shape) -> crate::Result<()> {
        if self != other {
            return Err(crate::Error::ShapeMismatch {
                op,
                lhs: self.clone(),
                rhs: other.clone(),
            });
        }
        Ok(())
    }

    /// A shape from its dimensions.
    ///
    /// ```
    /// assert_eq!(autograd::Shape::new(&[5]).numel(), 5);
    /// ```
    pub fn new(dims: &[usize]) -> Self {
        Shape(SmallVec::from_slice(dims))
    }

    /// The shape of a 0-d tensor: no dimensions, one element.
    ///
    /// ```
    /// assert_eq!(autograd::Shape::scalar().numel(), 1);
    /// ```
    pub fn scalar() -> Self {
        Shape(SmallVec::new())
    }

    /// The dimensions.
    ///
    /// ```
    /// assert_eq!(autograd::Shape::from([2, 3]).dims(), &[2, 3]);
    /// ```
    pub fn dims(&self) -> &[usize] {
        &self.0
    }

    /// Number of dimensions.
    ///
    /// ```
    /// assert_eq!(autograd::Shape::from([2, 3]).ndim(), 2);
    /// ```
    pub fn ndim(&self) -> usize {
        self.0.len()
    }

    /// Number of elements: the product of the dimensions (1 for `[]`, 0 if any is 0). It
    /// never wraps: a product past `usize::MAX` gives `usize::MAX` (no tensor has that
    /// shape; [`checked_numel`](Self::checked_numel) tells the two apart).
    ///
    /// ```
    /// use autograd::Shape;
    /// assert_eq!(Shape::from([2, 0, 3]).numel(), 0);
    /// assert_eq!(Shape::from([3, usize::MAX / 2]).numel(), usize::MAX);
    /// ```
    pub fn numel(&self) -> usize {
        if self.0.contains(&0) {
            return 0;
        }
        self.0.iter().fold(1usize, |n, &d| n.saturating_mul(d))
    }

    /// Number of elements, or `None` if the product of the dimensions overflows `usize`.
    ///
    /// ```
    /// use autograd::Shape;
    /// assert_eq!(Shape::from([2, 3]).checked_numel(), Some(6));
    /// assert_eq!(Shape::from([3, 0x5555_5555_5555_5556]).checked_numel(), None);
    /// ```
    pub fn checked_numel(&self) -> Option<usize> {
        self.0.iter().try_fold(1usize, |n, &d| n.checked_mul(d))
    }

    /// The element count of a tensor of this shape with `elem_bytes`-byte elements, or
    /// `SizeOverflow` naming `op`. The check is that the product of the dimensions with
    /// zeros counted as ones fits in `isize::MAX` bytes: then every stride, offset and
    /// partial product computed from the shape fits too, even for an empty tensor.
    pub(crate) fn checked_size(&self, op: &'static str, elem_bytes: usize) -> crate::Result<usize> {
        let limit = isize::MAX as usize / elem_bytes.max(1);
        let fits = self.0.iter().try_fold(1usize, |n, &d| {
            n.checked_mul(d.max(1)).filter(|&n| n <= limit)
        });
        match fits {
            Some(_) => Ok(self.numel()),
            None => Err(crate::Error::SizeOverflow {
                op,
                shape: self.clone(),
                elem_bytes,
            }),
        }
    }

    /// Row-major strides in elements: the last dimension is contiguous.
    ///
    /// ```
    /// assert_eq!(autograd::Shape::from([3, 2]).strides().as_slice(), &[2, 1]);
    /// ```
    pub fn strides(&self) -> SmallVec<[usize; 4]> {
        let mut strides: SmallVec<[usize; 4]> = SmallVec::from_elem(1, self.ndim());
        for i in (0..self.ndim().saturating_sub(1)).rev() {
            // saturating: exact for every tensor's shape (`checked_size`), never a wrap
            strides[i] = strides[i + 1].saturating_mul(self.0[i + 1]);
        }
        strides
    }

    /// The shape both broadcast to under numpy's rules (align from the right; each pair of
    /// dimensions must be equal or one of them 1), or `None` if they do not broadcast.
    ///
    /// ```
    /// use autograd::Shape;
    ///
    /// let a = Shape::from([4, 1, 3]);
    /// assert_eq!(a.broadcast(&Shape::from([2, 1])), Some(Shape::from([4, 2, 3])));
    /// assert_eq!(a.broadcast(&Shape::from([2])), None);
    /// ```
    pub fn broadcast(&self, other: &Shape) -> Option<Shape> {
        let ndim = self.ndim().max(other.ndim());
        let mut dims: Dims = SmallVec::with_capacity(ndim);
        for i in 0..ndim {
            let a = self.dim_from_right(ndim - 1 - i);
            let b = other.dim_from_right(ndim - 1 - i);
            dims.push(match (a, b) {
                (a, b) if a == b => a,
                (1, b) => b,
                (a, 1) => a,
                _ => return None,
            });
        }
        Some(Shape(dims))
    }

    /// The number of elements before `axis` (outer), along it, and after it (inner): a
    /// row-major tensor is `outer` blocks of `len` slices of `inner` contiguous elements.
    pub(crate) fn split_at_axis(&self, axis: usize) -> (usize, usize, usize) {
        let dims = self.dims();
        let product = |ds: &[usize]| ds.iter().fold(1usize, |n, &d| n.saturating_mul(d));
        (
            product(&dims[..axis]),
            dims[axis],
            product(&dims[axis + 1..]),
        )
    }

    /// `true` if this shape broadcasts to `target` without changing `target`.
    ///
    /// ```
    /// use autograd::Shape;
    /// assert!(Shape::from([3]).broadcasts_to(&Shape::from([2, 3])));
    /// assert!(!Shape::from([2, 3]).broadcasts_to(&Shape::from([3])));
    /// ```
    pub fn broadcasts_to(&self, target: &Shape) -> bool {
        self.ndim() <= target.ndim() && self.broadcast(target).as_ref() == Some(target)
    }

    /// Strides for reading this shape as if broadcast to `target`: 0 along every dimension
    /// that is broadcast (and for the missing leading ones).
    pub(crate) fn broadcast_strides(&self, target: &Shape) -> Dims {
        debug_assert!(
            self.broadcasts_to(target),
            "{self} does not broadcast to {target}"
        );
        let own = self.strides();
        let offset = target.ndim() - self.ndim();
        (0..target.ndim())
            .map(|i| {
                if i < offset || self.0[i - offset] == 1 {
                    0
                } else {
                    own[i - offset]
                }
            })
            .collect()
    }

    /// The `i`-th dimension counted from the right (0 = last), 1 past the left end.
    fn dim_from_right(&self, i: usize) -> usize {
        if i < self.ndim() {
            self.0[self.ndim() - 1 - i]
        } else {
            1
        }
    }
}

impl From<&[usize]> for Shape {
    fn from(dims: &[usize]) -> Self {
        Shape::new(dims)
    }
}

impl<const N: usize> From<[usize; N]> for Shape {
    fn from(dims: [usize; N]) -> Self {
        Shape::new(&dims)
    }
}

impl From<Vec<usize>> for Shape {
    fn from(dims: Vec<usize>) -> Self {
        Shape(SmallVec::from_vec(dims))
    }
}

impl From<&Shape> for Shape {
    fn from(shape: &Shape) -> Self {
        shape.clone()
    }
}

impl fmt::Display for Shape {
    /// `[2, 3]`, as numpy and PyTorch print shapes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0.as_slice())
    }
}

impl fmt::Debug for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        let s = |d: &[usize]| Shape::new(d);
        assert_eq!(s(&[]).broadcast(&s(&[2, 3])), Some(s(&[2, 3])));
        assert_eq!(s(&[2, 1]).broadcast(&s(&[1, 3])), Some(s(&[2, 3])));
        assert_eq!(s(&[0]).broadcast(&s(&[1])), Some(s(&[0])));
        assert_eq!(s(&[0]).broadcast(&s(&[2])), None);
        assert_eq!(s(&[5, 1, 4]).broadcast(&s(&[3, 1])), Some(s(&[5, 3, 4])));
    }

    #[test]
    fn broadcast_strides_are_zero_on_broadcast_dimensions() {
        let a = Shape::from([3, 1]);
        let target = Shape::from([2, 3, 4]);
        assert_eq!(a.broadcast_strides(&target).as_slice(), &[0, 1, 0]);
        assert_eq!(Shape::scalar().strides().as_slice(), &[] as &[usize]);
    }
}
