//! A dataset of `(x, d)` pairs: inputs and desired outputs along a first axis of samples,
//! shuffled mini-batches, a train/test split and standardisation.

use autograd::{Float, Tensor};
use rand::Rng;
use rand::seq::SliceRandom;

use super::indices::Indices;
use super::samples::Samples;
use crate::error::{Error, Result};

/// Inputs and targets along a first axis of samples, sample `i` being
/// `(inputs[i], targets[i])`. Each side is any [`Samples`]: a float tensor (the default for
/// both), [`Indices`] (integer class labels, token ids) or a pair of them.
///
/// ```
/// use autograd::Tensor;
/// use nn::data::{Dataset, Indices};
///
/// // regression: tensors on both sides
/// let data = Dataset::new(Tensor::<f64>::zeros([10, 3]), Tensor::<f64>::zeros([10])).unwrap();
/// assert_eq!(data.len(), 10);
/// // classification: integer labels
/// let labelled = Dataset::new(Tensor::<f32>::zeros([3, 2]), Indices::labels(vec![0, 2, 1], 3).unwrap()).unwrap();
/// assert_eq!(labelled.targets().as_slice(), &[0, 2, 1]);
/// ```
#[derive(Debug, Clone)]
pub struct Dataset<X, T = X> {
    inputs: X,
    targets: T,
    len: usize,
}

impl<X: Samples, T: Samples> Dataset<X, T> {
    /// Pairs inputs with targets; an error if their sample counts differ (or either has no
    /// first axis).
    ///
    /// ```
    /// use autograd::Tensor;
    /// let err = nn::data::Dataset::new(Tensor::<f32>::zeros([2, 1]), Tensor::<f32>::zeros([3])).unwrap_err();
    /// assert_eq!(err.to_string(), "dataset: 2 inputs but 3 targets (the first axis counts samples)");
    /// ```
    pub fn new(inputs: X, targets: T) -> Result<Self> {
        let side = |r: Result<usize>, what| match r {
            Err(Error::NoSampleAxis { .. }) => Err(Error::NoSampleAxis { what }),
            other => other,
        };
        let n = side(inputs.samples(), "inputs")?;
        let m = side(targets.samples(), "targets")?;
        if n != m {
            return Err(Error::SampleCountMismatch {
                inputs: n,
                targets: m,
            });
        }
        Ok(Dataset {
            inputs,
            targets,
            len: n,
        })
    }

    /// The number of samples.
    ///
    /// ```
    /// # use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f64>::zeros([4, 2]), Tensor::<f64>::zeros([4])).unwrap();
    /// assert_eq!(data.len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// `true` with no samples.
    ///
    /// ```
    /// # use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f64>::zeros([0, 2]), Tensor::<f64>::zeros([0])).unwrap();
    /// assert!(data.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The inputs.
    ///
    /// ```
    /// # use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f64>::ones([4, 2]), Tensor::<f64>::zeros([4])).unwrap();
    /// assert_eq!(data.inputs().dims(), &[4, 2]);
    /// ```
    pub fn inputs(&self) -> &X {
        &self.inputs
    }

    /// The targets.
    ///
    /// ```
    /// # use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f64>::ones([4, 2]), Tensor::<f64>::zeros([4])).unwrap();
    /// assert_eq!(data.targets().dims(), &[4]);
    /// ```
    pub fn targets(&self) -> &T {
        &self.targets
    }

    /// The same targets with inputs `f(inputs)` (scaled, standardised, reshaped): an error if
    /// `f` changes the number of samples.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f32>::full([2, 3], 8.0), Tensor::<f32>::zeros([2])).unwrap();
    /// let scaled = data.map_inputs(|x| x / 16.0).unwrap();
    /// assert_eq!(scaled.inputs().to_vec(), vec![0.5; 6]);
    /// ```
    pub fn map_inputs<Y: Samples>(self, f: impl FnOnce(X) -> Y) -> Result<Dataset<Y, T>> {
        Dataset::new(f(self.inputs), self.targets)
    }

