//! `edgepath logs` on CloudFront standard logging v2 Parquet files: the same records as W3C
//! lines give the same summary (every 504 signature included) whatever the codec, row groups,
//! column spelling or column subset; nulls and corrupt files are counted or warned, never fatal.
#![cfg(feature = "parquet")]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use edgepath::logs::{LogFormat, LogOptions, summarize};
use parquet::basic::{
    BrotliLevel, Compression, ConvertedType, GzipLevel, Repetition, Type as PhysicalType, ZstdLevel,
};
use parquet::data_type::{ByteArray, ByteArrayType};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/logs")
        .join(name)
}

/// A table of optional string cells, column names first.
struct Table {
    names: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

/// The generator's W3C text (with its `#Fields:` header) and the same records as a table whose
/// column names are `name_of(W3C name)`.
fn generated(n: u64, seed: u64, name_of: impl Fn(&str) -> String) -> (Vec<u8>, Table) {
    let mut text = Vec::new();
    edgepath::logs::generate(n, seed, &mut text).expect("generate");
    let text_str = String::from_utf8(text.clone()).expect("utf8");
    let mut names = Vec::new();
    let mut rows = Vec::new();
    for line in text_str.lines() {
        if let Some(fields) = line.strip_prefix("#Fields:") {
            names = fields.split_whitespace().map(&name_of).collect();
        } else if !line.starts_with('#') && !line.is_empty() {
            rows.push(
                line.split('\t')
                    .map(|v| (v != "-").then(|| v.to_owned()))
                    .collect(),
            );
        }
    }
    (text, Table { names, rows })
}

/// Athena's spelling of the CloudFront Parquet columns: `cs(Host)` → `cs_host`,
/// `x-edge-detailed-result-type` → `x_edge_detailed_result_type`.
fn underscored(w3c: &str) -> String {
    w3c.replace(['-', '('], "_")
        .replace(')', "")
        .to_ascii_lowercase()
}

/// Writes `table` as Parquet: every column `BYTE_ARRAY`/`UTF8` (optional, or required when
/// `required`), `rows_per_group` rows per row group.
fn write_parquet(
    path: &Path,
    table: &Table,
    compression: Compression,
    rows_per_group: usize,
    required: bool,
) {
    let props = WriterProperties::builder()
        .set_compression(compression)
        .build();
    write_parquet_with(path, table, props, rows_per_group, required);
}

/// [`write_parquet`] with the writer's properties given (page version, page sizes, dictionary).
fn write_parquet_with(
    path: &Path,
    table: &Table,
    props: WriterProperties,
    rows_per_group: usize,
    required: bool,
) {
    let fields = table
        .names
        .iter()
        .map(|n| {
            Arc::new(
                Type::primitive_type_builder(n, PhysicalType::BYTE_ARRAY)
                    .with_converted_type(ConvertedType::UTF8)
                    .with_repetition(if required {
                        Repetition::REQUIRED
                    } else {
                        Repetition::OPTIONAL
                    })
                    .build()
                    .expect("column type"),
            )
        })
        .collect();
    let schema = Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
        .expect("schema");
    let mut writer = SerializedFileWriter::new(
        File::create(path).expect("create"),
        Arc::new(schema),
        Arc::new(props),
    )
    .expect("writer");
    for group in table.rows.chunks(rows_per_group) {
        let mut rg = writer.next_row_group().expect("row group");
        let mut c = 0;
        while let Some(mut col) = rg.next_column().expect("column") {
            // A required column has no nulls: CloudFront's `-` stands in.
            let cells = group.iter().map(|r| {
                let cell = r.get(c).cloned().flatten();
                if required {
                    cell.or_else(|| Some("-".to_owned()))
                } else {
                    cell
                }
            });
            let levels: Vec<i16> = cells.clone().map(|v| i16::from(v.is_some())).collect();
            let values: Vec<ByteArray> = cells
                .flatten()
                .map(|v| ByteArray::from(v.into_bytes()))
                .collect();
            col.typed::<ByteArrayType>()
                .write_batch(&values, (!required).then_some(&levels[..]), None)
                .expect("write");
            col.close().expect("close column");
            c += 1;
        }
        rg.close().expect("close row group");
    }
    writer.close().expect("close file");
}

fn json(s: &edgepath::logs::LogSummary) -> serde_json::Value {
    serde_json::to_value(s).expect("json")
}

fn signatures(s: &edgepath::logs::LogSummary) -> std::collections::BTreeMap<String, u64> {
    let mut out = std::collections::BTreeMap::new();
    for e in &json(s)["origin_errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        *out.entry(e["signature"].as_str().unwrap_or("").to_owned())
            .or_default() += e["count"].as_u64().unwrap_or(0);
    }
    out
}

#[test]
fn parquet_summary_equals_the_w3c_summary_of_the_same_records() {
    let dir = tempfile::tempdir().expect("tmp");
    let (text, table) = generated(30_000, 7, underscored);
    let w3c = dir.path().join("E2ABCDEFGHIJ.2025-11-23-05.abcd.log");
    std::fs::write(&w3c, &text).expect("write");
    let want = summarize(&[w3c], &LogOptions::default()).expect("w3c");
    assert_eq!(want.records, 30_000);
    assert_eq!(signatures(&want).len(), 6, "every 504 signature generated");
    for (file, compression, rows_per_group) in [
        ("snappy", Compression::SNAPPY, 7_000),
        ("gzip", Compression::GZIP(GzipLevel::default()), 4_096),
        ("lz4", Compression::LZ4_RAW, 30_000),
        ("zstd", Compression::ZSTD(ZstdLevel::default()), 8_192),
        (
            "brotli",
            Compression::BROTLI(BrotliLevel::default()),
            12_000,
        ),
        ("plain", Compression::UNCOMPRESSED, 9_999),
    ] {
        let path = dir
            .path()
            .join(format!("E2ABCDEFGHIJ.2025-11-23-05.{file}.parquet"));
        write_parquet(&path, &table, compression, rows_per_group, false);
        let got = summarize(std::slice::from_ref(&path), &LogOptions::default()).expect(file);
        assert_eq!(json(&got), json(&want), "{file}");
        assert!(got.warnings.is_empty(), "{file}: {:?}", got.warnings);
    }
}

#[test]
fn hyphenated_and_w3c_column_names_read_like_underscored_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let (text, table) = generated(5_000, 3, str::to_owned);
    assert!(table.names.iter().any(|n| n == "cs(Host)"));
    let w3c = dir.path().join("gen.log");
    std::fs::write(&w3c, &text).expect("write");
    let want = summarize(&[w3c], &LogOptions::default()).expect("w3c");
    // no .parquet extension: told by the PAR1 magic; required (non-null) columns
    let path = dir.path().join("gen.bin");
    write_parquet(&path, &table, Compression::SNAPPY, 1_000, true);
    let got = summarize(&[path], &LogOptions::default()).expect("parquet");
    assert_eq!(json(&got), json(&want));
}

