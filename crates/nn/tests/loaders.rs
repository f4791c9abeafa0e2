//! The file loaders: the real digits file, and random, truncated and corrupted bytes, which
//! must give errors (naming the file), never a panic.

use std::io::Write;

use nn::data::{Header, parse_csv, parse_idx, read_csv, read_idx};
use proptest::prelude::*;

#[test]
fn the_digits_file_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/digits.csv.gz");
    let digits = read_csv::<f32>(path, Header::Absent).unwrap();
    assert_eq!(digits.values.dims(), &[1797, 65]);
    let labels: Vec<f32> = (0..1797).map(|i| digits.values.at(&[i, 64])).collect();
    assert!(
        labels
            .iter()
            .all(|&l| (0.0..=9.0).contains(&l) && l.fract() == 0.0)
    );
    assert!(
        digits
            .values
            .as_slice()
            .iter()
            .all(|&p| (0.0..=16.0).contains(&p))
    );
}

#[test]
fn a_corrupt_gzip_file_is_named() {
    let path = std::env::temp_dir().join(format!("nn-corrupt-{}.csv.gz", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(b"\x1f\x8b not really gzip")
        .unwrap();
    let err = read_csv::<f64>(&path, Header::Absent).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains("gzip"),
        "{message}"
    );
}

/// A valid IDX file of u8 with the given dims.
fn idx_bytes(dims: &[u32]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0x08, dims.len() as u8];
    for d in dims {
        bytes.extend(d.to_be_bytes());
    }
    let n: u32 = dims.iter().product();
    bytes.extend((0..n).map(|i| i as u8));
    bytes
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_csv::<f64>(&bytes, "random", Header::Absent);
        let _ = parse_csv::<f64>(&bytes, "random", Header::Present);
        let _ = parse_idx::<f64>(&bytes, "random");
    }

    #[test]
    fn truncated_idx_files_are_size_errors(dims in prop::collection::vec(1u32..5, 1..4), cut in 1usize..100) {
        let bytes = idx_bytes(&dims);
        let cut = cut.min(bytes.len());
        let truncated = &bytes[..bytes.len() - cut];
        let err = parse_idx::<f64>(truncated, "t.idx").unwrap_err();
        prop_assert!(err.to_string().starts_with("t.idx: "), "{}", err);
        prop_assert!(parse_idx::<f64>(&bytes, "t.idx").is_ok());
    }

    #[test]
    fn corrupted_csv_files_are_errors_with_a_line(
        rows in 1usize..6, columns in 1usize..5, at in any::<prop::sample::Index>(), junk in "[a-z;]{1,3}"
    ) {
        let mut lines: Vec<String> = (0..rows)
            .map(|r| (0..columns).map(|c| (r * columns + c).to_string()).collect::<Vec<_>>().join(","))
            .collect();
        let valid = lines.join("\n");
        prop_assert!(parse_csv::<f64>(valid.as_bytes(), "c.csv", Header::Absent).is_ok());
        let line = at.index(rows);
        lines[line].push_str(&junk);
        let err = parse_csv::<f64>(lines.join("\n").as_bytes(), "c.csv", Header::Absent).unwrap_err();
        let expected = format!("c.csv: line {}: ", line + 1);
        prop_assert!(err.to_string().starts_with(&expected), "{}", err);
    }
}

