//! Reading CSV files (plain or gzip-compressed) into a tensor, or into a labelled data set
//! whose class column holds names (`setosa`) or numbers.
//!
//! Records are read by the `csv` crate, so fields may be quoted (`"a, b"`, with `""` for a
//! quote and newlines inside quotes). Every value must be a number (but the labels); rows must
//! all have as many fields as the first. A bad file is an error naming the file, the line,
//! the column and what was wrong, never a panic.
//!
//! The bytes are parsed as they stream in: memory holds the values and the current record,
//! not the file, and a record past [`Limits::max_record_bytes`] stops the read, so garbage
//! with no line ends (a gzip bomb of zeros) costs a bounded amount of memory.

use std::collections::HashMap;
use std::io::{self, BufRead};
use std::path::Path;

use autograd::{Float, Tensor};

use super::dataset::Dataset;
use super::file::{self, Limits};
use super::indices::Indices;
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
    parse(source.reader, &source.name, header, limits)
}

/// Parses CSV bytes (`name` is used in errors): fields separated by commas and optionally
/// quoted, records by `\n`, `\r\n` or `\r`, blank lines skipped, spaces around a number
/// ignored. An error quotes at most 40 characters of a bad field, then `…` and the field's
/// length.
///
/// ```
/// use nn::data::{Header, parse_csv};
///
/// let table = parse_csv::<f64>(b"x,y\n1,2\n3,4\n", "inline", Header::Present).unwrap();
/// assert_eq!(table.values.to_vec(), vec![1.0, 2.0, 3.0, 4.0]);
/// let err = parse_csv::<f64>(b"1,2\n3\n", "inline", Header::Absent).unwrap_err();
/// assert_eq!(err.to_string(), "inline: line 2: expected 2 fields, found 1");
/// let quoted = parse_csv::<f64>(b"\"a, b\",c\n\"1\",2\n", "inline", Header::Present).unwrap();
/// assert_eq!(quoted.header.unwrap(), ["a, b", "c"]);
/// let long = format!("1,{}\n", "x".repeat(1000));
/// let err = parse_csv::<f64>(long.as_bytes(), "inline", Header::Absent).unwrap_err();
/// let x40 = "x".repeat(40);
/// let expected = format!("inline: line 1: column 2: expected a number, found \"{x40}\"… (1000 bytes)");
/// assert_eq!(err.to_string(), expected);
/// ```
pub fn parse_csv<F: Float>(bytes: &[u8], name: &str, header: Header) -> Result<Csv<F>> {
    parse(bytes, name, header, Limits::default())
}

/// Which column of a labelled CSV file holds the class.
///
/// ```
/// use nn::data::{Header, LabelColumn, parse_labelled_csv};
/// let data = parse_labelled_csv::<f32>(b"kind,x\ncat,1\ndog,2\n", "f", Header::Present, LabelColumn::Name("kind")).unwrap();
/// assert_eq!(data.classes, ["cat", "dog"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelColumn<'a> {
    /// The first column.
    First,
    /// The last column (as in the digits and iris files).
    Last,
    /// The column at this 0-based index.
    Index(usize),
    /// The column with this name in the header.
    Name(&'a str),
}

/// A CSV table whose label column became class indices and whose other columns are the
/// inputs: a data set ready for a classifier, and the names to print its classes by.
///
/// ```
/// use nn::data::{Header, LabelColumn, parse_labelled_csv};
/// let csv = b"x,y,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n";
/// let table = parse_labelled_csv::<f64>(csv, "f", Header::Present, LabelColumn::Last).unwrap();
/// assert_eq!(table.classes, ["setosa", "virginica"]);
/// assert_eq!(table.data.targets().as_slice(), &[0, 1, 0]);
/// assert_eq!(table.data.inputs().to_vec(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
/// assert_eq!(table.input_names.unwrap(), ["x", "y"]);
/// ```
#[derive(Debug, Clone)]
pub struct LabelledCsv<F: Float> {
    /// The input columns' names, if the file had a header.
    pub input_names: Option<Vec<String>>,
    /// The label column's name, if the file had a header.
    pub label_name: Option<String>,
    /// Class `i`'s name: the labels as written, sorted; or, when every label is a whole
    /// number, `"0"`, `"1"`, … up to the largest, so that label 7 is class 7.
    pub classes: Vec<String>,
    /// The inputs `[rows, columns − 1]` and the labels as [`Indices`] below `classes.len()`.
    pub data: Dataset<Tensor<F>, Indices>,
}

