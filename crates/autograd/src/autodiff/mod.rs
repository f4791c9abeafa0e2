//! The sweeps: reverse mode (one backward loop over the tape), forward mode (one loop in
//! recording order), the gradient store, and the derivative helpers built on them (jvp, vjp,
//! jacobian, hessian, hvp).

pub(crate) mod derivatives;
pub(crate) mod forward;
pub(crate) mod gradients;
pub(crate) mod reverse;
pub(crate) mod watched;
