//! The backward sweep: one reverse loop over the tape, and the chain-rule table.
//!
//! Each arm says how the upstream gradient `g = ∂root/∂node` flows to the node's inputs,
//! written only with [`Real`] and [`TensorAlgebra`] operations. The sweep runs the table on
//! numbers ([`Numbers`]: `f64` and raw tensors) for gradients as values, or on variables
//! ([`Recorder`]: `Var` and `TensorVar`) to record the backward pass on the tape, so that
//! gradients can be differentiated again.
//!
//! Elementwise ops share one table ([`elementwise_rule`]) for scalars and tensors alike; the
//! tensor-only ops have theirs ([`tensor_rule`]). Contributions are added in one place
//! ([`accumulate`]), and a tensor contribution with a broadcast shape is summed back to its
//! input's shape in one place ([`accumulate_tensor`]).

use std::ops::ControlFlow;

use crate::dtype::{ByDtype, DType, Float};
use crate::ops::real::{Real, TensorAlgebra};
use crate::ops::structural::ReverseContext;
use crate::ops::{NodeId, Op, Param, item_reverse};
use crate::shape::{Dims, Shape};
use crate::tape::{Node, Tape, Value};
use crate::tensor::families::Tensors;
use crate::tensor::{AnyTensor, Tensor};
use crate::var::TensorVar;
use crate::var::Var;

/// What gradients are made of, and how to read the tape's values as such.
pub(crate) trait Domain {
    type S: Real;
    type T32: TensorAlgebra<Scalar = Self::S>;
    type T64: TensorAlgebra<Scalar = Self::S>;
    fn node(&self, id: NodeId) -> Node;
    fn scalar(&self, id: NodeId) -> Self::S;
    fn t32(&self, id: NodeId) -> Self::T32;
    fn t64(&self, id: NodeId) -> Self::T64;
    /// The element type of tensor slot `slot`.
    fn dtype(&self, slot: u32) -> DType;
    fn shape(&self, id: NodeId) -> Shape;
    fn param(&self, param: Param) -> Dims;
}

/// The tape's values as numbers: `f64` for scalars, `Tensor` for tensors.
pub(crate) struct Numbers<'a> {
    pub(crate) nodes: &'a [Node],
    pub(crate) tensors: &'a [AnyTensor],
    pub(crate) params: &'a [Dims],
}

impl Numbers<'_> {
    fn tensor(&self, id: NodeId) -> &AnyTensor {
        match self.nodes[id as usize].value() {
            Value::Tensor(slot) => &self.tensors[slot as usize],
            Value::Scalar(_) => unreachable!("node #{id} is a scalar"),
        }
    }
}

impl Domain for Numbers<'_> {
    type S = f64;
    type T32 = Tensor<f32>;
    type T64 = Tensor<f64>;
    #[inline(always)]
    fn node(&self, id: NodeId) -> Node {
        self.nodes[id as usize]
    }
    #[inline(always)]
    fn scalar(&self, id: NodeId) -> f64 {
        self.nodes[id as usize].scalar()
    }
    fn t32(&self, id: NodeId) -> Tensor<f32> {
        self.tensor(id).get::<f32>().clone()
    }
    fn t64(&self, id: NodeId) -> Tensor<f64> {
        self.tensor(id).get::<f64>().clone()
    }
    fn dtype(&self, slot: u32) -> DType {
        self.tensors[slot as usize].dtype()
    }
    fn shape(&self, id: NodeId) -> Shape {
        self.tensor(id).shape().clone()
    }
    fn param(&self, param: Param) -> Dims {
        self.params[param.0 as usize].clone()
    }
}

/// The tape's nodes as variables: running the rules records the backward pass.
pub(crate) struct Recorder<'t> {
    pub(crate) tape: &'t Tape,
}

