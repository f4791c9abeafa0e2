//! Pictures of a tape: the part an output depends on, as Graphviz DOT (micrograd's
//! `draw_dot`: a box per value with its data and gradient, an oval per op), as SVG when
//! Graphviz is installed, and as a text listing for the terminal.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::autodiff::gradients::{Gradients, Variable};
use crate::error::{Error, Result};
use crate::ops::{NodeId, Op};
use crate::tape::{Tape, Value};
use crate::tensor::AnyTensor;

/// Elements shown of a tensor's value or gradient; larger tensors show their shape only.
const SHOWN_ELEMENTS: usize = 6;

/// What a drawing of a tape shows: the nodes one output depends on (or all of them), with
/// their values, optionally their gradients and names.
///
/// ```
/// use autograd::{Graph, Tape};
///
/// let tape = Tape::new();
/// let (a, b) = (tape.var(2.0), tape.var(-3.0));
/// let c = a * b + 1.0;
/// let unused = a.exp(); // not an ancestor of c: not drawn
/// let grads = c.backward();
/// let graph = Graph::of(c).gradients(&grads).name(a, "a").name(b, "b").name(c, "c");
/// let dot = graph.to_dot();
/// assert!(dot.starts_with("digraph"));
/// assert!(dot.contains("a | data 2 | grad -3")); // ∂c/∂a = b
/// assert!(!dot.contains("exp"));
/// println!("{}", graph.to_text());
/// # let _ = unused;
/// ```
#[derive(Debug, Clone)]
pub struct Graph<'t> {
    tape: &'t Tape,
    output: Option<NodeId>,
    gradients: Option<&'t Gradients>,
    names: HashMap<NodeId, String>,
}

/// One drawn node, read off the tape.
struct Entry {
    id: NodeId,
    op: Op,
    inputs: Vec<NodeId>,
    value: String,
    gradient: Option<String>,
    constant: bool,
}

impl<'t> Graph<'t> {
    /// The nodes `output` depends on, `output` included.
    pub fn of<X: Variable<'t>>(output: X) -> Graph<'t> {
        Graph {
            tape: output.tape(),
            output: Some(output.node() as NodeId),
            gradients: None,
            names: HashMap::new(),
        }
    }

