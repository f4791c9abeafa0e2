//! The tape: an append-only list of nodes (a Wengert list).
//!
//! A node's index is its id and its position in topological order: every node reads only
//! nodes recorded before it. That is what lets backward be one reverse loop, with no graph
//! search and no recursion, however deep the graph.

use std::cell::{Cell, RefCell, RefMut};
use std::panic::Location;
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) mod watch;

use watch::Watch;

use crate::dtype::Float;
use crate::ops::{NodeId, Op, Param};
use crate::shape::Dims;
use crate::tensor::{AnyTensor, Tensor};

/// One recorded operation and the value it produced: 32 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub(crate) op: Op,
    packed: PackedValue,
}

/// A node's value, unpacked: a scalar, or the index of a tensor in the tape's tensor column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    Scalar(f64),
    Tensor(u32),
}

/// A [`Value`] in 8 bytes, so that a node stays 32 bytes and reading a scalar costs no
/// branch (the scalar engine's speed depends on both).
///
/// A scalar is stored as itself, with any NaN replaced by the one canonical quiet NaN. A
/// tensor index is stored in the payload of a NaN pattern that no scalar can then have
/// (sign set, quiet bit clear: "NaN boxing"). Plain `f64` bits, no `unsafe`.
#[derive(Debug, Clone, Copy)]
struct PackedValue(f64);

/// The top 16 bits that mark a tensor index: a negative signalling NaN.
const TENSOR_TAG: u64 = 0xFFF4_0000_0000_0000;
const TAG_MASK: u64 = 0xFFFF_0000_0000_0000;
/// Set in a tensor node's payload (above the 32-bit slot) when it is a constant: a leaf made
/// with `constant_tensor`, a comparison, or an op whose inputs are all constants.
const CONSTANT_BIT: u64 = 1 << 32;

impl PackedValue {
    #[inline(always)]
    fn scalar(value: f64) -> Self {
        PackedValue(if value.is_nan() { f64::NAN } else { value })
    }

    fn tensor(slot: u32, constant: bool) -> Self {
        let flag = if constant { CONSTANT_BIT } else { 0 };
        PackedValue(f64::from_bits(TENSOR_TAG | flag | u64::from(slot)))
    }

    fn is_constant_tensor(self) -> bool {
        let bits = self.0.to_bits();
        bits & TAG_MASK == TENSOR_TAG && bits & CONSTANT_BIT != 0
    }

    #[inline(always)]
    fn unpack(self) -> Value {
        let bits = self.0.to_bits();
        if bits & TAG_MASK == TENSOR_TAG {
            Value::Tensor(bits as u32)
        } else {
            Value::Scalar(self.0)
        }
    }
}

impl Node {
    pub(crate) fn new(op: Op, value: Value) -> Self {
        let packed = match value {
            Value::Scalar(v) => PackedValue::scalar(v),
            Value::Tensor(slot) => PackedValue::tensor(slot, false),
        };
        Node { op, packed }
    }

    /// A tensor node, constant or not.
    pub(crate) fn tensor(op: Op, slot: u32, constant: bool) -> Self {
        Node {
            op,
            packed: PackedValue::tensor(slot, constant),
        }
    }

    /// `true` for a tensor node no gradient can reach a variable through: a constant leaf,
    /// a comparison, or an op on constants only. Backward stores no gradient for it.
    #[inline(always)]
    pub(crate) fn is_constant(&self) -> bool {
        self.packed.is_constant_tensor()
    }

    /// The node's value, unpacked.
    #[inline(always)]
    pub(crate) fn value(&self) -> Value {
        self.packed.unpack()
    }

    /// The value of a scalar node, without a branch. Every `Var` names a scalar node, so the
    /// nodes a scalar op reads are scalars; a tensor node would read as NaN.
    #[inline(always)]
    pub(crate) fn scalar(&self) -> f64 {
        self.packed.0
    }
}

/// Gives every tape a distinct number, so a variable used with the wrong tape is caught.
static NEXT_TAPE_ID: AtomicU64 = AtomicU64::new(1);

