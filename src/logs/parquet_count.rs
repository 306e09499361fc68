//! Counting the rows of one Parquet row group from its column batches (`parquet_file`).
//!
//! Most rows only add to the status counts and the per-minute timeline: for those, the
//! `sc_status`, `date` and `time` columns are enough, and with dictionary encoding each
//! dictionary entry is parsed once (status code, day, minute of the day) and every row is a few
//! array look-ups and two counter increments. A row that is anything else — a 5xx or `000`, an
//! unparsable status or date, a minute far from the others, or any row when `--distribution`
//! filters by host — is "slow": the other columns are read for its batch and the row goes
//! through the same record builder and classifier as a W3C line (`record_of_fields`,
//! `cloudfront_record`), so the summary is the W3C read's, byte for byte.

use super::cloudfront::cloudfront_record;
use super::formats::{CfColumns, minute_of, parse_u16, record_of_fields};
use super::options::LogOptions;
use super::parquet_pages::{ColumnBatch, NULL_ID};
use super::summary::Acc;

/// A status, day or minute that is not a plain count: the row takes the slow path.
const BAD: u32 = u32::MAX;
const BAD_DAY: i64 = i64::MIN;
/// Statuses counted on the fast path: 1..=499 (5xx and `000` are classified).
const FAST_STATUSES: usize = 500;
/// Minutes of the dense timeline, centred on the row group's first minute.
const MINUTES: usize = 1 << 16;

fn status_code(v: &[u8]) -> u32 {
    match parse_u16(v) {
        Some(s) if s != 0 && usize::from(s) < FAST_STATUSES => u32::from(s),
        _ => BAD,
    }
}

/// `YYYY-MM-DD` as minutes since the epoch at 00:00.
fn day_minutes(v: &[u8]) -> i64 {
    minute_of(v, b"00:00").unwrap_or(BAD_DAY)
}

/// `HH:MM…` as the minute of the day.
fn minute_of_day(v: &[u8]) -> u32 {
    minute_of(b"1970-01-01", v).map_or(BAD, |m| m as u32)
}

/// The counts of one row group; [`RowGroupCounter::finish`] gives its accumulator.
pub(super) struct RowGroupCounter<'a> {
    acc: Acc,
    opts: &'a LogOptions,
    name: &'a str,
    file_distribution: &'a str,
    layout: &'a CfColumns,
    /// Positions of `sc-status`, `date`, `time`; `None`: every row is slow.
    fast: Option<[usize; 3]>,
    status_of: Vec<u32>,
    day_of: Vec<i64>,
    minute_of_day: Vec<u32>,
    status_counts: Vec<u64>,
    minute_base: Option<i64>,
    minutes: Vec<u32>,
    recognised: u64,
    records: u64,
    /// Rows of the current batch that take the slow path.
    slow: Vec<usize>,
}

