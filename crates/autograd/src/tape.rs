//! The tape: an append-only list of nodes (a Wengert list).
//!
//! A node's index is its id and its position in topological order: every node reads only
//! nodes recorded before it. That is what lets backward be one reverse loop, with no graph
//! search and no recursion, however deep the graph.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::op::{NodeId, Op};
use crate::scalar::Var;

/// One recorded operation and the value it produced.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub(crate) op: Op,
    pub(crate) value: f64,
}

/// Gives every tape a distinct number, so a variable used with the wrong tape is caught.
static NEXT_TAPE_ID: AtomicU64 = AtomicU64::new(1);

/// A tape that records every operation on its variables.
///
/// Variables ([`Var`]) are `Copy` handles that borrow the tape; recording goes through a
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
        }
    }

    /// Records a leaf: an input you want gradients with respect to.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// assert_eq!(x.value(), 3.0);
    /// ```
    pub fn var(&self, value: f64) -> Var<'_> {
        self.push(Op::Leaf, value)
    }

    /// Records a leaf for a number that is data, not a parameter (an input `x`, a target `d`).
    ///
    /// It is a leaf like [`var`](Self::var): its gradient is still the output's sensitivity
    /// to it. Use a plain `f64` operand instead where you can (`2.0 * x` records one node).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let w = tape.var(0.5);
    /// let x = tape.constant(4.0);
    /// let grads = (w * x).backward();
    /// assert_eq!(grads.wrt(w), 4.0);
    /// ```
    pub fn constant(&self, value: f64) -> Var<'_> {
        self.push(Op::Leaf, value)
    }

    /// Records one variable per number, in order.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let xs = tape.vars(&[1.0, 2.0]);
    /// assert_eq!(xs[1].value(), 2.0);
    /// ```
    pub fn vars(&self, values: &[f64]) -> Vec<Var<'_>> {
        values.iter().map(|&v| self.var(v)).collect()
    }

    /// The node at index `id` as a variable, or `None` past the end: to walk the tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// let _ = x.exp();
    /// let listing: Vec<String> = (0..tape.len())
    ///     .filter_map(|i| tape.entry(i))
    ///     .map(|v| format!("#{} = {}", v.id(), v.op()))
    ///     .collect();
    /// assert_eq!(listing, ["#0 = leaf", "#1 = exp(#0)"]);
    /// ```
    pub fn entry(&self, id: usize) -> Option<Var<'_>> {
        let id = NodeId::try_from(id).ok()?;
        ((id as usize) < self.len()).then(|| Var::new(self, id))
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

    /// Bytes held by the tape's node storage (its capacity, not just what is in use).
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
        self.nodes.borrow().capacity() * std::mem::size_of::<Node>()
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
        self.generation += 1;
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

    /// Appends a node whose value is already computed.
    #[inline]
    pub(crate) fn push(&self, op: Op, value: f64) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        self.append(&mut nodes, Node { op, value })
    }

    /// Computes `op` from the values of its inputs and appends it.
    ///
    /// Always inlined: the caller knows which op it records, so the `match` in
    /// [`Op::eval`] folds away and recording costs a few nanoseconds.
    #[inline(always)]
    pub(crate) fn record(&self, op: Op) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        let value = op.eval(|i| nodes[i as usize].value);
        self.append(&mut nodes, Node { op, value })
    }

    #[inline(always)]
    fn append(&self, nodes: &mut Vec<Node>, node: Node) -> Var<'_> {
        let Ok(id) = NodeId::try_from(nodes.len()) else {
            panic!("tape #{} is full: {} nodes", self.id, nodes.len());
        };
        nodes.push(node);
        Var::new(self, id)
    }

    /// The node at `id`.
    #[inline]
    pub(crate) fn node(&self, id: NodeId) -> Node {
        self.nodes.borrow()[id as usize]
    }

    /// Runs `f` over the recorded nodes without copying them.
    pub(crate) fn with_nodes<R>(&self, f: impl FnOnce(&[Node]) -> R) -> R {
        f(&self.nodes.borrow())
    }
}
