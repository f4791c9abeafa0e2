//! Reading numeric CSV files (plain or gzip-compressed) into a tensor.
//!
//! Every value must be a number; rows must all have as many fields as the first. A bad file
//! is an error naming the file, the line and what was wrong, never a panic.
//!
//! The bytes are parsed as they stream in: memory holds the values and the current field, not
//! the file. Once a field holds a byte that no number has, the rest of it is only counted, not
//! kept, so garbage (a gzip bomb of zeros) costs no memory; a bad line ends the read.

use std::io::{self, BufRead};
use std::path::Path;

use autograd::{Float, Tensor};

use super::file::{self, Limits};
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

/// Reads a CSV file of numbers; a name ending in `.gz` is decompressed first. Reads at most
/// [`Limits::DEFAULT_MAX_BYTES`]; see [`read_csv_with`].
///
/// ```no_run
/// use nn::data::{Header, read_csv};
/// let digits = read_csv::<f32>("data/digits.csv.gz", Header::Absent)?;
/// assert_eq!(digits.values.dims()[1], 65);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn read_csv<F: Float>(path: impl AsRef<Path>, header: Header) -> Result<Csv<F>> {
    read_csv_with(path, header, Limits::default())
}

/// [`read_csv`] within `limits`: past `limits.max_bytes()` bytes (after decompression) it
/// stops with [`Error::TooLarge`](crate::Error::TooLarge). The file is parsed as it streams
/// in, so a bad line stops the read there.
///
/// ```
/// use nn::data::{Header, Limits, read_csv_with};
/// let path = std::env::temp_dir().join(format!("nn-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "1,2\n3,4\n").unwrap();
/// let table = read_csv_with::<f64>(&path, Header::Absent, Limits::default()).unwrap();
/// assert_eq!(table.values.to_vec(), vec![1.0, 2.0, 3.0, 4.0]);
/// let small = Limits::default().with_max_bytes(4);
/// let err = read_csv_with::<f64>(&path, Header::Absent, small).unwrap_err();
/// assert!(err.to_string().contains("(8 bytes) is over the limit of 4 bytes"), "{err}");
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_csv_with<F: Float>(
    path: impl AsRef<Path>,
    header: Header,
    limits: Limits,
) -> Result<Csv<F>> {
    let source = file::open(path.as_ref(), limits)?;
    parse(source.reader, &source.name, header)
}

/// Parses CSV bytes (`name` is used in errors): fields separated by commas, lines by `\n`
/// (a `\r` before it is ignored), blank lines skipped. An error quotes at most 40 characters
/// of a bad field, then `…` and the field's length.
///
/// ```
/// use nn::data::{Header, parse_csv};
///
/// let table = parse_csv::<f64>(b"x,y\n1,2\n3,4\n", "inline", Header::Present).unwrap();
/// assert_eq!(table.values.to_vec(), vec![1.0, 2.0, 3.0, 4.0]);
/// let err = parse_csv::<f64>(b"1,2\n3\n", "inline", Header::Absent).unwrap_err();
/// assert_eq!(err.to_string(), "inline: line 2: expected 2 fields, found 1");
/// let long = format!("1,{}\n", "x".repeat(1000));
/// let err = parse_csv::<f64>(long.as_bytes(), "inline", Header::Absent).unwrap_err();
/// let x40 = "x".repeat(40);
/// let expected = format!("inline: line 1: column 2: expected a number, found \"{x40}\"… (1000 bytes)");
/// assert_eq!(err.to_string(), expected);
/// ```
pub fn parse_csv<F: Float>(bytes: &[u8], name: &str, header: Header) -> Result<Csv<F>> {
    parse(bytes, name, header)
}

/// Parses chunk by chunk as `input` yields them.
fn parse<F: Float>(mut input: impl BufRead, name: &str, header: Header) -> Result<Csv<F>> {
    let mut parser = Parser::new(name, header);
    loop {
        let chunk = match input.fill_buf() {
            Ok([]) => return parser.finish(),
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(file::from_io(name, e)),
        };
        let n = chunk.len();
        parser.feed(chunk)?;
        input.consume(n);
    }
}

/// How many characters of a bad field an error quotes, and at most how many bytes they may
/// take once escaped (control characters escape to up to 10).
const QUOTED_CHARS: usize = 40;
const QUOTED_BYTES: usize = 100;
/// Bytes kept of a field that cannot be a number: enough for the quote.
const KEPT: usize = 4 * QUOTED_CHARS;

