//! The value handles: [`Var`] (a scalar on a tape) and [`TensorVar`] (a tensor on a tape),
//! `Copy` handles naming one recorded node, with every method and operator that records an
//! op, and the tape's constructors of handles.

mod scalar;
mod scalar_elementwise;
mod scalar_operators;
mod tape_handles;
mod tensor_var;

pub use scalar::Var;
pub use tensor_var::TensorVar;
