//! Operators for [`TensorVar`] (with another tensor variable, a scalar variable or a plain
//! `f64` on either side, broadcasting; a shape mismatch panics naming both shapes), and the
//! traits that let the chain-rule table record tensor gradients.

use crate::error::OrPanic;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::dtype::Float;
use crate::ops::Unary;
use crate::ops::real::TensorAlgebra;
use crate::shape::Shape;
use crate::tensor::{Tensor, Window2d};
use crate::var::TensorVar;
use crate::var::Var;

impl<'t, F: Float> Neg for TensorVar<'t, F> {
    type Output = TensorVar<'t, F>;
    #[track_caller]
    fn neg(self) -> Self {
        self.apply(Unary::Neg)
    }
}

macro_rules! tensor_operator {
    ($Trait:ident, $method:ident, $try_method:ident, $AssignTrait:ident, $assign:ident,
     number_rhs: |$x:ident, $c:ident| $number_rhs:expr,
     number_lhs: |$c2:ident, $x2:ident| $number_lhs:expr) => {
        impl<'t, F: Float> $Trait for TensorVar<'t, F> {
            type Output = TensorVar<'t, F>;
            #[track_caller]
            fn $method(self, rhs: TensorVar<'t, F>) -> Self {
                self.$try_method(rhs).or_panic()
            }
        }

        /// A number of either precision (`w_f32 * lr_f32`), taken as `f64`.
        impl<'t, F: Float, S: Float> $Trait<S> for TensorVar<'t, F> {
            type Output = TensorVar<'t, F>;
            #[track_caller]
            fn $method(self, rhs: S) -> Self {
                let ($x, $c) = (self, rhs.to_f64());
                $number_rhs
            }
        }

        impl<'t, F: Float> $Trait<TensorVar<'t, F>> for f64 {
            type Output = TensorVar<'t, F>;
            #[track_caller]
            fn $method(self, rhs: TensorVar<'t, F>) -> TensorVar<'t, F> {
                let ($c2, $x2) = (self, rhs);
                $number_lhs
            }
        }

        /// A scalar variable broadcasts like a 0-d tensor.
        impl<'t, F: Float> $Trait<Var<'t>> for TensorVar<'t, F> {
            type Output = TensorVar<'t, F>;
            #[track_caller]
            fn $method(self, rhs: Var<'t>) -> Self {
                $Trait::$method(self, rhs.to_tensor::<F>())
            }
        }

        impl<'t, F: Float> $Trait<TensorVar<'t, F>> for Var<'t> {
            type Output = TensorVar<'t, F>;
            #[track_caller]
            fn $method(self, rhs: TensorVar<'t, F>) -> TensorVar<'t, F> {
                $Trait::$method(self.to_tensor::<F>(), rhs)
            }
        }

        impl<'t, F: Float> $AssignTrait for TensorVar<'t, F> {
            #[track_caller]
            fn $assign(&mut self, rhs: TensorVar<'t, F>) {
                *self = $Trait::$method(*self, rhs);
            }
        }

        impl<F: Float, S: Float> $AssignTrait<S> for TensorVar<'_, F> {
            #[track_caller]
            fn $assign(&mut self, rhs: S) {
                *self = $Trait::$method(*self, rhs);
            }
        }
    };
}

tensor_operator!(Add, add, try_add, AddAssign, add_assign,
    number_rhs: |x, c| x.affine(1.0, c),
    number_lhs: |c, x| x.affine(1.0, c));
tensor_operator!(Sub, sub, try_sub, SubAssign, sub_assign,
    number_rhs: |x, c| x.affine(1.0, -c),
    number_lhs: |c, x| x.affine(-1.0, c));
tensor_operator!(Mul, mul, try_mul, MulAssign, mul_assign,
    number_rhs: |x, c| x.affine(c, 0.0),
    number_lhs: |c, x| x.affine(c, 0.0));
tensor_operator!(Div, div, try_div, DivAssign, div_assign,
    number_rhs: |x, c| x.affine(1.0 / c, 0.0),
    number_lhs: |c, x| x.tape().constant_tensor(Tensor::scalar(F::from_f64(c))) / x);

/// Tensor variables as [`Real`]s: generic code (and the chain-rule table) runs on them.
impl<'t, F: Float> TensorAlgebra for TensorVar<'t, F> {
    type Scalar = Var<'t>;

    #[track_caller]
    fn shape(&self) -> Shape {
        TensorVar::shape(*self)
    }
    #[track_caller]
    fn sum_to_shape(self, shape: &Shape) -> Self {
        TensorVar::sum_to_shape(self, shape)
    }
    #[track_caller]
    fn broadcast_to(self, shape: &Shape) -> Self {
        TensorVar::broadcast_to(self, shape)
    }
    #[track_caller]
    fn reshape(self, shape: &Shape) -> Self {
        TensorVar::reshape(self, shape)
    }
    #[track_caller]
    fn permute(self, axes: &[usize]) -> Self {
        TensorVar::permute(self, axes)
    }
    #[track_caller]
    fn flip(self, axes: &[usize]) -> Self {
        TensorVar::flip(self, axes)
    }
    #[track_caller]
    fn unfold(self, window: &[usize]) -> Self {
        let (window, _, layout) = Window2d::from_param(window);
        self.unfold_as(window, layout).or_panic()
    }
    #[track_caller]
    fn fold(self, window: &[usize]) -> Self {
        let (window, size, layout) = Window2d::from_param(window);
        self.fold_as(window, size, layout).or_panic()
    }
    #[track_caller]
    fn matmul_transposed(self, rhs: Self, lhs_transposed: bool, rhs_transposed: bool) -> Self {
        self.try_matmul_transposed(rhs, lhs_transposed, rhs_transposed)
            .or_panic()
    }
    #[track_caller]
    fn sum_axes(self, axes: &[usize], keepdim: bool) -> Self {
        TensorVar::sum_axes(self, axes, keepdim)
    }
    #[track_caller]
    fn narrow(self, axis: usize, start: usize, len: usize) -> Self {
        self.try_narrow(axis, start, len).or_panic()
    }
    #[track_caller]
    fn pad(self, axis: usize, start: usize, total: usize) -> Self {
        self.try_pad(axis, start, total).or_panic()
    }
    #[track_caller]
    fn index_select(self, axis: usize, indices: &[usize]) -> Self {
        self.try_index_select(axis, indices).or_panic()
    }
    #[track_caller]
    fn index_add(self, axis: usize, indices: &[usize], size: usize) -> Self {
        self.try_index_add(axis, indices, size).or_panic()
    }
    #[track_caller]
    fn gather(self, axis: usize, index: &[usize], index_shape: &Shape) -> Self {
        self.try_gather(axis, index, index_shape).or_panic()
    }
    #[track_caller]
    fn scatter_add(self, axis: usize, index: &[usize], target: &Shape) -> Self {
        self.try_scatter_add(axis, index, target).or_panic()
    }
    #[track_caller]
    fn zeros_like(&self) -> Self {
        self.tape().constant_tensor(Tensor::zeros(self.shape()))
    }
    #[track_caller]
    fn eq_mask(self, other: Self) -> Self {
        self.try_eq(other).or_panic()
    }
    #[track_caller]
    fn select(self, on_true: Self, on_false: Self) -> Self {
        TensorVar::select(self, on_true, on_false)
    }
    #[track_caller]
    fn item(self) -> Var<'t> {
        TensorVar::item(self)
    }
    #[track_caller]
    fn scalar_like(&self, value: Var<'t>) -> Self {
        value.to_tensor()
    }
}
