//! Sliding windows over the two spatial axes of a batch of images, `[N, C, H, W]`: the
//! [`Window2d`] (kernel, stride, zero padding, dilation, as PyTorch names them) and the two
//! kernels every convolution and pooling layer is built from, [`Tensor::try_unfold`]
//! (im2col: each window's elements as a column) and its adjoint [`Tensor::try_fold`]
//! (col2im: columns summed back into place), as PyTorch's `F.unfold` and `F.fold`.
//!
//! A convolution is then a matrix product with the unfolded input, and its gradients are a
//! product and a fold: no convolution-specific backward code (`docs/ARCHITECTURE.md`).

use std::fmt;

use super::Tensor;
use super::parallel::{self, InOrder};
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::threads;

/// A window sliding over the last two axes of `[N, C, H, W]` images: its `kernel` size, the
/// `stride` between positions, the zero `padding` added on both sides, and the `dilation`
/// (spacing) of its elements; each `[height, width]`. As the arguments of PyTorch's
/// `Conv2d`, `MaxPool2d` and `F.unfold`.
///
/// ```
/// use autograd::Window2d;
///
/// let w = Window2d::new([3, 3]).stride([2, 2]).padding([1, 1]);
/// assert_eq!(w.try_output_size([28, 28]).unwrap(), [14, 14]);
/// assert_eq!(w.to_string(), "kernel 3×3, stride 2×2, padding 1×1, dilation 1×1");
/// assert!(Window2d::new([5, 5]).try_output_size([4, 4]).is_err()); // does not fit
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window2d {
    /// Height and width of the window.
    pub kernel: [usize; 2],
    /// Steps between window positions (at least 1).
    pub stride: [usize; 2],
    /// Zeros added before and after each spatial axis.
    pub padding: [usize; 2],
    /// Spacing of the window's elements (1: adjacent).
    pub dilation: [usize; 2],
}

impl fmt::Display for Window2d {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pair = |[a, b]: [usize; 2]| format!("{a}×{b}");
        write!(
            f,
            "kernel {}, stride {}, padding {}, dilation {}",
            pair(self.kernel),
            pair(self.stride),
            pair(self.padding),
            pair(self.dilation)
        )
    }
}

impl Window2d {
    /// A `kernel`-sized window with stride 1, no padding and no dilation.
    ///
    /// ```
    /// let w = autograd::Window2d::new([2, 3]);
    /// assert_eq!((w.stride, w.padding, w.dilation), ([1, 1], [0, 0], [1, 1]));
    /// ```
    pub fn new(kernel: [usize; 2]) -> Self {
        Window2d {
            kernel,
            stride: [1, 1],
            padding: [0, 0],
            dilation: [1, 1],
        }
    }

    /// The same window with another stride.
    ///
    /// ```
    /// assert_eq!(autograd::Window2d::new([2, 2]).stride([2, 1]).stride, [2, 1]);
    /// ```
    pub fn stride(self, stride: [usize; 2]) -> Self {
        Window2d { stride, ..self }
    }

    /// The same window with another zero padding.
    ///
    /// ```
    /// assert_eq!(autograd::Window2d::new([3, 3]).padding([1, 1]).padding, [1, 1]);
    /// ```
    pub fn padding(self, padding: [usize; 2]) -> Self {
        Window2d { padding, ..self }
    }

    /// The same window with another dilation.
    ///
    /// ```
    /// assert_eq!(autograd::Window2d::new([3, 3]).dilation([2, 2]).dilation, [2, 2]);
    /// ```
    pub fn dilation(self, dilation: [usize; 2]) -> Self {
        Window2d { dilation, ..self }
    }

    /// The number of window positions along each axis of an image of `size` (`[H, W]`):
    /// `(H + 2·padding − dilation·(kernel − 1) − 1) / stride + 1`. An error if a kernel,
    /// stride or dilation is 0, or the window is larger than the padded image.
    ///
    /// ```
    /// use autograd::Window2d;
    /// assert_eq!(Window2d::new([3, 3]).dilation([2, 2]).try_output_size([7, 9]).unwrap(), [3, 5]);
    /// let err = Window2d::new([3, 0]).try_output_size([7, 7]).unwrap_err();
    /// assert!(err.to_string().contains("kernel width = 0"), "{err}");
    /// ```
    pub fn try_output_size(&self, size: [usize; 2]) -> Result<[usize; 2]> {
        self.output_size("window", size, &Shape::from(size.to_vec()))
    }

