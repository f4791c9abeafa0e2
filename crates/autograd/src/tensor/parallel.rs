//! Elementwise passes split over the thread pool (`threads.rs`) when a tensor is large
//! enough: `map` and same-shape `zip` (the forward and backward elementwise ops of a large
//! batch; PyTorch splits these too, above 32 Ki elements) and the optimisers' updates. With
//! the split, the f32 B = 1024 MLP step went from 33.2 to 29.1 ms; the update alone did not
//! measurably gain (it is memory-bound here), but it vectorised once its loop became a
//! function of its own (below).
//!
//! One of the crate's `unsafe` places: [`new_by_parts`] writes a new buffer's spare capacity
//! by parts and sets its length once every part has returned; its callers ([`zip_new`],
//! [`map_new`], the vectorised functions of `vector_math/`) promise that each part writes
//! every slot of its chunk (the chunk and its inputs have one length, and the loop runs over
//! all of it), so all `len` elements are written; if a part panics, the panic reaches the
//! caller before the length is set, and the buffer is dropped empty.

#![allow(unsafe_code)]

use std::mem::MaybeUninit;

use crate::dtype::Float;
use crate::threads;

/// Elements per part below which a pass is not split: at memory speed about 10 µs of one
/// core's work, against the few µs of waking a worker.
const GRAIN: usize = 1 << 16;

/// The chunk length that cuts `len` elements into one part per thread, none below [`GRAIN`].
fn chunk_len(len: usize) -> usize {
    let parts = (len / GRAIN).clamp(1, threads::num_threads());
    len.div_ceil(parts).max(1)
}

/// `x[i] = f(x[i], y[i])` for every `i` (one length: the caller checked the shapes).
pub(crate) fn update<T: Copy + Send + Sync>(x: &mut [T], y: &[T], f: impl Fn(T, T) -> T + Sync) {
    assert_eq!(x.len(), y.len(), "update: one length");
    let chunk = chunk_len(x.len());
    threads::run_chunks(x.chunks_mut(chunk).zip(y.chunks(chunk)), |(x, y)| {
        update_chunk(x, y, &f)
    });
}

/// `x[i] = f(x[i], y[i], &mut s[i], &mut t[i])` for every `i` (one length: the caller
/// checked the shapes): an update that also keeps two numbers of state per element (Adam's
/// moments).
pub(crate) fn update_with_state<T: Copy + Send + Sync>(
    x: &mut [T],
    y: &[T],
    [s, t]: [&mut [T]; 2],
    f: impl Fn(T, T, &mut T, &mut T) -> T + Sync,
) {
    assert!(
        x.len() == y.len() && x.len() == s.len() && x.len() == t.len(),
        "update_with_state: one length"
    );
    let chunk = chunk_len(x.len());
    let parts = x
        .chunks_mut(chunk)
        .zip(y.chunks(chunk))
        .zip(s.chunks_mut(chunk).zip(t.chunks_mut(chunk)));
    threads::run_chunks(parts, |((x, y), (s, t))| {
        update_with_state_chunk(x, y, s, t, &f)
    });
}

// The loops of one part are functions of their own, not inlined into the pool's job: as
// arguments, `&mut [T]` tells the compiler that writing the output cannot change what `f`
// captured, so it keeps those in registers and vectorises (inlined into the job, the SGD
// update reloaded its learning rate every element and ran scalar: perf).

#[inline(never)]
fn update_chunk<T: Copy>(x: &mut [T], y: &[T], f: &impl Fn(T, T) -> T) {
    for (x, &y) in x.iter_mut().zip(y) {
        *x = f(*x, y);
    }
}

#[inline(never)]
fn update_with_state_chunk<T: Copy>(
    x: &mut [T],
    y: &[T],
    s: &mut [T],
    t: &mut [T],
    f: &impl Fn(T, T, &mut T, &mut T) -> T,
) {
    for (((x, &y), s), t) in x.iter_mut().zip(y).zip(s).zip(t) {
        *x = f(*x, y, s, t);
    }
}

#[inline(never)]
fn zip_chunk<T: Copy>(out: &mut [MaybeUninit<T>], x: &[T], y: &[T], f: &impl Fn(T, T) -> T) {
    assert_eq!(
        out.len(),
        x.len(),
        "zip_new: a chunk and its inputs have one length"
    );
    assert_eq!(
        out.len(),
        y.len(),
        "zip_new: a chunk and its inputs have one length"
    );
    for (slot, (&x, &y)) in out.iter_mut().zip(x.iter().zip(y)) {
        slot.write(f(x, y));
    }
}