    /// Every node on the tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(1.0);
    /// let _ = x.exp();
    /// let _ = x.sin();
    /// assert_eq!(autograd::Graph::whole(&tape).to_text().lines().count(), 3);
    /// ```
    pub fn whole(tape: &'t Tape) -> Graph<'t> {
        Graph {
            tape,
            output: None,
            gradients: None,
            names: HashMap::new(),
        }
    }

    /// Shows each node's gradient from `grads` (computed on this tape).
    pub fn gradients(mut self, grads: &'t Gradients) -> Graph<'t> {
        self.gradients = Some(grads);
        self
    }

    /// Labels the node of `x` with `name`.
    pub fn name<X: Variable<'t>>(mut self, x: X, name: &str) -> Graph<'t> {
        self.names.insert(x.node() as NodeId, name.to_string());
        self
    }

    /// The drawn nodes, in recording order.
    fn entries(&self) -> Vec<Entry> {
        let len = self.tape.len();
        let last = self.output.map_or(len, |o| o as usize + 1);
        let constants = self.tape.scalar_constants();
        self.tape.with_contents(|nodes, tensors, params| {
            // an ancestor set by one reverse pass: a node is drawn if a drawn node reads it
            let mut drawn = vec![self.output.is_none(); last];
            if let Some(output) = self.output {
                drawn[output as usize] = true;
            }
            for id in (0..last).rev() {
                if drawn[id] {
                    for input in nodes[id].op.inputs(params) {
                        drawn[input as usize] = true;
                    }
                }
            }
            (0..last)
                .filter(|&id| drawn[id])
                .map(|id| {
                    let node = nodes[id];
                    let (value, constant) = match node.value() {
                        Value::Scalar(v) => {
                            (number(v), constants.binary_search(&(id as NodeId)).is_ok())
                        }
                        Value::Tensor(slot) => {
                            (tensor_text(&tensors[slot as usize]), node.is_constant())
                        }
                    };
                    Entry {
                        id: id as NodeId,
                        op: node.op,
                        inputs: node.op.inputs(params).to_vec(),
                        value,
                        // a constant has no gradient to show
                        gradient: (!constant)
                            .then(|| self.gradient_text(id as NodeId, node.value(), tensors))
                            .flatten(),
                        constant,
                    }
                })
                .collect()
        })
    }

    fn gradient_text(&self, id: NodeId, value: Value, tensors: &[AnyTensor]) -> Option<String> {
        let columns = self.gradients?.columns();
        Some(match value {
            Value::Scalar(_) => number(
                columns
                    .scalar
                    .get(id as usize)
                    .copied()
                    .flatten()
                    .unwrap_or(0.0),
            ),
            Value::Tensor(slot) => {
                let slot = slot as usize;
                let found = match (columns.t32.get(slot), columns.t64.get(slot)) {
                    (Some(Some(g)), _) => Some(AnyTensor::new(g.clone())),
                    (_, Some(Some(g))) => Some(AnyTensor::new(g.clone())),
                    _ => None,
                };
                match found {
                    Some(g) if (id as usize) < columns.scalar.len() => tensor_text(&g),
                    _ => format!("0 {}", tensors[slot].shape()),
                }
            }
        })
    }

    fn label(&self, id: NodeId) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// The drawing as Graphviz DOT: a box per value (`name | data | grad`), an oval per op
    /// with arrows from its inputs; leaves are blue, constants grey, the output bold.
    pub fn to_dot(&self) -> String {
        let mut dot =
            String::from("digraph tape {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        for entry in self.entries() {
            let id = entry.id;
            let mut fields = vec![
                escape(&self.label(id)),
                format!("data {}", escape(&entry.value)),
            ];
            if let Some(g) = &entry.gradient {
                fields.push(format!("grad {}", escape(g)));
            }
            let style = if Some(id) == self.output {
                ", penwidth=2"
            } else if entry.constant {
                ", style=filled, fillcolor=\"#eeeeee\""
            } else if entry.op == Op::Leaf {
                ", style=filled, fillcolor=\"#dbe9f6\""
            } else {
                ""
            };
            let _ = writeln!(
                dot,
                "  n{id} [shape=record, label=\"{{ {} }}\"{style}];",
                fields.join(" | ")
            );
            if entry.op != Op::Leaf {
                let _ = writeln!(dot, "  n{id}op [label=\"{}\"];", symbol(entry.op));
                let _ = writeln!(dot, "  n{id}op -> n{id};");
                for input in &entry.inputs {
                    let _ = writeln!(dot, "  n{input} -> n{id}op;");
                }
            }
        }
        dot.push_str("}\n");
        dot
    }

    /// The drawing as text, one line per node in recording order (a Wengert list):
    /// `#2 c = mul(#0, #1)   data 6   grad 1`.
    pub fn to_text(&self) -> String {
        let entries = self.entries();
        let rows: Vec<(String, String, String)> = entries
            .iter()
            .map(|e| {
                let name = match self.names.get(&e.id) {
                    Some(n) => format!("#{} {n}", e.id),
                    None => format!("#{}", e.id),
                };
                let gradient = e
                    .gradient
                    .as_ref()
                    .map(|g| format!("   grad {g}"))
                    .unwrap_or_default();
                (
                    name,
                    e.op.to_string(),
                    format!("data {}{gradient}", e.value),
                )
            })
            .collect();
        let width =
            |f: fn(&(String, String, String)) -> usize| rows.iter().map(f).max().unwrap_or(0);
        let (w0, w1) = (
            width(|r| r.0.chars().count()),
            width(|r| r.1.chars().count()),
        );
        rows.iter()
            .map(|(name, op, rest)| format!("{name:<w0$} = {op:<w1$}   {rest}\n"))
            .collect()
    }

    /// Writes the drawing as SVG at `path` by running Graphviz's `dot`; an error that says
    /// how to install it (`apt install graphviz`) when it is not on the `PATH`.
    ///
    /// ```no_run
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(1.0);
    /// autograd::Graph::of(x.exp()).save_svg("exp.svg".as_ref()).unwrap();
    /// ```
    pub fn save_svg(&self, path: &Path) -> Result<()> {
        save_svg_with(&self.to_dot(), path, "dot")
    }
}

/// Runs `program -Tsvg -o path` on `dot`.
fn save_svg_with(dot: &str, path: &Path, program: &str) -> Result<()> {
    let graphviz = |message: String| Error::Graphviz {
        path: path.display().to_string(),
        message,
    };
    let mut child = Command::new(program)
        .arg("-Tsvg")
        .arg("-o")
        .arg(path)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| {
            graphviz(if err.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "Graphviz's `{program}` is not installed (Debian/Ubuntu: `apt install graphviz`; \
                     macOS: `brew install graphviz`); Graph::to_dot gives the text to render elsewhere"
                )
            } else {
                format!("cannot run `{program}`: {err}")
            })
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .map_err(|err| graphviz(format!("cannot write to `{program}`: {err}")))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|err| graphviz(format!("`{program}` did not finish: {err}")))?;
    if !output.status.success() {
        return Err(graphviz(format!(
            "`{program}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

/// The op's sign in a picture: `+`, `×`, or its name.
fn symbol(op: Op) -> String {
    match op {
        Op::Add { .. } => "+".into(),
        Op::Sub { .. } => "−".into(),
        Op::Mul { .. } => "×".into(),
        Op::Div { .. } => "÷".into(),
        Op::Neg { .. } => "−x".into(),
        Op::Affine { scale, shift, .. } => {
            format!("{}·x + {}", number(scale.get()), number(shift.get()))
        }
        Op::PowI { n, .. } => format!("x^{n}"),
        Op::PowF { p, .. } => format!("x^{}", number(p.get())),
        other => other.name().into(),
    }
}

/// A number, short: integers without decimals, others to four significant digits
/// (scientific notation below 0.001 and from 100,000).
fn number(v: f64) -> String {
    let magnitude = v.abs();
    if v.fract() == 0.0 && magnitude < 1e15 {
        format!("{v}")
    } else if !v.is_finite() || !(1e-3..1e5).contains(&magnitude) {
        format!("{v:.3e}")
    } else {
        let decimals = (3 - magnitude.log10().floor() as i32).max(0) as usize;
        format!("{v:.decimals$}")
    }
}

/// A tensor's elements when few, else its shape.
fn tensor_text(t: &AnyTensor) -> String {
    let values = t.to_f64();
    if values.numel() > SHOWN_ELEMENTS {
        return format!("{}", t.shape());
    }
    let shown: Vec<String> = values.as_slice().iter().map(|&v| number(v)).collect();
    format!("[{}] {}", shown.join(", "), t.shape())
}

/// Escapes what a DOT record label treats as structure.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '{' | '}' | '|' | '<' | '>' | '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tensor;

    #[test]
    fn only_ancestors_are_drawn_and_every_edge_is_there() {
        let tape = Tape::new();
        let x = tape.var(1.0);
        let y = tape.var(2.0);
        let _other = y.exp();
        let z = (x * y).sin();
        let text = Graph::of(z).to_text();
        assert_eq!(text.lines().count(), 4, "{text}"); // x, y, x·y, sin
        let dot = Graph::of(z).to_dot();
        for edge in [
            "n0 -> n3op",
            "n1 -> n3op",
            "n3op -> n3",
            "n3 -> n4op",
            "n4op -> n4",
        ] {
            assert!(dot.contains(edge), "{edge} missing in\n{dot}");
        }
    }

    #[test]
    fn tensors_show_few_elements_or_their_shape() {
        let tape = Tape::new();
        let small = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.5], [2]).unwrap());
        let large = tape.tensor(Tensor::<f32>::zeros([3, 4]));
        let loss = small.sum() + large.sum().item();
        let grads = loss.backward();
        let text = Graph::of(loss).gradients(&grads).to_text();
        assert!(
            text.contains("data [1, 2.500] [2]   grad [1, 1] [2]"),
            "{text}"
        );
        assert!(text.contains("data [3, 4]   grad [3, 4]"), "{text}");
    }

    #[test]
    fn numbers_keep_four_significant_digits() {
        let shown: Vec<String> = [1.0, 0.5, -0.06274, 123.456, 2.5e-5, 3e7 + 0.5, f64::NAN]
            .map(number)
            .to_vec();
        assert_eq!(
            shown,
            [
                "1", "0.5000", "-0.06274", "123.5", "2.500e-5", "3.000e7", "NaN"
            ]
        );
    }

    #[test]
    fn record_labels_are_escaped() {
        let tape = Tape::new();
        let x = tape.var(1.0);
        let dot = Graph::of(x).name(x, "a|b{c}").to_dot();
        assert!(dot.contains("a\\|b\\{c\\}"), "{dot}");
    }

    #[test]
    fn a_missing_graphviz_is_explained() {
        let err = save_svg_with(
            "digraph {}",
            Path::new("/tmp/never.svg"),
            "no-such-dot-program",
        )
        .unwrap_err();
        assert!(err.to_string().contains("apt install graphviz"), "{err}");
    }
}