/// A temporary file `name` holding `bytes`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let file = format!("nn-loaders-{}-{name}", std::process::id());
        let path = std::env::temp_dir().join(file);
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }

    fn name(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

// Issue, defect 1: `cat a.csv.gz b.csv.gz` loaded only a's rows, silently.
#[test]
fn every_gzip_member_is_read() {
    let mut cat = gzip(b"1,2\n3,4\n");
    cat.extend(gzip(b"5,6\n"));
    let file = TempFile::new("cat.csv.gz", &cat);
    let table = read_csv::<f64>(&file.0, Header::Absent).unwrap();
    assert_eq!(table.values.to_vec(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);

    // bgzip: members with an extra field ("BC", the block size), then an empty member as the
    // end-of-file marker; pigz --independent: many small members.
    let mut bgzf = Vec::new();
    for block in [&b"7,8\n"[..], b"9,10\n", b""] {
        let mut encoder = flate2::GzBuilder::new()
            .extra(b"BC\x02\x00\x00\x00".to_vec())
            .write(Vec::new(), flate2::Compression::default());
        encoder.write_all(block).unwrap();
        bgzf.extend(encoder.finish().unwrap());
    }
    let file = TempFile::new("bgzf.csv.gz", &bgzf);
    let table = read_csv::<f64>(&file.0, Header::Absent).unwrap();
    assert_eq!(table.values.to_vec(), vec![7.0, 8.0, 9.0, 10.0]);

    let idx = [0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4];
    let mut split = gzip(&idx[..6]);
    split.extend(gzip(&idx[6..]));
    let file = TempFile::new("split.idx.gz", &split);
    assert_eq!(
        read_idx::<f64>(&file.0).unwrap().to_vec(),
        vec![1.0, 2.0, 3.0, 4.0]
    );
}

// Issue, defect 1: bytes after the gzip stream were accepted.
#[test]
fn bytes_after_the_gzip_data_are_an_error_at_their_offset() {
    let member = gzip(b"1,2\n");
    for junk in [&b"garbage"[..], b"\0\0\0\0", b"\n"] {
        let mut bytes = member.clone();
        bytes.extend(junk);
        let file = TempFile::new("junk.csv.gz", &bytes);
        let err = read_csv::<f64>(&file.0, Header::Absent).unwrap_err();
        let expected = format!("{}: trailing data at byte {}: ", file.name(), member.len());
        assert!(err.to_string().starts_with(&expected), "{err}");
        assert!(matches!(err, nn::Error::Format { offset, .. } if offset == member.len() as u64));
    }
}

// Issue, defect 3: a 10 MB field gave a 10 MB message. (Fields up to the record limit are
// quoted short; a longer record stops the read: see the end.)
#[test]
fn errors_quote_a_short_prefix_of_a_long_field() {
    let cases = [
        ("x".repeat(4 << 20), "x".repeat(40)),
        // a number-like field, kept whole until it fails to parse
        (
            format!("1.{}", "2".repeat(4 << 20)) + ".",
            format!("1.{}", "2".repeat(38)),
        ),
        // multi-byte characters: the cut falls between them
        ("é".repeat(2 << 20), "é".repeat(40)),
    ];
    for (field, shown) in cases {
        let csv = format!("1,2\n3,{field}\n");
        let err = parse_csv::<f64>(csv.as_bytes(), "long.csv", Header::Absent).unwrap_err();
        let len = field.len();
        assert_eq!(
            err.to_string(),
            format!(
                "long.csv: line 2: column 2: expected a number, found \"{shown}\"… ({len} bytes)"
            )
        );
    }
    let err = parse_csv::<f64>(&[b'\x01'; 1000], "ctl.csv", Header::Absent).unwrap_err();
    assert!(err.to_string().len() < 200, "{err}");
    // past the record limit (8 MiB): a short error naming the line, not the field
    let csv = format!("1,2\n3,{}\n", "x".repeat(10 << 20));
    let err = parse_csv::<f64>(csv.as_bytes(), "long.csv", Header::Absent).unwrap_err();
    assert_eq!(
        err.to_string(),
        "long.csv: the record at line 2 is over the limit of 8388608 bytes (see nn::data::Limits)"
    );
}

// Issue, defect 4: IDX and gzip errors said "line 0".
#[test]
fn binary_formats_say_the_byte_offset_not_a_line() {
    let err = parse_idx::<f64>(&[0, 0, 0x42, 1, 0, 0, 0, 1, 0], "t.idx").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.idx: element type at byte 2: unknown element type 0x42 \
         (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)"
    );
    let file = TempFile::new("bad.idx.gz", b"\x1f\x8b not really gzip");
    let err = read_idx::<f64>(&file.0).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}: gzip member 1 at byte ", file.name())),
        "{err}"
    );
    for err in [
        err,
        parse_idx::<f64>(b"\x01\0\0\0", "t.idx")
            .unwrap_err()
            .to_string(),
    ] {
        assert!(!err.contains("line"), "{err}");
    }
}

// Issue, defect 5: a zero dimension hid the overflowing product of the others: the tensor
// came back, and its strides overflowed when it was used (a panic while printing it).
#[test]
fn dimensions_whose_size_overflows_are_errors_naming_them() {
    let huge = [0xFF; 4];
    let mut bytes = vec![0, 0, 0x08, 4, 0, 0, 0, 0];
    (0..3).for_each(|_| bytes.extend(huge));
    let err = parse_idx::<f64>(&bytes, "z.idx").unwrap_err();
    assert_eq!(
        err.to_string(),
        "z.idx: dimensions at byte 4: [0, 4294967295, 4294967295, 4294967295] × 1 bytes per \
         element overflows a usize"
    );
    let mut bytes = vec![0, 0, 0x0E, 3];
    (0..3).for_each(|_| bytes.extend(huge));
    let err = parse_idx::<f64>(&bytes, "f.idx").unwrap_err().to_string();
    assert!(
        err.contains("[4294967295, 4294967295, 4294967295]"),
        "{err}"
    );
    let mut bytes = vec![0, 0, 0x08, 255];
    (0..255).for_each(|_| bytes.extend(huge));
    let err = parse_idx::<f64>(&bytes, "many.idx")
        .unwrap_err()
        .to_string();
    assert!(err.len() < 200 && err.contains("(255 dimensions)"), "{err}");
}

#[test]
fn zero_dimensions_give_empty_tensors() {
    let t = parse_idx::<f64>(&[0, 0, 0x0E, 2, 0, 0, 0, 0, 0, 0, 0, 9], "e.idx").unwrap();
    assert_eq!(t.dims(), &[0, 9]);
}

