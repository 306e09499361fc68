//! CloudFront standard logging v2 Parquet files (S3 delivery with output format `parquet`).
//!
//! What AWS writes: one flat column per selected field, every value a string (Athena's DDL for
//! these files declares all 33 standard fields `string`), names with underscores
//! (`x_edge_detailed_result_type`, `sc_status`, `cs_host`), only the fields the user selected,
//! nulls allowed. The codec is not documented, so every codec the parquet crate decodes is
//! enabled (SNAPPY, GZIP, LZ4, ZSTD, BROTLI, uncompressed); an LZO file (no Rust decoder) is
//! skipped with a warning naming it and the codec.
//!
//! Each row becomes the fields of just the columns the classifier reads, mapped to their W3C
//! names, and goes to the same record builder and classifier as a W3C or JSON line
//! (`read::read_parquet`): this module only turns columns into fields. Hyphenated names
//! (`x-edge-detailed-result-type`) and W3C names (`cs(Host)`, `timestamp(ms)`) are accepted
//! too; numeric columns (from a conversion that typed them) are printed as text. A null is an
//! empty field, the same as `-`.
//!
//! Parquet is not a stream (the index is the footer), so a file is read row group by row group,
//! [`BATCH_ROWS`] rows at a time: memory is bounded by one batch of the projected columns plus
//! the pages being decoded, per row group in flight. Row groups are independent, so the caller
//! reads them in parallel (each opens its own handle on the file). A row group that fails to
//! decode (corrupt page, short column, a panic inside the decoder) stops with a warning naming
//! it and its rows; the rows before stay counted and the other row groups are still read.

use std::fs::File;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parquet::basic::Compression;
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader, RowGroupMetaData};
use parquet::file::properties::ReaderProperties;
use parquet::file::reader::RowGroupReader;
use parquet::file::serialized_reader::SerializedRowGroupReader;

use super::formats::CfColumns;

/// Rows decoded per batch (per projected column) before they are handed over as fields.
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

/// An opened Parquet log file: its footer, the columns read and the layout of the fields built
/// from them. Row groups are read independently ([`ParquetLogFile::read_row_group`] opens its
/// own handle), so they can be read in parallel.
pub(crate) struct ParquetLogFile {
    path: PathBuf,
    metadata: ParquetMetaData,
    columns: Vec<ProjectedColumn>,
    layout: CfColumns,
    /// Row number (0-based, in the file) of each row group's first row.
    first_rows: Vec<u64>,
}

impl ParquetLogFile {
    /// Reads the footer of the Parquet file at `path` and picks the columns the classifier
    /// reads.
    ///
    /// # Errors
    /// The file cannot be opened, its footer is missing or corrupt (a truncated upload), it
    /// holds no CloudFront log column, or it uses a codec this build does not decode.
    pub(crate) fn open(path: &Path) -> Result<ParquetLogFile, Unreadable> {
        let file = File::open(path).map_err(|e| Unreadable(format!("cannot read: {e}")))?;
        let metadata = catch_unwind(AssertUnwindSafe(|| {
            ParquetMetaDataReader::new().parse_and_finish(&file)
        }))
        .map_err(|_| Unreadable("not a readable Parquet file: the footer decoder failed (truncated or corrupt file?)".into()))?
        .map_err(|e| {
            Unreadable(format!(
                "not a readable Parquet file: {e} (truncated or corrupt file?)"
            ))
        })?;
        let (columns, layout) = project(metadata.file_metadata().schema_descr().columns());
        if columns.is_empty() {
            return Err(Unreadable(
                "skipped: no CloudFront log column (sc_status, time_taken, x_edge_detailed_result_type, …) in this Parquet file".into(),
            ));
        }
        let mut first_rows = Vec::with_capacity(metadata.num_row_groups());
        let mut rows: u64 = 0;
        for (g, group) in metadata.row_groups().iter().enumerate() {
            if let Some(problem) = unsupported_codec(group, &columns) {
                return Err(Unreadable(format!("skipped: row group {g}: {problem}")));
            }
            first_rows.push(rows);
            rows += u64::try_from(group.num_rows()).unwrap_or(0);
        }
        Ok(ParquetLogFile {
            path: path.to_owned(),
            metadata,
            columns,
            layout,
            first_rows,
        })
    }