impl<'t> Domain for Recorder<'t> {
    type S = Var<'t>;
    type T32 = TensorVar<'t, f32>;
    type T64 = TensorVar<'t, f64>;
    fn node(&self, id: NodeId) -> Node {
        self.tape.node(id)
    }
    fn scalar(&self, id: NodeId) -> Var<'t> {
        Var::new(self.tape, id)
    }
    fn t32(&self, id: NodeId) -> TensorVar<'t, f32> {
        TensorVar::new(self.tape, id)
    }
    fn t64(&self, id: NodeId) -> TensorVar<'t, f64> {
        TensorVar::new(self.tape, id)
    }
    fn dtype(&self, slot: u32) -> DType {
        self.tape.tensor_dtype(slot)
    }
    fn shape(&self, id: NodeId) -> Shape {
        self.tape.tensor_shape(id)
    }
    fn param(&self, param: Param) -> Dims {
        self.tape.param_dims(param)
    }
}

/// Gradients by node: scalars by node id, tensors by their slot in the tape's tensor column.
#[derive(Debug, Clone)]
pub(crate) struct Columns<S, T32, T64> {
    pub(crate) scalar: Vec<Option<S>>,
    pub(crate) t32: Vec<Option<T32>>,
    pub(crate) t64: Vec<Option<T64>>,
}

impl<S, T32, T64> Default for Columns<S, T32, T64> {
    fn default() -> Self {
        Columns {
            scalar: Vec::new(),
            t32: Vec::new(),
            t64: Vec::new(),
        }
    }
}

/// The gradient the sweep starts from, at the root.
pub(crate) enum Seed<S, T32, T64> {
    Scalar(S),
    T32(T32),
    T64(T64),
}

pub(crate) type DomainColumns<D> =
    Columns<<D as Domain>::S, <D as Domain>::T32, <D as Domain>::T64>;