/// Reads a CSV file whose column `label` holds class labels (names or whole numbers) and
/// whose other columns hold numbers; a name ending in `.gz` is decompressed first. Reads at
/// most [`Limits::DEFAULT_MAX_BYTES`]; see [`read_labelled_csv_with`].
///
/// ```
/// use nn::data::{Header, LabelColumn, read_labelled_csv};
/// let path = std::env::temp_dir().join(format!("nn-labelled-{}.csv", std::process::id()));
/// std::fs::write(&path, "5.1,3.5,setosa\n7.0,3.2,versicolor\n").unwrap();
/// let table = read_labelled_csv::<f32>(&path, Header::Absent, LabelColumn::Last).unwrap();
/// assert_eq!((table.data.len(), table.classes.len()), (2, 2));
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_labelled_csv<F: Float>(
    path: impl AsRef<Path>,
    header: Header,
    label: LabelColumn<'_>,
) -> Result<LabelledCsv<F>> {
    read_labelled_csv_with(path, header, label, Limits::default())
}

/// [`read_labelled_csv`] within `limits`.
///
/// ```
/// use nn::data::{Header, LabelColumn, Limits, read_labelled_csv_with};
/// let path = std::env::temp_dir().join(format!("nn-labelled-with-{}.csv", std::process::id()));
/// std::fs::write(&path, "1,a\n2,b\n").unwrap();
/// let small = Limits::default().with_max_bytes(4);
/// assert!(read_labelled_csv_with::<f32>(&path, Header::Absent, LabelColumn::Last, small).is_err());
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_labelled_csv_with<F: Float>(
    path: impl AsRef<Path>,
    header: Header,
    label: LabelColumn<'_>,
    limits: Limits,
) -> Result<LabelledCsv<F>> {
    let source = file::open(path.as_ref(), limits)?;
    parse_labelled(source.reader, &source.name, header, label, limits)
}

/// [`read_labelled_csv`] on bytes (`name` is used in errors).
///
/// ```
/// use nn::data::{Header, LabelColumn, parse_labelled_csv};
/// // whole-number labels keep their numbers: 2 is class 2, and class 1 has no sample
/// let table = parse_labelled_csv::<f64>(b"2,0.5\n0,1.5\n", "f", Header::Absent, LabelColumn::First).unwrap();
/// assert_eq!((table.classes.len(), table.data.targets().as_slice()), (3, &[2, 0][..]));
/// let err = parse_labelled_csv::<f64>(b"a,1\nb,x\n", "f", Header::Absent, LabelColumn::First).unwrap_err();
/// assert_eq!(err.to_string(), "f: line 2: column 2: expected a number, found \"x\"");
/// let err = parse_labelled_csv::<f64>(b"a,b\n1,2\n", "f", Header::Present, LabelColumn::Name("c")).unwrap_err();
/// assert_eq!(err.to_string(), "f: line 1: no column named \"c\" (the columns: a, b)");
/// ```
pub fn parse_labelled_csv<F: Float>(
    bytes: &[u8],
    name: &str,
    header: Header,
    label: LabelColumn<'_>,
) -> Result<LabelledCsv<F>> {
    parse_labelled(bytes, name, header, label, Limits::default())
}

/// A numeric table.
fn parse<F: Float>(
    input: impl BufRead,
    name: &str,
    header: Header,
    limits: Limits,
) -> Result<Csv<F>> {
    let mut values: Vec<F> = Vec::new();
    let table = read_table(input, name, header, limits, |line, record| {
        for (i, field) in record.iter().enumerate() {
            values.push(number(name, line, i, field)?);
        }
        Ok(())
    })?;
    let values = Tensor::from_vec(values, [table.rows, table.width])?;
    Ok(Csv {
        header: table.names,
        values,
    })
}

