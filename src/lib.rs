//! # learngrad
//!
//! The thin root of the workspace: it re-exports [`autograd`] (the tape and reverse-mode
//! differentiation) and [`nn`] (neural networks built from its primitives), so the examples
//! and benchmarks at the root can use both.
//!
//! ```
//! use learngrad::autograd::Tape;
//!
//! let tape = Tape::new();
//! let x = tape.var(2.0);
//! assert_eq!((x * x).backward().wrt(x), 4.0);
//! ```

pub use autograd;
pub use nn;