/// A tape that records every operation on its variables.
///
/// Variables ([`Var`](crate::Var)) are `Copy` handles that borrow the tape; recording goes through a
/// shared reference, so any number of them can be alive at once. Clearing needs `&mut self`,
/// so the borrow checker proves that no variable outlives the nodes it names.
///
/// ```
/// use autograd::Tape;
///
/// let mut tape = Tape::new();
/// for step in 0..3 {
///     let w = tape.var(0.5 * step as f64);
///     let loss = (w - 1.0).powi(2);
///     let grads = loss.backward();
///     assert_eq!(grads.wrt(w), 2.0 * (w.value() - 1.0));
///     assert_eq!(tape.len(), 3); // w, w - 1, (w - 1)^2
///     tape.clear(); // keeps its capacity: no allocation next step
/// }
/// assert!(tape.memory_bytes() > 0);
/// ```
#[derive(Debug)]
pub struct Tape {
    id: u64,
    generation: u64,
    nodes: RefCell<Vec<Node>>,
    /// The values of tensor nodes, in recording order.
    tensors: RefCell<Vec<AnyTensor>>,
    /// Parameters of ops that do not fit in an `Op` (target shapes, axis lists).
    params: RefCell<Vec<Dims>>,
    /// `false` inside [`no_grad`](Tape::no_grad): ops are recorded as leaves.
    recording: Cell<bool>,
    /// The scalar nodes that are constants (`Tape::constant`, `Var::detach`, values made
    /// inside `no_grad`), in increasing order. Tensor nodes carry the flag in their value; a
    /// scalar's value has no spare bit, and a list read only when gradients are handed out
    /// costs the sweep nothing.
    scalar_constants: RefCell<Vec<NodeId>>,
    /// What the debugging tools keep (hooks, anomaly detection): `tape/watch.rs`.
    pub(crate) watch: Watch,
}

impl Default for Tape {
    fn default() -> Self {
        Self::new()
    }
}

impl Tape {
    /// An empty tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// assert!(tape.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty tape with room for `nodes` nodes before it reallocates.
    ///
    /// ```
    /// let tape = autograd::Tape::with_capacity(1_000);
    /// assert!(tape.memory_bytes() >= 1_000 * 16);
    /// ```
    pub fn with_capacity(nodes: usize) -> Self {
        Tape {
            id: NEXT_TAPE_ID.fetch_add(1, Ordering::Relaxed),
            generation: 0,
            nodes: RefCell::new(Vec::with_capacity(nodes)),
            tensors: RefCell::new(Vec::new()),
            params: RefCell::new(Vec::new()),
            recording: Cell::new(true),
            scalar_constants: RefCell::new(Vec::new()),
            watch: Watch::default(),
        }
    }

    /// Number of nodes recorded since the tape was made or last cleared.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(1.0);
    /// let _ = 2.0 * x + 1.0; // two nodes: each number folds into the op it meets
    /// assert_eq!(tape.len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// `true` when nothing is recorded.
    ///
    /// ```
    /// let mut tape = autograd::Tape::new();
    /// tape.var(1.0);
    /// tape.clear();
    /// assert!(tape.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held by the tape: its node storage (capacity, not just what is in use) and the
    /// elements of the tensors it records, each storage counted once (a reshape shares its
    /// input's). `clear` keeps the node storage; tensor elements are freed with their nodes.
    ///
    /// ```
    /// let mut tape = autograd::Tape::new();
    /// let x = tape.var(1.0);
    /// let _ = x.exp().sin();
    /// let bytes = tape.memory_bytes();
    /// tape.clear();
    /// assert_eq!(tape.memory_bytes(), bytes); // memory is kept for the next step
    /// ```
    pub fn memory_bytes(&self) -> usize {
        let nodes = self.nodes.borrow().capacity() * std::mem::size_of::<Node>();
        let tensors = self.tensors.borrow();
        let handles = tensors.capacity() * std::mem::size_of::<AnyTensor>();
        let mut seen = std::collections::HashSet::new();
        let elements: usize = tensors
            .iter()
            .map(AnyTensor::storage)
            .filter(|&(_, address)| seen.insert(address))
            .map(|(bytes, _)| bytes)
            .sum();
        let params: usize = self
            .params
            .borrow()
            .iter()
            .map(|p| std::mem::size_of::<Dims>() + p.len() * std::mem::size_of::<usize>())
            .sum();
        nodes + handles + elements + params
    }

