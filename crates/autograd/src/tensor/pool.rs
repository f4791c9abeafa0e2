//! A cache of large tensor buffers: when a tensor's storage is dropped, a buffer of 32 KiB
//! or more is kept (emptied) instead of returned to the allocator, and the next tensor that
//! needs about as much takes it.
//!
//! Why: a training step allocates the same large buffers every time (activations, their
//! gradients, GEMM outputs), and the allocator hands buffers this large back to the system
//! (`munmap`, or trimming the heap) when they are freed, so every step page-faulted them in
//! again: 15-18 % of the f32 B = 1024 MLP step went to page faults and zeroing fresh pages
//! (perf). Warm, a loop now takes its buffers from here. (From 256 KiB, the digits conv
//! net's step, whose activations are 32-128 KiB, still took 167 page faults a step; from
//! 32 KiB, 3, and the step ran 5-12 % faster in four interleaved rounds.)
//!
//! Bounds: a buffer is reused only for a request of at least 3/4 of its capacity (so a small
//! tensor never pins a large buffer), the cache holds at most [`CAPACITY_BYTES`] and
//! [`CAPACITY_BUFFERS`] (the oldest buffers go first; the count bounds each lookup's scan),
//! and it is shared by all threads behind one lock (taken once per large allocation, not
//! per element).

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

use crate::dtype::{ByDtype, Float};
use crate::tensor::families::Vecs;

/// Buffers smaller than this go straight to and from the allocator (which serves them from
/// its own free lists without faulting).
const MIN_BYTES: usize = 32 << 10;

/// The most the cache holds, in bytes.
const CAPACITY_BYTES: usize = 512 << 20;

/// The most buffers the cache holds (a training step's working set is far fewer).
const CAPACITY_BUFFERS: usize = 256;

/// Kept buffers of one element type, oldest first, and their total size in bytes.
struct Shelf<T> {
    buffers: Vec<Vec<T>>,
    bytes: usize,
}

impl<T> Shelf<T> {
    const fn new() -> Self {
        Shelf {
            buffers: Vec::new(),
            bytes: 0,
        }
    }

    /// The kept buffer with the least capacity that holds `capacity` elements and is not
    /// more than 4/3 of it, taken off the shelf.
    fn take(&mut self, capacity: usize) -> Option<Vec<T>> {
        let largest = capacity.saturating_add(capacity / 3);
        let (index, _) = self
            .buffers
            .iter()
            .enumerate()
            .filter(|(_, b)| (capacity..=largest).contains(&b.capacity()))
            .min_by_key(|(_, b)| b.capacity())?;
        let buffer = self.buffers.remove(index);
        self.bytes -= bytes_of(&buffer);
        Some(buffer)
    }

    /// Keeps `buffer` (emptied), dropping the oldest kept ones past the capacity (bytes or
    /// count).
    fn keep(&mut self, mut buffer: Vec<T>) {
        buffer.clear();
        self.bytes += bytes_of(&buffer);
        self.buffers.push(buffer);
        while self.bytes > CAPACITY_BYTES || self.buffers.len() > CAPACITY_BUFFERS {
            let oldest = self.buffers.remove(0);
            self.bytes -= bytes_of(&oldest);
        }
    }
}

fn bytes_of<T>(buffer: &Vec<T>) -> usize {
    buffer.capacity() * std::mem::size_of::<T>()
}

static F32: Mutex<Shelf<f32>> = Mutex::new(Shelf::new());
static F64: Mutex<Shelf<f64>> = Mutex::new(Shelf::new());

/// An empty buffer with room for at least `capacity` elements: a kept one if one fits, else
/// `None` (the caller allocates, and reports a refusal as its own error).
pub(crate) fn take<T: Float>(capacity: usize) -> Option<Vec<T>> {
    if capacity.saturating_mul(std::mem::size_of::<T>()) < MIN_BYTES {
        return None;
    }
    // (a poisoned lock only means a panic elsewhere while it was held: the shelf is whole)
    match T::split::<Vecs>(Vec::new()) {
        ByDtype::F32(_) => {
            let found = F32
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take(capacity)?;
            T::join_f32::<Vecs>(found)
        }
        ByDtype::F64(_) => {
            let found = F64
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take(capacity)?;
            T::join_f64::<Vecs>(found)
        }
    }
}

