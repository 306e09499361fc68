//! CloudFront standard logging v2 Parquet files (S3 delivery with output format `parquet`).
//!
//! What AWS writes: one flat column per selected field, every value a string (Athena's DDL for
//! these files declares all 33 standard fields `string`), names with underscores
//! (`x_edge_detailed_result_type`, `sc_status`, `cs_host`), only the fields the user selected,
//! nulls allowed. The codec is not documented, so SNAPPY, GZIP, LZ4 and uncompressed pages are
//! decoded; a ZSTD/BROTLI/LZO file is skipped with a warning naming it and the codec.
//!
//! Each row becomes a tab-separated line of just the columns the classifier reads, mapped to
//! their W3C names, and goes to the same parser and classifier as a W3C or JSON line
//! (`read::read_parquet`): this module only turns columns into lines. Hyphenated names
//! (`x-edge-detailed-result-type`) and W3C names (`cs(Host)`, `timestamp(ms)`) are accepted
//! too; numeric columns (from a conversion that typed them) are printed as text. A null is an
//! empty field, the same as `-`.
//!
//! Parquet is not a stream (the index is the footer), so a file is read row group by row group,
//! [`BATCH_ROWS`] rows at a time: memory is bounded by one batch of the projected columns plus
//! the pages being decoded. A row group that fails to decode (corrupt page, short column, a
//! panic inside the decoder) is skipped with a warning naming it; the other row groups are
//! still read.

use std::fs::File;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use parquet::basic::Compression;
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::file::metadata::RowGroupMetaData;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;

use super::formats::CfColumns;

/// Rows decoded per batch (per projected column) before they are handed over as lines.
const BATCH_ROWS: usize = 8192;

/// The W3C spelling (`x-edge-detailed-result-type`, `cs(Host)`, `timestamp(ms)`) of a Parquet
/// column name (`x_edge_detailed_result_type`, `cs_host`, `timestamp_ms`), so the names of
/// `#Fields:` lines, JSON keys and Parquet columns meet in [`CfColumns::from_names`].
pub(crate) fn w3c_name(column: &str) -> String {
    let name = column.replace('_', "-").to_ascii_lowercase();
    match name.as_str() {
        "timestamp-ms" | "timestamp(ms)" => "timestamp(ms)".to_owned(),
        "cs(host)" => "cs-host".to_owned(),
        "distribution-id" => "distributionid".to_owned(),
        _ => name,
    }
}

/// One column the classifier reads.
struct ProjectedColumn {
    /// Leaf index in the file's schema.
    leaf: usize,
    /// Name as written in the file (for warnings).
    name: String,
    /// Definition level of a present value: 0 for a required column, 1 for an optional one.
    max_def_level: i16,
}

