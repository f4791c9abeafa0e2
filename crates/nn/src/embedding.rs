//! [`Embedding`]: a trained vector per token id, looked up by integer indices (PyTorch's
//! `nn.Embedding`). Its forward is autograd's `index_select` of the weight's rows, whose
//! reverse rule adds each gradient row back to the row it came from (`index_add`).

use autograd::{Float, TensorVar};
use rand::Rng;

use crate::data::Indices;
use crate::init;
use crate::module::{Bound, Module, ParamId, Parameters};

/// `num_embeddings` trained vectors of `dim` numbers; ids of any shape `[..]` give
/// `[.., dim]` (PyTorch's `nn.Embedding`, initialised as PyTorch does: `N(0, 1)`).
///
/// ```
/// use autograd::Tape;
/// use nn::{Embedding, Module, Parameters, data::Indices};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut params = Parameters::<f32>::new();
/// let embed = Embedding::new(&mut params, "tokens", 100, 16, &mut StdRng::seed_from_u64(0));
/// let ids = Indices::new(vec![3, 14, 15, 92, 65, 35], [2, 3], 100).unwrap(); // 2 sequences of 3
/// let tape = Tape::new();
/// let p = params.record(&tape);
/// let vectors = embed.forward(&p, ids);
/// assert_eq!(vectors.dims(), &[2, 3, 16]);
/// // only the rows looked up receive a gradient
/// let grad = vectors.sum().backward().wrt(p.get(embed.weight()));
/// assert_eq!((grad.at(&[14, 0]), grad.at(&[0, 0])), (1.0, 0.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Embedding {
    weight: ParamId,
    num_embeddings: usize,
    dim: usize,
}

impl Embedding {
    /// A table of `num_embeddings` vectors of `dim` numbers drawn from `N(0, 1)`, added to
    /// `params` as `{name}.weight` (`[num_embeddings, dim]`, PyTorch's layout and name).
    ///
    /// ```
    /// use nn::{Embedding, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let e = Embedding::new(&mut params, "e", 10, 4, &mut StdRng::seed_from_u64(1));
    /// assert_eq!((params.get(e.weight()).dims(), e.num_embeddings(), e.dim()), (&[10, 4][..], 10, 4));
    /// ```
    #[track_caller]
    pub fn new<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        num_embeddings: usize,
        dim: usize,
        rng: &mut impl Rng,
    ) -> Self {
        let weight = init::normal([num_embeddings, dim], 0.0, 1.0, rng);
        Embedding {
            weight: params.add(format!("{name}.weight"), weight),
            num_embeddings,
            dim,
        }
    }

    /// The table's id in the store.
    ///
    /// ```
    /// # use nn::{Embedding, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let e = Embedding::new(&mut params, "e", 3, 2, &mut StdRng::seed_from_u64(1));
    /// assert_eq!(params.name(e.weight()), "e.weight");
    /// ```
    pub fn weight(&self) -> ParamId {
        self.weight
    }

    /// How many ids the table has rows for.
    ///
    /// ```
    /// # use nn::{Embedding, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let e = Embedding::new(&mut Parameters::<f64>::new(), "e", 7, 2, &mut StdRng::seed_from_u64(1));
    /// assert_eq!(e.num_embeddings(), 7);
    /// ```
    pub fn num_embeddings(&self) -> usize {
        self.num_embeddings
    }

    /// Numbers per vector.
    ///
    /// ```
    /// # use nn::{Embedding, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let e = Embedding::new(&mut Parameters::<f64>::new(), "e", 7, 2, &mut StdRng::seed_from_u64(1));
    /// assert_eq!(e.dim(), 2);
    /// ```
    pub fn dim(&self) -> usize {
        self.dim
    }
}

impl<F: Float> Module<F, Indices> for Embedding {
    /// Ids `[..]` (below `num_embeddings`) to vectors `[.., dim]`.
    ///
    /// # Panics
    /// If the ids' bound passes `num_embeddings` (an id could be past the table), naming both.
    #[track_caller]
    fn forward<'t>(&self, p: &Bound<'t, F>, ids: Indices) -> TensorVar<'t, F> {
        assert!(
            ids.bound() <= self.num_embeddings,
            "Embedding: ids below {} for a table of {} rows",
            ids.bound(),
            self.num_embeddings
        );
        let mut dims = ids.dims().to_vec();
        dims.push(self.dim);
        p.get(self.weight)
            .index_select(0, ids.as_slice())
            .reshape(dims)
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        Some(params.get(self.weight).numel())
    }
}
