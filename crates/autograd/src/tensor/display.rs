//! Printing tensors the way numpy and PyTorch users expect: nested brackets, aligned
//! columns, and `...` for the middle of large tensors.

use std::fmt;

use super::Tensor;
use crate::dtype::Float;

/// Tensors with more elements than this print only their edges.
const ELIDE_ABOVE: usize = 1000;
/// How many leading and trailing entries per dimension an elided tensor shows.
const EDGE_ITEMS: usize = 3;

impl<T: Float> fmt::Display for Tensor<T> {
    /// ```
    /// let t = autograd::Tensor::<f64>::from_fn([2, 3], |i| (i[0] * 3 + i[1]) as f64);
    /// assert_eq!(
    ///     t.to_string(),
    ///     "tensor([[0.0000, 1.0000, 2.0000],\n        [3.0000, 4.0000, 5.0000]], shape=[2, 3], dtype=f64)"
    /// );
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Count the rows printed, not the elements: an empty tensor of shape [2³², 0] has no
        // elements but would print 2³² empty rows.
        let printed = self
            .dims()
            .iter()
            .fold(1usize, |n, &d| n.saturating_mul(d.max(1)));
        let elide = printed > ELIDE_ABOVE;
        let scientific = self.as_slice().iter().any(|x| {
            let a = x.to_f64().abs();
            a.is_finite() && (a >= 1e6 || (a > 0.0 && a < 1e-4))
        });
        let render = |x: T| {
            if scientific {
                format!("{:.4e}", x.to_f64())
            } else {
                format!("{:.4}", x.to_f64())
            }
        };
        let width = self
            .as_slice()
            .iter()
            .map(|&x| render(x).len())
            .max()
            .unwrap_or(0);
        let mut out = String::from("tensor(");
        let indent = out.len();
        write_nested(
            &mut out,
            self,
            0,
            0,
            indent,
            &|x| format!("{:>width$}", render(x)),
            elide,
        );
        write!(f, "{out}, shape={}, dtype={})", self.shape, T::NAME)
    }
}

impl<T: Float> fmt::Debug for Tensor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Writes dimension `dim` of the tensor starting at element `offset`.
fn write_nested<T: Float>(
    out: &mut String,
    t: &Tensor<T>,
    dim: usize,
    offset: usize,
    indent: usize,
    render: &dyn Fn(T) -> String,
    elide: bool,
) {
    if dim == t.ndim() {
        out.push_str(&render(t.as_slice()[offset]));
        return;
    }
    let len = t.dims()[dim];
    let stride: usize = t.dims()[dim + 1..].iter().product();
    let shown: Vec<Option<usize>> = if elide && len > 2 * EDGE_ITEMS {
        (0..EDGE_ITEMS)
            .map(Some)
            .chain([None])
            .chain((len - EDGE_ITEMS..len).map(Some))
            .collect()
    } else {
        (0..len).map(Some).collect()
    };
    out.push('[');
    let last_dim = dim + 1 == t.ndim();
    for (k, entry) in shown.iter().enumerate() {
        if k > 0 {
            if last_dim {
                out.push_str(", ");
            } else {
                // a blank line between blocks of 3-d and higher, as numpy does
                out.push(',');
                out.push_str(&"\n".repeat(t.ndim() - dim - 1));
                out.push_str(&" ".repeat(indent + dim + 1));
            }
        }
        match entry {
            Some(i) => write_nested(out, t, dim + 1, offset + i * stride, indent, render, elide),
            None => out.push_str("..."),
        }
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use crate::Tensor;

    #[test]
    fn an_empty_tensor_with_a_huge_axis_prints_elided() {
        let t = Tensor::<f32>::zeros([u32::MAX as usize, 0]);
        let text = t.to_string();
        assert!(text.len() < 200 && text.contains("..."), "{text}");
    }

    #[test]
    fn scalars_vectors_and_empty() {
        assert_eq!(
            Tensor::scalar(1.5f32).to_string(),
            "tensor(1.5000, shape=[], dtype=f32)"
        );
        assert_eq!(
            Tensor::<f64>::from_vec(vec![-1.0, 10.0], [2])
                .unwrap()
                .to_string(),
            "tensor([-1.0000, 10.0000], shape=[2], dtype=f64)"
        );
        assert_eq!(
            Tensor::<f64>::zeros([0]).to_string(),
            "tensor([], shape=[0], dtype=f64)"
        );
    }

    #[test]
    fn large_tensors_are_elided() {
        let t = Tensor::<f64>::arange(0.0, 2000.0, 1.0);
        let s = t.to_string();
        assert!(s.contains("2.0000, ..., 1997.0000"), "{s}");
        assert!(s.len() < 200);
    }

    #[test]
    fn tiny_and_huge_values_switch_to_scientific() {
        let t = Tensor::<f64>::from_vec(vec![1e-7, 1.0], [2]).unwrap();
        assert!(t.to_string().contains("1.0000e-7"), "{t}");
    }
}