/// The parse so far, up to the byte last fed.
struct Parser<'a, F> {
    name: &'a str,
    wants_header: bool,
    /// The column names, once the header line has been read.
    names: Option<Vec<String>>,
    /// The fields of the header line read so far.
    header_fields: Vec<String>,
    width: Option<usize>,
    values: Vec<F>,
    rows: usize,
    /// The 1-based line being read, and the fields ended on it.
    line: usize,
    fields: usize,
    /// The current field: all of its bytes, or only the first `KEPT` once it is `hopeless`
    /// (holds a byte no number has), and its full length.
    field: Vec<u8>,
    field_len: u64,
    hopeless: bool,
    /// What is wrong with the line: bytes that are not UTF-8, the wrong number of fields or
    /// the first field that is not a number, said in that order at the end of the line.
    not_utf8: bool,
    problem: Option<String>,
}

impl<'a, F: Float> Parser<'a, F> {
    fn new(name: &'a str, header: Header) -> Self {
        Parser {
            name,
            wants_header: header == Header::Present,
            names: None,
            header_fields: Vec::new(),
            width: None,
            values: Vec::new(),
            rows: 0,
            line: 1,
            fields: 0,
            field: Vec::new(),
            field_len: 0,
            hopeless: false,
            not_utf8: false,
            problem: None,
        }
    }

    fn error(&self, message: String) -> Error {
        Error::Parse {
            path: self.name.to_string(),
            line: self.line,
            message,
        }
    }

    fn reading_header(&self) -> bool {
        self.wants_header && self.names.is_none()
    }

    fn feed(&mut self, mut chunk: &[u8]) -> Result<()> {
        while let Some(i) = chunk.iter().position(|&b| b == b',' || b == b'\n') {
            self.extend(&chunk[..i]);
            if chunk[i] == b',' {
                self.end_field();
            } else {
                self.end_line()?;
            }
            chunk = &chunk[i + 1..];
        }
        self.extend(chunk);
        Ok(())
    }

    /// More bytes of the current field.
    fn extend(&mut self, bytes: &[u8]) {
        self.field_len += bytes.len() as u64;
        if !self.hopeless && !self.reading_header() && bytes.iter().any(|&b| never_in_number(b)) {
            self.hopeless = true;
            self.field.truncate(KEPT);
        }
        let room = if self.hopeless {
            KEPT - self.field.len()
        } else {
            bytes.len()
        };
        self.field
            .extend_from_slice(&bytes[..room.min(bytes.len())]);
    }

    fn end_field(&mut self) {
        self.fields += 1;
        let column = self.fields;
        let complete = self.field_len == self.field.len() as u64;
        let lossy;
        let text = match std::str::from_utf8(&self.field) {
            Ok(text) => text,
            Err(e) => {
                // (a kept prefix may end inside a character: that alone is no fault)
                self.not_utf8 |= complete || e.error_len().is_some();
                lossy = String::from_utf8_lossy(&self.field);
                &lossy
            }
        };
        if self.reading_header() {
            self.header_fields.push(text.trim().to_string());
        } else if self.problem.is_none() && self.width.is_none_or(|w| column <= w) {
            // (past the width the line is wrong anyway: no need to parse)
            let text = if complete {
                text.trim()
            } else {
                text.trim_start()
            };
            match text.parse::<f64>() {
                Ok(value) if complete => self.values.push(F::from_f64(value)),
                _ => {
                    let found = quote(text, self.field_len, complete);
                    self.problem =
                        Some(format!("column {column}: expected a number, found {found}"));
                }
            }
        }
        self.field.clear();
        self.field_len = 0;
        self.hopeless = false;
    }

