//! The blocked product around a micro-kernel: the loops over blocks of `k`, `m` and `n`, and
//! the packing of A and B into the panels the kernel reads (BLIS's scheme, with the roles of
//! A and B as our row-major kernels want them).
//!
//! For each block of `kc` steps of `k`: pack up to `MC` rows of A into `mr`-row panels, then
//! for each block of `nc` columns of B pack it into `nr`-column panels (`kc × nc`: L2), and
//! for each A panel (`mr × kc`: stays in L1) sweep the B panels with the kernel. The first
//! block of `k` writes C, the others add to it; a tile cut by the edge of C runs the kernel
//! for its row count, with its columns stored under a mask. Packing reads any strides (a transposed operand costs
//! nothing extra) and pads with zeros; the buffers are kept per thread, so a warm loop does
//! not allocate.

#![allow(unsafe_code)]

use std::cell::RefCell;

use super::Operand;
use super::kernels::{Micro, group};
use crate::dtype::Float;

/// Rows of A packed at once, at most: bounds the packed buffer (`MC × kc`) for tall A.
const MC: usize = 4096;

/// Rows of A up to which a row-major B is read in place rather than packed: a packed copy
/// pays for itself when more A panels read it, and each kernel call on B in place touches
/// `kc` pages (TLB) where a packed panel touches eight. (At m = 32 in place measured 0.67
/// against 0.84 ms for the f32 products of a B = 32 step in one A/B run, a second run was
/// within the machine's noise; at m = 128 the two did not separate.)
const DIRECT_B_ROWS: usize = 48;