    /// The layout of the fields handed to `on_row`.
    pub(crate) fn layout(&self) -> &CfColumns {
        &self.layout
    }

    /// Number of row groups.
    pub(crate) fn row_groups(&self) -> usize {
        self.first_rows.len()
    }

    /// Warnings about the file as a whole (without the file name): a missing `sc_status`.
    pub(crate) fn warnings(&self) -> Vec<String> {
        if self
            .columns
            .iter()
            .any(|c| w3c_name(&c.name) == "sc-status")
        {
            Vec::new()
        } else {
            vec!["no sc_status column: rows are counted as records but none is classified".into()]
        }
    }

    /// Reads row group `g` and hands each row to `on_row` as (1-based row number in the file,
    /// its fields: the projected columns, in [`Self::layout`]; a null is empty). `bytes_read` grows by
    /// the group's compressed size, for the progress bar.
    ///
    /// Returns a warning (without the file name) when the group could not be read to its end;
    /// the rows handed over before stay counted.
    pub(crate) fn read_row_group(
        &self,
        g: usize,
        bytes_read: &AtomicU64,
        on_row: &mut dyn FnMut(u64, &[&[u8]]),
    ) -> Option<String> {
        let group = self.metadata.row_group(g);
        let rows = u64::try_from(group.num_rows()).unwrap_or(0);
        let first = self.first_rows.get(g).copied().unwrap_or(0);
        bytes_read.fetch_add(
            u64::try_from(group.compressed_size()).unwrap_or(0),
            Ordering::Relaxed,
        );
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let file = File::open(&self.path).map_err(|e| e.to_string())?;
            let reader = SerializedRowGroupReader::new(
                Arc::new(file),
                group,
                self.metadata.page_index_for_row_group(g),
                Arc::new(ReaderProperties::builder().build()),
            )
            .map_err(|e| e.to_string())?;
            read_rows(&reader, rows, &self.columns, &mut |row_in_group, fields| {
                on_row(first + row_in_group + 1, fields);
            })
        }));
        let failure = match outcome {
            Ok(Ok(())) => return None,
            Ok(Err(e)) => e,
            Err(_) => "the Parquet decoder failed (corrupt data?)".to_owned(),
        };
        Some(format!(
            "row group {g} (rows {}..={}): read stopped: {failure}; the rows before were counted",
            first + 1,
            first + rows
        ))
    }
}

/// The flat columns the classifier reads, and the layout of the fields built from them (in the
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
            | Compression::LZ4_RAW
            | Compression::ZSTD(_)
            | Compression::BROTLI(_) => return None,
            Compression::LZO => "LZO",
        };
        Some(format!(
            "column {} is compressed with {name}, which edgepath does not decode (SNAPPY, GZIP, LZ4, ZSTD, BROTLI and uncompressed are read); rewrite it, e.g. with DuckDB: COPY (FROM 'in.parquet') TO 'out.parquet' (COMPRESSION zstd)",
            c.name
        ))
    })
}

/// Reads the rows of one row group batch by batch and hands each to `on_row` as (0-based row
/// in the group, fields).
///
/// # Errors
/// A column cannot be decoded, or has fewer rows than the row group announces.
fn read_rows(
    group: &dyn RowGroupReader,
    rows: u64,
    columns: &[ProjectedColumn],
    on_row: &mut dyn FnMut(u64, &[&[u8]]),
) -> Result<(), String> {
    let mut readers = columns
        .iter()
        .map(|c| group.get_column_reader(c.leaf))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let mut batch: Vec<TextColumn> = columns.iter().map(|_| TextColumn::default()).collect();
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
        let mut fields: Vec<&[u8]> = Vec::with_capacity(batch.len());
        for row in 0..want {
            fields.clear();
            fields.extend(batch.iter().map(|text| text.value(row)));
            on_row(done + row as u64, &fields);
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
                buf.extend_from_slice(v.data());
            })
        }
        ColumnReader::FixedLenByteArrayColumnReader(r) => {
            read_typed(r, rows, max_def_level, out, |v, buf| {
                buf.extend_from_slice(v.data());
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