    /// [`try_output_size`](Self::try_output_size) for `op` on an input of `shape`, named in
    /// the error.
    pub(crate) fn output_size(
        &self,
        op: &'static str,
        size: [usize; 2],
        shape: &Shape,
    ) -> Result<[usize; 2]> {
        let mut out = [0; 2];
        for (axis, name) in ["height", "width"].into_iter().enumerate() {
            for (value, what) in [
                (self.kernel[axis], "kernel"),
                (self.stride[axis], "stride"),
                (self.dilation[axis], "dilation"),
            ] {
                if value == 0 {
                    return Err(Error::InvalidWindow {
                        op,
                        window: self.to_string(),
                        shape: shape.clone(),
                        reason: format!("{what} {name} = 0, but it must be at least 1"),
                    });
                }
            }
            let too_large = || Error::InvalidWindow {
                op,
                window: self.to_string(),
                shape: shape.clone(),
                reason: format!("a size does not fit in memory along the {name}"),
            };
            // dilation · (kernel − 1) + 1 elements, against size + 2 · padding
            let span = (self.kernel[axis] - 1)
                .checked_mul(self.dilation[axis])
                .and_then(|s| s.checked_add(1))
                .ok_or_else(too_large)?;
            let padded = self.padding[axis]
                .checked_mul(2)
                .and_then(|p| p.checked_add(size[axis]))
                .ok_or_else(too_large)?;
            if span > padded {
                return Err(Error::InvalidWindow {
                    op,
                    window: self.to_string(),
                    shape: shape.clone(),
                    reason: format!(
                        "the window spans {span} along the {name}, the padded input only {padded}"
                    ),
                });
            }
            out[axis] = (padded - span) / self.stride[axis] + 1;
        }
        Ok(out)
    }

    /// The window, an image size and a column layout as op parameters (the tape stores a
    /// list of numbers; the layout last, 0 per image, 1 batched).
    pub(crate) fn to_param(self, size: [usize; 2], layout: Columns) -> [usize; 11] {
        let [k, s, p, d] = [self.kernel, self.stride, self.padding, self.dilation];
        let layout = match layout {
            Columns::PerImage => 0,
            Columns::Batched => 1,
        };
        [
            k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], size[0], size[1], layout,
        ]
    }

    /// The window, image size and layout of [`to_param`](Self::to_param)'s list.
    pub(crate) fn from_param(p: &[usize]) -> (Self, [usize; 2], Columns) {
        let window = Window2d {
            kernel: [p[0], p[1]],
            stride: [p[2], p[3]],
            padding: [p[4], p[5]],
            dilation: [p[6], p[7]],
        };
        let layout = if p[10] == 1 {
            Columns::Batched
        } else {
            Columns::PerImage
        };
        (window, [p[8], p[9]], layout)
    }
}

/// How a 2-d convolution slides its kernel (whose size is the weight's): `stride`, zero
/// `padding` and `dilation`, each `[height, width]`, and `groups` (the channels split into
/// that many independent convolutions). PyTorch's `F.conv2d` arguments, with its defaults.
///
/// ```
/// let options = autograd::ConvOptions::default().stride([2, 2]).padding([1, 1]);
/// assert_eq!((options.stride, options.padding, options.dilation, options.groups), ([2, 2], [1, 1], [1, 1], 1));
/// assert_eq!(options.window([3, 3]), autograd::Window2d::new([3, 3]).stride([2, 2]).padding([1, 1]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConvOptions {
    /// Steps between kernel positions (at least 1).
    pub stride: [usize; 2],
    /// Zeros added before and after each spatial axis.
    pub padding: [usize; 2],
    /// Spacing of the kernel's elements (1: adjacent).
    pub dilation: [usize; 2],
    /// Channel groups: input and output channels are split into `groups` blocks, block `j`
    /// of the output seeing only block `j` of the input (1: every channel sees every one;
    /// the channel count: a depthwise convolution).
    pub groups: usize,
}

impl Default for ConvOptions {
    fn default() -> Self {
        ConvOptions {
            stride: [1, 1],
            padding: [0, 0],
            dilation: [1, 1],
            groups: 1,
        }
    }
}

impl ConvOptions {
    /// The same options with another stride.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().stride([2, 1]).stride, [2, 1]);
    /// ```
    pub fn stride(self, stride: [usize; 2]) -> Self {
        ConvOptions { stride, ..self }
    }