/// A table with a label column.
fn parse_labelled<F: Float>(
    input: impl BufRead,
    name: &str,
    header: Header,
    label: LabelColumn<'_>,
    limits: Limits,
) -> Result<LabelledCsv<F>> {
    let mut values: Vec<F> = Vec::new();
    let mut column: Option<usize> = None;
    // each label's first-seen number, and the names in that order
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut labels: Vec<usize> = Vec::new();
    let table = read_table_with(input, name, header, limits, |table, line, record| {
        let at = match column {
            Some(at) => at,
            None => *column.insert(label_column(name, table, record.len(), label)?),
        };
        for (i, field) in record.iter().enumerate() {
            if i == at {
                let text = std::str::from_utf8(field).unwrap_or_default().trim();
                let next = names.len();
                let id = *seen.entry(text.as_bytes().to_vec()).or_insert(next);
                if id == next {
                    names.push(text.to_string());
                }
                labels.push(id);
            } else {
                values.push(number(name, line, i, field)?);
            }
        }
        Ok(())
    })?;
    let (classes, renumber) = class_names(names);
    let labels = labels.into_iter().map(|id| renumber[id]).collect();
    let inputs = Tensor::from_vec(values, [table.rows, table.width.saturating_sub(1)])?;
    let (input_names, label_name) = match (table.names, column) {
        (Some(mut names), Some(at)) if at < names.len() => {
            let label = names.remove(at);
            (Some(names), Some(label))
        }
        (names, _) => (names, None),
    };
    let labels = Indices::labels(labels, classes.len())?;
    Ok(LabelledCsv {
        input_names,
        label_name,
        classes,
        data: Dataset::new(inputs, labels)?,
    })
}

/// The label column's index, or an error naming what is missing.
fn label_column(name: &str, table: &Table, width: usize, label: LabelColumn<'_>) -> Result<usize> {
    let error = |line, message| Error::Parse {
        path: name.to_string(),
        line,
        message,
    };
    match label {
        LabelColumn::First if width > 0 => Ok(0),
        LabelColumn::Last if width > 0 => Ok(width - 1),
        LabelColumn::Index(i) if i < width => Ok(i),
        LabelColumn::Name(wanted) => match &table.names {
            Some(names) => names.iter().position(|n| n == wanted).ok_or_else(|| {
                error(
                    table.header_line,
                    format!(
                        "no column named \"{wanted}\" (the columns: {})",
                        names.join(", ")
                    ),
                )
            }),
            None => Err(error(
                1,
                format!("a label column named \"{wanted}\" needs a header line (Header::Present)"),
            )),
        },
        _ => Err(error(
            table.first_line,
            format!("no label column {label:?} in a row of {width} fields"),
        )),
    }
}