/// One batch of a column as text: row `i`'s value is `bytes[ends[i - 1]..ends[i]]`; a null is
/// empty.
#[derive(Default)]
struct TextColumn {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl TextColumn {
    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    fn value(&self, row: usize) -> &[u8] {
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        &self.bytes[start..self.ends[row]]
    }
}

/// Why a Parquet file was not read at all (it is then not counted as a file read).
#[derive(Debug)]
pub(crate) struct Unreadable(pub(crate) String);

/// Reads every row of the Parquet file at `path` and hands each one to `on_row` as
/// (1-based row number in the file, tab-separated line, its layout). `bytes_read` grows by each
/// row group's compressed size, for the progress bar.
///
/// Returns the warnings of a file that was read (row groups skipped, a missing `sc_status`
/// column), each without the file name.
///
/// # Errors
/// The file cannot be opened, its footer is missing or corrupt (a truncated upload), it holds
/// no CloudFront log column, or it uses a codec this build does not decode.
pub(crate) fn read_rows(
    path: &Path,
    bytes_read: &AtomicU64,
    on_row: &mut dyn FnMut(u64, &[u8], &CfColumns),
) -> Result<Vec<String>, Unreadable> {
    let file = File::open(path).map_err(|e| Unreadable(format!("cannot read: {e}")))?;
    let reader = catch_unwind(AssertUnwindSafe(|| SerializedFileReader::new(file)))
        .map_err(|_| Unreadable("not a readable Parquet file: the footer decoder failed (truncated or corrupt file?)".into()))?
        .map_err(|e| {
            Unreadable(format!(
                "not a readable Parquet file: {e} (truncated or corrupt file?)"
            ))
        })?;
    let metadata = reader.metadata();
    let (columns, layout) = project(metadata.file_metadata().schema_descr().columns());
    if columns.is_empty() {
        return Err(Unreadable(
            "skipped: no CloudFront log column (sc_status, time_taken, x_edge_detailed_result_type, …) in this Parquet file".into(),
        ));
    }
    for g in 0..metadata.num_row_groups() {
        let group = metadata.row_group(g);
        if let Some(problem) = unsupported_codec(group, &columns) {
            return Err(Unreadable(format!("skipped: row group {g}: {problem}")));
        }
    }
    let mut warnings = Vec::new();
    if !columns.iter().any(|c| w3c_name(&c.name) == "sc-status") {
        warnings.push(
            "no sc_status column: rows are counted as records but none is classified".to_owned(),
        );
    }
    let mut rows_before: u64 = 0;
    let mut batch: Vec<TextColumn> = columns.iter().map(|_| TextColumn::default()).collect();
    let mut line: Vec<u8> = Vec::with_capacity(512);
    for g in 0..metadata.num_row_groups() {
        let group = metadata.row_group(g);
        let rows = u64::try_from(group.num_rows()).unwrap_or(0);
        bytes_read.fetch_add(
            u64::try_from(group.compressed_size()).unwrap_or(0),
            Ordering::Relaxed,
        );
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            read_row_group(
                &reader,
                g,
                rows,
                &columns,
                &mut batch,
                &mut |row_in_group, line_of_row| {
                    on_row(rows_before + row_in_group + 1, line_of_row, &layout);
                },
                &mut line,
            )
        }));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some("the Parquet decoder failed (corrupt data?)".to_owned()),
        };
        if let Some(e) = failure {
            warnings.push(format!(
                "row group {g} (rows {}..={}): read stopped: {e}; the rows before were counted",
                rows_before + 1,
                rows_before + rows
            ));
        }
        rows_before += rows;
    }
    Ok(warnings)
}

/// The flat columns the classifier reads, and the layout of the lines built from them (in the
/// same order).
fn project(leaves: &[parquet::schema::types::ColumnDescPtr]) -> (Vec<ProjectedColumn>, CfColumns) {
    let mut columns = Vec::new();
    let mut names = Vec::new();
    for (leaf, descr) in leaves.iter().enumerate() {
        // CloudFront's columns are flat; a nested or repeated column is not a log field.
        if descr.path().parts().len() != 1 || descr.max_rep_level() > 0 {
            continue;
        }
        let name = w3c_name(descr.name());
        if !CfColumns::reads(&name) || names.contains(&name) {
            continue;
        }
        names.push(name);
        columns.push(ProjectedColumn {
            leaf,
            name: descr.name().to_owned(),
            max_def_level: descr.max_def_level(),
        });
    }
    let layout = CfColumns::from_names(names.iter().map(String::as_str));
    (columns, layout)
}

/// A codec of a projected column that this build cannot decode, as a message.
fn unsupported_codec(group: &RowGroupMetaData, columns: &[ProjectedColumn]) -> Option<String> {
    columns.iter().find_map(|c| {
        let codec = group.columns().get(c.leaf)?.compression();
        let name = match codec {
            Compression::UNCOMPRESSED
            | Compression::SNAPPY
            | Compression::GZIP(_)
            | Compression::LZ4
            | Compression::LZ4_RAW => return None,
            Compression::ZSTD(_) => "ZSTD",
            Compression::BROTLI(_) => "BROTLI",
            Compression::LZO => "LZO",
        };
        Some(format!(
            "column {} is compressed with {name}, which edgepath does not decode (SNAPPY, GZIP, LZ4 and uncompressed are read); rewrite it, e.g. with DuckDB: COPY (FROM 'in.parquet') TO 'out.parquet' (COMPRESSION snappy)",
            c.name
        ))
    })
}