    /// The same options with another zero padding.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().padding([1, 1]).padding, [1, 1]);
    /// ```
    pub fn padding(self, padding: [usize; 2]) -> Self {
        ConvOptions { padding, ..self }
    }

    /// The same options with another dilation.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().dilation([2, 2]).dilation, [2, 2]);
    /// ```
    pub fn dilation(self, dilation: [usize; 2]) -> Self {
        ConvOptions { dilation, ..self }
    }

    /// The same options with another number of groups.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().groups(4).groups, 4);
    /// ```
    pub fn groups(self, groups: usize) -> Self {
        ConvOptions { groups, ..self }
    }

    /// The window of a `kernel`-sized weight slid this way.
    ///
    /// ```
    /// let w = autograd::ConvOptions::default().dilation([2, 2]).window([3, 3]);
    /// assert_eq!((w.kernel, w.dilation), ([3, 3], [2, 2]));
    /// ```
    pub fn window(self, kernel: [usize; 2]) -> Window2d {
        Window2d {
            kernel,
            stride: self.stride,
            padding: self.padding,
            dilation: self.dilation,
        }
    }
}

/// How `unfold` lays out its columns, and `fold` reads them (an op parameter, with the
/// window: [`Window2d::to_param`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Columns {
    /// `[N, C · kh · kw, L]`: a matrix per image (PyTorch's `F.unfold`).
    PerImage,
    /// `[C · kh · kw, N, L]`: one matrix whose columns are every image's window positions,
    /// so that a convolution is one matrix product over the whole batch.
    Batched,
}

impl Columns {
    /// The names of `unfold` and `fold` in this layout, for errors.
    fn names(self) -> [&'static str; 2] {
        match self {
            Columns::PerImage => ["unfold", "fold"],
            Columns::Batched => ["unfold_batched", "fold_batched"],
        }
    }

    /// How the columns' shape is written in errors.
    fn shape_text(self, rows: &str, positions: &str) -> String {
        match self {
            Columns::PerImage => format!("[N, {rows}, {positions}]"),
            Columns::Batched => format!("[{rows}, N, {positions}]"),
        }
    }
}

/// What `unfold` and `fold` compute the indices from: the batch's sizes and the window.
struct Plan {
    n: usize,
    c: usize,
    size: [usize; 2],
    out: [usize; 2],
    window: Window2d,
}

/// One element `(i, j)` of the window: its row `i`, and the output columns `first..last`
/// (of each output row) whose input column lies inside the image, `ix` the input column of
/// `first` (the others cover padding).
struct Element {
    i: usize,
    first: usize,
    last: usize,
    ix: usize,
}

impl Plan {
    /// Window positions: the length of each row of columns, per image.
    fn positions(&self) -> usize {
        self.out[0] * self.out[1]
    }

    /// Window elements: rows of columns per channel.
    fn per_channel(&self) -> usize {
        self.window.kernel[0] * self.window.kernel[1]
    }

    /// The window's elements, row by row (the order of a channel's rows of columns), each
    /// with its run of in-image output columns: computed once per call, not per image.
    fn elements(&self) -> Vec<Element> {
        let [kh, kw] = self.window.kernel;
        let ([sw, pw, dw], w, ow) = (
            [
                self.window.stride[1],
                self.window.padding[1],
                self.window.dilation[1],
            ],
            self.size[1],
            self.out[1],
        );
        (0..kh)
            .flat_map(|i| (0..kw).map(move |j| (i, j)))
            .map(|(i, j)| {
                // input column = x·sw + offset − pw, inside [0, w) from the first x with
                // x·sw ≥ pw − offset to the last with x·sw < w + pw − offset
                let offset = j * dw;
                let first = pw.saturating_sub(offset).div_ceil(sw);
                let last = (w + pw).saturating_sub(offset).div_ceil(sw).min(ow);
                Element {
                    i,
                    first,
                    last: last.max(first),
                    ix: first * sw + offset - pw,
                }
            })
            .collect()
    }

    /// The input row under output row `y` for the window's row `i`, unless it is padding.
    #[inline]
    fn input_row(&self, y: usize, i: usize) -> Option<usize> {
        let [sh, ph, dh] = [
            self.window.stride[0],
            self.window.padding[0],
            self.window.dilation[0],
        ];
        (y * sh + i * dh)
            .checked_sub(ph)
            .filter(|&r| r < self.size[0])
    }

