//! The one error type of `nn`: each variant carries what a person needs to fix the call.

use thiserror::Error;

/// Everything that can go wrong in `nn`, with the evidence.
///
/// ```
/// use autograd::Tensor;
/// let err = nn::data::Dataset::new(Tensor::<f64>::zeros([3, 2]), Tensor::zeros([4])).unwrap_err();
/// assert_eq!(err.to_string(), "dataset: 3 inputs but 4 targets (the first axis counts samples)");
/// ```
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter set to a value of another shape.
    #[error("parameter {name} has shape {expected}, not {found}")]
    ParameterShape {
        /// The parameter's name.
        name: String,
        /// Its shape.
        expected: autograd::Shape,
        /// The new value's shape.
        found: autograd::Shape,
    },
    /// Inputs and targets with different numbers of samples.
    #[error("dataset: {inputs} inputs but {targets} targets (the first axis counts samples)")]
    SampleCountMismatch {
        /// Samples in the inputs.
        inputs: usize,
        /// Samples in the targets.
        targets: usize,
    },
    /// A tensor without a sample axis.
    #[error("dataset: {what} must have a first axis of samples, got a 0-d tensor")]
    NoSampleAxis {
        /// `inputs` or `targets`.
        what: &'static str,
    },
    /// A split fraction outside `[0, 1]`.
    #[error("split: the fraction must be in [0, 1], got {0}")]
    BadFraction(f64),
    /// A batch size of zero.
    #[error("batches: the batch size must be at least 1")]
    ZeroBatchSize,
    /// A file that could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        message: String,
    },
    /// A file whose contents are not what its format requires.
    #[error("{path}: line {line}: {message}")]
    Parse {
        /// The file (or the name given to the bytes).
        path: String,
        /// The 1-based line (for binary formats, 0).
        line: usize,
        /// What was wrong: what was expected and what was found.
        message: String,
    },
    /// A binary file of the wrong size for the header it declares.
    #[error("{path}: {what}: expected {expected} bytes, found {found}")]
    Size {
        /// The file.
        path: String,
        /// Which part.
        what: &'static str,
        /// Bytes the header asks for.
        expected: usize,
        /// Bytes present.
        found: usize,
    },
    /// A weights file that does not fit the parameters it is loaded into.
    #[error("{path}: {message}")]
    Weights {
        /// The file (or the name given to the bytes).
        path: String,
        /// What does not fit: a missing, extra or mis-shaped tensor, or a corrupt file.
        message: String,
    },
    /// An error from the tensor engine.
    #[error(transparent)]
    Tensor(#[from] autograd::Error),
}

/// `Result` with `nn`'s [`Error`](enum@Error).
///
/// ```
/// fn load() -> nn::Result<usize> { Ok(1) }
/// assert_eq!(load().unwrap(), 1);
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;