// Issue, defect 2: memory and reading are bounded by the limit and by the header.
#[test]
fn limits_stop_reading_and_headers_are_checked_first() {
    use nn::data::{Limits, read_bytes_with, read_csv_with, read_idx_with};
    let small = Limits::default().with_max_bytes(1000);
    let csv = "0,1\n".repeat(300);
    let file = TempFile::new("big.csv.gz", &gzip(csv.as_bytes()));
    let err = read_csv_with::<f64>(&file.0, Header::Absent, small).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the decompressed data is over the limit of 1000 bytes (see nn::data::Limits)",
            file.name()
        )
    );
    assert!(read_bytes_with(&file.0, small.with_max_bytes(1200)).is_ok());
    let plain = TempFile::new("big.csv", csv.as_bytes());
    let err = read_csv_with::<f64>(&plain.0, Header::Absent, small).unwrap_err();
    assert!(
        err.to_string().contains("the file (1200 bytes) is over"),
        "{err}"
    );
    // /dev/zero has no length to check up front: the limit stops it as it streams.
    #[cfg(unix)]
    {
        let err = read_bytes_with("/dev/zero", small).unwrap_err().to_string();
        assert!(
            err.starts_with("/dev/zero: the data is over the limit"),
            "{err}"
        );
    }

    // An IDX header declaring more than the limit is refused before any element is read.
    let mut header = vec![0, 0, 0x08, 3];
    for d in [60000u32, 28, 28] {
        header.extend(d.to_be_bytes());
    }
    let file = TempFile::new("declared.idx.gz", &gzip(&header));
    let err = read_idx_with::<f32>(&file.0, small).unwrap_err();
    assert!(
        err.to_string()
            .contains("the size its header declares (47040016 bytes) is over"),
        "{err}"
    );
    // Within the limit, a header that lies about its size is a size error.
    let err = read_idx::<f32>(&file.0).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: elements: expected 47040000 bytes, found 0",
            file.name()
        )
    );
    let mut long = vec![0, 0, 0x08, 2, 0, 0, 0, 100, 0, 0, 0, 28];
    long.extend(vec![0; 2800 + 5]);
    let file = TempFile::new("long.idx.gz", &gzip(&long));
    let err = read_idx::<f32>(&file.0).unwrap_err();
    assert!(
        err.to_string().ends_with("expected 2800 bytes, found 2805"),
        "{err}"
    );
}

// Issue 12: CSV through the csv crate: quoted fields, string class labels mapped to indices.
#[test]
fn quoted_fields_and_named_classes_load_into_a_classification_set() {
    use nn::data::{LabelColumn, parse_labelled_csv};
    let csv = "\"sepal, length\",species,width\n\
               5.1,\"setosa\",3.5\n\
               \"7.0\",versicolor,3.2\n\
               6.3, virginica ,3.3\n\
               4.9,setosa,3.0\n";
    for label in [LabelColumn::Index(1), LabelColumn::Name("species")] {
        let table =
            parse_labelled_csv::<f64>(csv.as_bytes(), "iris.csv", Header::Present, label).unwrap();
        assert_eq!(table.classes, ["setosa", "versicolor", "virginica"]);
        assert_eq!(table.data.targets().as_slice(), &[0, 1, 2, 0]);
        assert_eq!(table.data.targets().bound(), 3);
        assert_eq!(
            table.data.inputs().to_vec(),
            vec![5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0]
        );
        assert_eq!(
            table.input_names.as_deref().unwrap(),
            ["sepal, length", "width"]
        );
        assert_eq!(table.label_name.as_deref(), Some("species"));
    }
    // a quoted field may hold a newline: the record's line is where it starts
    let err = parse_labelled_csv::<f64>(
        b"a,\"b\nc\"\n1,x\n",
        "f.csv",
        Header::Absent,
        LabelColumn::First,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.csv: line 1: column 2: expected a number, found \"b\\nc\""
    );
    // the column number is the file's, whichever column holds the label
    let err = parse_labelled_csv::<f32>(
        b"1,a,2\n3,b,?\n",
        "f.csv",
        Header::Absent,
        LabelColumn::Index(1),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.csv: line 2: column 3: expected a number, found \"?\""
    );
    let err = parse_labelled_csv::<f32>(
        b"1,a\n2,b\n",
        "f.csv",
        Header::Absent,
        LabelColumn::Index(2),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.csv: line 1: no label column Index(2) in a row of 2 fields"
    );
    let err = parse_labelled_csv::<f32>(b"1,a\n", "f.csv", Header::Absent, LabelColumn::Name("y"))
        .unwrap_err();
    assert!(err.to_string().contains("needs a header line"), "{err}");
}

#[test]
fn numbered_classes_keep_their_numbers_and_the_digits_train_from_a_labelled_read() {
    use nn::data::{LabelColumn, read_labelled_csv};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/digits.csv.gz");
    let digits = read_labelled_csv::<f32>(path, Header::Absent, LabelColumn::Last).unwrap();
    assert_eq!(digits.data.len(), 1797);
    assert_eq!(digits.data.inputs().dims(), &[1797, 64]);
    assert_eq!(
        digits.classes,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
    );
    let table = read_csv::<f32>(path, Header::Absent).unwrap();
    let last: Vec<usize> = table
        .values
        .as_slice()
        .chunks(65)
        .map(|r| r[64] as usize)
        .collect();
    assert_eq!(digits.data.targets().as_slice(), &last[..]);
}