    /// Forgets every node but keeps the memory, so the next step records without allocating.
    ///
    /// Gradients computed before the clear refuse variables recorded after it
    /// ([`Error::StaleGradients`](crate::Error::StaleGradients)).
    ///
    /// ```
    /// let mut tape = autograd::Tape::new();
    /// let before = tape.generation();
    /// tape.var(1.0);
    /// tape.clear();
    /// assert_eq!((tape.len(), tape.generation()), (0, before + 1));
    /// ```
    pub fn clear(&mut self) {
        self.nodes.get_mut().clear();
        self.tensors.get_mut().clear();
        self.params.get_mut().clear();
        self.scalar_constants.get_mut().clear();
        self.watch.clear();
        self.generation += 1;
    }

    /// Runs `f` with gradient recording off: every value is still computed, but each op is
    /// recorded as a leaf, so no gradient flows through anything computed inside (PyTorch's
    /// `torch.no_grad()`). For evaluation, metrics and target computations.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let w = tape.tensor(Tensor::<f64>::full([2], 3.0));
    /// let target = tape.no_grad(|| w * 2.0); // a constant: 6
    /// let loss = ((w - target).powi(2)).sum();
    /// // d/dw Σ (w − 6)² = 2 (w − 6), with no path through `target`
    /// assert_eq!(loss.backward().wrt(w).to_vec(), vec![-6.0, -6.0]);
    /// assert_eq!(target.op().name(), "leaf");
    /// ```
    pub fn no_grad<R>(&self, f: impl FnOnce() -> R) -> R {
        self.recording_set_to(false, f)
    }

    /// Runs `f` with recording on, even inside [`no_grad`](Self::no_grad).
    pub(crate) fn with_grad<R>(&self, f: impl FnOnce() -> R) -> R {
        self.recording_set_to(true, f)
    }