/// Reads row group `g` batch by batch and hands each row to `on_row` as (0-based row in the
/// group, line).
///
/// # Errors
/// A column cannot be decoded, or has fewer rows than the row group announces.
fn read_row_group(
    reader: &SerializedFileReader<File>,
    g: usize,
    rows: u64,
    columns: &[ProjectedColumn],
    batch: &mut [TextColumn],
    on_row: &mut dyn FnMut(u64, &[u8]),
    line: &mut Vec<u8>,
) -> Result<(), String> {
    let group = reader.get_row_group(g).map_err(|e| e.to_string())?;
    let mut readers = columns
        .iter()
        .map(|c| group.get_column_reader(c.leaf))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let mut done: u64 = 0;
    while done < rows {
        let want = usize::try_from(rows - done).map_or(BATCH_ROWS, |left| left.min(BATCH_ROWS));
        for ((column, reader), text) in columns.iter().zip(&mut readers).zip(batch.iter_mut()) {
            text.clear();
            let got = read_text(reader, want, column.max_def_level, text)
                .map_err(|e| format!("column {}: {e}", column.name))?;
            if got != want {
                return Err(format!(
                    "column {} ends after {} of {rows} rows",
                    column.name,
                    done + got as u64
                ));
            }
        }
        for row in 0..want {
            line.clear();
            for (i, text) in batch.iter().enumerate() {
                if i > 0 {
                    line.push(b'\t');
                }
                line.extend_from_slice(text.value(row));
            }
            on_row(done + row as u64, line);
        }
        done += want as u64;
    }
    Ok(())
}

/// Reads up to `rows` values of one column as text into `out`; returns the rows read.
fn read_text(
    reader: &mut ColumnReader,
    rows: usize,
    max_def_level: i16,
    out: &mut TextColumn,
) -> parquet::errors::Result<usize> {
    match reader {
        ColumnReader::ByteArrayColumnReader(r) => {
            read_typed(r, rows, max_def_level, out, |v, buf| {
                buf.extend(
                    v.data()
                        .iter()
                        .map(|&b| if b == b'\t' || b == b'\n' { b' ' } else { b }),
                );
            })
        }
        ColumnReader::FixedLenByteArrayColumnReader(r) => {
            read_typed(r, rows, max_def_level, out, |v, buf| {
                buf.extend(
                    v.data()
                        .iter()
                        .map(|&b| if b == b'\t' || b == b'\n' { b' ' } else { b }),
                );
            })
        }
        ColumnReader::Int32ColumnReader(r) => read_typed(r, rows, max_def_level, out, |v, buf| {
            let _ = write!(buf, "{v}");
        }),
        ColumnReader::Int64ColumnReader(r) => read_typed(r, rows, max_def_level, out, |v, buf| {
            let _ = write!(buf, "{v}");
        }),
        ColumnReader::FloatColumnReader(r) => read_typed(r, rows, max_def_level, out, |v, buf| {
            let _ = write!(buf, "{v}");
        }),
        ColumnReader::DoubleColumnReader(r) => read_typed(r, rows, max_def_level, out, |v, buf| {
            let _ = write!(buf, "{v}");
        }),
        ColumnReader::BoolColumnReader(r) => read_typed(r, rows, max_def_level, out, |v, buf| {
            let _ = write!(buf, "{v}");
        }),
        // INT96 is a legacy timestamp; no CloudFront field has it: read as nulls.
        ColumnReader::Int96ColumnReader(r) => read_typed(r, rows, max_def_level, out, |_, _| {}),
    }
}

/// [`read_text`] for one physical type: `text` appends a present value's text.
fn read_typed<T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    rows: usize,
    max_def_level: i16,
    out: &mut TextColumn,
    text: impl Fn(&T::T, &mut Vec<u8>),
) -> parquet::errors::Result<usize> {
    let mut levels: Vec<i16> = Vec::with_capacity(rows);
    let mut values: Vec<T::T> = Vec::with_capacity(rows);
    let (records, _, _) = reader.read_records(
        rows,
        (max_def_level > 0).then_some(&mut levels),
        None,
        &mut values,
    )?;
    let mut present = values.iter();
    for row in 0..records {
        let is_present = max_def_level == 0 || levels.get(row) == Some(&max_def_level);
        if is_present && let Some(v) = present.next() {
            text(v, &mut out.bytes);
        }
        out.ends.push(out.bytes.len());
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::{CfColumns, w3c_name};

    #[test]
    fn parquet_column_names_meet_the_w3c_names() {
        for (column, w3c) in [
            ("x_edge_detailed_result_type", "x-edge-detailed-result-type"),
            ("x-edge-detailed-result-type", "x-edge-detailed-result-type"),
            ("sc_status", "sc-status"),
            ("cs_host", "cs-host"),
            ("cs(Host)", "cs-host"),
            ("timestamp_ms", "timestamp(ms)"),
            ("timestamp(ms)", "timestamp(ms)"),
            ("DistributionId", "distributionid"),
            ("distribution_id", "distributionid"),
        ] {
            assert_eq!(w3c_name(column), w3c, "{column}");
            assert!(CfColumns::reads(&w3c_name(column)), "{column}");
        }
        assert!(!CfColumns::reads(&w3c_name("cs_user_agent")));
    }
}