#[test]
fn a_subset_of_columns_with_nulls_counts_bad_rows_by_row_number() {
    let dir = tempfile::tempdir().expect("tmp");
    let cell = |s: &str| (s != "null").then(|| s.to_owned());
    let names = [
        "date",
        "time",
        "sc_status",
        "time_taken",
        "x_edge_detailed_result_type",
        "cs_method",
        "cs_uri_stem",
    ];
    let rows = [
        "2025-11-23 05:00:01 504 30.002 OriginCommError GET /api/a",
        "2025-11-23 05:00:02 200 0.010 Miss GET /api/b",
        "2025-11-23 05:00:03 null 0.010 Miss GET /api/c", // row 3: no status
        "2025-11-23 05:00:04 504 10.001 Error null /api/d", // ALB connect timeout, no method
        "2025-11-23 05:00:05 504 null null GET null",     // no time-taken, detailed, uri
        "null 05:00:06 200 0.2 Hit GET /",                // row 6: no date
    ];
    let table = Table {
        names: names.iter().map(|&n| n.to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| r.split(' ').map(cell).collect())
            .collect(),
    };
    let path = dir.path().join("subset.parquet");
    write_parquet(&path, &table, Compression::SNAPPY, 4, false);
    let s = summarize(std::slice::from_ref(&path), &LogOptions::default()).expect("parquet");
    assert_eq!(s.records, 4);
    assert_eq!(s.bad_lines, 2);
    let name = path.display().to_string();
    assert!(
        s.bad_line_samples
            .iter()
            .any(|b| b.starts_with(&format!("{name}:row 3:")) && b.contains("sc-status")),
        "{:?}",
        s.bad_line_samples
    );
    assert!(
        s.bad_line_samples
            .iter()
            .any(|b| b.starts_with(&format!("{name}:row 6:"))),
        "{:?}",
        s.bad_line_samples
    );
    let sigs = signatures(&s);
    assert_eq!(sigs.get("cloudfront-connect-timeout"), Some(&1), "{sigs:?}");
    assert_eq!(sigs.get("alb-target-connect-timeout"), Some(&1), "{sigs:?}");
    assert_eq!(sigs.values().sum::<u64>(), 3, "{sigs:?}");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn a_parquet_file_without_status_is_read_with_a_warning() {
    let dir = tempfile::tempdir().expect("tmp");
    let table = Table {
        names: vec!["date".into(), "time".into(), "time_taken".into()],
        rows: vec![vec![
            Some("2025-11-23".into()),
            Some("05:00:00".into()),
            Some("1.0".into()),
        ]],
    };
    let path = dir.path().join("nostatus.parquet");
    write_parquet(&path, &table, Compression::UNCOMPRESSED, 10, false);
    // Alone, nothing can be classified: an input error naming the file, never "No 5xx".
    let err = summarize(std::slice::from_ref(&path), &LogOptions::default()).expect_err("alone");
    assert!(
        err.to_string()
            .contains("nostatus.parquet: CloudFront Parquet without an sc_status column"),
        "{err}"
    );
    // Beside a classifiable log, its rows are counted, with the warning.
    let good = fixture("cloudfront_std_legacy_33f_awsdocs_example.log");
    let s = summarize(&[path, good], &LogOptions::default()).expect("parquet");
    assert_eq!(s.records, 1 + 6);
    assert!(
        s.warnings.iter().any(|w| w.contains("no sc_status column")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn duckdb_written_fixture_gives_the_generator_truth() {
    // tests/fixtures/logs/SOURCES.md: `edgepath logs --generate 400 --seed 11`, converted by DuckDB.
    let s = summarize(
        &[fixture(
            "cloudfront_std_v2_parquet_snappy_duckdb_GENERATED.parquet",
        )],
        &LogOptions::default(),
    )
    .expect("fixture");
    assert_eq!(s.records, 400);
    assert_eq!(s.bad_lines, 0);
    let want: std::collections::BTreeMap<String, u64> = [
        ("alb-idle-timeout", 8),
        ("alb-target-connect-timeout", 9),
        ("cached-error", 13),
        ("cloudfront-connect-timeout", 9),
        ("cloudfront-read-timeout", 9),
        ("dns-failure", 5),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(signatures(&s), want);
}

/// A second, independent writer's ZSTD file (DuckDB 2.0; truth in tests/fixtures/logs/SOURCES.md).
#[test]
fn duckdb_zstd_file_is_read() {
    let s = summarize(
        &[fixture(
            "cloudfront_std_v2_parquet_zstd_duckdb_GENERATED.parquet",
        )],
        &LogOptions::default(),
    )
    .expect("readable");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.records, 20);
    assert_eq!(s.by_status.get("200"), Some(&17));
    assert_eq!(s.by_status.get("504"), Some(&3));
}

#[test]
fn corrupt_and_truncated_files_are_warned_and_the_rest_still_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, table) = generated(9_000, 5, underscored);
    let good = dir.path().join("good.parquet");
    write_parquet(&good, &table, Compression::SNAPPY, 3_000, false);
    let bytes = std::fs::read(&good).expect("read");
    std::fs::write(
        dir.path().join("truncated.parquet"),
        &bytes[..bytes.len() / 2],
    )
    .expect("w");
    std::fs::write(dir.path().join("empty.parquet"), b"").expect("w");
    // Overwrite the middle row group's pages (the footer stays intact).
    let reader = parquet::file::serialized_reader::SerializedFileReader::new(
        File::open(&good).expect("open"),
    )
    .expect("reader");
    let group = parquet::file::reader::FileReader::metadata(&reader).row_group(1);
    let (start, len) = group.columns()[0].byte_range();
    let mut corrupt = bytes.clone();
    let end = usize::try_from(start + len).expect("fits");
    let start = usize::try_from(start).expect("fits");
    corrupt[start..end].fill(0xff);
    std::fs::write(dir.path().join("corrupt.parquet"), &corrupt).expect("w");
    std::fs::copy(
        fixture("cloudfront_std_v2_parquet_zstd_duckdb_GENERATED.parquet"),
        dir.path().join("zstd.parquet"),
    )
    .expect("copy");
    let s = summarize(&[dir.path().to_owned()], &LogOptions::default()).expect("readable");
    let warned = |file: &str, what: &str| {
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains(file) && w.contains(what)),
            "{file}: {what}: {:?}",
            s.warnings
        );
    };
    warned("truncated.parquet", "not a readable Parquet file");
    warned("empty.parquet", "not a readable Parquet file");
    warned("corrupt.parquet", "row group 1 (rows 3001..=6000)");
    assert!(
        !s.warnings.iter().any(|w| w.contains("zstd.parquet")),
        "DuckDB's ZSTD file is read: {:?}",
        s.warnings
    );
    // good (9000) + corrupt's row groups 0 and 2 (6000) + DuckDB's ZSTD file (20)
    assert_eq!(s.records, 15_020, "{:?}", s.warnings);
    assert_eq!(s.files, 3);
}