#[inline(never)]
fn map_chunk<T: Copy>(out: &mut [MaybeUninit<T>], x: &[T], f: &impl Fn(T) -> T) {
    assert_eq!(
        out.len(),
        x.len(),
        "map_new: a chunk and its input have one length"
    );
    for (slot, &x) in out.iter_mut().zip(x) {
        slot.write(f(x));
    }
}

/// A new buffer of `len` elements written by parts over the pool: `fill(chunk, start)` writes
/// the chunk of slots `start..start + chunk.len()`. Never zeroed first; from the buffer cache
/// when large.
///
/// # Safety
/// `fill` must write every slot of each chunk it is given (or panic): the length is set to
/// `len` once every part has returned.
pub(crate) unsafe fn new_by_parts<T: Float>(
    len: usize,
    fill: impl Fn(&mut [MaybeUninit<T>], usize) + Sync,
) -> Vec<T> {
    let mut out = super::pool::take(len).unwrap_or_else(|| Vec::with_capacity(len));
    let chunk = chunk_len(len);
    let slots = out.spare_capacity_mut()[..len]
        .chunks_mut(chunk)
        .enumerate();
    threads::run_chunks(slots, |(i, slots)| fill(slots, i * chunk));
    // SAFETY: `run_chunks` returned, so every part finished without panicking; the parts'
    // chunks cover the first `len` slots (chunks of one split of `len` slots) and each wrote
    // all of its chunk (the caller's promise).
    unsafe { out.set_len(len) };
    out
}

/// A chunk of a new buffer's slots, written front to back: what [`fill_in_order`]'s parts
/// write through. Every method checks its bounds, so a part cannot write past its chunk,
/// and [`fill_in_order`] checks that it wrote all of it.
pub(crate) struct InOrder<'a, T> {
    slots: &'a mut [MaybeUninit<T>],
    written: usize,
}

impl<T: Copy> InOrder<'_, T> {
    /// The next slot.
    #[inline]
    pub(crate) fn push(&mut self, value: T) {
        self.slots[self.written].write(value);
        self.written += 1;
    }

    /// The next `values.len()` slots.
    #[inline]
    pub(crate) fn extend_from_slice(&mut self, values: &[T]) {
        let count = values.len();
        let slots = &mut self.slots[self.written..self.written + count];
        if count <= 16 {
            // a short run (a small image's row) as a few constant-size copies, which compile
            // to moves: a loop of run-time length became a call to memmove (perf: 13 % of
            // LeNet conv2's unfold and fold in those calls)
            let (slots, values) = copy_block::<T, 8>(slots, values);
            let (slots, values) = copy_block::<T, 8>(slots, values);
            let (slots, values) = copy_block::<T, 4>(slots, values);
            let (slots, values) = copy_block::<T, 2>(slots, values);
            copy_block::<T, 1>(slots, values);
        } else {
            for (slot, &v) in slots.iter_mut().zip(values) {
                slot.write(v);
            }
        }
        self.written += count;
    }

    /// The next `count` slots, each `value`.
    #[inline]
    pub(crate) fn fill(&mut self, count: usize, value: T) {
        for slot in &mut self.slots[self.written..self.written + count] {
            slot.write(value);
        }
        self.written += count;
    }
}

/// Copies the first `K` values into the first `K` slots (one length) if there are that
/// many, returning the rest of each: a constant-size copy, which compiles to moves.
#[inline]
fn copy_block<'s, 'v, T: Copy, const K: usize>(
    slots: &'s mut [MaybeUninit<T>],
    values: &'v [T],
) -> (&'s mut [MaybeUninit<T>], &'v [T]) {
    if values.len() < K {
        return (slots, values);
    }
    let (head, rest) = slots.split_at_mut(K);
    let (from, left) = values.split_at(K);
    let head: &mut [MaybeUninit<T>; K] = head.try_into().expect("K slots");
    let from: &[T; K] = from.try_into().expect("K values");
    for (slot, &v) in head.iter_mut().zip(from) {
        slot.write(v);
    }
    (rest, left)
}

