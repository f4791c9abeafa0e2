//! Derivatives of functions of a tensor, as one call each: Jacobian-vector and
//! vector-Jacobian products, the full Jacobian, the Hessian and Hessian-vector products.
//!
//! Each records `f` on a fresh tape and combines the two modes: reverse mode
//! ([`TensorVar::backward`]) for `uᵀJ`, forward mode ([`Tape::jvp`]) for `J v`, and forward over
//! reverse (the tangent of a recorded gradient) for `H v`. The function is written once, as a
//! closure over a [`TensorVar`], and works on any tape.

use crate::autodiff::forward::Direction;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tape::Tape;
use crate::tensor::Tensor;
use crate::var::TensorVar;

/// Returns `f` unchanged, typed as a function of a tensor variable on any tape, so that a
/// closure kept in a `let` can be passed to these helpers (a closure's signature is not
/// higher-ranked unless something asks for it; this asks).
///
/// ```
/// use autograd::{hessian, jacobian, tensor_fn, Tensor};
/// let f = tensor_fn(|x| x.powi(3).sum());
/// let x = Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap();
/// assert_eq!(jacobian(f, &x).unwrap().to_vec(), vec![3.0, 12.0]); // ∇f = 3x², as a 1×2 Jacobian
/// assert_eq!(hessian(f, &x).unwrap().to_vec(), vec![6.0, 0.0, 0.0, 12.0]);
/// ```
pub fn tensor_fn<F, G>(f: G) -> G
where
    F: Float,
    G: for<'t> Fn(TensorVar<'t, F>) -> TensorVar<'t, F>,
{
    f
}

/// The one-hot tensor of `shape` with a 1 at flat position `k`.
fn basis<F: Float>(shape: &Shape, k: usize) -> Tensor<F> {
    let mut data = vec![F::ZERO; shape.numel()];
    data[k] = F::ONE;
    Tensor::from_parts(data, shape.clone())
}

/// `a`'s dimensions followed by `b`'s.
fn joined(a: &Shape, b: &Shape) -> Shape {
    Shape::from(a.dims().iter().chain(b.dims()).copied().collect::<Vec<_>>())
}

/// `f(x)` and its Jacobian-vector product `J v` (forward mode: one sweep, the cost of about
/// one more evaluation of `f`). `v` has `x`'s shape; `J v` has `f(x)`'s.
///
/// ```
/// use autograd::{jvp, Tensor};
/// // f(x) = x², J = diag(2x): J v = 2 x ⊙ v
/// let x = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0], [3]).unwrap();
/// let v = Tensor::from_vec(vec![1.0, 0.0, -1.0], [3]).unwrap();
/// let (y, jv) = jvp(|x| x * x, &x, &v).unwrap();
/// assert_eq!(y.to_vec(), vec![1.0, 4.0, 9.0]);
/// assert_eq!(jv.to_vec(), vec![2.0, 0.0, -6.0]);
/// ```
pub fn jvp<F, G>(f: G, x: &Tensor<F>, v: &Tensor<F>) -> Result<(Tensor<F>, Tensor<F>)>
where
    F: Float,
    G: for<'t> Fn(TensorVar<'t, F>) -> TensorVar<'t, F>,
{
    x.shape().expect_same("jvp", v.shape())?;
    let tape = Tape::new();
    let input = tape.tensor(x.clone());
    let y = f(input);
    let tangents = tape.try_jvp(&Direction::new().try_along(input, v.clone())?)?;
    Ok((y.value(), tangents.try_of(y)?))
}

/// `f(x)` and its vector-Jacobian product `uᵀJ` (reverse mode: one backward pass). `u` has
/// `f(x)`'s shape; `uᵀJ` has `x`'s.
///
/// ```
/// use autograd::{vjp, Tensor};
/// // f(x) = A x with A = [[1, 2], [3, 4]]: uᵀJ = uᵀA
/// let a = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [2, 2]).unwrap();
/// let x = Tensor::from_vec(vec![1.0, 1.0], [2]).unwrap();
/// let u = Tensor::from_vec(vec![1.0, -1.0], [2]).unwrap();
/// let (_, ut_j) = vjp(|x| x.tape().constant_tensor(a.clone()).matvec(x), &x, &u).unwrap();
/// assert_eq!(ut_j.to_vec(), vec![-2.0, -2.0]);
/// ```
pub fn vjp<F, G>(f: G, x: &Tensor<F>, u: &Tensor<F>) -> Result<(Tensor<F>, Tensor<F>)>
where
    F: Float,
    G: for<'t> Fn(TensorVar<'t, F>) -> TensorVar<'t, F>,
{
    let tape = Tape::new();
    let input = tape.tensor(x.clone());
    let y = f(input);
    y.shape().expect_same("vjp", u.shape())?;
    let grads = (y * tape.constant_tensor(u.clone())).sum().try_backward()?;
    Ok((y.value(), grads.try_wrt(input)?))
}

