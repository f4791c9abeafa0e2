//! Hooks: functions that see, and may replace, the gradient flowing through a node during
//! `backward` (to print it, clip it, or zero it), as PyTorch's `register_hook`.
//!
//! Gradients of intermediate nodes need no hook to be read: the store returned by `backward`
//! answers for every node (`grads.wrt(hidden)`), where PyTorch needs `retain_grad`.

use crate::dtype::ByDtype;
use crate::dtype::Family;
use std::fmt;

use crate::dtype::Float;
use crate::tape::watch::{Hook, HookFn, TensorHook};
use crate::tensor::Tensor;
use crate::var::TensorVar;
use crate::var::Var;

/// The dtype family of boxed tensor hooks (see the seam in `dtype/mod.rs`).
pub(crate) struct Hooks;
impl Family for Hooks {
    type Of<F: Float> = TensorHook<F>;
}

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hook(#{})", self.node)
    }
}

impl<'t> Var<'t> {
    /// Calls `hook` with this node's gradient during every numeric `backward` from a node
    /// that depends on it; what `hook` returns replaces the gradient, both in the store and in
    /// what flows on to this node's inputs. Several hooks run in the order registered.
    /// Hooks are forgotten by `clear`; recorded gradient graphs (`backward_graph`) do not run
    /// them.
    ///
    /// ```
    /// use autograd::Tape;
    /// use std::sync::{Arc, Mutex};
    ///
    /// let tape = Tape::new();
    /// let x = tape.var(3.0);
    /// let h = x * x; // dh/dx = 2x = 6
    /// let seen = Arc::new(Mutex::new(0.0));
    /// let spy = seen.clone();
    /// h.register_hook(move |g| {
    ///     *spy.lock().unwrap() = g; // inspect
    ///     g.clamp(-0.5, 0.5) // and clip
    /// });
    /// let y = h * 10.0;
    /// let grads = y.backward();
    /// assert_eq!(*seen.lock().unwrap(), 10.0); // dy/dh, before the hook
    /// assert_eq!(grads.wrt(h), 0.5); // after
    /// assert_eq!(grads.wrt(x), 0.5 * 6.0); // the clipped gradient flowed on
    /// ```
    ///
    /// A hook must not record on this tape (the backward pass is reading it): that panics
    /// with an error saying so. Compute with plain numbers or tensors inside a hook.
    pub fn register_hook(self, hook: impl Fn(f64) -> f64 + Send + 'static) {
        self.tape().writable(&self.tape().watch.hooks).push(Hook {
            node: self.node_id(),
            f: HookFn::Scalar(Box::new(hook)),
        });
    }
}

impl<'t, F: Float> TensorVar<'t, F> {
    /// Calls `hook` with this tensor's gradient during every numeric `backward` that reaches
    /// it; what `hook` returns (of the same shape) replaces the gradient, in the store and
    /// downstream. See [`Var::register_hook`].
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let w = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -2.0], [2]).unwrap());
    /// let hidden = w * 3.0;
    /// hidden.register_hook(|g| g.map(|v| v.clamp(-1.0, 1.0))); // clip elementwise
    /// let loss = (hidden * hidden).sum(); // d/dhidden = 2 hidden = (6, -12)
    /// let grads = loss.backward();
    /// assert_eq!(grads.wrt(hidden).to_vec(), vec![1.0, -1.0]);
    /// assert_eq!(grads.wrt(w).to_vec(), vec![3.0, -3.0]);
    /// ```
    ///
    /// # Panics
    /// `backward` panics if the hook returns a tensor of another shape, naming both.
    pub fn register_hook(self, hook: impl Fn(&Tensor<F>) -> Tensor<F> + Send + 'static) {
        let boxed: TensorHook<F> = Box::new(hook);
        let f = match F::split::<Hooks>(boxed) {
            ByDtype::F32(hook) => HookFn::T32(hook),
            ByDtype::F64(hook) => HookFn::T64(hook),
        };
        self.tape().writable(&self.tape().watch.hooks).push(Hook {
            node: self.node_id(),
            f,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Tape, Tensor};

    #[test]
    fn hooks_run_in_order_and_only_on_their_node() {
        let tape = Tape::new();
        let x = tape.var(1.0);
        let a = x * 2.0;
        let b = x * 3.0;
        a.register_hook(|g| g + 1.0);
        a.register_hook(|g| g * 10.0);
        let y = a + b;
        let grads = y.backward();
        assert_eq!(grads.wrt(a), (1.0 + 1.0) * 10.0);
        assert_eq!(grads.wrt(b), 1.0);
        assert_eq!(grads.wrt(x), 20.0 * 2.0 + 3.0);
    }

    #[test]
    fn f32_tensor_hooks_work_and_clear_forgets_hooks() {
        let mut tape = Tape::new();
        {
            let w = tape.tensor(Tensor::<f32>::ones([2]));
            w.register_hook(|g| g.map(|_| 0.0));
            assert_eq!(w.sum().backward().wrt(w).to_vec(), vec![0.0f32, 0.0]);
        }
        tape.clear();
        let w = tape.tensor(Tensor::<f32>::ones([2]));
        assert_eq!(w.sum().backward().wrt(w).to_vec(), vec![1.0f32, 1.0]);
    }

    #[test]
    #[should_panic(
        expected = "hook on node #1 returned a gradient of shape [3]; the gradient has shape [2]"
    )]
    fn a_hook_that_changes_the_shape_is_named() {
        let tape = Tape::new();
        let w = tape.tensor(Tensor::<f64>::ones([2]));
        let h = w * 2.0;
        h.register_hook(|_| Tensor::zeros([3]));
        let _ = h.sum().backward();
    }
}
