//! The gradient checker's tensor front end: every element of every input tensor against
//! central finite differences, and Hessian-vector products of recorded backward passes.
//!
//! The same steps, tolerances, kink detection (element by element) and report as the scalar
//! checker in `grad_check.rs`; a failure names the input, the element and both values.

use crate::check::scalar::{
    DerivativeCheck, GradCheck, GradCheckReport, compare, kink_sides, step_for,
};
use crate::error::{Error, Result};
use crate::tape::Tape;
use crate::tensor::Tensor;
use crate::var::TensorVar;

/// One evaluation of `f` on a fresh tape.
struct Evaluation {
    value: f64,
    gradients: Vec<Tensor<f64>>,
    kinks: Vec<i8>,
}

fn evaluate<F>(
    f: &F,
    tape: &mut Tape,
    inputs: &[Tensor<f64>],
    gradients: bool,
) -> Result<Evaluation>
where
    F: for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
{
    tape.clear();
    let vars: Vec<_> = inputs.iter().map(|x| tape.tensor(x.clone())).collect();
    let out = f(&vars);
    let value = out.value().item().map_err(|_| Error::NotOneElement {
        op: "check_tensor_gradients",
        shape: out.shape(),
    })?;
    let gradients = if gradients {
        out.try_backward()?.wrt_all(&vars)
    } else {
        Vec::new()
    };
    Ok(Evaluation {
        value,
        gradients,
        kinks: kink_sides(tape),
    })
}

/// The multi-index of element `flat` of `shape`, for reports: `[1, 2]`.
fn index_of(flat: usize, dims: &[usize]) -> Vec<usize> {
    let mut index = vec![0; dims.len()];
    let mut rest = flat;
    for (i, &d) in dims.iter().enumerate().rev() {
        index[i] = rest % d.max(1);
        rest /= d.max(1);
    }
    index
}

/// The inputs with element `element` of input `input` moved by `by`.
fn moved(inputs: &[Tensor<f64>], input: usize, element: usize, by: f64) -> Vec<Tensor<f64>> {
    let mut moved = inputs.to_vec();
    let mut data = moved[input].to_vec();
    data[element] += by;
    moved[input] = Tensor::from_parts(data, inputs[input].shape().clone());
    moved
}

/// Returns `f` unchanged, typed as a function of tensor variables on any tape, so that a
/// closure stored in a `let` can be passed to the checkers more than once (see
/// [`scalar_function`](crate::scalar_function)).
///
/// ```
/// use autograd::{check_tensor_gradients, tensor_function, GradCheck, Tensor};
///
/// let f = tensor_function(|v| v[0].exp().sum());
/// let x = Tensor::<f64>::ones([2]);
/// check_tensor_gradients(&f, &[x.clone()], &GradCheck::default()).unwrap();
/// check_tensor_gradients(&f, &[x * 2.0], &GradCheck::default()).unwrap();
/// ```
pub fn tensor_function<F>(f: F) -> F
where
    F: for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
{
    f
}

/// Checks the gradient of `f` (which returns a one-element tensor) with respect to every
/// element of every input, against central finite differences in `f64`.
///
/// ```
/// use autograd::{check_tensor_gradients, GradCheck, Tensor};
///
/// // f(W, x) = Σ tanh(W x)
/// let w = Tensor::<f64>::from_fn([2, 3], |i| (i[0] + 2 * i[1]) as f64 * 0.3 - 0.5);
/// let x = Tensor::<f64>::from_fn([3, 1], |i| i[0] as f64 - 1.0);
/// let report = check_tensor_gradients(|v| v[0].matmul(v[1]).tanh().sum(), &[w, x], &GradCheck::default())
///     .unwrap();
/// assert_eq!(report.compared(), 6 + 3);
/// ```
pub fn check_tensor_gradients<F>(
    f: F,
    inputs: &[Tensor<f64>],
    config: &GradCheck,
) -> Result<GradCheckReport>
where
    F: for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
{
    let mut tape = Tape::new();
    let base = evaluate(&f, &mut tape, inputs, true)?;
    let point: Vec<f64> = inputs.iter().flat_map(|x| x.to_vec()).collect();
    if !base.value.is_finite() {
        return Err(Error::NonFiniteValue {
            point,
            value: base.value,
        });
    }
    let mut checks = Vec::new();
    for (i, x) in inputs.iter().enumerate() {
        for (e, &x_e) in x.as_slice().iter().enumerate() {
            let h = step_for(config, x_e);
            let plus = evaluate(&f, &mut tape, &moved(inputs, i, e, h), false)?;
            let minus = evaluate(&f, &mut tape, &moved(inputs, i, e, -h), false)?;
            let check = DerivativeCheck {
                what: format!("∂f/∂x{i}{:?}", index_of(e, x.dims())),
                analytic: base.gradients[i].as_slice()[e],
                numeric: (plus.value - minus.value) / (2.0 * h),
                near_kink: plus.kinks != base.kinks || minus.kinks != base.kinks,
            };
            checks.push(compare(config, &point, check)?);
        }
    }
    Ok(GradCheckReport { checks })
}

