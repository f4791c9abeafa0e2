//! Reading numeric CSV files (plain or gzip-compressed) into a tensor.
//!
//! Every value must be a number; rows must all have as many fields as the first. A bad file
//! is an error naming the file, the line and what was wrong, never a panic.

use std::path::Path;

use autograd::{Float, Tensor};

use crate::error::{Error, Result};

/// Whether the first line holds column names.
///
/// ```
/// use nn::data::{Header, parse_csv};
/// let t = parse_csv::<f64>(b"a,b\n1,2\n", "f", Header::Present).unwrap();
/// assert_eq!(t.header.unwrap(), ["a", "b"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// The first line is column names.
    Present,
    /// Every line is data.
    Absent,
}

/// A numeric table: optional column names and the values `[rows, columns]`.
///
/// ```
/// use nn::data::{Header, parse_csv};
/// let t = parse_csv::<f32>(b"1,2\n3,4\n", "f", Header::Absent).unwrap();
/// assert_eq!((t.header, t.values.dims()), (None, &[2, 2][..]));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Csv<F: Float> {
    /// The column names, if the file had a header.
    pub header: Option<Vec<String>>,
    /// The values, row-major.
    pub values: Tensor<F>,
}

/// Reads a CSV file of numbers; a name ending in `.gz` is decompressed first.
///
/// ```no_run
/// use nn::data::{Header, read_csv};
/// let digits = read_csv::<f32>("data/digits.csv.gz", Header::Absent)?;
/// assert_eq!(digits.values.dims()[1], 65);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn read_csv<F: Float>(path: impl AsRef<Path>, header: Header) -> Result<Csv<F>> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = super::read_bytes(path)?;
    parse_csv(&bytes, &name, header)
}

/// Parses CSV bytes (`name` is used in errors): fields separated by commas, lines by `\n`
/// (a `\r` before it is ignored), blank lines skipped.
///
/// ```
/// use nn::data::{Header, parse_csv};
///
/// let table = parse_csv::<f64>(b"x,y\n1,2\n3,4\n", "inline", Header::Present).unwrap();
/// assert_eq!(table.values.to_vec(), vec![1.0, 2.0, 3.0, 4.0]);
/// let err = parse_csv::<f64>(b"1,2\n3\n", "inline", Header::Absent).unwrap_err();
/// assert_eq!(err.to_string(), "inline: line 2: expected 2 fields, found 1");
/// ```
pub fn parse_csv<F: Float>(bytes: &[u8], name: &str, header: Header) -> Result<Csv<F>> {
    let parse_error = |line: usize, message: String| Error::Parse {
        path: name.to_string(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        parse_error(line, "not valid UTF-8 text".to_string())
    })?;
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty());
    let names = match header {
        Header::Present => Some(
            lines
                .next()
                .ok_or_else(|| {
                    parse_error(1, "expected a header line, found an empty file".into())
                })?
                .1
                .split(',')
                .map(|s| s.trim().to_string())
                .collect::<Vec<_>>(),
        ),
        Header::Absent => None,
    };
    let mut width = names.as_ref().map(Vec::len);
    let mut values = Vec::new();
    let mut rows = 0;
    for (line, content) in lines {
        let fields: Vec<&str> = content.split(',').collect();
        let expected = *width.get_or_insert(fields.len());
        if fields.len() != expected {
            return Err(parse_error(
                line,
                format!("expected {expected} fields, found {}", fields.len()),
            ));
        }
        for (column, field) in fields.iter().enumerate() {
            let value: f64 = field.trim().parse().map_err(|_| {
                parse_error(
                    line,
                    format!(
                        "column {}: expected a number, found {:?}",
                        column + 1,
                        field.trim()
                    ),
                )
            })?;
            values.push(F::from_f64(value));
        }
        rows += 1;
    }
    let columns = width.unwrap_or(0);
    let values = Tensor::from_vec(values, [rows, columns])?;
    Ok(Csv {
        header: names,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line_and_the_field() {
        let err = parse_csv::<f64>(b"1,2\n3,x\n", "f.csv", Header::Absent).unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.csv: line 2: column 2: expected a number, found \"x\""
        );
        let err = parse_csv::<f64>(b"a,b\n1,2,3\n", "f.csv", Header::Present).unwrap_err();
        assert_eq!(err.to_string(), "f.csv: line 2: expected 2 fields, found 3");
        let err = parse_csv::<f64>(b"1,2\n\xff\n", "f.csv", Header::Absent).unwrap_err();
        assert_eq!(err.to_string(), "f.csv: line 2: not valid UTF-8 text");
    }

    #[test]
    fn crlf_blank_lines_and_empty_files() {
        let table = parse_csv::<f32>(b"1,2\r\n\r\n3,4\r\n", "f", Header::Absent).unwrap();
        assert_eq!(table.values.dims(), &[2, 2]);
        let empty = parse_csv::<f32>(b"", "f", Header::Absent).unwrap();
        assert_eq!(empty.values.dims(), &[0, 0]);
    }

    #[test]
    fn a_missing_file_names_the_file() {
        let err = read_csv::<f64>("no/such/file.csv", Header::Absent).unwrap_err();
        assert!(err.to_string().starts_with("no/such/file.csv: "), "{err}");
    }
}
