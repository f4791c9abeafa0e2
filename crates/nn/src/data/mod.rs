//! Data: datasets of `(x, d)` pairs, mini-batches, splits, standardisation, one-hot
//! encoding, metrics, loaders for CSV (gzip too) and IDX files, and generated toy sets.

mod csv;
mod dataset;
mod encoding;
mod file;
mod idx;
mod indices;
mod metrics;
mod moons;
mod samples;
mod shapes;

pub use csv::{
    Csv, Header, LabelColumn, LabelledCsv, parse_csv, parse_labelled_csv, read_csv, read_csv_with,
    read_labelled_csv, read_labelled_csv_with,
};
pub use dataset::{Batches, Dataset, Standardizer};
pub(crate) use encoding::{check_label, classes_in, labels_to_classes};
pub use encoding::{class_indices, classes_of, one_hot, try_classes_of, try_one_hot};
pub use file::{Limits, read_bytes, read_bytes_with};
pub use idx::{parse_idx, read_idx, read_idx_classification, read_idx_with};
pub use indices::Indices;
pub use metrics::{ConfusionMatrix, accuracy, try_accuracy};
pub use moons::{Moons, two_moons};
pub use samples::Samples;
pub use shapes::{TwoClasses, circles, spirals};
