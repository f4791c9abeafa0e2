//! # nn: neural networks from differentiable primitives
//!
//! Everything here is built from [`autograd`] operations, with no hand-written backward code.
//! For now it holds what the scalar engine's benchmark and first examples need: the two-moons
//! data set and micrograd's scalar multi-layer perceptron.