    /// Window element `e`'s row of one channel `plane`'s columns (`[H, W]`): its `OH · OW`
    /// values, front to back, zeros where the window covers padding. The run of values
    /// inside the image is found once per output row, not per element.
    fn unfold_row<T: Float>(&self, plane: &[T], e: &Element, out: &mut InOrder<'_, T>) {
        let ([oh, ow], w, sw) = (self.out, self.size[1], self.window.stride[1]);
        let inside = e.last - e.first;
        for y in 0..oh {
            match self.input_row(y, e.i) {
                Some(iy) if inside > 0 => {
                    out.fill(e.first, T::ZERO);
                    let start = iy * w + e.ix;
                    if sw == 1 {
                        out.extend_from_slice(&plane[start..start + inside]);
                    } else {
                        for k in 0..inside {
                            out.push(plane[start + k * sw]);
                        }
                    }
                    out.fill(ow - e.last, T::ZERO);
                }
                _ => out.fill(ow, T::ZERO),
            }
        }
    }

    /// Window element `e`'s row of one channel's columns (`OH · OW` values) added into its
    /// `plane` (`[H, W]`), the values on padding dropped: `unfold_row`'s adjoint.
    fn fold_row<T: Float>(&self, row: &[T], e: &Element, plane: &mut [T]) {
        let ([oh, ow], w, sw) = (self.out, self.size[1], self.window.stride[1]);
        let inside = e.last - e.first;
        if inside == 0 {
            return;
        }
        for y in 0..oh {
            let Some(iy) = self.input_row(y, e.i) else {
                continue;
            };
            let values = &row[y * ow + e.first..][..inside];
            let start = iy * w + e.ix;
            if sw == 1 {
                for (t, &v) in plane[start..start + inside].iter_mut().zip(values) {
                    *t += v;
                }
            } else {
                for (k, &v) in values.iter().enumerate() {
                    plane[start + k * sw] += v;
                }
            }
        }
    }

    /// Units (images or channels) per part of `units` whose columns have `unit_len`
    /// elements each: at most one part per thread, and none below `GRAIN` column elements
    /// (measured: with 64 Ki, the digits conv net's step, 150 Ki elements a call, ran 20 %
    /// slower on two threads than on one; LeNet conv2's 600 Ki unfold gained from two,
    /// 0.61-0.88 → 0.44 ms, once the rows were cheap; a ResNet block's 14 M gains).
    fn units_per_part(units: usize, unit_len: usize) -> usize {
        const GRAIN: usize = 1 << 18;
        let parts = (units.saturating_mul(unit_len) / GRAIN).clamp(1, threads::num_threads());
        units.div_ceil(parts).max(1)
    }

    /// The columns of `source` (the batch, `[N, C, H, W]`) laid out as `layout` says, into
    /// `out` (empty, with room for all of them), each element written once. Split over the
    /// pool in whole images (per image) or whole channels (batched): each part writes one
    /// contiguous stretch of the columns, front to back.
    fn unfold<T: Float>(&self, source: &[T], layout: Columns, out: Vec<T>) -> Vec<T> {
        let [h, w] = self.size;
        let (n, c, pixels) = (self.n, self.c, h * w);
        let plane = |b: usize, ch: usize| &source[(b * c + ch) * pixels..][..pixels];
        let len = n * c * self.per_channel() * self.positions();
        let elements = self.elements();
        match layout {
            Columns::PerImage => {
                let image_len = c * self.per_channel() * self.positions();
                let per_part = Self::units_per_part(n, image_len);
                parallel::fill_in_order(out, len, per_part * image_len, |out, start| {
                    let first = start / image_len; // (image_len > 0: a part has elements)
                    for b in first..(first + per_part).min(n) {
                        for ch in 0..c {
                            for e in &elements {
                                self.unfold_row(plane(b, ch), e, out);
                            }
                        }
                    }
                })
            }
            Columns::Batched => {
                let channel_len = self.per_channel() * n * self.positions();
                let per_part = Self::units_per_part(c, channel_len);
                parallel::fill_in_order(out, len, per_part * channel_len, |out, start| {
                    let first = start / channel_len; // (as above)
                    for ch in first..(first + per_part).min(c) {
                        for e in &elements {
                            for b in 0..n {
                                self.unfold_row(plane(b, ch), e, out);
                            }
                        }
                    }
                })
            }
        }
    }

