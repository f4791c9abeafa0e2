//! Reading the IDX format that MNIST ships in: a 4-byte magic number (two zero bytes, the
//! element type, the number of dimensions), the dimensions as big-endian `u32`s, then the
//! elements, big-endian.

use std::io::{self, Read};
use std::path::Path;

use autograd::{Float, Tensor};

use super::file::{self, Limits};
use super::{Dataset, Indices};
use crate::error::{Error, Result};

/// Reads an IDX file into a tensor of its shape (MNIST images: `[N, 28, 28]`, labels `[N]`);
/// a name ending in `.gz` is decompressed first, so MNIST's files load as downloaded. Reads at
/// most [`Limits::DEFAULT_MAX_BYTES`]; see [`read_idx_with`].
///
/// ```no_run
/// let images = nn::data::read_idx::<f32>("mnist/train-images-idx3-ubyte.gz")?;
/// assert_eq!(images.dims(), &[60000, 28, 28]);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn read_idx<F: Float>(path: impl AsRef<Path>) -> Result<Tensor<F>> {
    read_idx_with(path, Limits::default())
}

/// [`read_idx`] within `limits`. The header is read first: a bad magic number, dimensions whose
/// size overflows, or more bytes than `limits.max_bytes()` is an error before any element is
/// decompressed, and memory grows only with the elements actually read, up to what the header
/// declares.
///
/// ```
/// use nn::data::{Limits, read_idx_with};
/// let path = std::env::temp_dir().join(format!("nn-doc-{}.idx", std::process::id()));
/// std::fs::write(&path, [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]).unwrap();
/// let t = read_idx_with::<f32>(&path, Limits::default()).unwrap();
/// assert_eq!(t.to_vec(), vec![7.0, 8.0, 9.0]);
/// let err = read_idx_with::<f32>(&path, Limits::default().with_max_bytes(10)).unwrap_err();
/// assert!(err.to_string().contains("(11 bytes) is over the limit of 10 bytes"), "{err}");
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_idx_with<F: Float>(path: impl AsRef<Path>, limits: Limits) -> Result<Tensor<F>> {
    let source = file::open(path.as_ref(), limits)?;
    decode(source.reader, source.len, &source.name, limits.max_bytes())
}

/// A labelled image set in the IDX format, as MNIST ships it: an images file `[N, rows, cols]`
/// and a labels file `[N]` of classes below `classes`, as a dataset of the images (their
/// stored values: 0-255 for MNIST) and the labels. Each path is read as given, or with `.gz`
/// appended if only that exists (MNIST's files as downloaded). Errors name the file: one that
/// cannot be read or is not IDX, images that are not `[N, rows, cols]`, a labels file that is
/// not one label per image, a label that is not a class.
///
/// ```
/// use nn::data::read_idx_classification;
/// let dir = std::env::temp_dir().join(format!("nn-doc-idx-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// // two 1 × 2 images, and their labels 1 and 0
/// std::fs::write(dir.join("images"), [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40]).unwrap();
/// std::fs::write(dir.join("labels"), [0, 0, 8, 1, 0, 0, 0, 2, 1, 0]).unwrap();
/// let data = read_idx_classification::<f32>(dir.join("images"), dir.join("labels"), 10).unwrap();
/// assert_eq!(data.inputs().dims(), &[2, 1, 2]);
/// assert_eq!(data.targets().as_slice(), &[1, 0]);
/// let err = read_idx_classification::<f32>(dir.join("images"), dir.join("labels"), 1).unwrap_err();
/// assert!(err.to_string().contains("label 1 is not a class"), "{err}");
/// let err = read_idx_classification::<f32>(dir.join("labels"), dir.join("labels"), 10).unwrap_err();
/// assert!(err.to_string().contains("expected images [N, rows, cols], found shape [2]"), "{err}");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn read_idx_classification<F: Float>(
    images: impl AsRef<Path>,
    labels: impl AsRef<Path>,
    classes: usize,
) -> Result<Dataset<Tensor<F>, Indices>> {
    let (images, labels) = (plain_or_gz(images.as_ref()), plain_or_gz(labels.as_ref()));
    let pixels = read_idx::<F>(&images)?;
    let named = |message: String| Error::Io {
        path: images.display().to_string(),
        message,
    };
    let &[n, _, _] = pixels.dims() else {
        return Err(named(format!(
            "expected images [N, rows, cols], found shape {}",
            pixels.shape()
        )));
    };
    let numbers = read_idx::<F>(&labels)?;
    if numbers.dims() != [n] {
        return Err(Error::Io {
            path: labels.display().to_string(),
            message: format!(
                "expected {n} labels (one per image in {}), found shape {}",
                images.display(),
                numbers.shape()
            ),
        });
    }
    let targets = Indices::from_float_labels(&numbers, classes).map_err(|e| Error::Io {
        path: labels.display().to_string(),
        message: e.to_string(),
    })?;
    Dataset::new(pixels, targets)
}