    /// The samples at `indices`, in that order.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f64>::arange(0.0, 3.0, 1.0), Tensor::<f64>::arange(10.0, 13.0, 1.0)).unwrap();
    /// let picked = data.select(&[2, 0]).unwrap();
    /// assert_eq!(picked.targets().to_vec(), vec![12.0, 10.0]);
    /// ```
    pub fn select(&self, indices: &[usize]) -> Result<Self> {
        Ok(Dataset {
            inputs: self.inputs.select_samples(indices)?,
            targets: self.targets.select_samples(indices)?,
            len: indices.len(),
        })
    }

    /// A shuffled split into `(train, test)`, with `round(train_fraction · N)` samples in
    /// `train` and the rest in `test`; an error for a fraction outside `[0, 1]`.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let data = nn::data::Dataset::new(Tensor::<f64>::zeros([10, 2]), Tensor::<f64>::zeros([10])).unwrap();
    /// let (train, test) = data.train_test_split(0.8, &mut StdRng::seed_from_u64(0)).unwrap();
    /// assert_eq!((train.len(), test.len()), (8, 2));
    /// ```
    pub fn train_test_split(
        &self,
        train_fraction: f64,
        rng: &mut impl Rng,
    ) -> Result<(Self, Self)> {
        if !(0.0..=1.0).contains(&train_fraction) {
            return Err(Error::BadFraction(train_fraction));
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.shuffle(rng);
        let train = (train_fraction * self.len() as f64).round() as usize;
        // the test part first in the shuffled order (as the split this replaces did)
        let (test, train) = order.split_at(self.len() - train);
        Ok((self.select(train)?, self.select(test)?))
    }

    /// The samples in shuffled mini-batches of `batch_size` (the last one may be smaller),
    /// a new order for every call, from `rng`: an iterator that gathers each batch when it is
    /// reached, so an epoch never holds more than one batch beside the data set.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let data = nn::data::Dataset::new(Tensor::<f64>::zeros([10, 2]), Tensor::<f64>::zeros([10])).unwrap();
    /// let batches = data.batches(4, &mut StdRng::seed_from_u64(0)).unwrap();
    /// assert_eq!(batches.len(), 3);
    /// let sizes: Vec<usize> = batches.map(|b| b.unwrap().len()).collect();
    /// assert_eq!(sizes, vec![4, 4, 2]);
    /// ```
    pub fn batches(&self, batch_size: usize, rng: &mut impl Rng) -> Result<Batches<'_, X, T>> {
        if batch_size == 0 {
            return Err(Error::ZeroBatchSize);
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.shuffle(rng);
        Ok(Batches {
            data: self,
            order,
            batch_size,
            next: 0,
        })
    }
}

impl<X: Samples> Dataset<X, Indices> {
    /// Inputs with class labels stored as numbers, one per sample (`[N]` or `[N, 1]`), as
    /// files and older code keep them: the labels become [`Indices`], with an error naming
    /// the row and the value unless every label is a whole number in `0..classes`, so that
    /// a classifier never trains on `-1`, `NaN` or `1.7` read as a class.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::data::Dataset;
    /// let x = Tensor::<f64>::zeros([3, 2]);
    /// let data = Dataset::classification(x.clone(), Tensor::from_vec(vec![0.0, 2.0, 1.0], [3]).unwrap(), 3).unwrap();
    /// assert_eq!(data.targets().as_slice(), &[0, 2, 1]);
    /// let err = Dataset::classification(x, Tensor::<f64>::from_vec(vec![0.0, -1.0, 1.0], [3]).unwrap(), 3).unwrap_err();
    /// assert_eq!(err.to_string(), "Dataset::classification: row 1: label -1 is not a class (a whole number in 0..3)");
    /// ```
    pub fn classification<F: Float>(inputs: X, labels: Tensor<F>, classes: usize) -> Result<Self> {
        let labels = Indices::from_floats_in("Dataset::classification", &labels, classes)?;
        Self::new(inputs, labels)
    }
}

impl<F: Float, X: Samples> Dataset<X, Tensor<F>> {
    /// Float targets as classes: an error naming the row and the value unless the targets
    /// are one label per sample (`[N]` or `[N, 1]`), each a whole number in `0..classes`.
    /// (A data set with [`Indices`] targets has them checked already.)
    ///
    /// ```
    /// use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f32>::zeros([2, 4]), Tensor::<f32>::from_vec(vec![1.0, 0.5], [2]).unwrap()).unwrap();
    /// let err = data.labels(2).unwrap_err();
    /// assert_eq!(err.to_string(), "Dataset::labels: row 1: label 0.5 is not a class (a whole number in 0..2)");
    /// ```
    pub fn labels(&self, classes: usize) -> Result<Vec<usize>> {
        let labels = Indices::from_floats_in("Dataset::labels", &self.targets, classes)?;
        Ok(labels.as_slice().to_vec())
    }