    /// Columns laid out as `layout` says (`source`) summed into the images (`target`,
    /// `[N, C, H, W]`, zeros). Split over the pool in whole images, each adding only into
    /// its own pixels in the order one thread would: the sums do not depend on the thread
    /// count or the layout.
    fn fold<T: Float>(&self, source: &[T], layout: Columns, target: &mut [T]) {
        let [h, w] = self.size;
        let (n, c, positions) = (self.n, self.c, self.positions());
        let per_channel = self.per_channel();
        let rows = c * per_channel;
        let (pixels, image_len) = (h * w, c * h * w);
        if image_len == 0 {
            return; // no pixel to add into
        }
        let per_part = Self::units_per_part(n, rows * positions);
        let parts = target.chunks_mut(per_part * image_len).enumerate();
        let elements = self.elements();
        threads::run_chunks(parts, |(part, images)| {
            let first = part * per_part;
            let at = |k: usize, ch: usize| k * image_len + ch * pixels;
            // Each pixel receives its values in (i, j) order in both layouts. Rows (i, j)
            // and (i, j + 1) of one plane add into overlapping pixels: other planes go
            // between them (done back to back, the second's loads waited on the first's
            // stores: perf, 56 % of fold on one load).
            match layout {
                Columns::PerImage => {
                    for k in 0..images.len() / image_len {
                        for (index, e) in elements.iter().enumerate() {
                            for ch in 0..c {
                                let row = ch * per_channel + index;
                                let start = ((first + k) * rows + row) * positions;
                                let values = &source[start..start + positions];
                                self.fold_row(values, e, &mut images[at(k, ch)..][..pixels]);
                            }
                        }
                    }
                }
                Columns::Batched => {
                    // along the columns' rows, this part's images a contiguous stretch of
                    // each (by image, every row was a jump of N · L elements: a cache miss)
                    let count = images.len() / image_len;
                    for ch in 0..c {
                        for (index, e) in elements.iter().enumerate() {
                            let row = ch * per_channel + index;
                            let stretch =
                                &source[(row * n + first) * positions..][..count * positions];
                            for (k, values) in stretch.chunks_exact(positions).enumerate() {
                                self.fold_row(values, e, &mut images[at(k, ch)..][..pixels]);
                            }
                        }
                    }
                }
            }
        });
    }
}

/// The sizes of an `[N, C, H, W]` batch, or an error naming `op`, the `window` (as the
/// error writes it) and the shape: the one rank check of every window op.
pub(crate) fn image_dims(op: &'static str, shape: &Shape, window: &str) -> Result<[usize; 4]> {
    match *shape.dims() {
        [n, c, h, w] => Ok([n, c, h, w]),
        _ => Err(Error::InvalidWindow {
            op,
            window: window.to_string(),
            shape: shape.clone(),
            reason: "needs a batch of images [N, C, H, W] (4 axes)".to_string(),
        }),
    }
}

impl<T: Float> Tensor<T> {
    /// Every position of `window` over a batch of images `[N, C, H, W]`, its elements as a
    /// column: `[N, C · kh · kw, OH · OW]`, row `(c · kh + i) · kw + j` holding element
    /// `(i, j)` of channel `c` (zeros where the window covers padding). PyTorch's
    /// `F.unfold` ("im2col"); [`try_fold`](Self::try_fold) is its adjoint. An error for
    /// another rank or a window that does not fit (see [`Window2d::try_output_size`]).
    ///
    /// ```
    /// use autograd::{Tensor, Window2d};
    ///
    /// // one 3×3 image, 2×2 windows: 4 positions, 4 elements each
    /// let x = Tensor::<f64>::arange(0.0, 9.0, 1.0).try_reshape([1, 1, 3, 3]).unwrap();
    /// let cols = x.try_unfold(Window2d::new([2, 2])).unwrap();
    /// assert_eq!(cols.dims(), &[1, 4, 4]);
    /// // the top-left element of each window, then the top-right, ...
    /// assert_eq!(cols.to_vec()[..4], [0.0, 1.0, 3.0, 4.0]);
    /// assert!(x.try_unfold(Window2d::new([4, 4])).is_err());
    /// ```
    pub fn try_unfold(&self, window: Window2d) -> Result<Tensor<T>> {
        self.unfold_as(window, Columns::PerImage)
    }

