//! Layers: dense, the multi-layer perceptron, and a sequential container.

use autograd::{Float, TensorVar};
use rand::Rng;

use crate::activations::Activation;
use crate::init;
use crate::module::{Bound, Module, ParamId, Parameters};
use crate::summary::SummaryRow;

/// A fully connected layer: `z = W y + b` for each sample `y` (batched: `Z = Y Wᵀ + b`),
/// with `W` of shape `[out_dim, in_dim]` and `b` of shape `[out_dim]`.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{Dense, Module, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut params = Parameters::<f64>::new();
/// let layer = Dense::new(&mut params, "fc", 3, 2, &mut StdRng::seed_from_u64(0));
/// assert_eq!(params.names(), ["fc.weight", "fc.bias"]);
/// let tape = Tape::new();
/// let y = layer.forward(&params.record(&tape), tape.constant_tensor(Tensor::ones([5, 3])));
/// assert_eq!(y.dims(), &[5, 2]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dense {
    weight: ParamId,
    bias: ParamId,
    in_dim: usize,
    out_dim: usize,
}

impl Dense {
    /// A layer with Xavier/Glorot uniform weights and zero biases, its parameters added to
    /// `params` as `{name}.weight` and `{name}.bias`.
    ///
    /// ```
    /// use nn::{Dense, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f32>::new();
    /// let layer = Dense::new(&mut params, "out", 4, 2, &mut StdRng::seed_from_u64(0));
    /// assert_eq!((layer.in_dim(), layer.out_dim(), params.count()), (4, 2, 10));
    /// ```
    #[track_caller]
    pub fn new<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        in_dim: usize,
        out_dim: usize,
        rng: &mut impl Rng,
    ) -> Self {
        Self::with_weight(params, name, init::xavier_uniform(in_dim, out_dim, rng))
    }

    /// A layer with the given weight (`[out_dim, in_dim]`, from any initialiser) and zero
    /// biases.
    ///
    /// # Panics
    /// If the weight is not a matrix.
    ///
    /// ```
    /// use nn::{Dense, Parameters, init};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let w = init::he_normal(8, 4, &mut StdRng::seed_from_u64(0));
    /// let layer = Dense::with_weight(&mut params, "relu_layer", w);
    /// assert_eq!((layer.in_dim(), layer.out_dim()), (8, 4));
    /// ```
    #[track_caller]
    pub fn with_weight<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        weight: autograd::Tensor<F>,
    ) -> Self {
        let dims = weight.dims().to_vec();
        assert!(
            dims.len() == 2,
            "Dense: the weight must be [out_dim, in_dim], got {}",
            weight.shape()
        );
        let (out_dim, in_dim) = (dims[0], dims[1]);
        let weight = params.add(format!("{name}.weight"), weight);
        let bias = params.add(format!("{name}.bias"), autograd::Tensor::zeros([out_dim]));
        Dense {
            weight,
            bias,
            in_dim,
            out_dim,
        }
    }

    /// Inputs per sample.
    ///
    /// ```
    /// # use nn::{Dense, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let layer = Dense::new(&mut Parameters::<f64>::new(), "l", 3, 1, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(layer.in_dim(), 3);
    /// ```
    #[track_caller]
    pub fn in_dim(&self) -> usize {
        self.in_dim
    }

    /// Outputs per sample.
    ///
    /// ```
    /// # use nn::{Dense, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let layer = Dense::new(&mut Parameters::<f64>::new(), "l", 3, 1, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(layer.out_dim(), 1);
    /// ```
    #[track_caller]
    pub fn out_dim(&self) -> usize {
        self.out_dim
    }

    /// The weight's id in the store.
    ///
    /// ```
    /// # use nn::{Dense, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let layer = Dense::new(&mut params, "l", 3, 1, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.get(layer.weight()).dims(), &[1, 3]);
    /// ```
    #[track_caller]
    pub fn weight(&self) -> ParamId {
        self.weight
    }

    /// The bias's id in the store.
    ///
    /// ```
    /// # use nn::{Dense, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let layer = Dense::new(&mut params, "l", 3, 1, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.get(layer.bias()).to_vec(), vec![0.0]);
    /// ```
    #[track_caller]
    pub fn bias(&self) -> ParamId {
        self.bias
    }
}