#[test]
fn forced_format_and_stdin() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, table) = generated(100, 1, underscored);
    let path = dir.path().join("logs.bin");
    write_parquet(&path, &table, Compression::SNAPPY, 100, false);
    let opts = LogOptions {
        format: Some(LogFormat::CloudfrontParquet),
        ..LogOptions::default()
    };
    assert_eq!(
        summarize(std::slice::from_ref(&path), &opts)
            .expect("forced")
            .records,
        100
    );
    // A W3C file forced as Parquet is a clear warning, not a panic.
    let text = dir.path().join("w3c.log");
    std::fs::write(&text, "#Version: 1.0\n").expect("w");
    let err = summarize(&[text], &opts).expect_err("not parquet");
    assert!(
        err.to_string().contains("not a readable Parquet file"),
        "{err}"
    );
    // Parquet on stdin, detected or forced: refused with the reason, exit 2.
    for args in [
        &["logs", "-"][..],
        &["logs", "--log-format", "cloudfront-parquet", "-"],
    ] {
        let out = Command::cargo_bin("edgepath")
            .expect("binary")
            .args(args)
            .write_stdin(std::fs::read(&path).expect("read"))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("stdin"), "{args:?}: {stderr}");
    }
    let help = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["logs", "--help"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&help.stdout).contains("cloudfront-parquet"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Flipped bytes anywhere (pages, footer, magic) never panic the reader nor invent rows: the
    /// file is read, partly read with a warning, or refused with a warning.
    #[test]
    fn corrupted_bytes_never_panic_and_never_add_rows(
        flips in proptest::collection::vec((0.0f64..1.0, proptest::prelude::any::<u8>()), 1..8),
        gzip in proptest::prelude::any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("tmp");
        let (_, table) = generated(600, 2, underscored);
        let path = dir.path().join("f.parquet");
        let compression = if gzip { Compression::GZIP(GzipLevel::default()) } else { Compression::SNAPPY };
        write_parquet(&path, &table, compression, 200, false);
        let mut bytes = std::fs::read(&path).expect("read");
        for (at, byte) in flips {
            let i = ((bytes.len() - 1) as f64 * at) as usize;
            bytes[i] ^= byte | 1;
        }
        std::fs::write(&path, &bytes).expect("write");
        match summarize(&[path], &LogOptions::default()) {
            Ok(s) => proptest::prop_assert!(s.records + s.bad_lines <= 600, "{:?}", s.warnings),
            Err(e) => proptest::prop_assert!(e.to_string().contains("f.parquet"), "{e}"),
        }
    }
}

