//! What every optimiser checks before it changes anything: its options, and that its
//! per-parameter state belongs to the parameters it is given.

use autograd::{Float, Tensor};

use crate::error::{Error, Result};
use crate::module::Parameters;

/// An error naming the option unless `value` is finite and `≥ 0`.
pub(crate) fn non_negative(
    optimizer: &'static str,
    option: &'static str,
    value: f64,
) -> Result<()> {
    check_option(
        optimizer,
        option,
        value,
        value.is_finite() && value >= 0.0,
        "finite and ≥ 0",
    )
}

/// An error naming the option unless `0 ≤ value < 1` (a moment's decay).
pub(crate) fn decay_rate(optimizer: &'static str, option: &'static str, value: f64) -> Result<()> {
    check_option(
        optimizer,
        option,
        value,
        (0.0..1.0).contains(&value),
        "in [0, 1)",
    )
}

fn check_option(
    optimizer: &'static str,
    option: &'static str,
    value: f64,
    ok: bool,
    allowed: &'static str,
) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::BadOption {
            optimizer,
            option,
            value,
            allowed,
        })
    }
}

/// Which store an optimiser's per-parameter state belongs to (`None` before the first step).
#[derive(Debug, Clone, Default)]
pub(crate) struct Owner(Option<u64>);

impl Owner {
    /// On the first step, makes zero state (one tensor per parameter in each of `states`) for
    /// `params`; afterwards, an error unless `params` is that store with the same shapes.
    pub(crate) fn fit<F: Float>(
        &mut self,
        optimizer: &'static str,
        params: &Parameters<F>,
        states: &mut [&mut Vec<Tensor<F>>],
    ) -> Result<()> {
        let Some(owner) = self.0 else {
            for state in states.iter_mut() {
                **state = params.tensors().iter().map(Tensor::zeros_like).collect();
            }
            self.0 = Some(params.store_id());
            return Ok(());
        };
        let mismatch = |made_for: String, given: String| Error::OptimizerState {
            optimizer,
            made_for,
            given,
        };
        if owner != params.store_id() {
            let set = |id| format!("parameter set #{id}");
            return Err(mismatch(set(owner), set(params.store_id())));
        }
        let state = &states[0];
        if state.len() != params.len() {
            let count = |n| format!("{n} parameters");
            return Err(mismatch(count(state.len()), count(params.len())));
        }
        let named = params.names().iter().zip(params.tensors());
        for ((name, p), s) in named.zip(state.iter()) {
            if p.shape() != s.shape() {
                let of = |shape| format!("{name} of shape {shape}");
                return Err(mismatch(of(s.shape()), of(p.shape())));
            }
        }
        Ok(())
    }
}
