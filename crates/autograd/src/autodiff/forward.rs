//! Forward mode: one loop over the tape in recording order, pushing a direction through
//! every node (Jacobian-vector products).
//!
//! Reverse mode gives `uᵀJ` for one output and every input; forward mode gives `J v` for one
//! input direction and every output. Each node's tangent is the sum over its inputs of the
//! local Jacobian applied to the input's tangent. Elementwise ops reuse the reverse rules:
//! their Jacobian is diagonal, so running `Op::elementwise_rule` with an upstream gradient of
//! one yields exactly the local derivatives, with the same conventions at kinks, so forward
//! and reverse mode always agree (`u · (J v) = (Jᵀu) · v`). The other ops are linear in their
//! tangent-carrying input or, for products, bilinear; each has its line in [`tensor_tangent`].

use crate::autodiff::gradients::{Gradients, Variable};
use crate::autodiff::reverse::{Columns, Domain, Numbers};
use crate::dtype::DType;
use crate::error::OrPanic;
use crate::error::Result;
use crate::ops::real::TensorAlgebra;
use crate::ops::structural::TangentContext;
use crate::ops::{NodeId, Op, Param};
use crate::tape::{Tape, Value};
use crate::tensor::Tensor;

type NumberColumns = Columns<f64, Tensor<f32>, Tensor<f64>>;

/// A direction to differentiate along: a tangent for some variables; the others are held
/// fixed (tangent zero).
///
/// ```
/// use autograd::{Direction, Tape, Tensor};
///
/// // f(x, w) = w · x along x' = 1, w' = (1, 0): ∂f = w' · x + ... = x · w'  (x held at 2)
/// let tape = Tape::new();
/// let x = tape.var(2.0);
/// let w = tape.tensor(Tensor::<f64>::from_vec(vec![3.0, 4.0], [2]).unwrap());
/// let f = (w * x).sum();
/// let direction = Direction::new().along(x, 1.0).along(w, Tensor::from_vec(vec![1.0, 0.0], [2]).unwrap());
/// let tangents = tape.jvp(&direction);
/// // d/dt f(x + t, w + t e₁) = (3 + 4) + 2 · 1 = 9
/// assert_eq!(tangents.of(f).to_vec(), vec![9.0]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Direction {
    seeds: Gradients,
    set: bool,
}

impl Direction {
    /// The zero direction: add tangents with [`along`](Self::along).
    pub fn new() -> Direction {
        Direction::default()
    }

    /// Sets the tangent of `x` (an `f64` for a scalar, a tensor of `x`'s shape for a tensor);
    /// an error if the shape differs or `x` is from another tape than earlier variables.
    ///
    /// ```
    /// use autograd::{Direction, Error, Tape, Tensor};
    /// let tape = Tape::new();
    /// let w = tape.tensor(Tensor::<f64>::zeros([2, 3]));
    /// let err = Direction::new().try_along(w, Tensor::zeros([3, 2])).unwrap_err();
    /// assert_eq!(err.to_string(), "shape mismatch in jvp: lhs [2, 3], rhs [3, 2]");
    /// ```
    pub fn try_along<'t, X: Variable<'t>>(
        mut self,
        x: X,
        tangent: X::Gradient,
    ) -> Result<Direction> {
        let tape = x.tape();
        if self.set {
            self.seeds.check(x)?;
        } else {
            self.seeds.start(tape);
            self.set = true;
        }
        x.seed_in(&mut self.seeds, tangent)?;
        Ok(self)
    }

    /// [`try_along`](Self::try_along) that panics with the same message.
    #[track_caller]
    pub fn along<'t, X: Variable<'t>>(self, x: X, tangent: X::Gradient) -> Direction {
        self.try_along(x, tangent).or_panic()
    }
}

/// The directional derivative of every node along a [`Direction`]: `J v`, for every output
/// at once. Returned by [`Tape::jvp`].
///
/// ```
/// use autograd::{Direction, Tape};
/// let tape = Tape::new();
/// let x = tape.var(3.0);
/// let y = x.powi(2) + x.sin();
/// let tangents = tape.jvp(&Direction::new().along(x, 1.0));
/// assert_eq!(tangents.of(y), 2.0 * 3.0 + 3.0f64.cos()); // dy/dx
/// ```
#[derive(Debug, Clone, Default)]
pub struct Tangents(Gradients);

