//! # autograd: reverse-mode automatic differentiation on a tape
//!
//! Every operation on a [`Var`] is recorded on a [`Tape`], an append-only list of nodes in
//! topological order (a Wengert list). [`Var::backward`] replays the chain rule in one reverse
//! loop over the tape and returns the gradients in a store, [`Gradients`]:
//!
//! ```
//! use autograd::Tape;
//!
//! let tape = Tape::new();
//! let a = tape.var(3.0);
//! let b = tape.var(-2.0);
//! let c = (a * b + a.exp() / 2.0).tanh() - b.powi(3);
//! let grads = c.backward();
//! let dc_da: f64 = grads.wrt(a);
//!
//! // By hand: with u = ab + e^a/2, dc/da = (1 - tanh² u)(b + e^a/2)
//! let u = 3.0 * -2.0 + 3f64.exp() / 2.0;
//! assert!((dc_da - (1.0 - u.tanh().powi(2)) * (-2.0 + 3f64.exp() / 2.0)).abs() < 1e-12);
//! ```
//!
//! The backward pass can itself be recorded ([`Var::backward_graph`]), so gradients are
//! variables and can be differentiated again; and every derivative can be checked against
//! finite differences with [`check_gradients`] and [`check_second_order`]:
//!
//! ```
//! use autograd::{check_gradients, check_second_order, GradCheck, Real};
//!
//! // Written once over `Real`: runs on plain numbers and on tape variables.
//! fn f<R: Real + Copy>(x: &[R]) -> R {
//!     (x[0] * x[1]).sin() + x[0].powi(3)
//! }
//! assert_eq!(f(&[0.0, 1.0]), 0.0);
//! check_gradients(|x| f(x), &[0.5, -1.5], &GradCheck::default()).unwrap();
//! check_second_order(|x| f(x), &[0.5, -1.5], &GradCheck::second_order()).unwrap();
//! ```
//!
//! The same tape records n-d [`Tensor`]s of `f32` or `f64` ([`TensorVar`] handles), with numpy
//! broadcasting; scalars and tensors mix, and a one-element tensor can be the root:
//!
//! ```
//! use autograd::{Tape, Tensor};
//!
//! // a linear layer with a squared error: L = mean((x Wᵀ + b − y)²)
//! let tape = Tape::new();
//! let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [2, 2]).unwrap());
//! let y = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 0.0], [2, 1]).unwrap());
//! let w = tape.tensor(Tensor::<f64>::zeros([1, 2]));
//! let b = tape.var(0.5); // a scalar, broadcast like a 0-d tensor
//! let loss = (x.matmul(w.transpose()) + b - y).powi(2).mean();
//! assert_eq!(loss.value().item().unwrap(), 0.25);
//! let grads = loss.backward();
//! // ∂L/∂W = 2/N Σ (x w + b − y) x = [(−0.5·1 + 0.5·3), (−0.5·2 + 0.5·4)]
//! assert_eq!(grads.wrt(w).to_vec(), vec![1.0, 1.0]);
//! assert_eq!(grads.wrt(b), 0.0);
//! ```
//!
//! The design (the tape, the op table, how to add an op in one place, scalars and tensors on
//! one engine) is written down in `docs/ARCHITECTURE.md`.

// `unsafe` is denied everywhere but in `tensor/gemm/` (the GEMM kernels and driver),
// `tensor/vector_math/` (loops compiled for a CPU feature, called once it is detected) and
// `tensor/parallel.rs` (a buffer written by parts, its length set once all have), where it
// is isolated and its invariants are written down and checked.
#![deny(unsafe_code)]
#![warn(missing_docs)]

// The layers, bottom to top (docs/ARCHITECTURE.md): each uses only those above it here.
mod autodiff;
mod check;
mod debug;
mod dtype;
mod error;
pub mod ops;
mod shape;
mod tape;
mod tensor;
mod threads;
mod var;

pub use autodiff::derivatives::{hessian, hvp, jacobian, jvp, tensor_fn, vjp};
pub use autodiff::forward::{Direction, Tangents};
pub use autodiff::gradients::{GradientGraph, Gradients, Variable};
pub use check::scalar::{
    DerivativeCheck, GradCheck, GradCheckReport, check_gradients, check_second_order,
    scalar_function,
};
pub use check::tensor::{
    check_tensor_gradients, check_tensor_hessian_vector, check_tensor_jvp, tensor_function,
};
pub use debug::explain::{ChainStep, Explanation};
pub use debug::graph::Graph;
pub use dtype::DType;
pub use dtype::Float;
#[doc(hidden)]
pub use dtype::{ByDtype, Family};
pub use error::{Error, OrPanic, Result};
pub use ops::real::Real;
pub use ops::{Binary, Constant, Domain, NodeId, Op, Param, Unary};
pub use shape::Shape;
pub use tape::Tape;
pub use tape::watch::{Anomaly, Found};
pub use tensor::{ConvOptions, Tensor, Window2d};
pub use threads::{num_threads, set_num_threads};
pub use var::TensorVar;
pub use var::Var;
