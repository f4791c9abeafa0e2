//! The backward sweep: one reverse loop over the tape, and one `match` on [`Op`] that is the
//! whole chain-rule table.
//!
//! Each arm says how the upstream gradient `g = ∂out/∂node` flows to the node's inputs, written
//! with [`Real`] operations only. The sweep runs the table with `D = f64` for gradients as
//! numbers, or with `D = Var` to record the backward pass on the tape (gradients of gradients).
//! Contributions are added in one place, [`accumulate`], so a node used twice (`a * a`) or a
//! shared subexpression sums its paths and no rule can overwrite another's work.

use crate::op::{NodeId, Op};
use crate::real::Real;

/// Adds `contribution` to the gradient of node `id`.
#[inline(always)]
fn accumulate<D: Real>(grads: &mut [Option<D>], id: NodeId, contribution: D) {
    let slot = &mut grads[id as usize];
    *slot = Some(match *slot {
        Some(sum) => sum + contribution,
        None => contribution,
    });
}

/// Fills `grads[i]` with `∂root/∂node_i` for every node up to `root`; `None` means the root
/// does not depend on node `i`.
///
/// `op_at(i)` is node `i`'s op and `primal(i)` its value as a `D`: the number itself for
/// `D = f64`, the node's own handle for `D = Var`.
#[inline]
pub(crate) fn sweep<D: Real>(
    root: NodeId,
    seed: D,
    grads: &mut Vec<Option<D>>,
    op_at: impl Fn(NodeId) -> Op,
    primal: impl Fn(NodeId) -> D,
) {
    grads.clear();
    grads.resize(root as usize + 1, None);
    grads[root as usize] = Some(seed);
    for id in (0..=root).rev() {
        // Nodes the root does not depend on receive nothing and pass nothing on.
        let Some(g) = grads[id as usize] else {
            continue;
        };
        let y = || primal(id);
        match op_at(id) {
            Op::Leaf => {}
            Op::Add(a, b) => {
                accumulate(grads, a, g);
                accumulate(grads, b, g);
            }
            Op::Sub(a, b) => {
                accumulate(grads, a, g);
                accumulate(grads, b, -g);
            }
            Op::Mul(a, b) => {
                accumulate(grads, a, g * primal(b));
                accumulate(grads, b, g * primal(a));
            }
            Op::Div(a, b) => {
                // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = -a/b² = -y/b
                let g_over_b = g / primal(b);
                accumulate(grads, a, g_over_b);
                accumulate(grads, b, -(g_over_b * y()));
            }
            Op::Neg(a) => accumulate(grads, a, -g),
            Op::Affine { x, scale, .. } => accumulate(grads, x, g.affine(scale, 0.0)),
            Op::Exp(a) => accumulate(grads, a, g * y()),
            Op::Ln(a) => accumulate(grads, a, g / primal(a)),
            Op::Sqrt(a) => accumulate(grads, a, (g / y()).affine(0.5, 0.0)),
            Op::PowI(a, n) => {
                // n = 0 is a constant; skipping it also avoids 0 · x^-1 = NaN at x = 0.
                if n != 0 {
                    let slope = primal(a).powi(n - 1).affine(f64::from(n), 0.0);
                    accumulate(grads, a, g * slope);
                }
            }
            Op::PowF(a, p) => {
                if p != 0.0 {
                    let slope = primal(a).powf(p - 1.0).affine(p, 0.0);
                    accumulate(grads, a, g * slope);
                }
            }
            Op::Pow(a, b) => {
                let (base, exponent) = (primal(a), primal(b));
                // ∂/∂a a^b = b a^(b-1); at b = 0 it is 0, not 0 · 0^-1 = NaN at a = 0.
                if exponent.value() != 0.0 {
                    let slope = exponent * base.pow(exponent.affine(1.0, -1.0));
                    accumulate(grads, a, g * slope);
                }
                // ∂/∂b x^b = x^b ln x; at x = 0 with b ≥ 0 the limit is 0, not 0 · -inf = NaN.
                if !(base.value() == 0.0 && exponent.value() >= 0.0) {
                    accumulate(grads, b, g * y() * base.ln());
                }
            }
            Op::Sin(a) => accumulate(grads, a, g * primal(a).cos()),
            Op::Cos(a) => accumulate(grads, a, -(g * primal(a).sin())),
            Op::Tanh(a) => {
                let t = y();
                accumulate(grads, a, g * (t * t).affine(-1.0, 1.0));
            }
            Op::Sigmoid(a) => {
                let s = y();
                accumulate(grads, a, g * (s * s.affine(-1.0, 1.0)));
            }
            Op::Relu(a) => accumulate(grads, a, g * primal(a).step()),
            Op::Abs(a) => accumulate(grads, a, g * primal(a).sign()),
            Op::Max(a, b) => {
                // sign(a - b) is 1, 0 or -1: the larger side gets (1 ± sign)/2, a tie 1/2 each.
                let s = (primal(a) - primal(b)).sign();
                accumulate(grads, a, g * s.affine(0.5, 0.5));
                accumulate(grads, b, g * s.affine(-0.5, 0.5));
            }
            Op::Min(a, b) => {
                let s = (primal(a) - primal(b)).sign();
                accumulate(grads, a, g * s.affine(-0.5, 0.5));
                accumulate(grads, b, g * s.affine(0.5, 0.5));
            }
            // Piecewise constant: the derivative is zero wherever it exists.
            Op::Step(_) | Op::Sign(_) => {}
        }
    }
}