/// Gives `buffer` to the cache if it is large enough to be worth keeping.
fn give<T: Float>(buffer: Vec<T>) {
    if bytes_of(&buffer) < MIN_BYTES {
        return;
    }
    match T::split::<Vecs>(buffer) {
        ByDtype::F32(b) => F32.lock().unwrap_or_else(|e| e.into_inner()).keep(b),
        ByDtype::F64(b) => F64.lock().unwrap_or_else(|e| e.into_inner()).keep(b),
    }
}

/// A tensor's storage: a `Vec` that goes back to the cache when dropped.
#[derive(Debug, Default)]
pub(crate) struct Buffer<T: Float>(Vec<T>);

impl<T: Float> Buffer<T> {
    pub(crate) fn new(data: Vec<T>) -> Self {
        Buffer(data)
    }

    /// The elements, not returned to the cache.
    pub(crate) fn into_inner(mut self) -> Vec<T> {
        std::mem::take(&mut self.0)
    }
}

impl<T: Float> Drop for Buffer<T> {
    fn drop(&mut self) {
        give(std::mem::take(&mut self.0));
    }
}

impl<T: Float> Clone for Buffer<T> {
    fn clone(&self) -> Self {
        let mut copy = take(self.0.len()).unwrap_or_else(|| Vec::with_capacity(self.0.len()));
        copy.extend_from_slice(&self.0);
        Buffer(copy)
    }
}

impl<T: Float> Deref for Buffer<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Float> DerefMut for Buffer<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shelf_reuses_the_closest_fit_and_stays_within_its_capacity() {
        let mut shelf = Shelf::<f32>::new();
        shelf.keep(Vec::with_capacity(1000));
        shelf.keep(Vec::with_capacity(1200));
        shelf.keep(vec![1.0; 10]);
        // 900 fits the 1000 (≤ 4/3 · 900 = 1200: both fit, the smaller is taken)
        let b = shelf.take(900).unwrap();
        assert_eq!((b.capacity(), b.len()), (1000, 0));
        // too small a request for what is left (1200 > 4/3 · 100), too large for all
        assert!(shelf.take(100).is_none());
        assert!(shelf.take(5000).is_none());
        assert_eq!(shelf.take(1100).unwrap().capacity(), 1200);
        // kept buffers are emptied
        assert_eq!(shelf.take(10).unwrap().len(), 0);
        assert_eq!(shelf.bytes, 0);
        // past the capacity the oldest go
        let big = CAPACITY_BYTES / 4 / 2 + 1; // elements: half the capacity in bytes, plus
        shelf.keep(Vec::with_capacity(big));
        shelf.keep(Vec::with_capacity(big + 1));
        assert_eq!(shelf.buffers.len(), 1);
        assert!(shelf.bytes <= CAPACITY_BYTES);
        // and past the count
        for _ in 0..CAPACITY_BUFFERS + 10 {
            shelf.keep(Vec::with_capacity(16));
        }
        assert_eq!(shelf.buffers.len(), CAPACITY_BUFFERS);
        assert_eq!(shelf.buffers[0].capacity(), 16, "the large one went first");
    }

    #[test]
    fn a_dropped_large_buffer_is_taken_again() {
        // a size no other test asks for (24 MB of f64)
        let n = 3_000_017;
        let buffer = Buffer::new(vec![1.0f64; n]);
        let address = buffer.as_ptr() as usize;
        drop(buffer);
        let again = take::<f64>(n).expect("the buffer just dropped");
        assert!(again.is_empty() && again.capacity() >= n);
        assert_eq!(again.as_ptr() as usize, address);
        // `into_inner` hands the elements out of the cache's reach
        let kept = Buffer::new(again).into_inner();
        assert!(take::<f64>(n).is_none());
        drop(kept);
        assert!(
            take::<f32>(10).is_none(),
            "small requests are the allocator's"
        );
    }
}
