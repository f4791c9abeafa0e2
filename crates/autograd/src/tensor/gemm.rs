//! One of the crate's two `unsafe` modules (with `vector_math.rs`): calls into
//! `matrixmultiply`'s `sgemm`/`dgemm`.
//!
//! Why: the plain i-k-j loop reaches 9 GFLOP/s at n = 256 in f32; matrixmultiply's packed
//! AVX2/FMA kernels reach about 100-130 GFLOP/s in f32 and 45-60 in f64 on the project's
//! 2-core machine (`benches/tensor.rs`, `docs/PERFORMANCE.md`). Its API takes raw pointers
//! and strides, so the call is `unsafe`.
//!
//! Invariants, checked before each call by [`check`] with checked arithmetic (a violation
//! panics, never reaches the kernel; an offset that would overflow counts as a violation):
//! - every element the kernel reads, `a[i·rsa + p·csa]` for `i < m`, `p < k` (and likewise
//!   for `b` over `k × n`), lies inside its slice;
//! - every element it writes, `c[i·n + j]`, lies inside `c`, which is row-major `m × n`;
//! - `c` does not overlap `a` or `b`: guaranteed by the borrow checker (`&mut` vs `&`).
//!
//! Strides are in elements and non-negative, so a transposed operand is the same slice read
//! with its strides swapped: no copy.

#![allow(unsafe_code)]

use crate::dtype::{ByDtype, Float};
use crate::tensor::families::{Slices, SlicesMut};

/// A matrix operand: its elements and the strides of its rows and columns.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a, T> {
    pub(crate) data: &'a [T],
    pub(crate) row_stride: usize,
    pub(crate) col_stride: usize,
}

impl<'a, T> Operand<'a, T> {
    pub(crate) fn new(data: &'a [T], [row_stride, col_stride]: [usize; 2]) -> Self {
        Operand {
            data,
            row_stride,
            col_stride,
        }
    }
}

/// Panics unless every element of a `rows × cols` operand lies inside its slice, and every
/// stride fits in `isize` (the kernel's type). Checked arithmetic: an offset that would
/// overflow `usize` is an overrun, never a wrap.
fn check<T>(name: &str, operand: &Operand<'_, T>, rows: usize, cols: usize) {
    if rows == 0 || cols == 0 {
        return;
    }
    let last = (rows - 1)
        .checked_mul(operand.row_stride)
        .zip((cols - 1).checked_mul(operand.col_stride))
        .and_then(|(r, c)| r.checked_add(c));
    let fits_isize =
        isize::try_from(operand.row_stride).is_ok() && isize::try_from(operand.col_stride).is_ok();
    assert!(
        fits_isize && last.is_some_and(|last| last < operand.data.len()),
        "gemm: operand {name} ({rows} × {cols}, strides {}, {}) overruns its {} elements",
        operand.row_stride,
        operand.col_stride,
        operand.data.len()
    );
}

macro_rules! checked_gemm {
    ($name:ident, $t:ty, $kernel:path) => {
        /// `c = a · b` for an `m × k` operand `a`, a `k × n` operand `b` and a row-major
        /// `m × n` output `c` (overwritten).
        pub(crate) fn $name(
            m: usize,
            k: usize,
            n: usize,
            a: Operand<'_, $t>,
            b: Operand<'_, $t>,
            c: &mut [$t],
        ) {
            check("a", &a, m, k);
            check("b", &b, k, n);
            assert!(
                m.checked_mul(n).is_some_and(|mn| c.len() >= mn) && isize::try_from(n).is_ok(),
                "gemm: output holds {} < {m} × {n}",
                c.len()
            );
            if m == 0 || n == 0 {
                return;
            }
            // Checked above: every stride fits.
            let stride = |s: usize| s as isize;
            // SAFETY: `check` proved every element read from `a` and `b` in bounds and the
            // assert every element written to `c`; `c` is borrowed mutably, so it overlaps
            // neither input. With k = 0 the kernel only scales `c` by beta = 0.
            unsafe {
                $kernel(
                    m,
                    k,
                    n,
                    1.0,
                    a.data.as_ptr(),
                    stride(a.row_stride),
                    stride(a.col_stride),
                    b.data.as_ptr(),
                    stride(b.row_stride),
                    stride(b.col_stride),
                    0.0,
                    c.as_mut_ptr(),
                    stride(n),
                    1,
                );
            }
        }
    };
}

checked_gemm!(sgemm, f32, matrixmultiply::sgemm);
checked_gemm!(dgemm, f64, matrixmultiply::dgemm);

/// `c = a · b` with the kernel of `F`: `a` is `m × k` read with strides `[row, column]`, `b`
/// is `k × n`, `c` is row-major `m × n`. The dtype is picked through the seam of
/// `dtype/mod.rs`, resolved at compile time.
pub(crate) fn gemm<F: Float>(
    [m, k, n]: [usize; 3],
    a: &[F],
    a_strides: [usize; 2],
    b: &[F],
    b_strides: [usize; 2],
    c: &mut [F],
) {
    match (
        F::split::<Slices<'_>>(a),
        F::split::<Slices<'_>>(b),
        F::split::<SlicesMut<'_>>(c),
    ) {
        (ByDtype::F32(a), ByDtype::F32(b), ByDtype::F32(c)) => sgemm(
            m,
            k,
            n,
            Operand::new(a, a_strides),
            Operand::new(b, b_strides),
            c,
        ),
        (ByDtype::F64(a), ByDtype::F64(b), ByDtype::F64(c)) => dgemm(
            m,
            k,
            n,
            Operand::new(a, a_strides),
            Operand::new(b, b_strides),
            c,
        ),
        _ => unreachable!("the three operands have one element type"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposed_operands_through_strides() {
        // a = [[1, 2], [3, 4]] stored row-major; read as aᵀ by swapping strides
        let a = [1.0, 2.0, 3.0, 4.0];
        let eye = [1.0, 0.0, 0.0, 1.0];
        let mut c = [0.0; 4];
        let at = Operand {
            data: &a,
            row_stride: 1,
            col_stride: 2,
        };
        let id = Operand {
            data: &eye,
            row_stride: 2,
            col_stride: 1,
        };
        dgemm(2, 2, 2, at, id, &mut c);
        assert_eq!(c, [1.0, 3.0, 2.0, 4.0]);
    }

    #[test]
    #[should_panic(expected = "overruns")]
    fn an_operand_too_short_is_refused_before_the_kernel() {
        let a = [1.0f32; 3];
        let mut c = [0.0f32; 4];
        let op = Operand {
            data: &a,
            row_stride: 2,
            col_stride: 1,
        };
        sgemm(2, 2, 2, op, op, &mut c);
    }
}