impl<F: Float> Module<F> for Dense {
    /// `Z = Y Wᵀ + b`: `[N, in_dim]` to `[N, out_dim]`.
    #[track_caller]
    fn forward<'t>(&self, params: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        // Wᵀ is read through strides, not copied.
        x.matmul_transposed(params.get(self.weight), false, true) + params.get(self.bias)
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        Some(params.get(self.weight).numel() + params.get(self.bias).numel())
    }
}

/// A multi-layer perceptron: dense layers of the given widths (`[in, hidden…, out]`), the
/// hidden activation after every layer but the last (a linear output: add a softmax or a
/// sigmoid in the loss).
///
/// ```
/// use nn::{Activation, Mlp, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut params = Parameters::<f32>::new();
/// let mlp = Mlp::new(&mut params, "mlp", &[784, 512, 512, 10], Activation::Relu, &mut StdRng::seed_from_u64(0));
/// assert_eq!(mlp.layers().len(), 3);
/// assert_eq!(params.count(), 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    layers: Vec<Dense>,
    hidden: Activation,
}

impl Mlp {
    /// Dense layers `widths[i] → widths[i + 1]`, named `{name}.{i}`; ReLU layers get He
    /// initialisation, others Xavier.
    ///
    /// # Panics
    /// If fewer than two widths are given.
    ///
    /// ```
    /// use nn::{Activation, Mlp, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// Mlp::new(&mut params, "net", &[3, 5, 2], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.names(), ["net.0.weight", "net.0.bias", "net.1.weight", "net.1.bias"]);
    /// ```
    #[track_caller]
    pub fn new<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        widths: &[usize],
        hidden: Activation,
        rng: &mut impl Rng,
    ) -> Self {
        assert!(
            widths.len() >= 2,
            "Mlp::new: needs at least an input and an output width, got {widths:?}"
        );
        let layers = widths
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                // He initialisation keeps a ReLU layer's activations from shrinking.
                let relu_layer = i + 2 < widths.len()
                    && matches!(hidden, Activation::Relu | Activation::LeakyRelu(_));
                let weight = if relu_layer {
                    init::he_uniform(w[0], w[1], rng)
                } else {
                    init::xavier_uniform(w[0], w[1], rng)
                };
                Dense::with_weight(params, &format!("{name}.{i}"), weight)
            })
            .collect();
        Mlp { layers, hidden }
    }

    /// The dense layers, in order.
    ///
    /// ```
    /// # use nn::{Activation, Mlp, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mlp = Mlp::new(&mut Parameters::<f64>::new(), "m", &[2, 3, 1], Activation::Tanh, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(mlp.layers()[0].out_dim(), 3);
    /// ```
    #[track_caller]
    pub fn layers(&self) -> &[Dense] {
        &self.layers
    }
}

impl<F: Float> Module<F> for Mlp {
    #[track_caller]
    fn forward<'t>(&self, params: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(x, |y, (i, layer)| {
            let z = layer.forward(params, y);
            if i < last { self.hidden.apply(z) } else { z }
        })
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        self.layers
            .iter()
            .map(|layer| Module::<F>::param_count(layer, params))
            .sum()
    }

    fn summarize<'t>(
        &self,
        params: &Bound<'t, F>,
        store: &Parameters<F>,
        x: TensorVar<'t, F>,
        depth: usize,
        rows: &mut Vec<SummaryRow>,
    ) -> TensorVar<'t, F> {
        let (name, count) = (
            Module::<F>::layer_name(self),
            Module::<F>::param_count(self, store),
        );
        summarize_container(rows, depth, name, count, |rows| {
            let last = self.layers.len() - 1;
            self.layers.iter().enumerate().fold(x, |y, (i, layer)| {
                let z = layer.summarize(params, store, y, depth + 1, rows);
                if i < last {
                    Module::<F>::summarize(&self.hidden, params, store, z, depth + 1, rows)
                } else {
                    z
                }
            })
        })
    }
}