/// The Jacobian of `f` at `x`: shape `f(x).dims ++ x.dims`, element `[i.., j..]` being
/// `∂f(x)[i..]/∂x[j..]`. Built row by row in reverse mode when `f(x)` has fewer elements than
/// `x`, column by column in forward mode otherwise, so it costs `min(m, n)` sweeps.
///
/// ```
/// use autograd::{jacobian, Tensor};
/// // f(x) = (x₀ x₁, sin x₀): J = [[x₁, x₀], [cos x₀, 0]]
/// let x = Tensor::<f64>::from_vec(vec![0.5, 2.0], [2]).unwrap();
/// let j = jacobian(|x| {
///     let (x0, x1) = (x.narrow(0, 0, 1), x.narrow(0, 1, 1));
///     autograd::TensorVar::concat(&[x0 * x1, x0.sin()], 0)
/// }, &x).unwrap();
/// assert_eq!(j.dims(), &[2, 2]);
/// assert_eq!(j.to_vec(), vec![2.0, 0.5, 0.5f64.cos(), 0.0]);
/// ```
pub fn jacobian<F, G>(f: G, x: &Tensor<F>) -> Result<Tensor<F>>
where
    F: Float,
    G: for<'t> Fn(TensorVar<'t, F>) -> TensorVar<'t, F>,
{
    let tape = Tape::new();
    let input = tape.tensor(x.clone());
    let y = f(input);
    let (m, n) = (y.shape().numel(), x.numel());
    let shape = joined(&y.shape(), x.shape());
    let mut data = crate::tensor::filled_vec("jacobian", &shape, F::ZERO)?;
    if m <= n {
        // row i = e_iᵀ J: one backward pass each
        for i in 0..m {
            let e = tape.constant_tensor(basis::<F>(&y.shape(), i));
            let row = (y * e).sum().try_backward()?.try_wrt(input)?;
            data[i * n..(i + 1) * n].copy_from_slice(row.as_slice());
        }
    } else {
        forward_columns(&tape, input, y, &mut data)?;
    }
    Ok(Tensor::from_parts(data, shape))
}

/// Fills `data` (row-major, `y.numel() × input.numel()`) with the Jacobian of `y` with respect
/// to `input`, column `j` being `J e_j`: one forward sweep per input element.
fn forward_columns<'t, F: Float>(
    tape: &'t Tape,
    input: TensorVar<'t, F>,
    y: TensorVar<'t, F>,
    data: &mut [F],
) -> Result<()> {
    let (shape, n) = (input.shape(), input.shape().numel());
    for j in 0..n {
        let direction = Direction::new().try_along(input, basis::<F>(&shape, j))?;
        let column = tape.try_jvp(&direction)?.try_of(y)?;
        for (i, &value) in column.as_slice().iter().enumerate() {
            data[i * n + j] = value;
        }
    }
    Ok(())
}

/// The Hessian of a scalar-valued `f` (a one-element result) at `x`: shape `x.dims ++ x.dims`.
/// The gradient is recorded once; each column `H e_j` is its tangent along `e_j` (forward
/// over reverse), so it costs one backward pass and `n` forward sweeps.
///
/// ```
/// use autograd::{hessian, Tensor};
/// // Rosenbrock f(x, y) = (1 − x)² + 100 (y − x²)² at its minimum (1, 1):
/// // H = [[802, −400], [−400, 200]]
/// let p = Tensor::<f64>::from_vec(vec![1.0, 1.0], [2]).unwrap();
/// let h = hessian(|p| {
///     let (x, y) = (p.narrow(0, 0, 1), p.narrow(0, 1, 1));
///     ((x.affine(-1.0, 1.0)).powi(2) + (y - x.powi(2)).powi(2) * 100.0).sum()
/// }, &p).unwrap();
/// assert_eq!(h.to_vec(), vec![802.0, -400.0, -400.0, 200.0]);
/// ```
pub fn hessian<F, G>(f: G, x: &Tensor<F>) -> Result<Tensor<F>>
where
    F: Float,
    G: for<'t> Fn(TensorVar<'t, F>) -> TensorVar<'t, F>,
{
    let tape = Tape::new();
    let input = tape.tensor(x.clone());
    let y = f(input);
    let grad = one_element("hessian", y)?
        .try_backward_graph()?
        .try_wrt(input)?;
    // the Jacobian of the gradient, by columns H e_j
    let shape = joined(x.shape(), x.shape());
    let mut data = crate::tensor::filled_vec("hessian", &shape, F::ZERO)?;
    forward_columns(&tape, input, grad, &mut data)?;
    Ok(Tensor::from_parts(data, shape))
}