/// `path`, or `path.gz` if only that exists.
fn plain_or_gz(path: &Path) -> std::path::PathBuf {
    let mut gz = path.as_os_str().to_owned();
    gz.push(".gz");
    let gz = std::path::PathBuf::from(gz);
    if !path.exists() && gz.exists() {
        gz
    } else {
        path.to_path_buf()
    }
}

/// Parses IDX bytes (`name` is used in errors).
///
/// ```
/// // a 2 × 2 tensor of u8: magic 0 0 0x08 2, dims 2 and 2, then 4 bytes
/// let bytes = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 255];
/// let t = nn::data::parse_idx::<f64>(&bytes, "inline").unwrap();
/// assert_eq!((t.dims(), t.to_vec()), (&[2, 2][..], vec![1.0, 2.0, 3.0, 255.0]));
/// let err = nn::data::parse_idx::<f64>(&bytes[..14], "inline").unwrap_err();
/// assert_eq!(err.to_string(), "inline: elements: expected 4 bytes, found 2");
/// ```
pub fn parse_idx<F: Float>(bytes: &[u8], name: &str) -> Result<Tensor<F>> {
    decode(bytes, Some(bytes.len() as u64), name, u64::MAX)
}

/// Elements are read and converted this many bytes at a time (a multiple of every width).
const CHUNK: usize = 1 << 16;

/// Decodes IDX from `input`, whose length may be known (`len`), reading nothing past what the
/// header declares but to check that the data ends there.
fn decode<F: Float>(
    mut input: impl Read,
    len: Option<u64>,
    name: &str,
    max_bytes: u64,
) -> Result<Tensor<F>> {
    let size_error = |what, expected, found| Error::Size {
        path: name.to_string(),
        what,
        expected,
        found,
    };
    let format_error = |part: &str, offset, message| Error::Format {
        path: name.to_string(),
        part: part.to_string(),
        offset,
        message,
    };
    let io_error = |e| file::from_io(name, e);
    let mut magic = [0; 4];
    let got = read_full(&mut input, &mut magic).map_err(io_error)?;
    if got < 4 {
        return Err(size_error("magic number", 4, got));
    }
    if magic[..2] != [0, 0] {
        let message = format!(
            "not an IDX file: it starts {:#04x} {:#04x}, expected 0x00 0x00",
            magic[0], magic[1]
        );
        return Err(format_error("magic number", 0, message));
    }
    let (kind, ndim) = (magic[2], usize::from(magic[3]));
    let width = match kind {
        0x08 | 0x09 => 1,
        0x0B => 2,
        0x0C | 0x0D => 4,
        0x0E => 8,
        other => {
            let message = format!(
                "unknown element type {other:#04x} (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)"
            );
            return Err(format_error("element type", 2, message));
        }
    };
    let header = 4 + 4 * ndim;
    let mut dim_bytes = vec![0; 4 * ndim];
    let got = read_full(&mut input, &mut dim_bytes).map_err(io_error)?;
    if got < dim_bytes.len() {
        return Err(size_error("dimensions", header, 4 + got));
    }
    let dims: Vec<usize> = dim_bytes
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let count = element_bytes(&dims, width).ok_or_else(|| {
        let message = format!(
            "{} × {width} bytes per element overflows a usize",
            show_dims(&dims)
        );
        format_error("dimensions", 4, message)
    })?;
    let total = (header as u64).saturating_add(count as u64);
    if total > max_bytes {
        return Err(Error::TooLarge {
            path: name.to_string(),
            what: format!("the size its header declares ({total} bytes)"),
            limit: max_bytes,
        });
    }
    if let Some(len) = len.filter(|&len| len != total) {
        // A plain file's length is known: no need to read it to find it the wrong size.
        let found = usize::try_from(len.saturating_sub(header as u64)).unwrap_or(usize::MAX);
        return Err(size_error("elements", count, found));
    }
    // Reserve what the header declares only when the length confirms it; otherwise grow
    // with the data, so a header that lies costs nothing.
    let mut values = Vec::with_capacity(if len.is_some() { count / width } else { 0 });
    let mut chunk = vec![0; CHUNK.min(count)];
    let mut done = 0;
    while done < count {
        let want = (count - done).min(CHUNK);
        let got = read_full(&mut input, &mut chunk[..want]).map_err(io_error)?;
        if got < want {
            return Err(size_error("elements", count, done + got));
        }
        reserve_up_to(&mut values, want / width, count / width);
        values.extend(
            chunk[..want]
                .chunks_exact(width)
                .map(|c| element::<F>(kind, c)),
        );
        done += want;
    }
    // Drain what follows (within the limit) to say how much there is too much; for a `.gz`
    // this also checks the gzip trailer.
    let extra = io::copy(&mut input, &mut io::sink()).map_err(io_error)?;
    if extra > 0 {
        let found = count.saturating_add(usize::try_from(extra).unwrap_or(usize::MAX));
        return Err(size_error("elements", count, found));
    }
    Ok(Tensor::from_vec(values, dims)?)
}

