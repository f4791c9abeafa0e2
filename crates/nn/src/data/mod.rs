//! Data sets and their generators.

mod moons;

pub use moons::{Moons, two_moons};