/// The Hessian-vector product `H v` of a scalar-valued `f` at `x`, without forming `H`: one
/// recorded backward pass and one forward sweep (forward over reverse).
///
/// ```
/// use autograd::{hvp, Tensor};
/// // f(x) = Σ x³ / 3: H = diag(2x)
/// let x = Tensor::<f64>::from_vec(vec![1.0, -2.0], [2]).unwrap();
/// let v = Tensor::from_vec(vec![3.0, 1.0], [2]).unwrap();
/// let hv = hvp(|x| x.powi(3).sum() * (1.0 / 3.0), &x, &v).unwrap();
/// assert_eq!(hv.to_vec(), vec![6.0, -4.0]);
/// ```
pub fn hvp<F, G>(f: G, x: &Tensor<F>, v: &Tensor<F>) -> Result<Tensor<F>>
where
    F: Float,
    G: for<'t> Fn(TensorVar<'t, F>) -> TensorVar<'t, F>,
{
    x.shape().expect_same("hvp", v.shape())?;
    let tape = Tape::new();
    let input = tape.tensor(x.clone());
    let grad = one_element("hvp", f(input))?
        .try_backward_graph()?
        .try_wrt(input)?;
    let direction = Direction::new().try_along(input, v.clone())?;
    tape.try_jvp(&direction)?.try_of(grad)
}