    fn end_line(&mut self) -> Result<()> {
        let blank = self.fields == 0
            && std::str::from_utf8(&self.field).is_ok_and(|text| text.trim().is_empty());
        if blank {
            self.field.clear();
            self.field_len = 0;
        } else {
            self.end_field();
            if self.not_utf8 {
                return Err(self.error("not valid UTF-8 text".into()));
            }
            if self.reading_header() {
                self.width = Some(self.header_fields.len());
                self.names = Some(std::mem::take(&mut self.header_fields));
            } else {
                let expected = *self.width.get_or_insert(self.fields);
                if self.fields != expected {
                    let found = self.fields;
                    return Err(self.error(format!("expected {expected} fields, found {found}")));
                }
                if let Some(problem) = self.problem.take() {
                    return Err(self.error(problem));
                }
                self.rows += 1;
            }
        }
        self.line += 1;
        self.fields = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<Csv<F>> {
        // the last line, if the file does not end with '\n'
        self.end_line()?;
        if self.reading_header() {
            self.line = 1;
            return Err(self.error("expected a header line, found an empty file".into()));
        }
        let columns = self.width.unwrap_or(0);
        let values = Tensor::from_vec(self.values, [self.rows, columns])?;
        Ok(Csv {
            header: self.names,
            values,
        })
    }
}

/// True for a byte that no number has, nor the whitespace `trim` takes off around it: digits,
/// signs, `.`, `e`, and the letters of `inf`, `infinity` and `nan` (any case) are all a number
/// can hold. A field with such a byte is wrong, whatever follows. Non-ASCII bytes never count:
/// they may be Unicode whitespace.
fn never_in_number(b: u8) -> bool {
    b.is_ascii()
        && !matches!(
            b.to_ascii_lowercase(),
            b'0'..=b'9' | b'+' | b'-' | b'.' | b'e' | b'i' | b'n' | b'f' | b't' | b'y' | b'a'
                | b'\t'..=b'\r' | b' '
        )
}

/// `text` in quotes, escaped as `{:?}` would, cut to `QUOTED_CHARS` characters (fewer if they
/// escape long); a cut one (or one `text` is only the start of) is followed by `…` and the
/// field's full length, so an error stays short whatever the file holds.
fn quote(text: &str, full_len: u64, complete: bool) -> String {
    let mut shown = String::new();
    let mut cut = !complete;
    let mut buf = [0; 4];
    for (i, c) in text.chars().enumerate() {
        let escaped = format!("{:?}", &*c.encode_utf8(&mut buf));
        let escaped = &escaped[1..escaped.len() - 1];
        if i == QUOTED_CHARS || shown.len() + escaped.len() > QUOTED_BYTES {
            cut = true;
            break;
        }
        shown.push_str(escaped);
    }
    if cut {
        format!("\"{shown}\"… ({full_len} bytes)")
    } else {
        format!("\"{shown}\"")
    }
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

    /// The same parse whole and fed in small chunks, so that chunk boundaries fall inside
    /// fields, before separators and inside multi-byte characters.
    #[test]
    fn chunk_boundaries_change_nothing() {
        let long = format!("1,{}é{}\n", "\0".repeat(300), "x".repeat(50));
        let inputs: [&[u8]; 7] = [
            b"a,b\n1,2\r\n\n3,4",
            b"1,2\n3,x\n",
            b"1,2\n3\n",
            "1,ééé\n".as_bytes(),
            b"1,2\n\xff,3\n",
            b" \n\t\n1e3 , -inf\n",
            long.as_bytes(),
        ];
        for bytes in inputs {
            for header in [Header::Absent, Header::Present] {
                let whole = parse::<f64>(bytes, "f", header);
                for chunk in [1, 2, 3, 7] {
                    let reader = std::io::BufReader::with_capacity(chunk, bytes);
                    assert_eq!(
                        parse::<f64>(reader, "f", header),
                        whole,
                        "{bytes:?} by {chunk}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_number_holds_a_byte_said_never_to_be_in_one() {
        let numbers = [
            "0",
            "-1.5",
            "+2e-3",
            "1E9",
            ".5",
            "5.",
            "inf",
            "-Infinity",
            "NaN",
            "+INF",
            "nan",
            " \t1\r",
            "\x0b1\x0c",
        ];
        for number in numbers {
            assert!(number.trim().parse::<f64>().is_ok(), "{number:?}");
            assert!(!number.bytes().any(never_in_number), "{number:?}");
        }
        for b in [b'x', b'\0', b'"', b'_', b'#', 0x1c, b'z', b'p'] {
            assert!(never_in_number(b), "{b:#04x}");
        }
        assert!(
            !never_in_number(0xc2),
            "may start U+00A0, which trim removes"
        );
    }

    #[test]
    fn quotes_are_cut_on_character_boundaries() {
        let long = "é".repeat(50);
        let quoted = quote(&long, long.len() as u64, true);
        assert_eq!(quoted, format!("\"{}\"… (100 bytes)", "é".repeat(40)));
        // control characters escape long: fewer of them fit
        let quoted = quote(&"\u{1b}".repeat(50), 50, true);
        assert_eq!(quoted, format!("\"{}\"… (50 bytes)", "\\u{1b}".repeat(16)));
        assert_eq!(quote("x", 1, true), "\"x\"");
        assert_eq!(quote("x", 9, false), "\"x\"… (9 bytes)");
    }

    #[test]
    fn a_missing_file_names_the_file() {
        let err = read_csv::<f64>("no/such/file.csv", Header::Absent).unwrap_err();
        assert!(err.to_string().starts_with("no/such/file.csv: "), "{err}");
    }
}
