//! The gradient stores that backward returns: [`Gradients`] (numbers) and [`GradientGraph`]
//! (variables on the tape, which can be differentiated again).

use crate::backward::sweep;
use crate::error::{Error, Result};
use crate::scalar::Var;
use crate::tape::Tape;

/// The gradients of one output with respect to every node recorded before it.
///
/// Returned by [`Var::backward`]; ask it with [`wrt`](Self::wrt). Nodes the output does not
/// depend on (including nodes recorded after it) have gradient zero.
///
/// ```
/// use autograd::Tape;
///
/// // y = x^2 + 5x + 4
/// let tape = Tape::new();
/// let x = tape.var(3.0);
/// let unused = tape.var(1.0);
/// let y = x * x + 5.0 * x + 4.0;
/// assert_eq!(y.value(), 28.0);
/// let grads = y.backward();
/// assert_eq!(grads.wrt(x), 11.0); // dy/dx = 2x + 5
/// assert_eq!(grads.wrt(unused), 0.0);
/// assert_eq!(grads.wrt(y), 1.0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Gradients {
    tape: u64,
    generation: u64,
    grads: Vec<Option<f64>>,
}

impl Gradients {
    /// An empty store, to be filled (again and again, without allocating) by
    /// [`Var::backward_into`].
    ///
    /// ```
    /// let grads = autograd::Gradients::new();
    /// let tape = autograd::Tape::new();
    /// assert!(grads.try_wrt(tape.var(1.0)).is_err()); // not filled for this tape yet
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// `∂output/∂x`; panics if `x` is from another tape or from after a clear.
    ///
    /// The fallible form is [`try_wrt`](Self::try_wrt).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// assert_eq!(x.powi(2).backward().wrt(x), 6.0);
    /// ```
    #[track_caller]
    pub fn wrt(&self, x: Var<'_>) -> f64 {
        self.try_wrt(x).unwrap_or_else(|err| panic!("{err}"))
    }

    /// `∂output/∂x`, or an error naming the tapes if `x` does not belong to them.
    ///
    /// ```
    /// use autograd::{Error, Tape};
    ///
    /// let mut tape = Tape::new();
    /// let grads = tape.var(1.0).exp().backward();
    /// tape.clear();
    /// let x = tape.var(1.0);
    /// assert!(matches!(grads.try_wrt(x), Err(Error::StaleGradients { .. })));
    /// ```
    pub fn try_wrt(&self, x: Var<'_>) -> Result<f64> {
        let tape = x.tape();
        if tape.id() != self.tape {
            return Err(Error::ForeignVariable {
                node: x.id(),
                var_tape: tape.id(),
                other_tape: self.tape,
            });
        }
        if tape.generation() != self.generation {
            return Err(Error::StaleGradients {
                tape: self.tape,
                node: x.id(),
                grads_generation: self.generation,
                var_generation: tape.generation(),
            });
        }
        Ok(self.grads.get(x.id()).copied().flatten().unwrap_or(0.0))
    }

    /// The gradients of the listed variables, in order.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let xs = tape.vars(&[1.0, 2.0]);
    /// let grads = (xs[0] * xs[1]).backward();
    /// assert_eq!(grads.wrt_all(&xs), vec![2.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn wrt_all(&self, xs: &[Var<'_>]) -> Vec<f64> {
        xs.iter().map(|&x| self.wrt(x)).collect()
    }
}

/// Gradients recorded as variables on the tape, so they can be differentiated again.
///
/// Returned by [`Var::backward_graph`]. The backward pass runs the same chain-rule table as
/// [`Var::backward`], but on variables, so each gradient is a [`Var`] with its own history.
///
/// ```
/// use autograd::Tape;
///
/// // f(x, y) = x² y: a Hessian by differentiating the gradient again
/// let tape = Tape::new();
/// let (x, y) = (tape.var(3.0), tape.var(2.0));
/// let f = x * x * y;
/// let df = f.backward_graph();
/// let dfdx = df.wrt(x); // 2xy
/// assert_eq!(dfdx.value(), 12.0);
/// let second = dfdx.backward();
/// assert_eq!(second.wrt(x), 4.0); // ∂²f/∂x² = 2y
/// assert_eq!(second.wrt(y), 6.0); // ∂²f/∂x∂y = 2x
/// ```
#[derive(Debug, Clone)]
pub struct GradientGraph<'t> {
    tape: &'t Tape,
    grads: Vec<Option<Var<'t>>>,
}

