//! CloudFront standard logging v2 Parquet files (S3 delivery with output format `parquet`).
//!
//! What AWS writes: one flat column per selected field, every value a string (Athena's DDL for
//! these files declares all 33 standard fields `string`), names with underscores
//! (`x_edge_detailed_result_type`, `sc_status`, `cs_host`), only the fields the user selected,
//! nulls allowed. The codec is not documented, so every codec the parquet crate decodes is
//! enabled (SNAPPY, GZIP, LZ4, ZSTD, BROTLI, uncompressed); an LZO file (no Rust decoder) is
//! skipped with a warning naming it and the codec.
//!
//! Only the columns the classifier reads are decoded, mapped to their W3C names, as batches of
//! per-row ids ([`ColumnBatch`]) that `parquet_count` counts: dictionary-encoded string columns
//! stay dictionary indices (`parquet_pages`), so each distinct value is parsed once; a column
//! chunk of another type or encoding goes through the parquet crate's value reader as text.
//! Hyphenated names (`x-edge-detailed-result-type`) and W3C names (`cs(Host)`, `timestamp(ms)`)
//! are accepted too; numeric columns (from a conversion that typed them) are printed as text. A
//! null is an empty field, the same as `-`. The columns that decide whether a row is a plain
//! count (status, date, time) are read for every batch, the others only for the batches (and
//! rows) the visitor asks for.
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
use super::parquet_pages::{ColumnBatch, ColumnCursor, supported};

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

    /// Positions (in [`Self::layout`]) of `sc-status`, `date` and `time`, when the file has
    /// all three: the columns that decide whether a row is a plain count.
    pub(crate) fn status_date_time(&self) -> Option<[usize; 3]> {
        let at = |want: &str| self.columns.iter().position(|c| w3c_name(&c.name) == want);
        Some([at("sc-status")?, at("date")?, at("time")?])
    }

    /// Reads row group `g` batch by batch into `visitor`: first only the columns `eager` marks
    /// (by position in [`Self::layout`]); the others only for a batch the visitor asks them for
    /// (their pages between such batches are skipped undecoded when the page headers allow).
    /// `bytes_read` grows by the group's compressed size, for the progress bar.
    ///
    /// Returns a warning (without the file name) when the group could not be read to its end;
    /// the batches handed over before stay counted.
    pub(crate) fn read_row_group(
        &self,
        g: usize,
        bytes_read: &AtomicU64,
        eager: &[bool],
        visitor: &mut dyn BatchVisitor,
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
            let by_pages = self
                .columns
                .iter()
                .all(|c| group.columns().get(c.leaf).is_some_and(supported));
            if by_pages {
                read_pages(&reader, rows, first, &self.columns, eager, visitor)
            } else {
                read_values(&reader, rows, first, &self.columns, visitor)
            }
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

/// What a row group's batches go to.
pub(crate) trait BatchVisitor {
    /// A batch of `rows` rows, the first being row `first_row` (1-based) of the file, with only
    /// the eager columns filled; returns whether some row needs every column.
    fn eager(&mut self, first_row: u64, rows: usize, columns: &[ColumnBatch]) -> bool;
    /// The rows of the batch (offsets, ascending) the visitor needs the other columns of;
    /// `None`: all.
    fn wanted(&self) -> Option<&[usize]>;
    /// The same batch with every column filled (the other columns at least in the wanted rows).
    fn full(&mut self, first_row: u64, rows: usize, columns: &[ColumnBatch]);
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

/// Reads a row group whose columns [`supported`] decodes, page by page, keeping dictionary
/// indices: the eager columns for every batch, the others for the batches the visitor wants.
///
/// # Errors
/// A page cannot be decoded, or a column has fewer rows than the row group announces.
fn read_pages(
    group: &dyn RowGroupReader,
    rows: u64,
    first: u64,
    columns: &[ProjectedColumn],
    eager: &[bool],
    visitor: &mut dyn BatchVisitor,
) -> Result<(), String> {
    let mut cursors = columns
        .iter()
        .map(|c| {
            group
                .get_column_page_reader(c.leaf)
                .map(|pages| ColumnCursor::new(pages, c.max_def_level))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let mut batch: Vec<ColumnBatch> = columns.iter().map(|_| ColumnBatch::default()).collect();
    // Rows of each column read (or skipped) so far.
    let mut at: Vec<u64> = vec![0; columns.len()];
    let mut wanted: Vec<usize> = Vec::new();
    let short = |column: &ProjectedColumn, got: u64| {
        format!("column {} ends after {got} of {rows} rows", column.name)
    };
    let mut done: u64 = 0;
    while done < rows {
        let want = usize::try_from(rows - done).map_or(BATCH_ROWS, |left| left.min(BATCH_ROWS));
        for (i, column) in columns.iter().enumerate() {
            let is_eager = eager.get(i).copied().unwrap_or(true);
            batch[i].clear_rows();
            if !is_eager {
                continue;
            }
            let got = cursors[i]
                .read(want, &mut batch[i])
                .map_err(|e| format!("column {}: {e}", column.name))?;
            at[i] += got as u64;
            if got != want {
                return Err(short(column, at[i]));
            }
        }
        if visitor.eager(first + done + 1, want, &batch) {
            wanted.clear();
            let some = visitor.wanted().map(|rows| wanted.extend_from_slice(rows));
            for (i, column) in columns.iter().enumerate() {
                if eager.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let behind = usize::try_from(done - at[i]).unwrap_or(usize::MAX);
                let skipped = cursors[i]
                    .skip(behind, &mut batch[i])
                    .map_err(|e| format!("column {}: {e}", column.name))?;
                at[i] += skipped as u64;
                let got = if skipped == behind {
                    match some {
                        Some(()) => cursors[i].read_some(want, &wanted, &mut batch[i]),
                        None => cursors[i].read(want, &mut batch[i]),
                    }
                    .map_err(|e| format!("column {}: {e}", column.name))?
                } else {
                    0
                };
                at[i] += got as u64;
                if got != want {
                    return Err(short(column, at[i]));
                }
            }
            visitor.full(first + done + 1, want, &batch);
        }
        done += want as u64;
    }
    Ok(())
}

/// Reads a row group through the parquet crate's value reader (any physical type and
/// encoding), every column as text, batch by batch.
///
/// # Errors
/// A column cannot be decoded, or has fewer rows than the row group announces.
fn read_values(
    group: &dyn RowGroupReader,
    rows: u64,
    first: u64,
    columns: &[ProjectedColumn],
    visitor: &mut dyn BatchVisitor,
) -> Result<(), String> {
    let mut readers = columns
        .iter()
        .map(|c| group.get_column_reader(c.leaf))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let mut batch: Vec<ColumnBatch> = columns.iter().map(|_| ColumnBatch::default()).collect();
    let mut done: u64 = 0;
    while done < rows {
        let want = usize::try_from(rows - done).map_or(BATCH_ROWS, |left| left.min(BATCH_ROWS));
        for ((column, reader), text) in columns.iter().zip(&mut readers).zip(batch.iter_mut()) {
            text.clear_rows();
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
        if visitor.eager(first + done + 1, want, &batch) {
            visitor.full(first + done + 1, want, &batch);
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
    out: &mut ColumnBatch,
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
    out: &mut ColumnBatch,
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
        let value = if is_present { present.next() } else { None };
        match value {
            Some(v) => {
                text(v, out.plain_buf());
                out.end_plain();
            }
            None => out.push_plain(None),
        }
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
