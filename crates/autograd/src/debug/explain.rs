//! Backpropagation explained: the backward sweep of a small scalar graph, step by step, in
//! the lecture's notation: at each node, the upstream gradient `∂out/∂node`, and for each
//! input the local derivative `∂node/∂input`, their product, and the input's total so far.

use std::collections::HashMap;
use std::fmt;

use crate::error::{Error, Result};
use crate::ops::{NodeId, Op};
use crate::tape::Value;
use crate::var::Var;

/// One use of the chain rule: the gradient flowing from `node` to its input `input`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChainStep {
    /// The node whose rule runs.
    pub node: usize,
    /// Its op, as in a tape listing: `mul(#0, #1)`.
    pub op: String,
    /// The input receiving a contribution.
    pub input: usize,
    /// `∂node/∂input`, at the recorded values.
    pub local: f64,
    /// `∂out/∂node`: the gradient that arrived at `node`.
    pub upstream: f64,
    /// `local × upstream`: this path's contribution to `∂out/∂input`.
    pub product: f64,
    /// `∂out/∂input` after adding the contribution (an input used twice adds up).
    pub total: f64,
}

/// The steps of one backward sweep, in the order they run; printed in the lecture's
/// notation by its `Display`.
///
/// ```
/// use autograd::Tape;
///
/// // y = σ(w x + b), Div = ½ (y − d)²
/// let tape = Tape::new();
/// let (w, x, b) = (tape.var(0.5), tape.var(2.0), tape.var(-0.5));
/// let z = w * x + b;
/// let y = z.sigmoid();
/// let div = 0.5 * (y - 1.0).powi(2);
/// let explained = div
///     .explain_backward(&[(w, "w"), (x, "x"), (b, "b"), (z, "z"), (y, "y"), (div, "Div")])
///     .unwrap();
/// println!("{explained}");
/// // every total equals what backward computes
/// let grads = div.backward();
/// for (node, total) in explained.gradients() {
///     let var = tape.entry(node).unwrap();
///     assert!((total - grads.wrt(var)).abs() < 1e-15);
/// }
/// assert!(explained.to_string().contains("∂Div/∂w"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    output: usize,
    steps: Vec<ChainStep>,
    names: HashMap<usize, String>,
    /// `∂out/∂node` at the end of the sweep, for every node reached.
    totals: Vec<(usize, f64)>,
}

impl Explanation {
    /// The steps, in the order backward ran them (from the output towards the leaves).
    pub fn steps(&self) -> &[ChainStep] {
        &self.steps
    }

    /// `(node, ∂out/∂node)` for every node the sweep reached, output first.
    pub fn gradients(&self) -> Vec<(usize, f64)> {
        self.totals.clone()
    }