/// The table as a W3C log (`#Fields:` with the W3C names given, `-` for a null).
fn w3c_text(w3c_names: &[String], table: &Table) -> String {
    let mut out = format!("#Version: 1.0\n#Fields: {}\n", w3c_names.join(" "));
    for row in &table.rows {
        let cells: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or("-")).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// Pages v2, a dictionary that overflows into PLAIN pages, no dictionary, many small pages
/// whose 5xx sit in one stretch (so the other columns' pages are skipped undecoded), required
/// columns; read with and without time and distribution filters: always the W3C summary.
#[test]
fn page_layouts_and_filters_read_like_the_w3c_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let (text, mut table) = generated(20_000, 11, underscored);
    let text = String::from_utf8(text).expect("utf8");
    let w3c_names: Vec<String> = text
        .lines()
        .find_map(|l| l.strip_prefix("#Fields:"))
        .expect("fields")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let status = table
        .names
        .iter()
        .position(|n| n == "sc_status")
        .expect("sc_status");
    // 5xx (and `000`) only in rows 12,000..13,000; one unparsable status and one bad date.
    let date = table.names.iter().position(|n| n == "date").expect("date");
    for (i, row) in table.rows.iter_mut().enumerate() {
        let is_error = row[status]
            .as_deref()
            .is_some_and(|s| s.starts_with('5') || s == "000");
        if is_error && !(12_000..13_000).contains(&i) {
            row[status] = Some("200".to_owned());
        }
    }
    table.rows[12_500][status] = Some("2x0".to_owned());
    table.rows[12_600][date] = Some("2025-13-01".to_owned());
    let w3c = dir.path().join("E2ABCDEFGHIJ.2025-11-23-05.sparse.log");
    std::fs::write(&w3c, w3c_text(&w3c_names, &table)).expect("write");

    let first_minute = {
        let time = table.names.iter().position(|n| n == "time").expect("time");
        let row = &table.rows[0];
        edgepath::logs::minute_of(
            row[date].as_deref().unwrap_or("").as_bytes(),
            row[time].as_deref().unwrap_or("").as_bytes(),
        )
        .expect("minute")
    };
    let options = [
        LogOptions::default(),
        LogOptions {
            since: Some(first_minute + 3),
            until: Some(first_minute + 40),
            ..LogOptions::default()
        },
        LogOptions {
            distribution: Some("E2ABCDEFGHIJ".to_owned()),
            ..LogOptions::default()
        },
    ];
    let small_pages = || {
        WriterProperties::builder()
            .set_data_page_row_count_limit(200)
            .set_write_batch_size(200)
            .set_compression(Compression::SNAPPY)
    };
    let layouts: [(&str, WriterProperties, usize, bool); 5] = [
        (
            "v2",
            WriterProperties::builder()
                .set_writer_version(WriterVersion::PARQUET_2_0)
                .set_compression(Compression::SNAPPY)
                .build(),
            6_000,
            false,
        ),
        (
            "dict-overflow",
            small_pages().set_dictionary_page_size_limit(512).build(),
            20_000,
            false,
        ),
        (
            "no-dict",
            small_pages().set_dictionary_enabled(false).build(),
            9_000,
            false,
        ),
        ("small-pages", small_pages().build(), 20_000, false),
        ("required", small_pages().build(), 7_777, true),
    ];
    let mut files = Vec::new();
    for (name, props, rows_per_group, required) in layouts {
        let path = dir
            .path()
            .join(format!("E2ABCDEFGHIJ.2025-11-23-05.{name}.parquet"));
        write_parquet_with(&path, &table, props, rows_per_group, required);
        files.push((name, path));
    }
    for opts in &options {
        let want = summarize(std::slice::from_ref(&w3c), opts).expect("w3c");
        assert_eq!(want.bad_lines, 2, "{:?}", want.bad_line_samples);
        for (name, path) in &files {
            let got = summarize(std::slice::from_ref(path), opts).expect(name);
            let mut want = json(&want);
            let mut got = json(&got);
            // Bad rows are named `file:row N` (Parquet) or `file:LINE` (W3C).
            want["bad_line_samples"] = serde_json::Value::Null;
            got["bad_line_samples"] = serde_json::Value::Null;
            assert_eq!(got, want, "{name}, since {:?}", opts.since);
        }
    }
}
