//! The one error type of the crate: each variant carries the evidence a person needs to fix
//! the call, and its `Display` is written for people.

use thiserror::Error;

use crate::shape::Shape;

/// Everything that can go wrong in `autograd`, with the evidence.
///
/// ```
/// use autograd::{Error, Tape};
///
/// let tape = Tape::new();
/// let other = Tape::new();
/// let x = tape.var(1.0);
/// let y = other.var(2.0);
/// let grads = (y * y).backward();
/// // `x` lives on another tape: asking these gradients about it is an error, not a silent zero.
/// let err = grads.try_wrt(x).unwrap_err();
/// assert!(matches!(err, Error::ForeignVariable { .. }));
/// assert!(err.to_string().contains("another tape"));
/// ```
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A variable was used with gradients (or another variable) of a different tape.
    #[error(
        "variable #{node} belongs to tape #{var_tape}, but it was used with another tape (#{other_tape})"
    )]
    ForeignVariable {
        /// The variable's node index on its own tape.
        node: usize,
        /// The tape the variable was recorded on.
        var_tape: u64,
        /// The tape it was used with.
        other_tape: u64,
    },

    /// Gradients computed before the tape was cleared were asked about a variable recorded after.
    #[error(
        "these gradients were computed before tape #{tape} was cleared (generation {grads_generation}); \
         variable #{node} was recorded in generation {var_generation}: call backward again"
    )]
    StaleGradients {
        /// The tape both come from.
        tape: u64,
        /// The variable's node index.
        node: usize,
        /// The tape generation (number of clears) when the gradients were computed.
        grads_generation: u64,
        /// The tape generation the variable belongs to.
        var_generation: u64,
    },

    /// Two operands whose shapes do not fit the operation.
    #[error("shape mismatch in {op}: lhs {lhs}, rhs {rhs}")]
    ShapeMismatch {
        /// The operation (`add`, `matmul`, ...).
        op: &'static str,
        /// The left operand's shape.
        lhs: Shape,
        /// The right operand's shape.
        rhs: Shape,
    },

    /// A number of elements that does not match a shape.
    #[error("{op}: shape {shape} holds {} elements, got {len}", shape.numel())]
    LengthMismatch {
        /// The operation (`from_vec`, ...).
        op: &'static str,
        /// The shape asked for.
        shape: Shape,
        /// The number of elements given.
        len: usize,
    },

    /// A new shape with a different number of elements than the tensor has.
    #[error("{op}: shape {from} ({} elements) cannot become {to} ({} elements)", from.numel(), to.numel())]
    ElementCountMismatch {
        /// The operation (`reshape`).
        op: &'static str,
        /// The tensor's shape.
        from: Shape,
        /// The shape asked for.
        to: Shape,
    },

    /// An axis that the tensor does not have.
    #[error("{op}: axis {axis} is out of range for a tensor of shape {shape}")]
    InvalidAxis {
        /// The operation.
        op: &'static str,
        /// The axis asked for.
        axis: usize,
        /// The tensor's shape.
        shape: Shape,
    },

    /// An index outside the tensor.
    #[error("{op}: index {index:?} is out of bounds for shape {shape}")]
    IndexOutOfBounds {
        /// The operation.
        op: &'static str,
        /// The index asked for.
        index: Vec<usize>,
        /// The tensor's shape.
        shape: Shape,
    },

    /// An operation that needs a one-element tensor got a larger one.
    #[error("{op}: needs a tensor of one element, got shape {shape}")]
    NotOneElement {
        /// The operation (`item`, `backward`).
        op: &'static str,
        /// The tensor's shape.
        shape: Shape,
    },

    /// A shape whose size in elements or bytes does not fit in the address space: the
    /// product of its dimensions (zeros counted as ones, so that no
    /// stride or offset computed from it can overflow, even for an empty tensor)
    /// overflows, or passes `isize::MAX` bytes.
    #[error(
        "{op}: a tensor of shape {shape} is too large: its dimensions (zeros counted as ones) \
         multiply past the address space for {elem_bytes}-byte elements"
    )]
    SizeOverflow {
        /// The operation that would have made it.
        op: &'static str,
        /// The shape asked for.
        shape: Shape,
        /// The size of one element in bytes.
        elem_bytes: usize,
    },

    /// The memory for a tensor could not be had from the allocator.
    #[error("{op}: cannot allocate {bytes} bytes for a tensor of shape {shape}")]
    AllocationFailed {
        /// The operation.
        op: &'static str,
        /// The tensor's shape.
        shape: Shape,
        /// The bytes asked for.
        bytes: usize,
    },

    /// An axis named twice where each may appear once.
    #[error("{op}: axis {axis} is named twice (axes {axes:?}) for a tensor of shape {shape}")]
    DuplicateAxis {
        /// The operation.
        op: &'static str,
        /// The repeated axis.
        axis: usize,
        /// All the axes given.
        axes: Vec<usize>,
        /// The tensor's shape.
        shape: Shape,
    },

    /// Axes that are not a permutation of the tensor's axes.
    #[error("{op}: axes {axes:?} are not a permutation of 0..{} for a tensor of shape {shape}", shape.ndim())]
    InvalidPermutation {
        /// The operation.
        op: &'static str,
        /// The axes given.
        axes: Vec<usize>,
        /// The tensor's shape.
        shape: Shape,
    },

    /// An axis that must have size 1 but does not.
    #[error("{op}: axis {axis} has size {size}, not 1 (shape {shape})")]
    NotSizeOne {
        /// The operation (`squeeze`).
        op: &'static str,
        /// The axis.
        axis: usize,
        /// Its size.
        size: usize,
        /// The tensor's shape.
        shape: Shape,
    },

    /// A reduction with no identity (maximum, minimum, arg-maximum) over an empty axis.
    #[error("{op}: axis {axis} of shape {shape} is empty, and an empty {op} has no value")]
    EmptyReduction {
        /// The operation.
        op: &'static str,
        /// The empty axis.
        axis: usize,
        /// The tensor's shape.
        shape: Shape,
    },

    /// A range of positions along an axis that does not lie inside it.
    #[error(
        "{op}: positions {start}.. (+{len}) along axis {axis} do not fit in its {size} (shape {shape})"
    )]
    RangeOutOfBounds {
        /// The operation (`narrow`, `pad`).
        op: &'static str,
        /// The axis.
        axis: usize,
        /// The first position.
        start: usize,
        /// The number of positions.
        len: usize,
        /// The size available along the axis.
        size: usize,
        /// The tensor's shape.
        shape: Shape,
    },

    /// A recorded op's position or length that does not fit the tape's 32-bit field (an
    /// empty tensor can have an axis longer than `u32::MAX`).
    #[error("{op}: {what} = {value} is too large to record (the tape stores it in 32 bits)")]
    TooLargeToRecord {
        /// The operation.
        op: &'static str,
        /// Which argument.
        what: &'static str,
        /// Its value.
        value: usize,
    },

    /// An operation on a list of tensors was given none.
    #[error("{op}: needs at least one tensor, got none")]
    NoTensors {
        /// The operation (`concat`, `stack`).
        op: &'static str,
    },

    /// A sliding window (`unfold`, `fold`, and the convolutions and pooling built on them)
    /// that does not fit its input, or an input of the wrong rank for it.
    #[error("{op}: {reason} ({window}; input shape {shape})")]
    InvalidWindow {
        /// The operation.
        op: &'static str,
        /// The window asked for, written out (`kernel 3×3, stride 1×1, ...`).
        window: String,
        /// The input's shape.
        shape: Shape,
        /// What is wrong.
        reason: String,
    },

    /// A numeric argument outside what the operation accepts.
    #[error("{op}: {name} = {value}, but it must be {expected}")]
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// The argument's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must be (`finite`, `below high`, ...).
        expected: &'static str,
    },

    /// Gradients that were not computed by a backward pass (`Gradients::default()`) were asked
    /// about a variable.
    #[error(
        "these gradients are empty (not computed by backward) and know no variable; variable #{node} is on tape #{var_tape}"
    )]
    EmptyGradients {
        /// The variable's node index.
        node: usize,
        /// Its tape.
        var_tape: u64,
    },

    /// A hook (or another callback run during a sweep) tried to record on the tape the sweep
    /// is reading.
    #[error(
        "{what} tried to record on tape #{tape} while its backward pass was reading it; \
             compute with plain tensors in a hook, or record on another tape"
    )]
    RecordedDuringSweep {
        /// What recorded (`a gradient hook`).
        what: &'static str,
        /// The tape.
        tape: u64,
    },

    /// A gradient check found an analytic derivative that disagrees with finite differences.
    #[error(
        "gradient check failed for {what} at x = {point:?}: analytic {analytic:e}, numeric {numeric:e}, \
         error {error:e} > tolerance {tolerance:e}"
    )]
    GradientMismatch {
        /// Which derivative: `∂f/∂x[2]`, `∂²f/∂x[0]∂x[1]`, or for tensors `∂f/∂x0[1, 2]`.
        what: String,
        /// The point the check was made at.
        point: Vec<f64>,
        /// The derivative the tape computed.
        analytic: f64,
        /// The central finite difference.
        numeric: f64,
        /// `|analytic - numeric|`.
        error: f64,
        /// The tolerance it exceeded: `abs_tol + rel_tol * max(|analytic|, |numeric|)`.
        tolerance: f64,
    },

    /// A gradient check was asked for at a point where the function is not finite.
    #[error("gradient check: f{point:?} = {value}, not a finite number")]
    NonFiniteValue {
        /// The point.
        point: Vec<f64>,
        /// The value of the function there.
        value: f64,
    },
    /// Anomaly detection found a NaN or infinity: the first one, with its op, its inputs'
    /// shapes and the source line that recorded it.
    #[error("anomaly: {0}")]
    Anomaly(Box<crate::Anomaly>),
    /// A graph picture could not be rendered by Graphviz.
    #[error("cannot draw {path}: {message}")]
    Graphviz {
        /// The SVG file asked for.
        path: String,
        /// Why: `dot` is missing, or what it said.
        message: String,
    },
    /// An explanation of backward was asked for a graph with tensor nodes.
    #[error("explain_backward: node #{node} ({op}) is a tensor; explanations cover scalar graphs")]
    NotScalarGraph {
        /// The tensor node.
        node: usize,
        /// Its op.
        op: String,
    },
}

