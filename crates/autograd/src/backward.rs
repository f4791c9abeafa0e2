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
    *slot = Some(match slot.take() {
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
        let Some(g) = grads[id as usize].clone() else {
            continue;
        };
        let y = || primal(id);
        match op_at(id) {
            Op::Leaf => {}
            Op::Add(a, b) => {
                accumulate(grads, a, g.clone());
                accumulate(grads, b, g);
            }
            Op::Sub(a, b) => {
                accumulate(grads, a, g.clone());
                accumulate(grads, b, -g);
            }
            Op::Mul(a, b) => {
                accumulate(grads, a, g.clone() * primal(b));
                accumulate(grads, b, g * primal(a));
            }
            Op::Div(a, b) => {
                // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = -a/b² = -y/b
                let g_over_b = g / primal(b);
                accumulate(grads, a, g_over_b.clone());
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
                // ∂/∂a a^b = b a^(b-1). Written b · a^(b - |sign b|): the same where b ≠ 0,
                // and b · a^0 = 0 where b = 0, instead of 0 · 0^-1 = NaN at a = 0.
                let power = exponent.clone() - exponent.clone().sign().abs();
                let slope = exponent * base.clone().pow(power);
                accumulate(grads, a, g.clone() * slope);
                // ∂/∂b a^b = a^b ln a, taken as 0 at a = 0 (its limit for b > 0, as PyTorch):
                // xlogy is 0 where its first factor, a^b · |sign a|, is.
                let weight = y() * base.clone().sign().abs();
                accumulate(grads, b, g * weight.xlogy(base));
            }
            Op::Sin(a) => accumulate(grads, a, g * primal(a).cos()),
            Op::Cos(a) => accumulate(grads, a, -(g * primal(a).sin())),
            Op::Tanh(a) => {
                let t = y();
                accumulate(grads, a, g * (t.clone() * t).affine(-1.0, 1.0));
            }
            Op::Sigmoid(a) => {
                let s = y();
                accumulate(grads, a, g * (s.clone() * s.affine(-1.0, 1.0)));
            }
            Op::Relu(a) => accumulate(grads, a, g * primal(a).step()),
            Op::Abs(a) => accumulate(grads, a, g * primal(a).sign()),
            Op::Max(a, b) => {
                // sign(a - b) is 1, 0 or -1: the larger side gets (1 ± sign)/2, a tie 1/2 each.
                let s = (primal(a) - primal(b)).sign();
                accumulate(grads, a, g.clone() * s.clone().affine(0.5, 0.5));
                accumulate(grads, b, g * s.affine(-0.5, 0.5));
            }
            Op::Min(a, b) => {
                let s = (primal(a) - primal(b)).sign();
                accumulate(grads, a, g.clone() * s.clone().affine(-0.5, 0.5));
                accumulate(grads, b, g * s.affine(0.5, 0.5));
            }
            Op::XLogY(a, b) => {
                // ∂/∂a = ln b, and 0 where a = 0 (xlogy of the mask |sign a|); ∂/∂b = a / b
                let (x, base) = (primal(a), primal(b));
                accumulate(
                    grads,
                    a,
                    g.clone() * x.clone().sign().abs().xlogy(base.clone()),
                );
                accumulate(grads, b, g * (x / base));
            }
            // Piecewise constant: the derivative is zero wherever it exists.
            Op::Step(_) | Op::Sign(_) => {}
        }
    }
}