/// `y` if it has one element, else the error `op` reports.
fn one_element<'t, F: Float>(op: &'static str, y: TensorVar<'t, F>) -> Result<TensorVar<'t, F>> {
    let shape = y.shape();
    if shape.numel() != 1 {
        return Err(Error::NotOneElement { op, shape });
    }
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(values: &[f64]) -> Tensor<f64> {
        Tensor::from_vec(values.to_vec(), [values.len()]).unwrap()
    }

    /// Central differences of `f` at `x`, in the Jacobian's layout.
    fn numeric_jacobian(f: impl Fn(&Tensor<f64>) -> Tensor<f64>, x: &Tensor<f64>) -> Vec<f64> {
        let (n, h) = (x.numel(), 1e-6);
        let m = f(x).numel();
        let mut j = vec![0.0; m * n];
        for col in 0..n {
            let moved = |by: f64| {
                let mut data = x.to_vec();
                data[col] += by;
                f(&Tensor::from_parts(data, x.shape().clone()))
            };
            let (plus, minus) = (moved(h), moved(-h));
            for row in 0..m {
                j[row * n + col] = (plus.as_slice()[row] - minus.as_slice()[row]) / (2.0 * h);
            }
        }
        j
    }

    fn assert_close(a: &[f64], b: &[f64], tol: f64) {
        assert_eq!(a.len(), b.len());
        for (k, (p, q)) in a.iter().zip(b).enumerate() {
            assert!(
                (p - q).abs() <= tol * (1.0 + q.abs()),
                "element {k}: {p} vs {q}"
            );
        }
    }

    // f(x) = tanh(W x + b), W 3×2 (more outputs than inputs: forward mode) and its transpose
    // problem (fewer outputs: reverse mode); both against finite differences.
    #[test]
    fn jacobians_by_either_mode_match_finite_differences() {
        let w = Tensor::<f64>::from_fn([3, 2], |i| 0.4 * i[0] as f64 - 0.3 * i[1] as f64 + 0.1);
        let tall =
            tensor_fn(|x: TensorVar<'_, f64>| x.tape().constant_tensor(w.clone()).matvec(x).tanh());
        let x = vector(&[0.3, -0.7]);
        let plain = |x: &Tensor<f64>| {
            w.try_matmul(&x.try_reshape([2, 1]).unwrap())
                .unwrap()
                .map(f64::tanh)
        };
        let j = jacobian(tall, &x).unwrap();
        assert_eq!(j.dims(), &[3, 2]);
        assert_close(j.as_slice(), &numeric_jacobian(plain, &x), 1e-8);

        let wide = tensor_fn(|x: TensorVar<'_, f64>| (x * x).sum().sin().reshape([1]));
        let x = vector(&[0.3, -0.7, 1.1]);
        let plain =
            |x: &Tensor<f64>| vector(&[x.as_slice().iter().map(|v| v * v).sum::<f64>().sin()]);
        let j = jacobian(wide, &x).unwrap();
        assert_eq!(j.dims(), &[1, 3]);
        assert_close(j.as_slice(), &numeric_jacobian(plain, &x), 1e-8);
    }

    #[test]
    fn hessian_is_the_jacobian_of_the_gradient_and_symmetric() {
        // f(x) = Σ exp(x_i x_{i+1}) + Σ x³
        let f = tensor_fn(|x: TensorVar<'_, f64>| {
            let n = x.dims()[0];
            (x.narrow(0, 0, n - 1) * x.narrow(0, 1, n - 1)).exp().sum() + x.powi(3).sum()
        });
        let x = vector(&[0.2, -0.5, 0.8, 0.1]);
        let h = hessian(f, &x).unwrap();
        let gradient = |x: &Tensor<f64>| {
            let tape = Tape::new();
            let v = tape.tensor(x.clone());
            f(v).backward().wrt(v)
        };
        assert_close(h.as_slice(), &numeric_jacobian(gradient, &x), 1e-6);
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(h.as_slice()[i * 4 + j], h.as_slice()[j * 4 + i]);
            }
        }
        // H v from hvp equals the matrix product
        let v = vector(&[1.0, -2.0, 0.5, 3.0]);
        let hv = hvp(f, &x, &v).unwrap();
        let product = h.try_matmul(&v.try_reshape([4, 1]).unwrap()).unwrap();
        assert_close(hv.as_slice(), product.as_slice(), 1e-12);
    }

    #[test]
    fn jvp_and_vjp_are_transposes() {
        let f = tensor_fn(|x: TensorVar<'_, f64>| (x.sin() * x.sum()).exp());
        let x = vector(&[0.1, 0.4, -0.3]);
        let (v, u) = (vector(&[1.0, 2.0, -1.0]), vector(&[0.5, -1.5, 2.0]));
        let (_, jv) = jvp(f, &x, &v).unwrap();
        let (_, ut_j) = vjp(f, &x, &u).unwrap();
        let dot = |a: &Tensor<f64>, b: &Tensor<f64>| {
            a.as_slice()
                .iter()
                .zip(b.as_slice())
                .map(|(p, q)| p * q)
                .sum::<f64>()
        };
        assert!((dot(&u, &jv) - dot(&ut_j, &v)).abs() < 1e-12);
    }

    #[test]
    fn f32_functions_work_too() {
        let x = Tensor::<f32>::from_vec(vec![1.0, 2.0], [2]).unwrap();
        let h = hessian(|x| x.powi(3).sum(), &x).unwrap();
        assert_eq!(h.to_vec(), vec![6.0f32, 0.0, 0.0, 12.0]);
    }

    #[test]
    fn bad_shapes_are_named() {
        let x = vector(&[1.0, 2.0]);
        let err = jvp(|x| x.exp(), &x, &vector(&[1.0])).unwrap_err();
        assert_eq!(err.to_string(), "shape mismatch in jvp: lhs [2], rhs [1]");
        let err = vjp(|x| x.exp(), &x, &vector(&[1.0, 2.0, 3.0])).unwrap_err();
        assert_eq!(err.to_string(), "shape mismatch in vjp: lhs [2], rhs [3]");
        let err = hessian(|x| x.exp(), &x).unwrap_err();
        assert!(err.to_string().contains("hessian"), "{err}");
        let err = hvp(|x| x.sum(), &x, &vector(&[1.0])).unwrap_err();
        assert_eq!(err.to_string(), "shape mismatch in hvp: lhs [2], rhs [1]");
    }
}