/// `Result` with this crate's [`Error`](enum@Error).
///
/// ```
/// fn checked() -> autograd::Result<()> {
///     autograd::check_gradients(|v| v[0].sin(), &[0.5], &Default::default())?;
///     Ok(())
/// }
/// assert!(checked().is_ok());
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The one way a plain (panicking) form is made from its `try_` form: `try_op(..).or_panic()`
/// panics with the error's message, reported at the line that called the plain form.
///
/// `unwrap_or_else(|err| panic!("{err}"))` would report a line inside the library: a closure
/// does not inherit `#[track_caller]`. This method is itself `#[track_caller]`, so the
/// location passes through it to the nearest caller that is not `#[track_caller]`: the
/// user's line, when every plain form between is marked too.
///
/// ```
/// use autograd::{OrPanic, Tensor};
///
/// fn plain_from_vec(data: Vec<f64>, dims: [usize; 2]) -> Tensor<f64> {
///     Tensor::from_vec(data, dims).or_panic()
/// }
/// assert_eq!(plain_from_vec(vec![1.0, 2.0], [1, 2]).numel(), 2);
/// let caught = std::panic::catch_unwind(|| plain_from_vec(vec![1.0], [2, 2]));
/// assert!(caught.is_err());
/// ```
pub trait OrPanic<T> {
    /// The value, or a panic with the error's `Display` at the caller's location.
    #[track_caller]
    fn or_panic(self) -> T;
}

impl<T, E: std::fmt::Display> OrPanic<T> for std::result::Result<T, E> {
    #[track_caller]
    fn or_panic(self) -> T {
        match self {
            Ok(value) => value,
            Err(err) => panic!("{err}"),
        }
    }
}
