//! What the debugging tools keep on a tape, in one place ([`Watch`]): the gradient hooks,
//! whether anomaly detection is on, where nodes were recorded, and the first anomaly. The
//! tools themselves (`debug/`: registering hooks, the anomaly API, explanations, pictures)
//! and the sweep's visitor that applies them (`autodiff/watched.rs`) reach the tape only
//! through this.

use std::cell::{Cell, RefCell};
use std::panic::Location;

use crate::ops::NodeId;
use crate::shape::Dims;
use crate::tape::{Node, Tape, Value};
use crate::tensor::{AnyTensor, Tensor};

/// The tools' state on one tape.
#[derive(Debug, Default)]
pub(crate) struct Watch {
    /// Functions that see (and may replace) the gradient of a node in `backward`.
    pub(crate) hooks: RefCell<Vec<Hook>>,
    /// Anomaly detection: check every value and gradient, remember where nodes were recorded.
    pub(crate) detect: Cell<bool>,
    /// Where each node was recorded, while anomaly detection is on (ascending node ids).
    pub(crate) locations: RefCell<Vec<(NodeId, &'static Location<'static>)>>,
    /// The first non-finite forward value recorded while anomaly detection was on.
    pub(crate) first_anomaly: RefCell<Option<Anomaly>>,
}

impl Watch {
    /// Forgets hooks, locations and anomalies (detection stays as it was).
    pub(crate) fn clear(&mut self) {
        self.hooks.get_mut().clear();
        self.locations.get_mut().clear();
        *self.first_anomaly.get_mut() = None;
    }
}

/// A hook on a tensor of `F`.
///
/// Hooks are `Send` so that a [`Tape`](crate::Tape) is: a tape can be built on one thread and
/// moved to another (it is not `Sync`: one thread at a time). A hook that reports what it saw
/// shares an `Arc<Mutex<_>>` (or an atomic), not an `Rc<Cell<_>>`.
pub(crate) type TensorHook<F> = Box<dyn Fn(&Tensor<F>) -> Tensor<F> + Send>;

/// A hook's function, by the kind of gradient it takes.
pub(crate) enum HookFn {
    Scalar(Box<dyn Fn(f64) -> f64 + Send>),
    T32(TensorHook<f32>),
    T64(TensorHook<f64>),
}

/// A hook on one node.
pub(crate) struct Hook {
    pub(crate) node: NodeId,
    pub(crate) f: HookFn,
}

/// The first non-finite number found while anomaly detection was on.
///
/// ```
/// use autograd::Tape;
///
/// let tape = Tape::new();
/// tape.detect_anomalies(true);
/// let x = tape.var(-1.0);
/// let y = x.ln(); // NaN: recorded on this line
/// let anomaly = tape.anomaly().expect("ln(-1) is NaN");
/// assert_eq!(anomaly.node, y.id());
/// assert_eq!(anomaly.op, "ln(#0)");
/// let location = anomaly.location.expect("recorded with detection on"); // file:line:column
/// assert_eq!(location.split(':').count(), 3);
/// let err = y.try_backward().unwrap_err();
/// assert!(err.to_string().starts_with("anomaly: non-finite value (1 NaN of 1) of node #1 = ln(#0)"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Anomaly {
    /// The node whose value, or whose backward rule, produced the number.
    pub node: usize,
    /// The node's op with its inputs, as in a tape listing: `div(#3, #6)`.
    pub op: String,
    /// The shapes of the op's inputs (`scalar` or `[2, 3]`), in order.
    pub inputs: Vec<String>,
    /// Where the node was recorded: `file:line:column` of the Rust source.
    pub location: Option<String>,
    /// What was found.
    pub found: Found,
}

/// What an [`Anomaly`] is about.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Found {
    /// The node's forward value has non-finite elements.
    Value {
        /// NaN elements.
        nan: usize,
        /// Infinite elements.
        infinite: usize,
        /// All elements.
        of: usize,
    },
    /// The node's backward rule made the gradient of input node `input` non-finite.
    Gradient {
        /// The input node.
        input: usize,
        /// NaN elements.
        nan: usize,
        /// Infinite elements.
        infinite: usize,
        /// All elements.
        of: usize,
    },
}

/// NaN and infinite elements of a value, and how many elements it has.
pub(crate) fn non_finite(values: impl Iterator<Item = f64>) -> (usize, usize, usize) {
    values.fold((0, 0, 0), |(nan, inf, of), v| {
        (
            nan + v.is_nan() as usize,
            inf + v.is_infinite() as usize,
            of + 1,
        )
    })
}

/// The op of node `id` written out, and its inputs' shapes.
pub(crate) fn describe(
    nodes: &[Node],
    tensors: &[AnyTensor],
    params: &[Dims],
    id: NodeId,
) -> (String, Vec<String>) {
    let op = nodes[id as usize].op;
    let inputs = op
        .inputs(params)
        .iter()
        .map(|&i| match nodes[i as usize].value() {
            Value::Scalar(_) => "scalar".to_string(),
            Value::Tensor(slot) => tensors[slot as usize].shape().to_string(),
        })
        .collect();
    (op.to_string(), inputs)
}

/// Where node `id` was recorded, if anomaly detection was on then.
pub(crate) fn location_of(
    locations: &[(NodeId, &'static Location<'static>)],
    id: NodeId,
) -> Option<String> {
    locations
        .binary_search_by_key(&id, |&(node, _)| node)
        .ok()
        .map(|k| locations[k].1.to_string())
}

impl Tape {
    /// Notes where node `id` was recorded and checks its value (anomaly detection is on).
    pub(crate) fn watch_node(&self, id: NodeId, location: &'static Location<'static>) {
        self.watch.locations.borrow_mut().push((id, location));
        if self.watch.first_anomaly.borrow().is_some() {
            return; // only the first offender is the origin
        }
        let anomaly = self.with_contents(|nodes, tensors, params| {
            let (nan, infinite, of) = match nodes[id as usize].value() {
                Value::Scalar(v) => non_finite(std::iter::once(v)),
                Value::Tensor(slot) => {
                    non_finite(tensors[slot as usize].to_f64().as_slice().iter().copied())
                }
            };
            (nan + infinite > 0).then(|| {
                let (op, inputs) = describe(nodes, tensors, params, id);
                Anomaly {
                    node: id as usize,
                    op,
                    inputs,
                    location: Some(location.to_string()),
                    found: Found::Value { nan, infinite, of },
                }
            })
        });
        *self.watch.first_anomaly.borrow_mut() = anomaly;
    }
}