/// Modules applied one after another.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{Activation, Dense, Module, Parameters, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut rng = StdRng::seed_from_u64(1);
/// let mut params = Parameters::<f64>::new();
/// let net = Sequential::new()
///     .then(Dense::new(&mut params, "a", 2, 4, &mut rng))
///     .then(Activation::Tanh)
///     .then(Dense::new(&mut params, "b", 4, 1, &mut rng));
/// let tape = Tape::new();
/// let y = net.forward(&params.record(&tape), tape.constant_tensor(Tensor::ones([3, 2])));
/// assert_eq!(y.dims(), &[3, 1]);
/// ```
#[derive(Default)]
pub struct Sequential<F: Float> {
    modules: Vec<Box<dyn Module<F>>>,
}

impl<F: Float> Sequential<F> {
    /// An empty sequence (the identity).
    ///
    /// ```
    /// let net = nn::Sequential::<f64>::new();
    /// assert_eq!(net.len(), 0);
    /// ```
    #[track_caller]
    pub fn new() -> Self {
        Sequential {
            modules: Vec::new(),
        }
    }

    /// This sequence followed by `module`.
    ///
    /// ```
    /// let net = nn::Sequential::<f64>::new().then(nn::Activation::Relu);
    /// assert_eq!(net.len(), 1);
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn then(mut self, module: impl Module<F> + 'static) -> Self {
        self.modules.push(Box::new(module));
        self
    }

    /// How many modules.
    ///
    /// ```
    /// assert!(nn::Sequential::<f32>::new().is_empty());
    /// ```
    #[track_caller]
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// `true` when empty.
    ///
    /// ```
    /// assert!(nn::Sequential::<f32>::new().is_empty());
    /// ```
    #[track_caller]
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }
}

impl<F: Float> Module<F> for Sequential<F> {
    #[track_caller]
    fn forward<'t>(&self, params: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        self.modules.iter().fold(x, |y, m| m.forward(params, y))
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        self.modules.iter().map(|m| m.param_count(params)).sum()
    }

    fn summarize<'t>(
        &self,
        params: &Bound<'t, F>,
        store: &Parameters<F>,
        x: TensorVar<'t, F>,
        depth: usize,
        rows: &mut Vec<SummaryRow>,
    ) -> TensorVar<'t, F> {
        let count = self.param_count(store);
        summarize_container(rows, depth, "Sequential".to_string(), count, |rows| {
            self.modules
                .iter()
                .fold(x, |y, m| m.summarize(params, store, y, depth + 1, rows))
        })
    }
}

/// A container's summary: `layers` runs its layers (each appending its rows at `depth + 1`),
/// then the container's own row goes before theirs, with the output they ended on.
fn summarize_container<'t, F: Float>(
    rows: &mut Vec<SummaryRow>,
    depth: usize,
    layer: String,
    params: Option<usize>,
    layers: impl FnOnce(&mut Vec<SummaryRow>) -> TensorVar<'t, F>,
) -> TensorVar<'t, F> {
    let at = rows.len();
    let y = layers(rows);
    let row = SummaryRow {
        depth,
        layer,
        output: y.shape(),
        params,
    };
    rows.insert(at, row);
    y
}

/// An activation is a module without parameters.
impl<F: Float> Module<F> for Activation {
    #[track_caller]
    fn forward<'t>(&self, _: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        self.apply(x)
    }

    fn layer_name(&self) -> String {
        format!("{self:?}")
    }

    fn param_count(&self, _: &Parameters<F>) -> Option<usize> {
        Some(0)
    }
}