/// The bytes the elements take: the product of the dimensions times `width`, or `None` if that
/// overflows. A zero dimension counts as one, so that the product of any of them fits too (a
/// tensor's strides multiply them, even when it holds no element), and it then gives 0 bytes.
fn element_bytes(dims: &[usize], width: usize) -> Option<usize> {
    let nonzero = dims
        .iter()
        .try_fold(width, |n, &d| n.checked_mul(d.max(1)))?;
    Some(if dims.contains(&0) { 0 } else { nonzero })
}

/// `[a, b, c]`, or the first four and the count when there are more: errors stay short.
fn show_dims(dims: &[usize]) -> String {
    if dims.len() <= 4 {
        return format!("{dims:?}");
    }
    let first: Vec<String> = dims[..4].iter().map(usize::to_string).collect();
    format!("[{}, …] ({} dimensions)", first.join(", "), dims.len())
}

/// One big-endian element of type `kind`, `c` holding its bytes.
fn element<F: Float>(kind: u8, c: &[u8]) -> F {
    F::from_f64(match kind {
        0x08 => f64::from(c[0]),
        0x09 => f64::from(c[0] as i8),
        0x0B => f64::from(i16::from_be_bytes([c[0], c[1]])),
        0x0C => f64::from(i32::from_be_bytes([c[0], c[1], c[2], c[3]])),
        0x0D => f64::from(f32::from_be_bytes([c[0], c[1], c[2], c[3]])),
        _ => f64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
    })
}

/// Room for `more` values: doubling as `Vec` does, but never past `total`, so the last step
/// does not reserve up to twice what the file holds.
fn reserve_up_to<T>(values: &mut Vec<T>, more: usize, total: usize) {
    let needed = values.len() + more;
    if needed > values.capacity() {
        let target = needed.max(2 * values.capacity()).min(total).max(needed);
        values.reserve_exact(target - values.len());
    }
}

/// Fills `buf` as far as the data goes; the count read (less than `buf.len()` at the end).
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_type() {
        let mut bytes = vec![0, 0, 0x0D, 1, 0, 0, 0, 2];
        bytes.extend(1.5f32.to_be_bytes());
        bytes.extend((-2.0f32).to_be_bytes());
        assert_eq!(
            parse_idx::<f64>(&bytes, "f").unwrap().to_vec(),
            vec![1.5, -2.0]
        );
        let bytes = [0, 0, 0x09, 1, 0, 0, 0, 1, 0xFF];
        assert_eq!(parse_idx::<f64>(&bytes, "f").unwrap().to_vec(), vec![-1.0]);
        let bytes = [0, 0, 0x0B, 1, 0, 0, 0, 1, 0x01, 0x00];
        assert_eq!(parse_idx::<f64>(&bytes, "f").unwrap().to_vec(), vec![256.0]);
    }

    #[test]
    fn bad_headers_are_named() {
        assert_eq!(
            parse_idx::<f64>(&[1, 0, 8, 1], "f")
                .unwrap_err()
                .to_string(),
            "f: magic number at byte 0: not an IDX file: it starts 0x01 0x00, expected 0x00 0x00"
        );
        assert!(
            parse_idx::<f64>(&[0, 0, 0x42, 0], "f")
                .unwrap_err()
                .to_string()
                .contains("unknown element type 0x42")
        );
        assert_eq!(
            parse_idx::<f64>(&[0, 0, 8, 2, 0, 0], "f")
                .unwrap_err()
                .to_string(),
            "f: dimensions: expected 12 bytes, found 6"
        );
    }
}
