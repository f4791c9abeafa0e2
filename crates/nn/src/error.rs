//! The one error type of `nn`: each variant carries what a person needs to fix the call.

use thiserror::Error;

/// Everything that can go wrong in `nn`, with the evidence.
///
/// ```
/// use autograd::Tensor;
/// let err = nn::data::Dataset::new(Tensor::<f64>::zeros([3, 2]), Tensor::<f64>::zeros([4])).unwrap_err();
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
    /// A class label that is not a class: labels are finite, non-negative whole numbers
    /// below the number of classes.
    #[error("{context}: row {row}: label {} is not a class (a whole number in 0..{classes})", number(*.value))]
    Label {
        /// Where the label was met (`cross_entropy`, `fit: training set`, ...).
        context: &'static str,
        /// The row (sample) holding it.
        row: usize,
        /// The label as given.
        value: f64,
        /// The number of classes.
        classes: usize,
    },
    /// An index (a token id, a position) that is not below its bound.
    #[error("{context}: index {value} at {position:?} is not below {bound}")]
    Index {
        /// Where the index was met.
        context: &'static str,
        /// Its position (one coordinate per axis).
        position: Vec<usize>,
        /// The index.
        value: usize,
        /// What every index must be below.
        bound: usize,
    },
    /// A row of scores with a NaN: it has no largest score, so it names no class.
    #[error("{context}: row {row} has a NaN score, so it names no class")]
    NanScore {
        /// Where the scores were read.
        context: &'static str,
        /// The row.
        row: usize,
    },
    /// Two lists that must be as long as each other.
    #[error("{context}: {left} {left_what} but {right} {right_what}")]
    CountMismatch {
        /// The function.
        context: &'static str,
        /// The first count.
        left: usize,
        /// What it counts.
        left_what: &'static str,
        /// The second count.
        right: usize,
        /// What it counts.
        right_what: &'static str,
    },
    /// A tensor of the wrong shape.
    #[error("{context}: {what} must be {expected}, got {found}")]
    Shape {
        /// The function.
        context: &'static str,
        /// Which tensor.
        what: &'static str,
        /// The shape it must have.
        expected: String,
        /// The shape it has.
        found: autograd::Shape,
    },
    /// A [`ParamId`](crate::ParamId) used with a parameter set that did not make it.
    #[error(
        "parameter #{index} of parameter set #{owner} is not in parameter set #{used_with} \
         (which holds {len}): an id works only with the Parameters that made it, or a copy made after it"
    )]
    ForeignParam {
        /// The parameter's position in its own set.
        index: usize,
        /// The set that made the id.
        owner: u64,
        /// The set it was used with.
        used_with: u64,
        /// How many parameters that set holds.
        len: usize,
    },
    /// A value set from a forward pass for a parameter that is trained, not a buffer.
    #[error(
        "set_buffer: parameter {index} is trained by the optimiser; only a buffer (Parameters::add_buffer) takes a value from a forward pass"
    )]
    NotABuffer {
        /// The parameter's position in its set.
        index: usize,
    },
    /// A gradient whose shape differs from its parameter's.
    #[error("optimiser: parameter {name} has shape {param}, its gradient {grad}")]
    GradientShape {
        /// The parameter's name.
        name: String,
        /// The parameter's shape.
        param: autograd::Shape,
        /// The gradient's shape.
        grad: autograd::Shape,
    },
    /// An optimiser whose state (moments, velocities) belongs to other parameters.
    #[error(
        "{optimizer}: its state was made for {made_for}, not for {given}; \
         use a new optimiser for other parameters, or call reset()"
    )]
    OptimizerState {
        /// The optimiser.
        optimizer: &'static str,
        /// What the state fits (a parameter set, a count, a parameter's shape).
        made_for: String,
        /// What it was given.
        given: String,
    },
    /// An option (learning rate, beta, epsilon, ...) outside its range.
    #[error("{optimizer}: {option} must be {allowed}, got {}", number(*.value))]
    BadOption {
        /// The optimiser or function.
        optimizer: &'static str,
        /// The option.
        option: &'static str,
        /// Its value.
        value: f64,
        /// The values it may take.
        allowed: &'static str,
    },
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
        /// The 1-based line. (Binary formats report a byte offset instead:
        /// [`Error::Format`].)
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
    /// A binary file (gzip, IDX) whose bytes break its format.
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("nn-format-{}.gz", std::process::id()));
    /// std::fs::write(&path, "plain text").unwrap();
    /// let err = nn::data::read_bytes(&path).unwrap_err();
    /// assert!(matches!(err, nn::Error::Format { offset: 0, .. }));
    /// assert!(err.to_string().ends_with(
    ///     ".gz: gzip member 1 at byte 0: not a valid gzip file: it starts 0x70 0x6c, expected 0x1f 0x8b"
    /// ));
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    #[error("{path}: {part} at byte {offset}: {message}")]
    Format {
        /// The file (or the name given to the bytes).
        path: String,
        /// Which part: `magic number`, `dimensions`, `gzip member 2`, `trailing data`, ….
        part: String,
        /// Where the problem was found, in bytes from the start of the data the format is
        /// read from: the file itself for gzip, the decompressed bytes for an IDX `.gz`.
        offset: u64,
        /// What was wrong: what was expected and what was found.
        message: String,
    },
    /// Data past the size limit a loader was given ([`Limits`](crate::data::Limits)).
    ///
    /// ```
    /// use nn::data::{Limits, read_bytes_with};
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    /// let err = read_bytes_with(path, Limits::default().with_max_bytes(10)).unwrap_err();
    /// assert!(matches!(err, nn::Error::TooLarge { limit: 10, .. }));
    /// ```
    #[error("{path}: {what} is over the limit of {limit} bytes (see nn::data::Limits)")]
    TooLarge {
        /// The file.
        path: String,
        /// What is too large: the file, the decompressed data, or what a header declares.
        what: String,
        /// The limit, in bytes.
        limit: u64,
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

/// A number as people write it (`3`, `-1`, `1.7`, `NaN`), in exponent form when huge.
fn number(value: f64) -> String {
    if value.abs() >= 1e16 {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}
