//! # nn: neural networks from differentiable primitives
//!
//! Everything here is built from [`autograd`] operations, with no hand-written backward code:
//! each layer or loss is the formula, written once over [`Real`](autograd::Real) so that it
//! runs on plain numbers (inference) and on tape variables (training).
//!
//! It holds the perceptron and Rosenblatt's rule; activations, softmax, losses and
//! regularisers; parameters outside the tape and the layers built on them (`Dense`, `Mlp`,
//! `Sequential`, and micrograd's neuron-by-neuron `ScalarMlp`); initialisers; optimisers
//! (SGD with momentum, Adam, AdamW, schedules, gradient clipping); data sets, loaders and
//! metrics; a training loop; and safetensors weights. The example below is micrograd's MLP on
//! scalars; the README's first example trains a tensor `Mlp`.
//!
//! ```
//! use autograd::Tape;
//! use nn::{Activation, ScalarMlp, losses, regularizers};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let model = ScalarMlp::new(2, &[4, 1], Activation::Relu, &mut rng);
//! let tape = Tape::new();
//! let params = model.param_vars(&tape);
//! let x = [tape.constant(0.5), tape.constant(-1.0)];
//! let score = model.forward(&params, &x)[0];
//! let loss = losses::hinge(score, 1.0) + 1e-4 * regularizers::sum_of_squares(&params);
//! let grads = loss.backward();
//! assert_eq!(grads.wrt_all(&params).len(), model.num_parameters());
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod activations;
mod conv;
pub mod data;
mod dropout;
mod embedding;
mod error;
pub mod init;
mod input;
mod layers;
pub mod losses;
mod module;
mod norm;
pub mod optim;
pub mod perceptron;
pub mod regularizers;
mod scalar_mlp;
pub mod softmax;
mod summary;
pub mod train;
pub mod weights;

pub use activations::Activation;
pub use conv::{AvgPool2d, Conv1d, Conv2d, Flatten, GlobalAvgPool2d, MaxPool2d};
pub use dropout::Dropout;
pub use embedding::Embedding;
pub use error::{Error, Result};
pub use input::Input;
pub use layers::{Dense, Mlp, Sequential};
pub use module::{Bound, Mode, Module, ParamId, Parameters};
pub use norm::{BatchNorm1d, BatchNorm2d, LayerNorm};
pub use perceptron::Perceptron;
pub use scalar_mlp::ScalarMlp;
pub use summary::{Summary, SummaryRow};