    /// The same inputs with the float targets turned into [`Indices`] labels (see
    /// [`classification`](Dataset::classification)).
    ///
    /// ```
    /// use autograd::Tensor;
    /// let data = nn::data::Dataset::new(Tensor::<f32>::zeros([2, 4]), Tensor::<f32>::from_vec(vec![1.0, 0.0], [2]).unwrap()).unwrap();
    /// assert_eq!(data.into_classification(2).unwrap().targets().as_slice(), &[1, 0]);
    /// ```
    pub fn into_classification(self, classes: usize) -> Result<Dataset<X, Indices>> {
        Dataset::classification(self.inputs, self.targets, classes)
    }
}

/// Shuffled mini-batches of a [`Dataset`], gathered one at a time (from
/// [`Dataset::batches`]).
///
/// ```
/// use autograd::Tensor;
/// use rand::{SeedableRng, rngs::StdRng};
/// let data = nn::data::Dataset::new(Tensor::<f64>::arange(0.0, 5.0, 1.0), Tensor::<f64>::zeros([5])).unwrap();
/// let mut seen: Vec<f64> = Vec::new();
/// for batch in data.batches(2, &mut StdRng::seed_from_u64(3)).unwrap() {
///     seen.extend(batch.unwrap().inputs().to_vec());
/// }
/// seen.sort_by(f64::total_cmp);
/// assert_eq!(seen, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
/// ```
#[derive(Debug)]
pub struct Batches<'a, X, T> {
    data: &'a Dataset<X, T>,
    order: Vec<usize>,
    batch_size: usize,
    next: usize,
}

impl<X: Samples, T: Samples> Iterator for Batches<'_, X, T> {
    type Item = Result<Dataset<X, T>>;

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.next;
        if start >= self.order.len() {
            return None;
        }
        let end = start.saturating_add(self.batch_size).min(self.order.len());
        self.next = end;
        Some(self.data.select(&self.order[start..end]))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.order.len() - self.next.min(self.order.len())).div_ceil(self.batch_size);
        (left, Some(left))
    }
}

impl<X: Samples, T: Samples> ExactSizeIterator for Batches<'_, X, T> {}

/// Standardisation: each input feature shifted and scaled to mean 0 and standard deviation 1,
/// with the statistics of the training set (then applied unchanged to test data).
///
/// ```
/// use autograd::Tensor;
/// use nn::data::Standardizer;
///
/// let train = Tensor::<f64>::from_vec(vec![1.0, 10.0, 3.0, 30.0], [2, 2]).unwrap();
/// let s = Standardizer::fit(&train);
/// assert_eq!(s.apply(&train).to_vec(), vec![-1.0, -1.0, 1.0, 1.0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer<F: Float> {
    mean: Tensor<F>,
    std: Tensor<F>,
}