/// Checks second derivatives of `f` through a Hessian-vector product: `H v` from the recorded
/// backward pass (the gradient graph, differentiated again along `direction`) against the
/// central difference of first derivatives `(∇f(x + h v) − ∇f(x − h v)) / 2h`.
///
/// ```
/// use autograd::{check_tensor_hessian_vector, GradCheck, Tensor};
///
/// // f(x) = Σ x³ / 3 + (Σ x)²
/// let x = Tensor::<f64>::from_vec(vec![0.5, -1.0, 2.0], [3]).unwrap();
/// let v = Tensor::<f64>::from_vec(vec![1.0, 0.5, -0.25], [3]).unwrap();
/// let report = check_tensor_hessian_vector(
///     |x| x[0].powi(3).sum() * (1.0 / 3.0) + x[0].sum().powi(2),
///     &[x],
///     &[v],
///     &GradCheck::second_order(),
/// )
/// .unwrap();
/// assert_eq!(report.compared(), 3);
/// ```
pub fn check_tensor_hessian_vector<F>(
    f: F,
    inputs: &[Tensor<f64>],
    direction: &[Tensor<f64>],
    config: &GradCheck,
) -> Result<GradCheckReport>
where
    F: for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
{
    check_direction("check_tensor_hessian_vector", inputs, direction)?;
    let point: Vec<f64> = inputs.iter().flat_map(|x| x.to_vec()).collect();
    let mut tape = Tape::new();
    let analytic: Vec<Tensor<f64>> = {
        let vars: Vec<_> = inputs.iter().map(|x| tape.tensor(x.clone())).collect();
        let out = f(&vars);
        let graph = out.try_backward_graph()?;
        // ∇f · v, then its gradient: H v
        let mut dot = None;
        for (x, v) in vars.iter().zip(direction) {
            let term = (graph.wrt(*x) * tape.constant_tensor(v.clone())).sum();
            dot = Some(match dot {
                Some(sum) => sum + term,
                None => term,
            });
        }
        match dot {
            Some(dot) => dot.backward().wrt_all(&vars),
            None => Vec::new(),
        }
    };
    let base_kinks = evaluate(&f, &mut tape, inputs, false)?.kinks;
    let along = Along::new(config, &point, inputs, direction);
    let h = along.h;
    let plus = evaluate(&f, &mut tape, &along.shifted(1.0), true)?;
    let minus = evaluate(&f, &mut tape, &along.shifted(-1.0), true)?;
    let near_kink = plus.kinks != base_kinks || minus.kinks != base_kinks;
    let mut checks = Vec::new();
    for (i, x) in inputs.iter().enumerate() {
        for e in 0..x.numel() {
            let check = DerivativeCheck {
                what: format!("(H v) at x{i}{:?}", index_of(e, x.dims())),
                analytic: analytic[i].as_slice()[e],
                numeric: (plus.gradients[i].as_slice()[e] - minus.gradients[i].as_slice()[e])
                    / (2.0 * h),
                near_kink,
            };
            checks.push(compare(config, &point, check)?);
        }
    }
    Ok(GradCheckReport { checks })
}