/// `out` (empty, with room for `len` elements: [`empty_vec`](super::create::empty_vec)'s)
/// holding `len` elements written front to back by parts over the pool, `chunk` elements a
/// part (the last one shorter): `fill(writer, start)` writes the slots `start..start +
/// chunk` in order. Safe: a part that writes fewer slots than its chunk panics (the buffer
/// is then dropped empty), and one cannot write more. Never zeroed first (the window
/// kernels: a padded image's columns are written once, zeros included).
pub(crate) fn fill_in_order<T: Float>(
    mut out: Vec<T>,
    len: usize,
    chunk: usize,
    fill: impl Fn(&mut InOrder<'_, T>, usize) + Sync,
) -> Vec<T> {
    out.clear();
    let chunk = chunk.max(1);
    let slots = out.spare_capacity_mut()[..len]
        .chunks_mut(chunk)
        .enumerate();
    threads::run_chunks(slots, |(i, slots)| {
        let mut writer = InOrder { slots, written: 0 };
        fill(&mut writer, i * chunk);
        assert_eq!(
            writer.written,
            writer.slots.len(),
            "fill_in_order: a part must write every slot of its chunk"
        );
    });
    // SAFETY: `run_chunks` returned, so every part finished without panicking, and each
    // wrote every slot of its chunk (asserted above: `InOrder` writes slots front to back,
    // and `written` counts them); the chunks cover the first `len` slots.
    unsafe { out.set_len(len) };
    out
}

/// A new buffer of `f(x[i], y[i])` (one length), written once: never zeroed first.
pub(crate) fn zip_new<T: Float>(x: &[T], y: &[T], f: impl Fn(T, T) -> T + Sync) -> Vec<T> {
    assert_eq!(x.len(), y.len(), "zip_new: one length");
    let part = |slots: &mut [MaybeUninit<T>], start: usize| {
        let end = start + slots.len();
        zip_chunk(slots, &x[start..end], &y[start..end], &f)
    };
    // SAFETY: `zip_chunk` writes every slot of its chunk (its inputs have the chunk's length,
    // asserted)
    unsafe { new_by_parts(x.len(), part) }
}

/// A new buffer of `f(x[i])`, written once: never zeroed first.
pub(crate) fn map_new<T: Float>(x: &[T], f: impl Fn(T) -> T + Sync) -> Vec<T> {
    let part = |slots: &mut [MaybeUninit<T>], start: usize| {
        map_chunk(slots, &x[start..start + slots.len()], &f)
    };
    // SAFETY: `map_chunk` writes every slot of its chunk (its input has the chunk's length,
    // asserted)
    unsafe { new_by_parts(x.len(), part) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_passes_split_and_agree_with_the_plain_loop() {
        let n = 5 * GRAIN + 17;
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let y: Vec<f64> = (0..n).map(|i| (i % 7) as f64).collect();
        let expected: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a - 0.5 * b).collect();
        assert_eq!(zip_new(&x, &y, |a, b| a - 0.5 * b), expected);
        let mut z = x.clone();
        update(&mut z, &y, |a, b| a - 0.5 * b);
        let (mut w, mut s, mut t) = (x.clone(), y.clone(), vec![1.0; n]);
        update_with_state(&mut w, &y, [&mut s, &mut t], |w, g, s, t| {
            *s += g;
            *t *= 0.5;
            w - 0.5 * g
        });
        assert_eq!(w, expected);
        assert!(s.iter().zip(&y).all(|(s, y)| *s == 2.0 * y));
        assert!(t.iter().all(|&t| t == 0.5));
        assert_eq!(z, expected);
        assert!(zip_new::<f32>(&[], &[], |a, b| a + b).is_empty());
        let squares: Vec<f64> = x.iter().map(|a| a * a).collect();
        assert_eq!(map_new(&x, |a| a * a), squares);
        assert!(map_new::<f64>(&[], |a| a).is_empty());
    }

    #[test]
    fn in_order_parts_write_their_chunks_and_no_less() {
        let v: Vec<f64> = fill_in_order(Vec::with_capacity(10), 10, 4, |w, start| {
            let len = 4.min(10 - start);
            w.push(start as f64);
            w.fill(len / 2, -1.0);
            let rest: Vec<f64> = (0..len - 1 - len / 2).map(|k| k as f64).collect();
            w.extend_from_slice(&rest);
        });
        let expected = [0.0, -1.0, -1.0, 0.0, 4.0, -1.0, -1.0, 0.0, 8.0, -1.0];
        assert_eq!(v, expected);
        // runs of every length from 0 to 40 (short ones copy by constant-size blocks)
        let values: Vec<f64> = (0..40).map(f64::from).collect();
        let total: usize = (0..=40).sum();
        let runs: Vec<f64> = fill_in_order(Vec::with_capacity(total), total, total, |w, _| {
            for len in 0..=40 {
                w.extend_from_slice(&values[..len]);
            }
        });
        let expected: Vec<f64> = (0..=40).flat_map(|len| values[..len].to_vec()).collect();
        assert_eq!(runs, expected);
        assert!(fill_in_order::<f32>(Vec::new(), 0, 0, |_, _| {}).is_empty());
        let short = std::panic::catch_unwind(|| {
            fill_in_order::<f32>(Vec::with_capacity(3), 3, 3, |w, _| w.push(1.0))
        });
        assert!(short.is_err(), "a part that leaves slots unwritten panics");
    }
}