impl Tangents {
    /// The tangent of `y`: `f64` for a scalar, a tensor of `y`'s shape for a tensor; zero if
    /// `y` does not depend on the direction. Panics if `y` is from another tape or was
    /// recorded after the sweep.
    #[track_caller]
    pub fn of<'t, X: Variable<'t>>(&self, y: X) -> X::Gradient {
        self.try_of(y).or_panic()
    }

    /// The tangent of `y`, or an error naming the tapes if `y` does not belong to them.
    pub fn try_of<'t, X: Variable<'t>>(&self, y: X) -> Result<X::Gradient> {
        self.0.try_wrt(y)
    }
}

impl Tape {
    /// Forward mode: pushes `direction` through every node recorded so far, giving each
    /// node's directional derivative. One loop in recording order, about the cost of the
    /// forward pass; the tape is not changed.
    ///
    /// Along the backward pass too: a gradient recorded by `backward_graph` is a node like any
    /// other, so its tangent is a Hessian-vector product (forward over reverse).
    ///
    /// ```
    /// use autograd::{Direction, Tape};
    /// // f(x, y) = x² y: along (1, 0) the tangent of ∂f/∂x = 2xy is ∂²f/∂x² = 2y
    /// let tape = Tape::new();
    /// let (x, y) = (tape.var(3.0), tape.var(2.0));
    /// let dfdx = (x * x * y).backward_graph().wrt(x);
    /// let tangents = tape.jvp(&Direction::new().along(x, 1.0));
    /// assert_eq!(tangents.of(dfdx), 4.0);
    /// ```
    #[track_caller]
    pub fn jvp(&self, direction: &Direction) -> Tangents {
        self.try_jvp(direction).or_panic()
    }

    /// [`jvp`](Self::jvp), or an error if the direction was set on another tape (or before
    /// this tape was cleared).
    pub fn try_jvp(&self, direction: &Direction) -> Result<Tangents> {
        let mut tangents = Gradients::new();
        tangents.start(self);
        if direction.set {
            direction.seeds.check_tape(self)?;
        }
        let len = self.len();
        let slots = self.tensor_count();
        self.with_contents(|nodes, tensors, params| {
            let numbers = Numbers {
                nodes,
                tensors,
                params,
            };
            forward_sweep(
                &numbers,
                direction.seeds.columns(),
                len,
                slots,
                tangents.columns_mut(),
            );
        });
        Ok(Tangents(tangents))
    }
}

/// Fills `out` with the tangent of every node below `len`: a seed where one is set, else the
/// chain rule applied to the inputs' tangents; `None` for nodes that do not depend on a seed.
fn forward_sweep(
    d: &Numbers,
    seeds: &NumberColumns,
    len: usize,
    slots: usize,
    out: &mut NumberColumns,
) {
    out.scalar.clear();
    out.scalar.resize(len, None);
    out.t32.clear();
    out.t32.resize_with(slots, || None);
    out.t64.clear();
    out.t64.resize_with(slots, || None);
    for id in 0..len {
        let node = d.node(id as NodeId);
        match node.value() {
            Value::Scalar(_) => {
                let seeded = seeds.scalar.get(id).copied().flatten();
                out.scalar[id] = seeded.or_else(|| scalar_tangent(d, id as NodeId, node.op, out));
            }
            Value::Tensor(slot) => {
                let slot = slot as usize;
                if d.dtype(slot as u32) == DType::F32 {
                    let seeded = seeds.t32.get(slot).cloned().flatten();
                    out.t32[slot] = seeded.or_else(|| {
                        tensor_tangent(
                            d,
                            id as NodeId,
                            node.op,
                            |i| d.t32(i),
                            &out.t32,
                            &out.scalar,
                        )
                    });
                } else {
                    let seeded = seeds.t64.get(slot).cloned().flatten();
                    out.t64[slot] = seeded.or_else(|| {
                        tensor_tangent(
                            d,
                            id as NodeId,
                            node.op,
                            |i| d.t64(i),
                            &out.t64,
                            &out.scalar,
                        )
                    });
                }
            }
        }
    }
}