/// Whether rows `stride` elements apart fall in at least 16 of L1's 64 sets (of 64-byte
/// lines): a stride that is a multiple of 1 KiB puts the `kc` rows a kernel reads in place
/// into a few sets, which then evict each other and the A panel (B = [512, 512] in f64: 4 KiB
/// apart, one set; measured slower than packing).
fn spreads_over_l1(stride: usize, dtype: crate::DType) -> bool {
    let bytes = stride.saturating_mul(dtype.size_in_bytes());
    !bytes.is_multiple_of(64) || gcd(bytes / 64, 64) <= 4
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

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
    // k in blocks of at most kc, of nearly equal size (784 = 4 × 196, not 3 × 256 + 16: a
    // 16-step block spends most of its time loading and storing its tile of C)
    let kc_even = k.div_ceil(k.div_ceil(micro.kc));
    // A short A (m ≤ DIRECT_B_ROWS) reads a row-major B where it lies: packing would copy
    // all of B for only m / mr A panels to read
    let direct_b =
        b.col_stride == 1 && m <= DIRECT_B_ROWS && spreads_over_l1(b.row_stride, T::DTYPE);
    T::with_buffers(|a_buffer, b_buffer| {
        for pc in (0..k).step_by(kc_even) {
            let kc = kc_even.min(k - pc);
            let accumulate = pc > 0;
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                let a_panels = mc.div_ceil(mr);
                let packed_a = aligned(a_buffer, a_panels * mr * kc);
                // SAFETY: the CPU runs the micro-kernel's instruction set (our contract).
                unsafe { pack_a(micro, &a, ic..ic + mc, pc..pc + kc, mr, packed_a) };
                for jc in (0..n).step_by(micro.nc) {
                    let nc = micro.nc.min(n - jc);
                    let b_panels = nc.div_ceil(nr);
                    // read in place: the whole panels; packed: the rest (the edge panel)
                    let in_place = if direct_b { nc / nr } else { 0 };
                    let packed_b = aligned(b_buffer, (b_panels - in_place) * nr * kc);
                    if in_place < b_panels {
                        let cols = jc + in_place * nr..jc + nc;
                        // SAFETY: as for `pack_a`.
                        unsafe { pack_b(micro, &b, pc..pc + kc, cols, nr, packed_b) };
                    }
                    for (ir, a_panel) in packed_a.chunks_exact(mr * kc).enumerate() {
                        let i = ic + ir * mr;
                        // (rows of this block only: MC is not a multiple of mr, and the
                        // block's last panel is padded, not the next block's first rows)
                        let rows = mr.min(ic + mc - i);
                        for jr in 0..b_panels {
                            let j = jc + jr * nr;
                            let cols = nr.min(n - j);
                            let b_panel = if jr < in_place {
                                (&b.data[pc * b.row_stride + j..], b.row_stride)
                            } else {
                                (&packed_b[(jr - in_place) * nr * kc..][..nr * kc], nr)
                            };
                            // SAFETY: the A panel holds mr·kc elements (a chunk of that
                            // size), the B panel is checked in `tile`; the tile's rows < m
                            // and columns < n are the caller's to write, and with
                            // `accumulate` they were written by the block of k before this.
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

/// One tile of `rows × cols` (at most `mr × nr`), straight into C: the kernel for that many
/// rows, its columns stored under a mask. The B panel is `(elements, row stride)`: `nr` when
/// packed, B's own row stride when read in place.
///
/// # Safety
/// As [`product`], for the `rows × cols` rectangle at `c`; the A panel holds `mr · kc`
/// elements.
unsafe fn tile<T: Float>(
    micro: &Micro<T>,
    kc: usize,
    (a_panel, (b_panel, ldb)): (&[T], (&[T], usize)),
    c: Out<T>,
    [rows, cols]: [usize; 2],
    accumulate: bool,
) {
    debug_assert!((1..=micro.mr).contains(&rows) && (1..=micro.nr).contains(&cols));
    debug_assert!(a_panel.len() >= micro.mr * kc);
    // the kernel reads `nr` elements of each of the panel's `kc` rows, `ldb` apart
    assert!(
        kc == 0 || (kc - 1) * ldb + micro.nr <= b_panel.len(),
        "gemm: a B panel of {} elements cannot hold {kc} rows {ldb} apart",
        b_panel.len()
    );
    let kernel = micro.by_rows[rows - 1];
    // SAFETY: the caller's contract (the A panel, the rectangle of C) and the assert (the B
    // panel).
    unsafe {
        kernel(
            kc,
            a_panel.as_ptr(),
            (b_panel.as_ptr(), ldb),
            c.ptr,
            c.ldc,
            accumulate,
            cols,
        )
    };
}

/// Rows `rows` × columns `cols` of `a` into `mr`-row panels: for each step `p`, the panel's
/// `mr` elements `a[i][p]` one after another; rows past the end are zeros.
///
/// # Safety
/// The CPU runs `micro`'s instruction set.
unsafe fn pack_a<T: Float>(
    micro: &Micro<T>,
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
            // row-major: each of the panel's rows is contiguous
            // SAFETY: `pack_a`'s contract.
            unsafe { interleave(micro, out, mr, (a.data, i0 * rs + cols.start, rs), live) };
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
/// panel's `nr` elements `b[p][j]` one after another; columns past the end are zeros. The
/// same as packing the rows of `bᵀ` (the same slice, strides swapped) into `nr`-row panels.
///
/// # Safety
/// The CPU runs `micro`'s instruction set.
unsafe fn pack_b<T: Float>(
    micro: &Micro<T>,
    b: &Operand<'_, T>,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    nr: usize,
    packed: &mut [T],
) {
    let transposed = Operand {
        data: b.data,
        row_stride: b.col_stride,
        col_stride: b.row_stride,
    };
    // SAFETY: our contract.
    unsafe { pack_a(micro, &transposed, cols, rows, nr, packed) };
}

/// Lines of `source` laid side by side into a panel `width` wide: line `l` (for `l < live`)
/// starts at `start + l · stride` and its element `p` goes to `panel[p · width + l]`.
///
/// A transpose, done in blocks of one AVX vector a side (8 × 8 f32, 4 × 4 f64) by
/// `micro.transpose`. Element by element, the same copy cost 1.8 ns per element in the
/// B = 32 f64 MLP step (21 % of the step, perf); a group of lines this small also keeps its
/// cache lines in L1 when their stride is a multiple of 4 KiB (a weight matrix of 512
/// columns read transposed), where a 16- or 32-wide panel's lines would all share one L1 set.
///
/// # Safety
/// The CPU runs `micro`'s instruction set (AVX2 or AVX-512: both have AVX).
unsafe fn interleave<T: Float>(
    micro: &Micro<T>,
    panel: &mut [T],
    width: usize,
    (source, start, stride): (&[T], usize, usize),
    live: usize,
) {
    let group = group::<T>();
    let kc = panel.len() / width.max(1);
    for first in (0..live).step_by(group) {
        let count = group.min(live - first);
        let line = |l: usize| &source[start + (first + l) * stride..][..kc];
        let mut p = 0;
        if count == group && width >= first + group {
            // every line of the group holds kc elements (`line` checks the first and the
            // last; those between lie between them, one stride apart)
            let (first_line, last_line) = (line(0), line(group - 1));
            debug_assert!(first_line.len() == kc && last_line.len() == kc);
            // the block's pointer comes from `source` itself, not from the first line's
            // slice: the reads span all the group's lines
            let base = start + first * stride;
            while p + group <= kc {
                let target = &mut panel[p * width + first..][..(group - 1) * width + group];
                // SAFETY: AVX (the caller's contract); the block reads elements p..p+group of
                // lines first..first+group, each inside `source` (checked above), through a
                // pointer derived from all of `source`, and writes `group` rows of `group`
                // at `target`, `width` apart, inside its slice.
                unsafe {
                    (micro.transpose)(
                        source[base + p..].as_ptr(),
                        stride,
                        target.as_mut_ptr(),
                        width,
                    )
                };
                p += group;
            }
        }
        for l in 0..count {
            let line = line(l);
            for (q, &x) in line[p..].iter().enumerate() {
                panel[(p + q) * width + first + l] = x;
            }
        }
    }
}