    /// [`try_unfold`](Self::try_unfold)'s columns with the batch as the middle axis:
    /// `[C · kh · kw, N, OH · OW]`, so that, as a `[C · kh · kw, N · OH · OW]` matrix, one
    /// matrix product applies a convolution's weight to the whole batch (what `conv2d`
    /// does). Equal to `try_unfold(window)?.try_permute(&[1, 0, 2])`, without the copy;
    /// [`try_fold_batched`](Self::try_fold_batched) is its adjoint. The same errors.
    ///
    /// ```
    /// use autograd::{Tensor, Window2d};
    ///
    /// let x = Tensor::<f64>::arange(0.0, 36.0, 1.0).try_reshape([2, 2, 3, 3]).unwrap();
    /// let window = Window2d::new([2, 2]).padding([1, 0]);
    /// let cols = x.try_unfold_batched(window).unwrap();
    /// assert_eq!(cols.dims(), &[8, 2, 8]); // 4 × 2 positions (the padding adds rows)
    /// let per_image = x.try_unfold(window).unwrap().try_permute(&[1, 0, 2]).unwrap();
    /// assert_eq!(cols.to_vec(), per_image.to_vec());
    /// ```
    pub fn try_unfold_batched(&self, window: Window2d) -> Result<Tensor<T>> {
        self.unfold_as(window, Columns::Batched)
    }

    /// `unfold` into `layout`.
    pub(crate) fn unfold_as(&self, window: Window2d, layout: Columns) -> Result<Tensor<T>> {
        let [op, _] = layout.names();
        let [n, c, h, w] = image_dims(op, self.shape(), "any window")?;
        let out = window.output_size(op, [h, w], self.shape())?;
        let plan = Plan {
            n,
            c,
            size: [h, w],
            out,
            window,
        };
        let shape = checked_shape(op, layout, [n, c, window.kernel[0], window.kernel[1]], out)?;
        let data = plan.unfold(self.as_slice(), layout, super::empty_vec(op, &shape)?);
        Ok(Tensor::from_parts(data, shape))
    }

    /// The adjoint of [`try_unfold`](Self::try_unfold): columns `[N, C · kh · kw, OH · OW]`
    /// of `window` over images of `size` (`[H, W]`) summed back into `[N, C, H, W]` (an
    /// element covered by several windows receives each one's value; padding is dropped).
    /// PyTorch's `F.fold` ("col2im"). An error if the columns' shape does not match the
    /// window over that size.
    ///
    /// ```
    /// use autograd::{Tensor, Window2d};
    ///
    /// // 2×2 windows over a 3×3 image: the centre lies in all four
    /// let cols = Tensor::<f64>::ones([1, 4, 4]);
    /// let image = cols.try_fold(Window2d::new([2, 2]), [3, 3]).unwrap();
    /// assert_eq!(image.to_vec(), vec![1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]);
    /// assert!(cols.try_fold(Window2d::new([2, 2]), [4, 4]).is_err()); // 9 positions, not 4
    /// ```
    pub fn try_fold(&self, window: Window2d, size: [usize; 2]) -> Result<Tensor<T>> {
        self.fold_as(window, size, Columns::PerImage)
    }

    /// The adjoint of [`try_unfold_batched`](Self::try_unfold_batched): columns
    /// `[C · kh · kw, N, OH · OW]` summed back into images `[N, C, H, W]`, as
    /// [`try_fold`](Self::try_fold) does with the per-image layout (the same sums, in the
    /// same order). The same errors.
    ///
    /// ```
    /// use autograd::{Tensor, Window2d};
    ///
    /// let cols = Tensor::<f64>::ones([4, 2, 4]); // 2 images, 2×2 windows over 3×3
    /// let images = cols.try_fold_batched(Window2d::new([2, 2]), [3, 3]).unwrap();
    /// assert_eq!(images.dims(), &[2, 1, 3, 3]);
    /// assert_eq!(images.to_vec()[4], 4.0); // each centre lies in all four windows
    /// ```
    pub fn try_fold_batched(&self, window: Window2d, size: [usize; 2]) -> Result<Tensor<T>> {
        self.fold_as(window, size, Columns::Batched)
    }