/// Looks at the sweep node by node: hooks replace a node's gradient before its rule runs;
/// anomaly detection checks what the rule handed to the inputs. The plain sweep uses
/// [`Plain`], whose empty methods compile away.
pub(crate) trait Visitor<D: Domain> {
    /// Before the rule of node `id` (whose gradient is in `columns`) runs.
    #[inline(always)]
    fn before(&mut self, _d: &D, _id: NodeId, _columns: &mut DomainColumns<D>) {}
    /// After the rule of node `id` ran; `Break` stops the sweep.
    #[inline(always)]
    fn after(&mut self, _d: &D, _id: NodeId, _columns: &DomainColumns<D>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// The visitor that does nothing.
pub(crate) struct Plain;

impl<D: Domain> Visitor<D> for Plain {}

/// Fills `columns` with `∂root/∂node` for every node up to `root`; `None` means the root does
/// not depend on that node. `slots` is the number of tensors on the tape.
#[inline]
pub(crate) fn sweep<D: Domain>(
    d: &D,
    root: NodeId,
    seed: Seed<D::S, D::T32, D::T64>,
    slots: usize,
    columns: &mut DomainColumns<D>,
) {
    sweep_with(d, root, seed, slots, columns, &mut Plain);
}

/// [`sweep`] with a [`Visitor`] looking at every node that receives a gradient.
#[inline]
pub(crate) fn sweep_with<D: Domain>(
    d: &D,
    root: NodeId,
    seed: Seed<D::S, D::T32, D::T64>,
    slots: usize,
    columns: &mut DomainColumns<D>,
    visitor: &mut impl Visitor<D>,
) {
    start(d, root, seed, slots, columns);
    for id in (0..=root).rev() {
        // Only scalar nodes ever receive a scalar gradient, so this test also tells the kind;
        // nodes the root does not depend on receive nothing and pass nothing on.
        let visited = if columns.scalar[id as usize].is_some() {
            visitor.before(d, id, columns);
            if let Some(g) = columns.scalar[id as usize].clone() {
                scalar_rule(d, id, d.node(id).op, g, columns);
            }
            true
        } else if slots == 0 {
            false // no tensors on the tape: nothing else can need this node
        } else {
            tensor_node(d, id, columns, visitor)
        };
        if visited && visitor.after(d, id, columns).is_break() {
            return;
        }
    }
}

/// Empties `columns` for a sweep from `root` and places the seed.
fn start<D: Domain>(
    d: &D,
    root: NodeId,
    seed: Seed<D::S, D::T32, D::T64>,
    slots: usize,
    columns: &mut DomainColumns<D>,
) {
    columns.scalar.clear();
    columns.scalar.resize(root as usize + 1, None);
    columns.t32.clear();
    columns.t32.resize_with(slots, || None);
    columns.t64.clear();
    columns.t64.resize_with(slots, || None);
    let root_slot = |d: &D| match d.node(root).value() {
        Value::Tensor(slot) => slot as usize,
        Value::Scalar(_) => unreachable!("a tensor seed for a scalar root"),
    };
    match seed {
        Seed::Scalar(g) => columns.scalar[root as usize] = Some(g),
        Seed::T32(g) => columns.t32[root_slot(d)] = Some(g),
        Seed::T64(g) => columns.t64[root_slot(d)] = Some(g),
    }
}

/// Runs the rule of node `id` if it is a tensor node with a gradient, on the column of its
/// dtype; `false` if there was nothing to do.
#[inline(always)]
fn tensor_node<D: Domain>(
    d: &D,
    id: NodeId,
    columns: &mut DomainColumns<D>,
    visitor: &mut impl Visitor<D>,
) -> bool {
    let node = d.node(id);
    let Value::Tensor(slot) = node.value() else {
        return false;
    };
    let slot_index = slot as usize;
    let dtype = d.dtype(slot);
    let has_gradient = match dtype {
        DType::F32 => columns.t32[slot_index].is_some(),
        DType::F64 => columns.t64[slot_index].is_some(),
    };
    if !has_gradient {
        return false;
    }
    visitor.before(d, id, columns);
    // a hook may have taken the gradient away
    match dtype {
        DType::F32 => {
            if let Some(g) = columns.t32[slot_index].clone() {
                let column = &mut columns.t32;
                tensor_rule(d, id, node.op, g, |i| d.t32(i), column, &mut columns.scalar);
            }
        }
        DType::F64 => {
            if let Some(g) = columns.t64[slot_index].clone() {
                let column = &mut columns.t64;
                tensor_rule(d, id, node.op, g, |i| d.t64(i), column, &mut columns.scalar);
            }
        }
    }
    true
}

/// Adds `contribution` to the gradient in `slot`.
#[inline(always)]
fn accumulate<V: Real>(slot: &mut Option<V>, contribution: V) {
    *slot = Some(match slot.take() {
        Some(sum) => sum + contribution,
        None => contribution,
    });
}

/// Adds a tensor contribution to input `id`, first summing it back to the input's shape if
/// the op broadcast the input (the one place where un-broadcasting happens).
fn accumulate_tensor<D: Domain, T: TensorAlgebra>(
    d: &D,
    column: &mut [Option<T>],
    id: NodeId,
    contribution: T,
) {
    let node = d.node(id);
    let Value::Tensor(slot) = node.value() else {
        unreachable!("a tensor gradient for scalar node #{id}");
    };
    // Constants (data, masks, results of constants only) keep no gradient.
    if node.is_constant() {
        return;
    }
    let shape = d.shape(id);
    let contribution = if contribution.shape() == shape {
        contribution
    } else {
        contribution.sum_to_shape(&shape)
    };
    accumulate(&mut column[slot as usize], contribution);
}

/// The chain rule at a scalar node.
#[inline(always)]
fn scalar_rule<D: Domain>(d: &D, id: NodeId, op: Op, g: D::S, columns: &mut DomainColumns<D>) {
    match op {
        // A scalar read out of a one-element tensor: the gradient goes back as that tensor.
        Op::Item(t) => item_rule(d, t, g, columns),
        op => {
            let scalars = &mut columns.scalar;
            let handled = op.elementwise_rule(g, || d.scalar(id), |i| d.scalar(i), &mut |i, c| {
                accumulate(&mut scalars[i as usize], c)
            });
            if let Err(op) = handled {
                unreachable!("{op} recorded a scalar node");
            }
        }
    }
}

/// The rule of `Item(t)`: the scalar gradient goes back to `t` as a tensor of its shape.
#[inline(never)]
fn item_rule<D: Domain>(d: &D, t: NodeId, g: D::S, columns: &mut DomainColumns<D>) {
    let Value::Tensor(slot) = d.node(t).value() else {
        unreachable!("item of scalar node #{t}");
    };
    let shape = d.shape(t);
    if d.dtype(slot) == DType::F32 {
        let c = item_reverse(d.t32(t), &shape, g);
        accumulate_tensor(d, &mut columns.t32, t, c);
    } else {
        let c = item_reverse(d.t64(t), &shape, g);
        accumulate_tensor(d, &mut columns.t64, t, c);
    }
}

/// The chain rule at a tensor node whose gradients (and inputs') are of type `T`: the
/// elementwise table, or the structural op's own rule (`ops/<op>.rs`).
///
/// Kept out of line: tensor nodes are few and heavy, and inlining this into the sweep's loop
/// slowed the scalar path by a fifth.
#[inline(never)]
fn tensor_rule<D: Domain, T: TensorAlgebra<Scalar = D::S>>(
    d: &D,
    id: NodeId,
    op: Op,
    g: T,
    primal: impl Fn(NodeId) -> T,
    column: &mut [Option<T>],
    scalars: &mut [Option<D::S>],
) {
    let handled = op.elementwise_rule(g.clone(), || primal(id), &primal, &mut |i, c| {
        accumulate_tensor(d, column, i, c)
    });
    let Err(op) = handled else {
        return;
    };
    let mut cx = Reverse {
        d,
        id,
        primal,
        column,
        scalars,
    };
    if let Err(op) = op.structural_reverse(&mut cx, g) {
        unreachable!("{op} recorded a tensor node");
    }
}

/// What a structural op's reverse rule sees of the sweep (`ops/structural.rs`).
struct Reverse<'a, D: Domain, T, P> {
    d: &'a D,
    id: NodeId,
    primal: P,
    column: &'a mut [Option<T>],
    scalars: &'a mut [Option<D::S>],
}

impl<D: Domain, T: TensorAlgebra<Scalar = D::S>, P: Fn(NodeId) -> T> ReverseContext<T>
    for Reverse<'_, D, T, P>
{
    fn primal(&self, i: NodeId) -> T {
        (self.primal)(i)
    }
    fn output(&self) -> T {
        (self.primal)(self.id)
    }
    fn shape(&self, i: NodeId) -> Shape {
        self.d.shape(i)
    }
    fn param(&self, param: Param) -> Dims {
        self.d.param(param)
    }
    fn is_constant(&self, i: NodeId) -> bool {
        self.d.node(i).is_constant()
    }
    fn acc(&mut self, i: NodeId, contribution: T) {
        accumulate_tensor(self.d, self.column, i, contribution);
    }
    fn acc_scalar(&mut self, i: NodeId, contribution: D::S) {
        accumulate(&mut self.scalars[i as usize], contribution);
    }
}

/// Raw tensor seed for a one-element root of element type `F`.
pub(crate) fn ones_seed<F: Float>(shape: &Shape) -> Seed<f64, Tensor<f32>, Tensor<f64>> {
    match F::split::<Tensors>(Tensor::<F>::ones(shape.clone())) {
        ByDtype::F32(t) => Seed::T32(t),
        ByDtype::F64(t) => Seed::T64(t),
    }
}