/// The tangent of a scalar node from its inputs' tangents.
fn scalar_tangent(d: &Numbers, id: NodeId, op: Op, out: &NumberColumns) -> Option<f64> {
    if let Op::Item(t) = op {
        let Value::Tensor(slot) = d.node(t).value() else {
            unreachable!("item of scalar node #{t}");
        };
        let slot = slot as usize;
        return if d.dtype(slot as u32) == DType::F32 {
            out.t32[slot].clone().map(|t| t.item())
        } else {
            out.t64[slot].clone().map(|t| t.item())
        };
    }
    let mut tangent: Option<f64> = None;
    // An upstream gradient of 1 makes the reverse rule hand out the local derivatives.
    let handled = op.elementwise_rule(1.0, || d.scalar(id), |i| d.scalar(i), &mut |i, local| {
        if let Some(t) = out.scalar[i as usize] {
            tangent = Some(tangent.unwrap_or(0.0) + local * t);
        }
    });
    if let Err(op) = handled {
        unreachable!("{op} recorded a scalar node");
    }
    tangent
}

/// The tensor slot of tensor node `id`.
fn slot(d: &Numbers, id: NodeId) -> usize {
    match d.node(id).value() {
        Value::Tensor(slot) => slot as usize,
        Value::Scalar(_) => unreachable!("node #{id} is a scalar, not a tensor"),
    }
}

/// The tangent of a tensor node whose elements (and inputs') are of type `T`.
fn tensor_tangent<T: TensorAlgebra<Scalar = f64>>(
    d: &Numbers,
    id: NodeId,
    op: Op,
    primal: impl Fn(NodeId) -> T,
    column: &[Option<T>],
    scalars: &[Option<f64>],
) -> Option<T> {
    let tangent = |i: NodeId| column[slot(d, i)].clone();
    if op
        .inputs(d.params)
        .iter()
        .all(|&i| match d.node(i).value() {
            Value::Tensor(s) => column[s as usize].is_none(),
            Value::Scalar(_) => scalars[i as usize].is_none(),
        })
    {
        return None; // no input moves: neither does this node
    }
    let out_shape = || d.shape(id);
    let mut sum: Option<T> = None;
    // a 0-d one, not a tensor of ones: the locals broadcast themselves
    let one = primal(id).scalar_like(1.0);
    let handled = op.elementwise_rule(one, || primal(id), &primal, &mut |i, local| {
        if let Some(t) = tangent(i) {
            let term = local * t;
            sum = Some(match sum.take() {
                Some(s) => s + term,
                None => term,
            });
        }
    });
    let Err(op) = handled else {
        // a term of a broadcast input (b in x + b) can be smaller than the output
        return sum.map(|s| {
            let shape = out_shape();
            if s.shape() == shape {
                s
            } else {
                s.broadcast_to(&shape)
            }
        });
    };
    let cx = Tangent {
        d,
        id,
        primal,
        column,
        scalars,
    };
    match op.structural_tangent(&cx) {
        Ok(tangent) => Some(tangent),
        Err(op) => unreachable!("{op} recorded a tensor node"),
    }
}

/// What a structural op's tangent rule sees of the sweep (`ops/structural.rs`).
struct Tangent<'a, T, P> {
    d: &'a Numbers<'a>,
    id: NodeId,
    primal: P,
    column: &'a [Option<T>],
    scalars: &'a [Option<f64>],
}

impl<T: TensorAlgebra<Scalar = f64>, P: Fn(NodeId) -> T> TangentContext<T> for Tangent<'_, T, P> {
    fn primal(&self, i: NodeId) -> T {
        (self.primal)(i)
    }
    fn output(&self) -> T {
        (self.primal)(self.id)
    }
    fn shape(&self, i: NodeId) -> crate::Shape {
        self.d.shape(i)
    }
    fn param(&self, param: Param) -> crate::shape::Dims {
        self.d.param(param)
    }
    fn tangent(&self, i: NodeId) -> Option<T> {
        self.column[slot(self.d, i)].clone()
    }
    fn scalar_tangent(&self, i: NodeId) -> Option<f64> {
        self.scalars[i as usize]
    }
}