impl<'t> GradientGraph<'t> {
    /// `∂output/∂x` as a variable; a recorded zero if the output does not depend on `x`.
    /// Panics if `x` is from another tape.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(3.0);
    /// let dx = x.powi(3).backward_graph().wrt(x); // 3x²
    /// assert_eq!(dx.value(), 27.0);
    /// assert_eq!(dx.backward().wrt(x), 18.0); // 6x
    /// ```
    #[track_caller]
    pub fn wrt(&self, x: Var<'t>) -> Var<'t> {
        self.try_wrt(x).unwrap_or_else(|err| panic!("{err}"))
    }

    /// `∂output/∂x` as a variable, or an error if `x` is from another tape.
    ///
    /// ```
    /// use autograd::Tape;
    /// let (a, b) = (Tape::new(), Tape::new());
    /// let graph = a.var(1.0).exp().backward_graph();
    /// assert!(graph.try_wrt(b.var(1.0)).is_err());
    /// ```
    pub fn try_wrt(&self, x: Var<'t>) -> Result<Var<'t>> {
        if !std::ptr::eq(x.tape(), self.tape) {
            return Err(Error::ForeignVariable {
                node: x.id(),
                var_tape: x.tape().id(),
                other_tape: self.tape.id(),
            });
        }
        Ok(match self.grads.get(x.id()).copied().flatten() {
            Some(grad) => grad,
            None => self.tape.constant(0.0),
        })
    }

    /// The gradient variables of the listed variables, in order.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let xs = tape.vars(&[1.0, 2.0]);
    /// let grad = (xs[0] * xs[1]).backward_graph().wrt_all(&xs);
    /// assert_eq!((grad[0].value(), grad[1].value()), (2.0, 1.0));
    /// ```
    #[track_caller]
    pub fn wrt_all(&self, xs: &[Var<'t>]) -> Vec<Var<'t>> {
        xs.iter().map(|&x| self.wrt(x)).collect()
    }
}

impl<'t> Var<'t> {
    /// Reverse mode: the gradient of this output with respect to every earlier node.
    ///
    /// One reverse loop over the tape; can be called again, from any node, any number of times.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let a = tape.var(2.0);
    /// let b = a * a + a; // a is used three times: the paths add up
    /// assert_eq!(b.backward().wrt(a), 5.0);
    /// assert_eq!(b.backward().wrt(a), 5.0); // and again
    /// ```
    pub fn backward(self) -> Gradients {
        let mut grads = Gradients::new();
        self.backward_into(&mut grads);
        grads
    }

    /// [`backward`](Self::backward) into an existing store, reusing its memory: a training
    /// loop that keeps one `Gradients` does not allocate once warm.
    ///
    /// ```
    /// use autograd::{Gradients, Tape};
    ///
    /// let mut tape = Tape::new();
    /// let mut grads = Gradients::new();
    /// for w0 in [1.0, 2.0] {
    ///     let w = tape.var(w0);
    ///     (w * w).backward_into(&mut grads);
    ///     assert_eq!(grads.wrt(w), 2.0 * w0);
    ///     tape.clear();
    /// }
    /// ```
    pub fn backward_into(self, grads: &mut Gradients) {
        let tape = self.tape();
        grads.tape = tape.id();
        grads.generation = tape.generation();
        let root = self.node_id();
        tape.with_nodes(|nodes| {
            sweep(
                root,
                1.0,
                &mut grads.grads,
                |id| nodes[id as usize].op,
                |id| nodes[id as usize].value,
            );
        });
    }

    /// Reverse mode with the backward pass recorded on the tape: each gradient is a variable,
    /// which can itself be differentiated (second and higher derivatives, Hessians).
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// let x = tape.var(2.0);
    /// let y = x.powi(4);
    /// let d1 = y.backward_graph().wrt(x); // 4x³ = 32
    /// let d2 = d1.backward_graph().wrt(x); // 12x² = 48
    /// let d3 = d2.backward().wrt(x); // 24x = 48
    /// assert_eq!((d1.value(), d2.value(), d3), (32.0, 48.0, 48.0));
    /// ```
    pub fn backward_graph(self) -> GradientGraph<'t> {
        let tape = self.tape();
        let mut grads = Vec::new();
        sweep(
            self.node_id(),
            tape.constant(1.0),
            &mut grads,
            |id| tape.node(id).op,
            |id| Var::new(tape, id),
        );
        GradientGraph { tape, grads }
    }
}
