//! What watches a numeric backward pass when asked: hooks replace a node's gradient before
//! its rule runs; anomaly detection checks what each rule hands to its inputs.

use std::ops::ControlFlow;
use std::panic::Location;

use crate::autodiff::reverse::{Domain, DomainColumns, Numbers, Visitor};
use crate::ops::NodeId;
use crate::tape::Value;
use crate::tape::watch::{Anomaly, Found, describe, location_of, non_finite};
use crate::tape::watch::{Hook, HookFn};

/// The visitor of an inspected sweep.
pub(crate) struct Inspector<'a> {
    pub(crate) hooks: &'a [Hook],
    pub(crate) detect: bool,
    pub(crate) locations: &'a [(NodeId, &'static Location<'static>)],
    /// The scalar constants (increasing): a gradient handed to one is no anomaly, since it
    /// is dropped.
    pub(crate) constants: &'a [NodeId],
    /// The first anomaly found, which stopped the sweep.
    pub(crate) found: Option<Anomaly>,
}

impl<'n> Visitor<Numbers<'n>> for Inspector<'_> {
    fn before(&mut self, d: &Numbers<'n>, id: NodeId, columns: &mut DomainColumns<Numbers<'n>>) {
        if self.constants.binary_search(&id).is_ok() {
            return; // a scalar constant's gradient is dropped: its hooks never see one
        }
        for hook in self.hooks.iter().filter(|h| h.node == id) {
            match (&hook.f, d.node(id).value()) {
                (HookFn::Scalar(f), Value::Scalar(_)) => {
                    let entry = &mut columns.scalar[id as usize];
                    *entry = entry.map(f);
                }
                (HookFn::T32(f), Value::Tensor(slot)) => {
                    let entry = &mut columns.t32[slot as usize];
                    *entry = entry.as_ref().map(|g| checked(id, g.shape(), f(g)));
                }
                (HookFn::T64(f), Value::Tensor(slot)) => {
                    let entry = &mut columns.t64[slot as usize];
                    *entry = entry.as_ref().map(|g| checked(id, g.shape(), f(g)));
                }
                _ => unreachable!("a hook's kind is its node's kind"),
            }
        }
    }

    fn after(
        &mut self,
        d: &Numbers<'n>,
        id: NodeId,
        columns: &DomainColumns<Numbers<'n>>,
    ) -> ControlFlow<()> {
        if !self.detect {
            return ControlFlow::Continue(());
        }
        for input in d.node(id).op.inputs(d.params) {
            let (nan, infinite, of) = match d.node(input).value() {
                Value::Scalar(_) if self.constants.binary_search(&input).is_ok() => continue,
                Value::Scalar(_) => match columns.scalar[input as usize] {
                    Some(g) => non_finite(std::iter::once(g)),
                    None => continue,
                },
                Value::Tensor(slot) => {
                    let slot = slot as usize;
                    match (&columns.t32[slot], &columns.t64[slot]) {
                        (Some(g), _) => non_finite(g.as_slice().iter().map(|&v| f64::from(v))),
                        (_, Some(g)) => non_finite(g.as_slice().iter().copied()),
                        _ => continue,
                    }
                }
            };
            if nan + infinite > 0 {
                let (op, inputs) = describe(d.nodes, d.tensors, d.params, id);
                self.found = Some(Anomaly {
                    node: id as usize,
                    op,
                    inputs,
                    location: location_of(self.locations, id),
                    found: Found::Gradient {
                        input: input as usize,
                        nan,
                        infinite,
                        of,
                    },
                });
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    }
}

/// `replacement`, if it has the gradient's shape; else a panic naming both.
fn checked<F: crate::Float>(
    id: NodeId,
    shape: &crate::Shape,
    replacement: crate::Tensor<F>,
) -> crate::Tensor<F> {
    assert!(
        replacement.shape() == shape,
        "hook on node #{id} returned a gradient of shape {}; the gradient has shape {shape}",
        replacement.shape()
    );
    replacement
}
