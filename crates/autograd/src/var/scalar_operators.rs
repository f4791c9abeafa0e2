//! Arithmetic operators for [`Var`]: with another variable or a plain `f64` on either side.
//!
//! A plain number never becomes a node of its own where it can be folded into one
//! `Affine` node (`2.0 * x`, `x + 1.0`, `1.0 - x`, `x / 4.0`); only `c / x` records the
//! constant `c` as a leaf. Mixing variables of two tapes panics, naming both tapes.

use crate::dtype::Float;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::ops::{Binary, Unary};
use crate::var::Var;

impl<'t> Neg for Var<'t> {
    type Output = Var<'t>;
    #[inline]
    #[track_caller]
    fn neg(self) -> Var<'t> {
        self.unary(Unary::Neg)
    }
}

/// `Var ∘ Var`, `Var ∘ f64`, `f64 ∘ Var` and `Var ∘= _` for one operator.
macro_rules! binary_operator {
    ($Trait:ident, $method:ident, $AssignTrait:ident, $assign:ident, $Op:ident,
     var_number: |$x:ident, $c:ident| $var_number:expr,
     number_var: |$c2:ident, $x2:ident| $number_var:expr) => {
        impl<'t> $Trait for Var<'t> {
            type Output = Var<'t>;
            #[inline]
            #[track_caller]
            fn $method(self, rhs: Var<'t>) -> Var<'t> {
                self.binary(rhs, Binary::$Op)
            }
        }

        /// A number of either precision (an `f32` learning rate too), taken as `f64`.
        impl<'t, S: Float> $Trait<S> for Var<'t> {
            type Output = Var<'t>;
            #[inline]
            #[track_caller]
            fn $method(self, rhs: S) -> Var<'t> {
                let ($x, $c) = (self, rhs.to_f64());
                $var_number
            }
        }

        impl<'t> $Trait<Var<'t>> for f64 {
            type Output = Var<'t>;
            #[inline]
            #[track_caller]
            fn $method(self, rhs: Var<'t>) -> Var<'t> {
                let ($c2, $x2) = (self, rhs);
                $number_var
            }
        }

        impl<'t> $AssignTrait for Var<'t> {
            #[inline]
            #[track_caller]
            fn $assign(&mut self, rhs: Var<'t>) {
                *self = $Trait::$method(*self, rhs);
            }
        }

        impl<S: Float> $AssignTrait<S> for Var<'_> {
            #[inline]
            #[track_caller]
            fn $assign(&mut self, rhs: S) {
                *self = $Trait::$method(*self, rhs);
            }
        }
    };
}

binary_operator!(Add, add, AddAssign, add_assign, Add,
    var_number: |x, c| x.affine(1.0, c),
    number_var: |c, x| x.affine(1.0, c));
binary_operator!(Sub, sub, SubAssign, sub_assign, Sub,
    var_number: |x, c| x.affine(1.0, -c),
    number_var: |c, x| x.affine(-1.0, c));
binary_operator!(Mul, mul, MulAssign, mul_assign, Mul,
    var_number: |x, c| x.affine(c, 0.0),
    number_var: |c, x| x.affine(c, 0.0));
// `x / c` records `x · (1/c)`: one node, at most one rounding away from a true division.
binary_operator!(Div, div, DivAssign, div_assign, Div,
    var_number: |x, c| x.affine(1.0 / c, 0.0),
    number_var: |c, x| x.tape().constant(c) / x);

#[cfg(test)]
mod tests {
    use crate::Tape;

    #[test]
    fn numbers_on_either_side() {
        let tape = Tape::new();
        let x = tape.var(2.0);
        assert_eq!((x + 1.0).value(), 3.0);
        assert_eq!((1.0 + x).value(), 3.0);
        assert_eq!((x - 1.0).value(), 1.0);
        assert_eq!((1.0 - x).value(), -1.0);
        assert_eq!((x * 3.0).value(), 6.0);
        assert_eq!((3.0 * x).value(), 6.0);
        assert_eq!((x / 4.0).value(), 0.5);
        assert_eq!((4.0 / x).value(), 2.0);
        assert_eq!((-x).value(), -2.0);
    }

    #[test]
    fn compound_assignment_records_like_the_operator() {
        let tape = Tape::new();
        let x = tape.var(2.0);
        let mut y = x;
        y += x; // 2x
        y *= 3.0; // 6x
        y -= 1.0; // 6x - 1
        y /= x; // (6x - 1) / x
        assert_eq!(y.value(), 5.5);
        // d/dx (6 - 1/x) = 1/x²
        assert_eq!(y.backward().wrt(x), 0.25);
    }

    #[test]
    fn a_number_folds_into_one_node() {
        let tape = Tape::new();
        let x = tape.var(2.0);
        let before = tape.len();
        let _ = 2.0 * x + 1.0;
        assert_eq!(tape.len() - before, 2);
    }

    #[test]
    #[should_panic(expected = "belongs to tape")]
    fn mixing_tapes_panics_naming_both() {
        let (a, b) = (Tape::new(), Tape::new());
        let _ = a.var(1.0) * b.var(2.0);
    }
}
