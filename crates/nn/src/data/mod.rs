//! Data: datasets of `(x, d)` pairs, mini-batches, splits, standardisation, one-hot
//! encoding, metrics, and generated toy sets.

mod dataset;
mod encoding;
mod metrics;
mod moons;

pub use dataset::{Dataset, Standardizer};
pub use encoding::{classes_of, one_hot};
pub use metrics::{ConfusionMatrix, accuracy};
pub use moons::{Moons, two_moons};