    fn label(&self, node: usize) -> String {
        match self.names.get(&node) {
            Some(name) => name.clone(),
            None => format!("#{node}"),
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let out = self.label(self.output);
        writeln!(f, "backward from {out}: ∂{out}/∂{out} = 1")?;
        let mut current = None;
        for step in &self.steps {
            if current != Some(step.node) {
                current = Some(step.node);
                writeln!(
                    f,
                    "at {} = {}   (∂{out}/∂{} = {:.6})",
                    self.label(step.node),
                    step.op,
                    self.label(step.node),
                    step.upstream
                )?;
            }
            let (node, input) = (self.label(step.node), self.label(step.input));
            writeln!(
                f,
                "    ∂{node}/∂{input} = {:.6}  × ∂{out}/∂{node} = {:.6}  → {:.6};  ∂{out}/∂{input} = {:.6}",
                step.local, step.upstream, step.product, step.total
            )?;
        }
        Ok(())
    }
}

impl<'t> Var<'t> {
    /// Runs backward from this variable while writing down every chain-rule step: for each
    /// node, from the output down, the gradient that arrived (`∂out/∂node`), and for each
    /// input the local derivative, the product and the input's running total. `names` label
    /// nodes (`(w, "w")`); others print as `#id`. For small scalar graphs: an error for a
    /// graph that reads a tensor. Hooks ([`Var::register_hook`]) do not run here: the
    /// explanation shows the chain rule itself.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let a = tape.var(3.0);
    /// let b = a * a; // a used twice: two steps, totals 3 then 6
    /// let explained = b.explain_backward(&[(a, "a"), (b, "b")]).unwrap();
    /// let totals: Vec<f64> = explained.steps().iter().map(|s| s.total).collect();
    /// assert_eq!(totals, vec![3.0, 6.0]);
    /// ```
    pub fn explain_backward(self, names: &[(Var<'t>, &str)]) -> Result<Explanation> {
        let tape = self.tape();
        let root = self.node_id();
        let mut totals: Vec<Option<f64>> = vec![None; root as usize + 1];
        totals[root as usize] = Some(1.0);
        let mut steps = Vec::new();
        let constants = tape.scalar_constants();
        tape.with_contents(|nodes, _, _| -> Result<()> {
            let value = |id: NodeId| nodes[id as usize].scalar();
            for id in (0..=root).rev() {
                let Some(upstream) = totals[id as usize] else {
                    continue;
                };
                let node = nodes[id as usize];
                if matches!(node.op, Op::Item(_)) || matches!(node.value(), Value::Tensor(_)) {
                    return Err(Error::NotScalarGraph {
                        node: id as usize,
                        op: node.op.to_string(),
                    });
                }
                // an upstream of 1 makes the rule hand out the local derivatives
                let mut locals = Vec::new();
                let handled =
                    node.op
                        .elementwise_rule(1.0, || value(id), value, &mut |i, local| {
                            locals.push((i, local))
                        });
                if let Err(op) = handled {
                    unreachable!("{op} recorded a scalar node");
                }
                for (input, local) in locals {
                    if constants.binary_search(&input).is_ok() {
                        continue; // data: no gradient to explain
                    }
                    let product = local * upstream;
                    let total = totals[input as usize].unwrap_or(0.0) + product;
                    totals[input as usize] = Some(total);
                    steps.push(ChainStep {
                        node: id as usize,
                        op: node.op.to_string(),
                        input: input as usize,
                        local,
                        upstream,
                        product,
                        total,
                    });
                }
            }
            Ok(())
        })?;
        Ok(Explanation {
            output: root as usize,
            steps,
            names: names
                .iter()
                .map(|(v, name)| (v.id(), name.to_string()))
                .collect(),
            totals: (0..=root as usize)
                .rev()
                .filter_map(|id| totals[id].map(|t| (id, t)))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Error, Tape, Tensor};

    #[test]
    fn totals_agree_with_backward_on_a_small_network() {
        // a 2-2-1 network: y = σ(v · tanh(W x))
        let tape = Tape::new();
        let x = tape.vars(&[0.5, -1.0]);
        let w = tape.vars(&[0.1, 0.2, -0.3, 0.4]);
        let v = tape.vars(&[0.7, -0.6]);
        let h: Vec<_> = (0..2)
            .map(|j| (w[2 * j] * x[0] + w[2 * j + 1] * x[1]).tanh())
            .collect();
        let y = (v[0] * h[0] + v[1] * h[1]).sigmoid();
        let loss = (y - 1.0).powi(2);
        let explained = loss.explain_backward(&[]).unwrap();
        let grads = loss.backward();
        for (node, total) in explained.gradients() {
            let exact = grads.wrt(tape.entry(node).unwrap());
            assert!(
                (total - exact).abs() <= 1e-14 * (1.0 + exact.abs()),
                "#{node}: {total} vs {exact}"
            );
        }
        // one step per (node, input) edge reached
        assert!(explained.steps().len() >= 15);
    }

    #[test]
    fn tensor_graphs_are_refused_with_the_node_named() {
        let tape = Tape::new();
        let t = tape.tensor(Tensor::<f64>::ones([2]));
        let s = t.sum().item() * 2.0;
        let err = s.explain_backward(&[]).unwrap_err();
        assert!(
            matches!(err, Error::NotScalarGraph { node: 2, .. }),
            "{err}"
        );
    }
}