impl<'a> RowGroupCounter<'a> {
    /// `fast`: positions of `sc-status`, `date` and `time` in `layout` (see
    /// [`super::parquet_file::ParquetLogFile::status_date_time`]).
    pub(super) fn new(
        opts: &'a LogOptions,
        name: &'a str,
        file_distribution: &'a str,
        layout: &'a CfColumns,
        fast: Option<[usize; 3]>,
    ) -> RowGroupCounter<'a> {
        // `--distribution` keeps or drops each row by its host: every row needs every column.
        let fast = fast.filter(|_| opts.distribution.is_none());
        RowGroupCounter {
            acc: Acc::default(),
            opts,
            name,
            file_distribution,
            layout,
            fast,
            status_of: Vec::new(),
            day_of: Vec::new(),
            minute_of_day: Vec::new(),
            status_counts: Vec::new(),
            minute_base: None,
            minutes: Vec::new(),
            recognised: 0,
            records: 0,
            slow: Vec::new(),
        }
    }

    /// Which columns every batch needs (the others only for batches with a slow row).
    pub(super) fn eager_columns(&self) -> Vec<bool> {
        (0..self.layout.count)
            .map(|i| self.fast.is_none_or(|f| f.contains(&i)))
            .collect()
    }

    /// The accumulator of the row group.
    pub(super) fn finish(mut self) -> Acc {
        let acc = &mut self.acc;
        acc.recognised += self.recognised;
        acc.records += self.records;
        acc.cloudfront_records += self.records;
        for (status, &n) in self.status_counts.iter().enumerate() {
            if n > 0 {
                *acc.by_status
                    .entry(u16::try_from(status).unwrap_or(0))
                    .or_default() += n;
            }
        }
        if let Some(base) = self.minute_base {
            for (i, &n) in self.minutes.iter().enumerate() {
                if n > 0 {
                    acc.timeline.entry(base + i as i64).or_default().0 += u64::from(n);
                }
            }
        }
        self.acc
    }

    /// Parses each dictionary entry of the fast columns once per column chunk.
    fn refresh(&mut self, columns: &[ColumnBatch], [s, d, t]: [usize; 3]) {
        fn cache<T>(out: &mut Vec<T>, column: &ColumnBatch, f: impl Fn(&[u8]) -> T) {
            if out.len() != column.dict_len() {
                out.clear();
                out.extend((0..column.dict_len()).map(|i| f(column.dict_value(i))));
            }
        }
        cache(&mut self.status_of, &columns[s], status_code);
        cache(&mut self.day_of, &columns[d], day_minutes);
        cache(&mut self.minute_of_day, &columns[t], minute_of_day);
    }

    /// Counts the rows of a batch that are plain counts; returns whether some are not.
    pub(super) fn eager(&mut self, rows: usize, columns: &[ColumnBatch]) -> bool {
        self.slow.clear();
        let Some(fast) = self.fast else {
            return rows > 0;
        };
        self.refresh(columns, fast);
        if self.status_counts.is_empty() {
            self.status_counts = vec![0; FAST_STATUSES];
        }
        let [s, d, t] = fast.map(|i| &columns[i]);
        let (since, until) = (self.opts.since, self.opts.until);
        for row in 0..rows {
            let lookup = |column: &ColumnBatch, cache: &[u32], parse: fn(&[u8]) -> u32| {
                let id = column.ids[row];
                match cache.get(id as usize) {
                    Some(&v) => v,
                    None if id == NULL_ID => parse(b""),
                    None => parse(column.value(id)),
                }
            };
            let status = lookup(s, &self.status_of, status_code);
            let time = lookup(t, &self.minute_of_day, minute_of_day);
            let day_id = d.ids[row];
            let day = match self.day_of.get(day_id as usize) {
                Some(&v) => v,
                None => day_minutes(d.value(day_id)),
            };
            if status == BAD || time == BAD || day == BAD_DAY {
                self.slow.push(row);
                continue;
            }
            let minute = day + i64::from(time);
            let base = *self
                .minute_base
                .get_or_insert(minute - (MINUTES / 2) as i64);
            let Some(slot) = usize::try_from(minute - base).ok().filter(|&i| i < MINUTES) else {
                self.slow.push(row);
                continue;
            };
            self.recognised += 1;
            if since.is_some_and(|since| minute < since) || until.is_some_and(|u| minute >= u) {
                continue;
            }
            if self.minutes.is_empty() {
                self.minutes = vec![0; MINUTES];
            }
            self.records += 1;
            self.status_counts[status as usize] += 1;
            self.minutes[slot] += 1;
        }
        !self.slow.is_empty()
    }

    /// Reads the slow rows of a batch (every row without the fast columns) as records.
    pub(super) fn full(&mut self, first_row: u64, rows: usize, columns: &[ColumnBatch]) {
        let slow = std::mem::take(&mut self.slow);
        let mut fields: Vec<&[u8]> = Vec::with_capacity(columns.len());
        let mut one = |row: usize| {
            fields.clear();
            fields.extend(columns.iter().map(|c| c.value(c.ids[row])));
            match record_of_fields(&fields, self.layout) {
                Ok(rec) => {
                    cloudfront_record(&mut self.acc, self.opts, &rec, self.file_distribution)
                }
                Err(reason) => self
                    .acc
                    .bad(|| format!("{}:row {}: {reason}", self.name, first_row + row as u64)),
            }
        };
        if self.fast.is_some() {
            slow.iter().for_each(|&row| one(row));
        } else {
            (0..rows).for_each(one);
        }
        self.slow = slow;
    }

    /// A warning about the row group (the file name first).
    pub(super) fn warn(&mut self, warning: String) {
        self.acc.warnings.push(warning);
    }
}

impl super::parquet_file::BatchVisitor for RowGroupCounter<'_> {
    fn eager(&mut self, _first_row: u64, rows: usize, columns: &[ColumnBatch]) -> bool {
        RowGroupCounter::eager(self, rows, columns)
    }

    fn wanted(&self) -> Option<&[usize]> {
        self.fast.is_some().then_some(&self.slow[..])
    }

    fn full(&mut self, first_row: u64, rows: usize, columns: &[ColumnBatch]) {
        RowGroupCounter::full(self, first_row, rows, columns);
    }
}