    /// Runs `f` with recording `on` or off, restoring the previous state afterwards, even if
    /// `f` panics (a caught panic must not leave the tape in `no_grad`).
    fn recording_set_to<R>(&self, on: bool, f: impl FnOnce() -> R) -> R {
        struct Restore<'a>(&'a Cell<bool>, bool);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                self.0.set(self.1);
            }
        }
        let _restore = Restore(&self.recording, self.recording.replace(on));
        f()
    }

    /// `op`, or a leaf inside [`no_grad`](Self::no_grad).
    #[inline(always)]
    fn recorded(&self, op: Op) -> Op {
        if self.recording.get() { op } else { Op::Leaf }
    }

    /// This tape's number, unique in the process; error messages name it.
    ///
    /// ```
    /// use autograd::Tape;
    /// assert_ne!(Tape::new().id(), Tape::new().id());
    /// ```
    pub fn id(&self) -> u64 {
        self.id
    }

    /// How many times the tape has been cleared.
    ///
    /// ```
    /// assert_eq!(autograd::Tape::new().generation(), 0);
    /// ```
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Appends a scalar constant: a leaf whose gradient reads as zero.
    #[track_caller]
    pub(crate) fn push_constant_node(&self, value: f64) -> NodeId {
        let id = self.push_node(Op::Leaf, value);
        let mut constants = self.scalar_constants.borrow_mut();
        if constants.last() != Some(&id) {
            constants.push(id); // (inside no_grad, push_node has listed it)
        }
        id
    }

    /// The scalar constants, in increasing order (see `scalar_constants`).
    pub(crate) fn scalar_constants(&self) -> std::cell::Ref<'_, Vec<NodeId>> {
        self.scalar_constants.borrow()
    }

    /// Appends a node whose value is already computed.
    #[inline]
    #[track_caller]
    pub(crate) fn push_node(&self, op: Op, value: f64) -> NodeId {
        let mut nodes = self.writable(&self.nodes);
        let id = self.append(
            &mut nodes,
            Node::new(self.recorded(op), Value::Scalar(value)),
        );
        drop(nodes);
        if !self.recording.get() {
            self.scalar_constants.borrow_mut().push(id);
        }
        if self.watch.detect.get() {
            self.watch_node(id, Location::caller());
        }
        id
    }

    /// Appends a tensor node whose value is already computed. It is a constant if it is
    /// recorded inside `no_grad` or if every input is a constant tensor; a leaf is a variable
    /// (see [`push_constant_tensor`](Self::push_constant_tensor)).
    #[track_caller]
    pub(crate) fn push_tensor_node<F: Float>(&self, op: Op, value: Tensor<F>) -> NodeId {
        let op = self.recorded(op);
        let constant = op != Op::Leaf && {
            let nodes = self.nodes.borrow();
            let params = self.params.borrow();
            op.inputs(&params)
                .iter()
                .all(|&i| nodes[i as usize].is_constant())
        };
        let constant = constant || (op == Op::Leaf && !self.recording.get());
        self.append_tensor(op, value, constant)
    }

    /// Appends a constant tensor leaf: no gradient is computed or stored for it.
    #[track_caller]
    pub(crate) fn push_constant_tensor_node<F: Float>(&self, value: Tensor<F>) -> NodeId {
        self.append_tensor(Op::Leaf, value, true)
    }

    #[track_caller]
    pub(crate) fn append_tensor<F: Float>(
        &self,
        op: Op,
        value: Tensor<F>,
        constant: bool,
    ) -> NodeId {
        let mut tensors = self.writable(&self.tensors);
        let slot = u32::try_from(tensors.len()).expect("fewer than 2^32 tensors on a tape");
        tensors.push(AnyTensor::new(value));
        let mut nodes = self.writable(&self.nodes);
        let id = self.append(&mut nodes, Node::tensor(op, slot, constant));
        drop((nodes, tensors));
        if self.watch.detect.get() {
            self.watch_node(id, Location::caller());
        }
        id
    }

    /// A list of the tape, borrowed for writing. The only way that fails is recording while
    /// a backward pass reads the tape, from a hook: that panics naming the mistake (at the
    /// hook's line), not with the `RefCell`'s "already borrowed".
    #[inline(always)]
    #[track_caller]
    pub(crate) fn writable<'a, T>(&self, cell: &'a RefCell<T>) -> RefMut<'a, T> {
        match cell.try_borrow_mut() {
            Ok(list) => list,
            Err(_) => panic!(
                "{}",
                crate::Error::RecordedDuringSweep {
                    what: "a gradient hook",
                    tape: self.id,
                }
            ),
        }
    }

    /// Stores an op parameter (a shape, an axis list) and returns its index.
    #[track_caller]
    pub(crate) fn push_param(&self, dims: &[usize]) -> Param {
        let mut params = self.writable(&self.params);
        params.push(Dims::from_slice(dims));
        Param(u32::try_from(params.len() - 1).expect("fewer than 2^32 op parameters on a tape"))
    }

    /// The op parameter at `index`.
    pub(crate) fn param_dims(&self, param: Param) -> Dims {
        self.params.borrow()[param.0 as usize].clone()
    }

    /// An op parameter (a shape, an axis list, an index list) of an op recorded on this tape:
    /// what a [`Param`] in an [`Op`](crate::Op) stands for.
    ///
    /// ```
    /// use autograd::{Op, Tape, Tensor, ops::Reshape};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::ones([2, 3]));
    /// let Op::Reshape(Reshape { shape, .. }) = x.reshape([3, 2]).op() else { unreachable!() };
    /// assert_eq!(tape.param(shape), vec![3, 2]);
    /// ```
    ///
    /// # Panics
    /// If `param` comes from another tape, or from before a [`clear`](Self::clear), and is
    /// out of range here.
    #[track_caller]
    pub fn param(&self, param: Param) -> Vec<usize> {
        let params = self.params.borrow();
        match params.get(param.0 as usize) {
            Some(dims) => dims.to_vec(),
            None => panic!(
                "tape #{} holds {} op parameters; {param} is not one of them",
                self.id,
                params.len()
            ),
        }
    }

    /// The value of tensor node `id`.
    pub(crate) fn tensor_value<F: Float>(&self, id: NodeId) -> Tensor<F> {
        let Value::Tensor(slot) = self.node(id).value() else {
            unreachable!("node #{id} is a scalar, not a tensor");
        };
        self.tensors.borrow()[slot as usize].get::<F>().clone()
    }

    /// `true` if tensor slot `slot` holds `f32` elements.
    pub(crate) fn tensor_dtype(&self, slot: u32) -> crate::dtype::DType {
        self.tensors.borrow()[slot as usize].dtype()
    }

    /// The shape of tensor node `id`.
    pub(crate) fn tensor_shape(&self, id: NodeId) -> crate::Shape {
        let Value::Tensor(slot) = self.node(id).value() else {
            unreachable!("node #{id} is a scalar, not a tensor");
        };
        self.tensors.borrow()[slot as usize].shape().clone()
    }

    /// The number of tensors recorded.
    pub(crate) fn tensor_count(&self) -> usize {
        self.tensors.borrow().len()
    }

    /// Runs `f` over the recorded nodes, tensors and op parameters without copying them.
    pub(crate) fn with_contents<R>(
        &self,
        f: impl FnOnce(&[Node], &[AnyTensor], &[Dims]) -> R,
    ) -> R {
        f(
            &self.nodes.borrow(),
            &self.tensors.borrow(),
            &self.params.borrow(),
        )
    }

    /// Computes `op` from the values of its inputs and appends it.
    ///
    /// Always inlined: the caller knows which op it records, so the `match` in
    /// [`Op::eval`] folds away and recording costs a few nanoseconds.
    #[inline(always)]
    #[track_caller]
    pub(crate) fn record_node(&self, op: Op) -> NodeId {
        let mut nodes = self.writable(&self.nodes);
        let value = op.eval(|i| nodes[i as usize].scalar());
        let id = self.append(&mut nodes, Node::new(op, Value::Scalar(value)));
        if !self.recording.get() {
            // inside no_grad: a leaf. Rewritten after the push rather than selected before
            // it, so the common path stores the op as built (no conditional moves of 24 bytes)
            nodes[id as usize].op = Op::Leaf;
            self.scalar_constants.borrow_mut().push(id);
        }
        drop(nodes);
        if self.watch.detect.get() {
            self.watch_node(id, Location::caller());
        }
        id
    }

    #[inline(always)]
    fn append(&self, nodes: &mut Vec<Node>, node: Node) -> NodeId {
        let Ok(id) = NodeId::try_from(nodes.len()) else {
            panic!("tape #{} is full: {} nodes", self.id, nodes.len());
        };
        nodes.push(node);
        id
    }

    /// The value of node `id`, `None` past the end.
    pub(crate) fn node_value(&self, id: NodeId) -> Option<Value> {
        self.nodes.borrow().get(id as usize).map(Node::value)
    }

    /// The node at `id`.
    #[inline]
    pub(crate) fn node(&self, id: NodeId) -> Node {
        self.nodes.borrow()[id as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_grad_and_no_grad_restore_their_state_when_the_closure_panics() {
        let tape = Tape::new();
        tape.no_grad(|| {
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                tape.with_grad(|| panic!("inside with_grad"))
            }));
            assert!(caught.is_err());
            assert!(
                !tape.recording.get(),
                "with_grad left recording on inside no_grad"
            );
        });
        assert!(tape.recording.get());
    }

    #[test]
    fn values_pack_into_eight_bytes_and_back() {
        assert_eq!(std::mem::size_of::<Node>(), 32);
        for v in [
            0.0,
            -0.0,
            1.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(
                Node::new(Op::Leaf, Value::Scalar(v)).value(),
                Value::Scalar(v)
            );
        }
        for slot in [0, 1, u32::MAX] {
            let node = Node::new(Op::Leaf, Value::Tensor(slot));
            assert_eq!(node.value(), Value::Tensor(slot));
            assert!(node.scalar().is_nan());
        }
    }

    #[test]
    fn no_scalar_nan_can_pass_for_a_tensor() {
        // A NaN with the tensor tag's bits, made on purpose, is stored as the canonical NaN.
        let forged = f64::from_bits(TENSOR_TAG | 7);
        assert!(forged.is_nan());
        match Node::new(Op::Leaf, Value::Scalar(forged)).value() {
            Value::Scalar(v) => assert!(v.is_nan()),
            Value::Tensor(_) => panic!("a scalar NaN was read as a tensor"),
        }
    }
}
