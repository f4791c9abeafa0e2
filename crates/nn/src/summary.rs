//! A model summary: each layer, its output shape and its parameter count, as PyTorch users
//! know from torchinfo and Keras users from `model.summary()`. Built by running the model
//! once, in evaluation mode and recording nothing to differentiate, on an example input
//! (zeros will do) ([`Module::summary`](crate::Module::summary)).

use std::fmt;

use autograd::Shape;

/// One layer of a [`Summary`].
///
/// ```
/// let row = nn::SummaryRow { depth: 1, layer: "Dense".into(), output: autograd::Shape::from([1, 4]), params: Some(12) };
/// assert_eq!(row.params, Some(12));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// How deep in the model: 0 for the model itself, 1 for its layers, ...
    pub depth: usize,
    /// The layer's name (its type, or an activation's variant).
    pub layer: String,
    /// The shape of its output for the summarised input.
    pub output: Shape,
    /// Its trainable numbers (a container counts its layers'); `None` for a module that does
    /// not say.
    pub params: Option<usize>,
}

/// Each layer of a model with its output shape and parameter count, and the totals.
///
/// ```
/// use nn::{Activation, Mlp, Module, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut params = Parameters::<f32>::new();
/// let model = Mlp::new(&mut params, "mlp", &[64, 32, 10], Activation::Relu, &mut StdRng::seed_from_u64(0));
/// let summary = model.summary(&params, &autograd::Tensor::zeros([1, 64]));
/// assert_eq!(summary.rows.len(), 4); // Mlp, Dense, Relu, Dense
/// assert_eq!(summary.rows[0].params, Some(64 * 32 + 32 + 32 * 10 + 10));
/// print!("{summary}");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The input summarised, as [`Samples::describe`](crate::data::Samples::describe) says
    /// it (`[1, 64]` for a tensor).
    pub input: String,
    /// The layers, the model first, each container before its layers.
    pub rows: Vec<SummaryRow>,
    /// Every number in the parameter store.
    pub total_params: usize,
    /// The numbers that are trained (buffers not counted).
    pub trainable_params: usize,
    /// Bytes of one element (4 for f32, 8 for f64).
    pub element_bytes: usize,
}

impl fmt::Display for Summary {
    /// A table: `Layer`, `Output shape`, `Params`, then the totals.
    ///
    /// ```
    /// use nn::{Activation, Dense, Module, Parameters, Sequential};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let net = Sequential::new().then(Dense::new(&mut params, "a", 3, 2, &mut StdRng::seed_from_u64(0))).then(Activation::Tanh);
    /// let text = net.summary(&params, &autograd::Tensor::zeros([5, 3])).to_string();
    /// assert!(text.contains("Dense") && text.contains("[5, 2]") && text.contains("Total params: 8"));
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layers: Vec<String> = self
            .rows
            .iter()
            .map(|r| format!("{}{}", "  ".repeat(r.depth), r.layer))
            .collect();
        let shapes: Vec<String> = self.rows.iter().map(|r| r.output.to_string()).collect();
        let counts: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.params.map_or_else(|| "-".to_string(), grouped))
            .collect();
        let width = |column: &[String], title: &str| {
            column
                .iter()
                .map(|s| s.chars().count())
                .chain([title.len()])
                .max()
                .unwrap_or(0)
        };
        let (w0, w1, w2) = (
            width(&layers, "Layer"),
            width(&shapes, "Output shape"),
            width(&counts, "Params"),
        );
        writeln!(f, "Input {}", self.input)?;
        writeln!(
            f,
            "{:<w0$}  {:<w1$}  {:>w2$}",
            "Layer", "Output shape", "Params"
        )?;
        writeln!(f, "{}", "─".repeat(w0 + w1 + w2 + 4))?;
        for ((layer, shape), count) in layers.iter().zip(&shapes).zip(&counts) {
            writeln!(f, "{layer:<w0$}  {shape:<w1$}  {count:>w2$}")?;
        }
        writeln!(f, "{}", "─".repeat(w0 + w1 + w2 + 4))?;
        let bytes = self.total_params.saturating_mul(self.element_bytes);
        writeln!(
            f,
            "Total params: {} ({})",
            grouped(self.total_params),
            human_bytes(bytes)
        )?;
        if self.trainable_params != self.total_params {
            writeln!(
                f,
                "Trainable: {}; buffers: {}",
                grouped(self.trainable_params),
                grouped(self.total_params - self.trainable_params)
            )?;
        }
        Ok(())
    }
}

/// `1234567` as `1,234,567`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in B, KiB, MiB or GiB.
fn human_bytes(bytes: usize) -> String {
    let units = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::{grouped, human_bytes};

    #[test]
    fn numbers_read_like_a_person_writes_them() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 << 20), "3.0 MiB");
    }
}