/// Checks forward mode: the Jacobian-vector product `J v` of `f` (whose output may have any
/// shape) along `direction`, from [`Tape::jvp`], against the central difference
/// `(f(x + h v) − f(x − h v)) / 2h`, element by element of the output.
///
/// ```
/// use autograd::{check_tensor_jvp, GradCheck, Tensor};
///
/// // f(W, x) = tanh(W x): J v moves W and x at once
/// let w = Tensor::<f64>::from_fn([2, 3], |i| (i[0] + 2 * i[1]) as f64 * 0.3 - 0.5);
/// let x = Tensor::<f64>::from_fn([3, 1], |i| i[0] as f64 - 1.0);
/// let (dw, dx) = (Tensor::full([2, 3], 0.1), Tensor::full([3, 1], -0.2));
/// let report = check_tensor_jvp(|v| v[0].matmul(v[1]).tanh(), &[w, x], &[dw, dx], &GradCheck::default())
///     .unwrap();
/// assert_eq!(report.compared(), 2); // one per output element
/// ```
pub fn check_tensor_jvp<F>(
    f: F,
    inputs: &[Tensor<f64>],
    direction: &[Tensor<f64>],
    config: &GradCheck,
) -> Result<GradCheckReport>
where
    F: for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
{
    check_direction("check_tensor_jvp", inputs, direction)?;
    let point: Vec<f64> = inputs.iter().flat_map(|x| x.to_vec()).collect();
    let mut tape = Tape::new();
    let (analytic, base_kinks) = {
        let vars: Vec<_> = inputs.iter().map(|x| tape.tensor(x.clone())).collect();
        let out = f(&vars);
        let mut along = crate::Direction::new();
        for (x, v) in vars.iter().zip(direction) {
            along = along.try_along(*x, v.clone())?;
        }
        (tape.try_jvp(&along)?.try_of(out)?, kink_sides(&tape))
    };
    let along = Along::new(config, &point, inputs, direction);
    let h = along.h;
    let mut output = |sign: f64| -> (Tensor<f64>, Vec<i8>) {
        tape.clear();
        let vars: Vec<_> = along
            .shifted(sign)
            .into_iter()
            .map(|x| tape.tensor(x))
            .collect();
        let value = f(&vars).value();
        (value, kink_sides(&tape))
    };
    let (plus, plus_kinks) = output(1.0);
    let (minus, minus_kinks) = output(-1.0);
    let near_kink = plus_kinks != base_kinks || minus_kinks != base_kinks;
    let mut checks = Vec::new();
    for e in 0..analytic.numel() {
        let check = DerivativeCheck {
            what: format!("(J v){:?}", index_of(e, analytic.dims())),
            analytic: analytic.as_slice()[e],
            numeric: (plus.as_slice()[e] - minus.as_slice()[e]) / (2.0 * h),
            near_kink,
        };
        checks.push(compare(config, &point, check)?);
    }
    Ok(GradCheckReport { checks })
}

/// One central-difference step along a direction, for all elements at once.
struct Along<'a> {
    inputs: &'a [Tensor<f64>],
    direction: &'a [Tensor<f64>],
    /// The step, from the largest coordinate of the point.
    h: f64,
}

impl<'a> Along<'a> {
    fn new(
        config: &GradCheck,
        point: &[f64],
        inputs: &'a [Tensor<f64>],
        direction: &'a [Tensor<f64>],
    ) -> Self {
        let scale = point.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        Along {
            inputs,
            direction,
            h: step_for(config, scale),
        }
    }

    /// The inputs moved by `sign · h · v`.
    fn shifted(&self, sign: f64) -> Vec<Tensor<f64>> {
        self.inputs
            .iter()
            .zip(self.direction)
            .map(|(x, v)| x + &(v * (sign * self.h)))
            .collect()
    }
}

/// An error unless there is one direction per input, of the input's shape.
fn check_direction(
    op: &'static str,
    inputs: &[Tensor<f64>],
    direction: &[Tensor<f64>],
) -> Result<()> {
    if inputs.len() != direction.len() {
        return Err(Error::LengthMismatch {
            op,
            shape: crate::Shape::from([inputs.len()]),
            len: direction.len(),
        });
    }
    for (x, v) in inputs.iter().zip(direction) {
        x.shape().expect_same(op, v.shape())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_tensor_gradient_names_input_and_element() {
        let x = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [2, 2]).unwrap();
        // detach hides one factor from the tape: the analytic gradient is half the true one
        let err = check_tensor_gradients(
            |v| (v[0] * v[0].detach()).sum(),
            &[x],
            &GradCheck::default(),
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("∂f/∂x0[0, 0]"), "{message}");
    }

    #[test]
    fn outputs_of_more_than_one_element_are_refused() {
        let x = Tensor::<f64>::ones([2]);
        let err = check_tensor_gradients(|v| v[0].exp(), &[x], &GradCheck::default()).unwrap_err();
        assert!(matches!(err, Error::NotOneElement { .. }));
    }

    #[test]
    fn element_indices_are_row_major() {
        assert_eq!(index_of(5, &[2, 3]), vec![1, 2]);
        assert_eq!(index_of(0, &[]), Vec::<usize>::new());
    }
}
