//! [`Input`]: what a module's `forward` takes, and how a batch of data becomes it on a tape.
//! A float tensor is recorded as a constant [`TensorVar`]; [`Indices`] (token ids for an
//! embedding) pass through as they are, since nothing differentiates with respect to a
//! whole number; a pair of inputs becomes a pair.

use autograd::{Float, Tape, Tensor, TensorVar};

use crate::data::{Indices, Samples};

/// Data a [`Module`](crate::Module) can take as its input: [`Samples`] that can be put on a
/// tape for a forward pass.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::Input;
/// use nn::data::Indices;
/// let tape = Tape::new();
/// let x = Tensor::<f32>::ones([2, 3]);
/// let (v, ids) = Input::<f32>::record(&(x, Indices::labels(vec![4, 1], 5).unwrap()), &tape);
/// assert_eq!((v.dims(), ids.as_slice()), (vec![2, 3], &[4, 1][..]));
/// ```
pub trait Input<F: Float>: Samples {
    /// The input as `forward` sees it, on a tape with lifetime `'t`.
    type Var<'t>;
    /// Puts the input on `tape` (as constants: no gradient flows into data).
    fn record<'t>(&self, tape: &'t Tape) -> Self::Var<'t>;
}

impl<F: Float> Input<F> for Tensor<F> {
    type Var<'t> = TensorVar<'t, F>;
    fn record<'t>(&self, tape: &'t Tape) -> TensorVar<'t, F> {
        tape.constant_tensor(self.clone())
    }
}

impl<F: Float> Input<F> for Indices {
    type Var<'t> = Indices;
    fn record(&self, _: &Tape) -> Indices {
        self.clone()
    }
}

impl<F: Float, A: Input<F>, B: Input<F>> Input<F> for (A, B) {
    type Var<'t> = (A::Var<'t>, B::Var<'t>);
    fn record<'t>(&self, tape: &'t Tape) -> Self::Var<'t> {
        (self.0.record(tape), self.1.record(tape))
    }
}
