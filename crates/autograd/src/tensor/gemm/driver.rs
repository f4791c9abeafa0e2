//! The blocked product around a micro-kernel: the loops over blocks of `k`, `m` and `n`, and
//! the packing of A and B into the panels the kernel reads (BLIS's scheme, with the roles of
//! A and B as our row-major kernels want them).
//!
//! For each block of `kc` steps of `k`: pack up to `MC` rows of A into `mr`-row panels, then
//! for each block of `nc` columns of B pack it into `nr`-column panels (`kc × nc`: L2), and
//! for each A panel (`mr × kc`: stays in L1) sweep the B panels with the kernel. The first
//! block of `k` writes C, the others add to it; a tile cut by the edge of C is computed into
//! a buffer and its live part copied. Packing reads any strides (a transposed operand costs
//! nothing extra) and pads with zeros; the buffers are kept per thread, so a warm loop does
//! not allocate.

#![allow(unsafe_code)]

use std::cell::RefCell;

use super::Operand;
use super::kernels::{MAX_TILE, Micro};
use crate::dtype::Float;

/// Rows of A packed at once, at most: bounds the packed buffer (`MC × kc`) for tall A.
const MC: usize = 4096;

/// Where the product goes: row-major with rows `ldc` apart. Threads share one, each writing
/// its own rectangle.
#[derive(Clone, Copy)]
pub(super) struct Out<T> {
    pub(super) ptr: *mut T,
    pub(super) ldc: usize,
}

// SAFETY: an `Out` is only an address; the callers of `product` hand each thread a disjoint
// rectangle of it (`gemm/mod.rs`), so no element is written by two threads, and the buffer
// outlives the threads (they are joined before the output is returned).
unsafe impl<T: Send> Send for Out<T> {}
// SAFETY: as above: the shared address is never used to write one element from two threads.
unsafe impl<T: Send> Sync for Out<T> {}

impl<T> Out<T> {
    /// The output from row `i`, column `j` on.
    pub(super) fn at(self, i: usize, j: usize) -> Out<T> {
        Out {
            // (wrapping: computing the address is safe; it is only used where in bounds)
            ptr: self.ptr.wrapping_add(i * self.ldc + j),
            ldc: self.ldc,
        }
    }
}

/// The element types with packing buffers kept per thread.
pub(super) trait Packable: Float {
    /// `f(a_buffer, b_buffer)` with this thread's buffers (fresh ones if they are in use).
    fn with_buffers<R>(f: impl FnOnce(&mut Vec<Self>, &mut Vec<Self>) -> R) -> R;
}

macro_rules! packable {
    ($t:ty) => {
        impl Packable for $t {
            fn with_buffers<R>(f: impl FnOnce(&mut Vec<$t>, &mut Vec<$t>) -> R) -> R {
                thread_local! {
                    static BUFFERS: RefCell<(Vec<$t>, Vec<$t>)> =
                        const { RefCell::new((Vec::new(), Vec::new())) };
                }
                BUFFERS.with(|cell| match cell.try_borrow_mut() {
                    Ok(mut buffers) => {
                        let (a, b) = &mut *buffers;
                        f(a, b)
                    }
                    Err(_) => f(&mut Vec::new(), &mut Vec::new()),
                })
            }
        }
    };
}
packable!(f32);
packable!(f64);

/// `len` elements of `buffer` starting on a 64-byte boundary (a cache line, and the alignment
/// of an AVX-512 load), the buffer grown as needed.
fn aligned<T: Float>(buffer: &mut Vec<T>, len: usize) -> &mut [T] {
    let slack = 64 / std::mem::size_of::<T>();
    let need = len
        .checked_add(slack)
        .expect("a packed panel's size fits in memory");
    if buffer.len() < need {
        buffer.resize(need, T::ZERO);
    }
    let skip = buffer.as_ptr().align_offset(64).min(slack);
    &mut buffer[skip..skip + len]
}

/// `c = a · b` for `m × k` by `k × n` operands (checked in bounds by the caller), every
/// element of the `m × n` rectangle at `c` written.
///
/// # Safety
/// The CPU runs `micro`'s instruction set; `c.ptr + i · c.ldc + j` is valid for writes for
/// `i < m`, `j < n`, and no other thread touches those elements during the call.
pub(super) unsafe fn product<T: Packable>(
    micro: &Micro<T>,
    [m, k, n]: [usize; 3],
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: Out<T>,
) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        for i in 0..m {
            for j in 0..n {
                // SAFETY: i < m, j < n (the caller's contract).
                unsafe { c.at(i, j).ptr.write(T::ZERO) };
            }
        }
        return;
    }
    let (mr, nr) = (micro.mr, micro.nr);
    T::with_buffers(|a_buffer, b_buffer| {
        for pc in (0..k).step_by(micro.kc) {
            let kc = micro.kc.min(k - pc);
            let accumulate = pc > 0;
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                let a_panels = mc.div_ceil(mr);
                let packed_a = aligned(a_buffer, a_panels * mr * kc);
                pack_a(&a, ic..ic + mc, pc..pc + kc, mr, packed_a);
                for jc in (0..n).step_by(micro.nc) {
                    let nc = micro.nc.min(n - jc);
                    let b_panels = nc.div_ceil(nr);
                    let packed_b = aligned(b_buffer, b_panels * nr * kc);
                    pack_b(&b, pc..pc + kc, jc..jc + nc, nr, packed_b);
                    for (ir, a_panel) in packed_a.chunks_exact(mr * kc).enumerate() {
                        let i = ic + ir * mr;
                        let rows = mr.min(m - i);
                        for (jr, b_panel) in packed_b.chunks_exact(nr * kc).enumerate() {
                            let j = jc + jr * nr;
                            let cols = nr.min(n - j);
                            // SAFETY: the panels hold mr·kc and nr·kc elements (chunks of
                            // those sizes); the tile's rows < m and columns < n are the
                            // caller's to write, and with `accumulate` they were written by
                            // the block of k before this one.
                            unsafe {
                                tile(
                                    micro,
                                    kc,
                                    (a_panel, b_panel),
                                    c.at(i, j),
                                    [rows, cols],
                                    accumulate,
                                )
                            };
                        }
                    }
                }
            }
        }
    });
}

