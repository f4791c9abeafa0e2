//! The primitives: the closed list of operations the tape records ([`Op`]), the table of
//! elementwise ones, and the arithmetic traits their rules are written in.

pub(crate) mod elementwise;
mod op;
pub(crate) mod real;

pub use elementwise::{Binary, Constant, Domain, Unary};
pub(crate) use op::Kink;
pub use op::{NodeId, Op, Param};