    /// `fold` from `layout`.
    pub(crate) fn fold_as(
        &self,
        window: Window2d,
        size: [usize; 2],
        layout: Columns,
    ) -> Result<Tensor<T>> {
        let [_, op] = layout.names();
        let (n, rows, positions) = match (layout, self.dims()) {
            (Columns::PerImage, &[n, rows, positions]) => (n, rows, positions),
            (Columns::Batched, &[rows, n, positions]) => (n, rows, positions),
            _ => {
                return Err(Error::InvalidWindow {
                    op,
                    window: window.to_string(),
                    shape: self.shape().clone(),
                    reason: format!(
                        "needs columns {} (3 axes)",
                        layout.shape_text("C · kh · kw", "L")
                    ),
                });
            }
        };
        let out = window.output_size(op, size, self.shape())?;
        let per_channel = window.kernel[0] * window.kernel[1]; // (≥ 1: checked above)
        if rows % per_channel != 0 || positions != out[0] * out[1] {
            return Err(Error::InvalidWindow {
                op,
                window: window.to_string(),
                shape: self.shape().clone(),
                reason: format!(
                    "over a {}×{} image it needs {} columns",
                    size[0],
                    size[1],
                    layout.shape_text(
                        &format!("C · {per_channel}"),
                        &(out[0] * out[1]).to_string()
                    )
                ),
            });
        }
        let plan = Plan {
            n,
            c: rows / per_channel,
            size,
            out,
            window,
        };
        let mut image = Tensor::try_zeros([n, plan.c, size[0], size[1]])?;
        plan.fold(self.as_slice(), layout, image.as_mut_slice());
        Ok(image)
    }
}