/// One tile: straight into C when whole, through a buffer when cut by C's edge.
///
/// # Safety
/// As [`product`], for the `rows × cols` rectangle at `c`; the panels hold `mr · kc` and
/// `nr · kc` elements.
unsafe fn tile<T: Float>(
    micro: &Micro<T>,
    kc: usize,
    (a_panel, b_panel): (&[T], &[T]),
    c: Out<T>,
    [rows, cols]: [usize; 2],
    accumulate: bool,
) {
    let (a, b) = (a_panel.as_ptr(), b_panel.as_ptr());
    if rows == micro.mr && cols == micro.nr {
        // SAFETY: the caller's contract: the panels' sizes, and the whole tile is C's.
        unsafe { (micro.kernel)(kc, a, b, c.ptr, c.ldc, accumulate) };
        return;
    }
    let mut buffer = [T::ZERO; MAX_TILE];
    // SAFETY: the buffer holds mr·nr ≤ MAX_TILE elements, row stride nr, written only.
    unsafe { (micro.kernel)(kc, a, b, buffer.as_mut_ptr(), micro.nr, false) };
    for (r, row) in buffer.chunks_exact(micro.nr).take(rows).enumerate() {
        for (j, &value) in row[..cols].iter().enumerate() {
            let out = c.at(r, j).ptr;
            // SAFETY: r < rows, j < cols: C's elements (initialised when accumulating).
            unsafe {
                out.write(if accumulate {
                    out.read() + value
                } else {
                    value
                })
            };
        }
    }
}

/// Rows `rows` × columns `cols` of `a` into `mr`-row panels: for each step `p`, the panel's
/// `mr` elements `a[i][p]` one after another; rows past the end are zeros.
fn pack_a<T: Float>(
    a: &Operand<'_, T>,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    mr: usize,
    packed: &mut [T],
) {
    let kc = cols.len();
    let (rs, cs) = (a.row_stride, a.col_stride);
    for (panel, out) in packed.chunks_exact_mut(mr * kc).enumerate() {
        let i0 = rows.start + panel * mr;
        let live = mr.min(rows.end - i0);
        if live < mr {
            out.fill(T::ZERO);
        }
        if cs == 1 {
            // row-major: each row is contiguous; scatter it down the panel
            for r in 0..live {
                let start = (i0 + r) * rs + cols.start;
                for (p, &x) in a.data[start..start + kc].iter().enumerate() {
                    out[p * mr + r] = x;
                }
            }
        } else if rs == 1 {
            // transposed: each step's column is contiguous
            for p in 0..kc {
                let start = (cols.start + p) * cs + i0;
                out[p * mr..p * mr + live].copy_from_slice(&a.data[start..start + live]);
            }
        } else {
            for p in 0..kc {
                for r in 0..live {
                    out[p * mr + r] = a.data[(i0 + r) * rs + (cols.start + p) * cs];
                }
            }
        }
    }
}

/// Rows `rows` × columns `cols` of `b` into `nr`-column panels: for each step `p`, the
/// panel's `nr` elements `b[p][j]` one after another; columns past the end are zeros.
fn pack_b<T: Float>(
    b: &Operand<'_, T>,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    nr: usize,
    packed: &mut [T],
) {
    let kc = rows.len();
    let (rs, cs) = (b.row_stride, b.col_stride);
    for (panel, out) in packed.chunks_exact_mut(nr * kc).enumerate() {
        let j0 = cols.start + panel * nr;
        let live = nr.min(cols.end - j0);
        if live < nr {
            out.fill(T::ZERO);
        }
        if cs == 1 {
            for p in 0..kc {
                let start = (rows.start + p) * rs + j0;
                out[p * nr..p * nr + live].copy_from_slice(&b.data[start..start + live]);
            }
        } else if rs == 1 {
            for j in 0..live {
                let start = (j0 + j) * cs + rows.start;
                for (p, &x) in b.data[start..start + kc].iter().enumerate() {
                    out[p * nr + j] = x;
                }
            }
        } else {
            for p in 0..kc {
                for j in 0..live {
                    out[p * nr + j] = b.data[(rows.start + p) * rs + (j0 + j) * cs];
                }
            }
        }
    }
}