impl<F: Float> Standardizer<F> {
    /// The mean and standard deviation of every feature (axis 0 is samples). A feature that
    /// never varies gets a standard deviation of 1, so it maps to 0 instead of NaN.
    ///
    /// # Panics
    /// If `inputs` has no sample axis.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let s = nn::data::Standardizer::fit(&Tensor::<f64>::from_vec(vec![5.0, 5.0], [2, 1]).unwrap());
    /// assert_eq!(s.apply(&Tensor::from_vec(vec![5.0], [1, 1]).unwrap()).to_vec(), vec![0.0]);
    /// ```
    #[track_caller]
    pub fn fit(inputs: &Tensor<F>) -> Self {
        let n = F::from_f64(inputs.dims()[0] as f64);
        let mean = &inputs.try_sum_axes(&[0], true).expect("a sample axis") / &Tensor::scalar(n);
        let centred = inputs - &mean;
        let variance = &(&centred * &centred)
            .try_sum_axes(&[0], true)
            .expect("a sample axis")
            / &Tensor::scalar(n);
        let std = variance.map(|v| if v > F::ZERO { v.sqrt() } else { F::ONE });
        Standardizer { mean, std }
    }

    /// `(x − mean) / std`, feature by feature.
    ///
    /// # Panics
    /// If `inputs` has other features than the data it was fitted on.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let s = nn::data::Standardizer::fit(&Tensor::<f64>::from_vec(vec![0.0, 2.0], [2, 1]).unwrap());
    /// assert_eq!(s.apply(&Tensor::from_vec(vec![4.0], [1, 1]).unwrap()).to_vec(), vec![3.0]);
    /// ```
    #[track_caller]
    pub fn apply(&self, inputs: &Tensor<F>) -> Tensor<F> {
        &(inputs - &self.mean) / &self.std
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn batches_cover_every_sample_once_per_epoch() {
        let data = Dataset::new(
            Tensor::<f64>::arange(0.0, 23.0, 1.0),
            Tensor::<f64>::zeros([23]),
        )
        .unwrap();
        let mut seen: Vec<f64> = data
            .batches(5, &mut StdRng::seed_from_u64(1))
            .unwrap()
            .flat_map(|b| b.unwrap().inputs().to_vec())
            .collect();
        seen.sort_by(f64::total_cmp);
        assert_eq!(seen, (0..23).map(f64::from).collect::<Vec<_>>());
    }

    #[test]
    fn bad_arguments_are_errors() {
        let data = Dataset::new(Tensor::<f64>::zeros([3, 1]), Tensor::<f64>::zeros([3])).unwrap();
        let mut rng = StdRng::seed_from_u64(0);
        assert_eq!(
            data.train_test_split(1.5, &mut rng).unwrap_err(),
            Error::BadFraction(1.5)
        );
        assert_eq!(data.batches(0, &mut rng).unwrap_err(), Error::ZeroBatchSize);
        assert!(matches!(
            Dataset::new(Tensor::<f64>::scalar(1.0), Tensor::<f64>::zeros([1])),
            Err(Error::NoSampleAxis { what: "inputs" })
        ));
    }

    #[test]
    fn standardised_training_data_has_mean_zero_and_unit_variance() {
        let x = Tensor::<f64>::rand_normal([500, 3], 5.0, 3.0, &mut StdRng::seed_from_u64(2));
        let z = Standardizer::fit(&x).apply(&x);
        let mean = z.try_sum_axes(&[0], false).unwrap().map(|s| s / 500.0);
        let var = (&z * &z)
            .try_sum_axes(&[0], false)
            .unwrap()
            .map(|s| s / 500.0);
        assert!(mean.as_slice().iter().all(|m| m.abs() < 1e-12));
        assert!(var.as_slice().iter().all(|v| (v - 1.0).abs() < 1e-12));
    }
}