/// The columns' shape for `layout` (`[n, c · kh · kw, oh · ow]` per image), checked.
fn checked_shape(
    op: &'static str,
    layout: Columns,
    [n, c, kh, kw]: [usize; 4],
    out: [usize; 2],
) -> Result<Shape> {
    let overflow = || Error::SizeOverflow {
        op,
        shape: Shape::from(vec![n, c, kh, kw, out[0], out[1]]),
        elem_bytes: 1,
    };
    let rows = c
        .checked_mul(kh)
        .and_then(|r| r.checked_mul(kw))
        .ok_or_else(overflow)?;
    let positions = out[0].checked_mul(out[1]).ok_or_else(overflow)?;
    Ok(Shape::from(match layout {
        Columns::PerImage => vec![n, rows, positions],
        Columns::Batched => vec![rows, n, positions],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    /// The definition, element by element, with the padding as explicit zeros.
    fn naive_unfold(x: &Tensor<f64>, wd: Window2d) -> Vec<f64> {
        let [n, c, h, w] = image_dims("t", x.shape(), "").unwrap();
        let [oh, ow] = wd.try_output_size([h, w]).unwrap();
        let [kh, kw] = wd.kernel;
        let mut out = Vec::new();
        for b in 0..n {
            for ch in 0..c {
                for i in 0..kh {
                    for j in 0..kw {
                        for y in 0..oh {
                            for xo in 0..ow {
                                let iy = (y * wd.stride[0] + i * wd.dilation[0]) as isize
                                    - wd.padding[0] as isize;
                                let ix = (xo * wd.stride[1] + j * wd.dilation[1]) as isize
                                    - wd.padding[1] as isize;
                                let inside =
                                    (0..h as isize).contains(&iy) && (0..w as isize).contains(&ix);
                                out.push(if inside {
                                    x.at(&[b, ch, iy as usize, ix as usize])
                                } else {
                                    0.0
                                });
                            }
                        }
                    }
                }
            }
        }
        out
    }

    fn windows() -> Vec<Window2d> {
        let mut all = Vec::new();
        for kernel in [[1, 1], [2, 3], [3, 3]] {
            for stride in [[1, 1], [2, 1], [3, 2]] {
                for padding in [[0, 0], [1, 2]] {
                    for dilation in [[1, 1], [2, 1]] {
                        all.push(Window2d {
                            kernel,
                            stride,
                            padding,
                            dilation,
                        });
                    }
                }
            }
        }
        all
    }

    #[test]
    fn unfold_is_the_definition_and_fold_its_adjoint() {
        let mut rng = StdRng::seed_from_u64(3);
        for window in windows() {
            for dims in [[1, 1, 5, 6], [2, 3, 4, 7], [1, 2, 6, 3]] {
                let x = Tensor::<f64>::rand_uniform(dims, -1.0, 1.0, &mut rng);
                let Ok(cols) = x.try_unfold(window) else {
                    // only when the window does not fit the padded image
                    assert!(window.try_output_size([dims[2], dims[3]]).is_err());
                    continue;
                };
                assert_eq!(
                    cols.to_vec(),
                    naive_unfold(&x, window),
                    "{window} on {dims:?}"
                );
                // ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩ for every y: fold is unfold's adjoint
                let y = Tensor::<f64>::rand_uniform(cols.shape().clone(), -1.0, 1.0, &mut rng);
                let folded = y.try_fold(window, [dims[2], dims[3]]).unwrap();
                assert_eq!(folded.dims(), &dims);
                let lhs: f64 = cols
                    .to_vec()
                    .iter()
                    .zip(y.to_vec())
                    .map(|(a, b)| a * b)
                    .sum();
                let rhs: f64 = x
                    .to_vec()
                    .iter()
                    .zip(folded.to_vec())
                    .map(|(a, b)| a * b)
                    .sum();
                assert!(
                    (lhs - rhs).abs() < 1e-12,
                    "{window} on {dims:?}: {lhs} vs {rhs}"
                );
                // the batched layout: the same columns with the first two axes swapped, and
                // its fold the same sums (to the bit: the same order)
                let batched = x.try_unfold_batched(window).unwrap();
                let swapped = cols.try_permute(&[1, 0, 2]).unwrap();
                assert_eq!(batched.shape(), swapped.shape(), "{window} on {dims:?}");
                assert_eq!(batched.to_vec(), swapped.to_vec(), "{window} on {dims:?}");
                let y_batched = y.try_permute(&[1, 0, 2]).unwrap();
                let folded_batched = y_batched
                    .try_fold_batched(window, [dims[2], dims[3]])
                    .unwrap();
                assert_eq!(
                    folded_batched.to_vec(),
                    folded.to_vec(),
                    "{window} on {dims:?}"
                );
            }
        }
    }

    #[test]
    fn large_batches_split_over_the_pool_and_agree() {
        // above the grain, in parts of whole images (per image, and fold) or channels
        // (batched): the same elements as the definition
        let mut rng = StdRng::seed_from_u64(5);
        let window = Window2d::new([3, 3]).padding([1, 1]);
        let x = Tensor::<f64>::rand_uniform([8, 16, 48, 48], -1.0, 1.0, &mut rng);
        let cols = x.try_unfold(window).unwrap();
        assert!(cols.numel() > 2 << 20);
        assert_eq!(cols.to_vec(), naive_unfold(&x, window));
        let batched = x.try_unfold_batched(window).unwrap();
        assert_eq!(
            batched.to_vec(),
            cols.try_permute(&[1, 0, 2]).unwrap().to_vec()
        );
        let folded = cols.try_fold(window, [48, 48]).unwrap();
        let folded_batched = batched.try_fold_batched(window, [48, 48]).unwrap();
        assert_eq!(folded.to_vec(), folded_batched.to_vec());
    }

    #[test]
    fn bad_shapes_and_windows_are_named() {
        let x = Tensor::<f64>::zeros([1, 1, 4, 4]);
        let err = Tensor::<f64>::zeros([4, 4]).try_unfold(Window2d::new([2, 2]));
        assert!(err.unwrap_err().to_string().contains("[N, C, H, W]"));
        let err = x
            .try_unfold(Window2d::new([2, 2]).stride([0, 1]))
            .unwrap_err();
        assert!(err.to_string().contains("stride height = 0"), "{err}");
        let err = x
            .try_unfold(Window2d::new([3, 3]).dilation([2, 2]))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("spans 5 along the height, the padded input only 4"),
            "{err}"
        );
        let cols = Tensor::<f64>::zeros([1, 5, 9]);
        let err = cols.try_fold(Window2d::new([2, 2]), [4, 4]).unwrap_err();
        assert!(
            err.to_string().contains("needs [N, C · 4, 9] columns"),
            "{err}"
        );
        let err = cols
            .try_fold_batched(Window2d::new([2, 2]), [4, 4])
            .unwrap_err();
        assert!(
            err.to_string().starts_with("fold_batched: ")
                && err.to_string().contains("needs [C · 4, N, 9] columns"),
            "{err}"
        );
        let err = Tensor::<f64>::zeros([4, 4])
            .try_fold_batched(Window2d::new([2, 2]), [3, 3])
            .unwrap_err();
        assert!(
            err.to_string().contains("[C · kh · kw, N, L] (3 axes)"),
            "{err}"
        );
        let huge = Window2d::new([2, 2]).padding([usize::MAX, 0]);
        assert!(x.try_unfold(huge).is_err());
        // an empty batch is fine and empty
        let empty = Tensor::<f64>::zeros([0, 2, 3, 3])
            .try_unfold(Window2d::new([2, 2]))
            .unwrap();
        assert_eq!(empty.dims(), &[0, 8, 4]);
    }
}
