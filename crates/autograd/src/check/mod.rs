//! Gradient checking against finite differences, for scalar and tensor functions: the
//! referee every derivative in the engine is tested against, and public for yours.

pub(crate) mod scalar;
pub(crate) mod tensor;