/// The classes' names and each first-seen label's class: the numbers themselves when every
/// label is a whole number (up to a million classes), else the names in sorted order.
fn class_names(names: Vec<String>) -> (Vec<String>, Vec<usize>) {
    let numbers: Option<Vec<usize>> = names
        .iter()
        .map(|n| {
            n.parse::<usize>()
                .ok()
                .filter(|&v| v < 1 << 20 && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    if let Some(numbers) = numbers {
        let count = numbers.iter().max().map_or(0, |&m| m + 1);
        return ((0..count).map(|i| i.to_string()).collect(), numbers);
    }
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    let mut renumber = vec![0; names.len()];
    for (class, &id) in order.iter().enumerate() {
        renumber[id] = class;
    }
    let sorted = order.iter().map(|&id| names[id].clone()).collect();
    (sorted, renumber)
}

/// Field `column` (0-based) of `line` as a number, or an error quoting it.
fn number<F: Float>(name: &str, line: usize, column: usize, field: &[u8]) -> Result<F> {
    let text = std::str::from_utf8(field).unwrap_or_default().trim();
    text.parse::<f64>().map(F::from_f64).map_err(|_| {
        let lossy = String::from_utf8_lossy(field);
        let found = quote(lossy.trim(), field.len() as u64, true);
        Error::Parse {
            path: name.to_string(),
            line,
            message: format!("column {}: expected a number, found {found}", column + 1),
        }
    })
}

/// What a read found besides the values.
struct Table {
    names: Option<Vec<String>>,
    header_line: usize,
    /// The line of the first data record.
    first_line: usize,
    width: usize,
    rows: usize,
}

/// [`read_table_with`] for a consumer that needs only the line and the record.
fn read_table(
    input: impl BufRead,
    name: &str,
    header: Header,
    limits: Limits,
    mut row: impl FnMut(usize, &Record<'_>) -> Result<()>,
) -> Result<Table> {
    read_table_with(input, name, header, limits, |_, line, record| {
        row(line, record)
    })
}

/// Reads every record of `input`: the header (if any), then each data record, checked to be
/// UTF-8 and as wide as the first, passed to `row` with its line.
fn read_table_with(
    input: impl BufRead,
    name: &str,
    header: Header,
    limits: Limits,
    mut row: impl FnMut(&Table, usize, &Record<'_>) -> Result<()>,
) -> Result<Table> {
    let mut records = Records::new(input, name, limits);
    let mut table = Table {
        names: None,
        header_line: 1,
        first_line: 1,
        width: 0,
        rows: 0,
    };
    let mut width: Option<usize> = None;
    let error = |line, message: String| Error::Parse {
        path: name.to_string(),
        line,
        message,
    };
    while let Some(line) = records.next_record()? {
        let record = records.record();
        if record.len() == 1 && record.field(0).trim_ascii().is_empty() {
            continue; // a blank line
        }
        if record.iter().any(|f| std::str::from_utf8(f).is_err()) {
            return Err(error(line, "not valid UTF-8 text".into()));
        }
        if header == Header::Present && table.names.is_none() {
            let names = record.iter().map(|f| {
                std::str::from_utf8(f)
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            });
            table.names = Some(names.collect());
            table.header_line = line;
            width = Some(record.len());
            continue;
        }
        let expected = *width.get_or_insert(record.len());
        if record.len() != expected {
            return Err(error(
                line,
                format!("expected {expected} fields, found {}", record.len()),
            ));
        }
        if table.rows == 0 {
            table.first_line = line;
        }
        row(&table, line, &record)?;
        table.rows += 1;
    }
    if header == Header::Present && table.names.is_none() {
        return Err(error(
            1,
            "expected a header line, found an empty file".into(),
        ));
    }
    table.width = width.unwrap_or(0);
    Ok(table)
}

/// One record's fields: their bytes, one after another, and where each ends.
struct Record<'a> {
    bytes: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Record<'a> {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn field(&self, i: usize) -> &'a [u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).map(|i| self.field(i))
    }
}

/// Records parsed by `csv-core` (the `csv` crate's parser: RFC 4180 quoting; `\n`, `\r\n`
/// and `\r` end records) from bytes fed as they stream in, with their line numbers and a
/// bound on memory.
///
/// The parser writes a record's unquoted fields into `fields` and their end positions into
/// `ends`, both grown on demand up to `Limits::max_record_bytes` together, so a file with no
/// line ends (or one of nothing but commas) costs at most that much before it is an error.
/// Lines are counted here, over the bytes the parser consumed (a line break is `\n`, `\r\n`
/// or a lone `\r`), and a record's line is that of its first byte after the blank lines the
/// parser skips.
struct Records<'n, R> {
    input: R,
    name: &'n str,
    parser: csv_core::Reader,
    max_bytes: u64,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// How much of `fields` and `ends` the current record uses.
    used: (usize, usize),
    /// Line breaks consumed so far, whether the last byte was a `\r`, and whether the
    /// current record's first byte is still to come.
    lines: usize,
    after_cr: bool,
    seeking_start: bool,
    start_line: usize,
}

impl<'n, R: BufRead> Records<'n, R> {
    fn new(input: R, name: &'n str, limits: Limits) -> Self {
        Records {
            input,
            name,
            parser: csv_core::Reader::new(),
            max_bytes: limits.max_record_bytes(),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            used: (0, 0),
            lines: 0,
            after_cr: false,
            seeking_start: true,
            start_line: 1,
        }
    }

    /// The record [`next_record`](Self::next_record) read last.
    fn record(&self) -> Record<'_> {
        Record {
            bytes: &self.fields[..self.used.0],
            ends: &self.ends[..self.used.1],
        }
    }

    /// Reads the next record; its line, or `None` at the end of the input.
    fn next_record(&mut self) -> Result<Option<usize>> {
        self.used = (0, 0);
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(file::from_io(self.name, e)),
            };
            let (result, read, wrote, ended) = self.parser.read_record(
                chunk,
                &mut self.fields[self.used.0..],
                &mut self.ends[self.used.1..],
            );
            let consumed = &chunk[..read];
            count_lines(
                consumed,
                &mut self.lines,
                &mut self.after_cr,
                &mut self.seeking_start,
                &mut self.start_line,
            );
            self.input.consume(read);
            self.used.0 += wrote;
            self.used.1 += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => self.grow(true)?,
                csv_core::ReadRecordResult::OutputEndsFull => self.grow(false)?,
                csv_core::ReadRecordResult::Record => {
                    self.seeking_start = true;
                    return Ok(Some(self.start_line));
                }
                csv_core::ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// Twice the room for field bytes (or for end positions), as far as the limit allows
    /// (the two together, an end position counted as 8 bytes); an error once it is reached.
    fn grow(&mut self, bytes: bool) -> Result<()> {
        let limit = usize::try_from(self.max_bytes)
            .unwrap_or(usize::MAX)
            .max(1024);
        let (fields, ends) = (self.fields.len(), self.ends.len());
        let grown = if bytes {
            let room = limit.saturating_sub(ends.saturating_mul(8));
            (fields.saturating_mul(2).min(room).max(fields), ends)
        } else {
            let room = limit.saturating_sub(fields) / 8;
            (fields, ends.saturating_mul(2).min(room).max(ends))
        };
        if grown == (fields, ends) {
            return Err(Error::TooLarge {
                path: self.name.to_string(),
                what: format!("the record at line {}", self.start_line),
                limit: self.max_bytes,
            });
        }
        self.fields.resize(grown.0, 0);
        self.ends.resize(grown.1, 0);
        Ok(())
    }
}

/// Counts the line breaks in `bytes` (`\n`, `\r\n` and a lone `\r` are one each; `after_cr`
/// carries a `\r` across chunks) and, while `seeking_start`, notes the line of the first byte
/// that is not a line break: where the next record starts.
fn count_lines(
    bytes: &[u8],
    lines: &mut usize,
    after_cr: &mut bool,
    seeking_start: &mut bool,
    start_line: &mut usize,
) {
    for &b in bytes {
        match b {
            b'\r' => {
                *lines += 1;
                *after_cr = true;
            }
            b'\n' => {
                if !*after_cr {
                    *lines += 1;
                }
                *after_cr = false;
            }
            _ => {
                *after_cr = false;
                if *seeking_start {
                    *start_line = *lines + 1;
                    *seeking_start = false;
                }
            }
        }
    }
}

/// How many characters of a bad field an error quotes, and at most how many bytes they may
/// take once escaped (control characters escape to up to 10).
const QUOTED_CHARS: usize = 40;
const QUOTED_BYTES: usize = 100;

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
    fn lines_are_counted_whatever_ends_them_and_blank_lines_count() {
        let cases: [(&[u8], usize); 8] = [
            (b"1,2\r\n3,x\r\n", 2),
            (b"1,2\r\n3,4\r\n5,x\r\n", 3),
            (b"1,2\r\n\r\n\r\n3,x\r\n", 4),
            (b"1,2\n\n\n3,x\n", 4),
            (b"1,2\r3,x\r", 2),
            (b"\n\n1,x\n", 3),
            (b"1,2\n  \n3,x", 3),
            (b"1,\"2\"\n\"3\",x\n", 2),
        ];
        for (bytes, line) in cases {
            let err = parse_csv::<f64>(bytes, "f", Header::Absent).unwrap_err();
            assert!(
                err.to_string().starts_with(&format!("f: line {line}: ")),
                "{bytes:?}: {err}"
            );
        }
        let err = parse_csv::<f64>(b"a,b\n\n1,x\n", "f", Header::Present).unwrap_err();
        assert!(err.to_string().starts_with("f: line 3: "), "{err}");
        // a quoted newline in the header: the next record starts on line 3
        let err = parse_csv::<f64>(b"\"a\nb\",c\n1,x\n", "f", Header::Present).unwrap_err();
        assert!(err.to_string().starts_with("f: line 3: "), "{err}");
    }

    #[test]
    fn blank_lines_are_not_a_long_record_and_commas_cost_no_more_than_the_limit() {
        let limits = Limits::default().with_max_record_bytes(1000);
        let many_blank = format!("1,2\n{}3,4\n", "\n".repeat(50_000));
        let table = parse::<f64>(many_blank.as_bytes(), "f", Header::Absent, limits).unwrap();
        assert_eq!(table.values.to_vec(), vec![1.0, 2.0, 3.0, 4.0]);
        // a record of nothing but commas: the field ends count against the same limit
        let commas = ",".repeat(100_000);
        let err = parse::<f64>(commas.as_bytes(), "f", Header::Absent, limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "f: the record at line 1 is over the limit of 1000 bytes (see nn::data::Limits)"
        );
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
                let whole = parse::<f64>(bytes, "f", header, Limits::default());
                for chunk in [1, 2, 3, 7] {
                    let reader = std::io::BufReader::with_capacity(chunk, bytes);
                    assert_eq!(
                        parse::<f64>(reader, "f", header, Limits::default()),
                        whole,
                        "{bytes:?} by {chunk}"
                    );
                }
            }
        }
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
