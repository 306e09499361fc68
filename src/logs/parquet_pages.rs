//! Page-level reading of one flat `BYTE_ARRAY` Parquet column chunk that keeps dictionary
//! indices: the dictionary page is decoded once per column chunk, and each row of a data page
//! becomes an id — its dictionary index, or (for a page that fell back to PLAIN) the index of
//! its value in the batch's own store — so callers classify each dictionary entry once and
//! count per id, and touch bytes only for the rows that need them.
//!
//! Decodes what CloudFront, DuckDB, Spark/parquet-mr and arrow-rs write for string columns:
//! data pages v1 and v2, RLE definition levels, PLAIN and (RLE_|PLAIN_)DICTIONARY values.
//! Any other encoding is an error the caller answers by reading the row group with the
//! parquet crate's value reader instead ([`supported`] tells beforehand from the footer).
//! Pages wholly inside a skipped range are not decompressed ([`ColumnCursor::skip`]).

use parquet::basic::{Encoding, Type as PhysicalType};
use parquet::column::page::{Page, PageReader};
use parquet::file::metadata::ColumnChunkMetaData;

use super::parquet_rle::Hybrid;

/// The id of a null value.
pub(crate) const NULL_ID: u32 = u32::MAX;

/// One batch of a column: an id per row, and the values the ids name.
#[derive(Default)]
pub(crate) struct ColumnBatch {
    /// Per row: [`NULL_ID`], a dictionary index (`< dict_len`), or `dict_len + k` for the k-th
    /// value of `plain`.
    pub(crate) ids: Vec<u32>,
    dict: Vec<u8>,
    dict_ends: Vec<usize>,
    plain: Vec<u8>,
    plain_ends: Vec<usize>,
}

fn slice<'a>(bytes: &'a [u8], ends: &[usize], i: usize) -> &'a [u8] {
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &bytes[start..ends[i]]
}

impl ColumnBatch {
    /// Entries in the column chunk's dictionary (0 without one).
    pub(crate) fn dict_len(&self) -> usize {
        self.dict_ends.len()
    }

    /// Dictionary entry `i`.
    pub(crate) fn dict_value(&self, i: usize) -> &[u8] {
        slice(&self.dict, &self.dict_ends, i)
    }

    /// The value an id names (a null is empty).
    pub(crate) fn value(&self, id: u32) -> &[u8] {
        let id = id as usize;
        if id == NULL_ID as usize {
            b""
        } else if id < self.dict_len() {
            self.dict_value(id)
        } else {
            slice(&self.plain, &self.plain_ends, id - self.dict_len())
        }
    }

    /// Forgets the rows (the dictionary stays: it is the column chunk's).
    pub(crate) fn clear_rows(&mut self) {
        self.ids.clear();
        self.plain.clear();
        self.plain_ends.clear();
    }

    /// Appends a row holding `value` outside the dictionary (`None`: null).
    pub(crate) fn push_plain(&mut self, value: Option<&[u8]>) {
        match value {
            None => self.ids.push(NULL_ID),
            Some(v) => {
                self.plain.extend_from_slice(v);
                self.plain_ends.push(self.plain.len());
                let id = self.dict_len() + self.plain_ends.len() - 1;
                self.ids.push(u32::try_from(id).unwrap_or(NULL_ID - 1));
            }
        }
    }

    /// Appends to the plain store the text a caller writes (see [`Self::end_plain`]).
    pub(crate) fn plain_buf(&mut self) -> &mut Vec<u8> {
        &mut self.plain
    }

    /// Ends the value written into [`Self::plain_buf`] as one row.
    pub(crate) fn end_plain(&mut self) {
        self.plain_ends.push(self.plain.len());
        let id = self.dict_len() + self.plain_ends.len() - 1;
        self.ids.push(u32::try_from(id).unwrap_or(NULL_ID - 1));
    }
}

/// Whether this module decodes the column chunk: a `BYTE_ARRAY` column whose footer lists only
/// encodings it reads (a chunk listing the deprecated BIT_PACKED levels, as old parquet-mr
/// wrote, goes to the value reader).
pub(crate) fn supported(chunk: &ColumnChunkMetaData) -> bool {
    chunk.column_type() == PhysicalType::BYTE_ARRAY
        && chunk.encodings().all(|e| {
            matches!(
                e,
                Encoding::PLAIN
                    | Encoding::PLAIN_DICTIONARY
                    | Encoding::RLE_DICTIONARY
                    | Encoding::RLE
            )
        })
}

/// How a data page's values are encoded.
enum Values {
    Dict(Hybrid),
    Plain(usize),
}

impl Values {
    /// Appends the ids of the next `n` values to `ids` (a PLAIN value goes to `out`'s store).
    fn read(
        &mut self,
        buf: &[u8],
        n: usize,
        out: &mut ColumnBatch,
        ids: &mut Vec<u32>,
    ) -> Result<(), String> {
        let dict_len = out.dict_len();
        match self {
            Values::Dict(hybrid) => {
                let from = ids.len();
                hybrid.decode(buf, n, ids)?;
                if ids[from..].iter().any(|&i| i as usize >= dict_len) {
                    return Err(format!(
                        "dictionary index past the {dict_len}-entry dictionary"
                    ));
                }
            }
            Values::Plain(pos) => {
                for _ in 0..n {
                    let len = u32_at(buf, *pos)?;
                    let v = buf
                        .get(*pos + 4..*pos + 4 + len)
                        .ok_or("page ends inside a value")?;
                    *pos += 4 + len;
                    out.plain.extend_from_slice(v);
                    out.plain_ends.push(out.plain.len());
                    let id = dict_len + out.plain_ends.len() - 1;
                    ids.push(u32::try_from(id).unwrap_or(NULL_ID - 1));
                }
            }
        }
        Ok(())
    }

    /// Passes over the next `n` values.
    fn skip(&mut self, buf: &[u8], n: usize) -> Result<(), String> {
        match self {
            Values::Dict(hybrid) => hybrid.skip(buf, n),
            Values::Plain(pos) => {
                for _ in 0..n {
                    *pos += 4 + u32_at(buf, *pos)?;
                }
                if *pos > buf.len() {
                    return Err("page ends inside a value".into());
                }
                Ok(())
            }
        }
    }

    /// Passes over `n` values, then reads one.
    fn skip_then_read(
        &mut self,
        buf: &[u8],
        n: usize,
        out: &mut ColumnBatch,
        ids: &mut Vec<u32>,
    ) -> Result<(), String> {
        self.skip(buf, n)?;
        self.read(buf, 1, out, ids)
    }
}

/// The data page being read.
struct PageState {
    page: Page,
    /// Rows of the page not read yet.
    left: usize,
    defs: Option<Hybrid>,
    values: Values,
    /// Values of the current segment already read (by [`ColumnCursor::read_some`]).
    consumed: usize,
}

/// Reads one column chunk page by page into [`ColumnBatch`]es.
pub(crate) struct ColumnCursor {
    pages: Box<dyn PageReader>,
    max_def: i16,
    page: Option<PageState>,
    levels: Vec<u32>,
    indices: Vec<u32>,
}

fn u32_at(buf: &[u8], at: usize) -> Result<usize, String> {
    let b = buf
        .get(at..at + 4)
        .ok_or("page ends inside a length prefix")?;
    Ok(u32::from_le_bytes(b.try_into().unwrap_or([0; 4])) as usize)
}

fn bit_width(max: i16) -> u32 {
    16 - (max.max(0) as u16).leading_zeros()
}

impl ColumnCursor {
    pub(crate) fn new(pages: Box<dyn PageReader>, max_def: i16) -> ColumnCursor {
        ColumnCursor {
            pages,
            max_def,
            page: None,
            levels: Vec::new(),
            indices: Vec::new(),
        }
    }

    /// Makes the next data page current, reading a dictionary page into `out` on the way;
    /// `false` at the end of the chunk.
    fn next_page(&mut self, out: &mut ColumnBatch) -> Result<bool, String> {
        loop {
            let Some(page) = self.pages.get_next_page().map_err(|e| e.to_string())? else {
                return Ok(false);
            };
            let (left, defs, values) = match &page {
                Page::DictionaryPage {
                    buf,
                    num_values,
                    encoding,
                    ..
                } => {
                    read_dictionary(buf, *num_values, *encoding, out)?;
                    continue;
                }
                Page::DataPage {
                    buf,
                    num_values,
                    encoding,
                    def_level_encoding,
                    ..
                } => {
                    let mut pos = 0;
                    let defs = if self.max_def > 0 {
                        if *def_level_encoding != Encoding::RLE {
                            return Err(format!("definition levels encoded {def_level_encoding}"));
                        }
                        let len = u32_at(buf, 0)?;
                        pos = 4 + len;
                        Some(Hybrid::new(4, pos, bit_width(self.max_def)))
                    } else {
                        None
                    };
                    (*num_values as usize, defs, values_at(buf, pos, *encoding)?)
                }
                Page::DataPageV2 {
                    buf,
                    num_values,
                    encoding,
                    def_levels_byte_len,
                    rep_levels_byte_len,
                    ..
                } => {
                    let start = *rep_levels_byte_len as usize;
                    let pos = start + *def_levels_byte_len as usize;
                    let defs = (self.max_def > 0)
                        .then(|| Hybrid::new(start, pos, bit_width(self.max_def)));
                    (*num_values as usize, defs, values_at(buf, pos, *encoding)?)
                }
            };
            self.page = Some(PageState {
                page,
                left,
                defs,
                values,
                consumed: 0,
            });
            return Ok(true);
        }
    }

    /// Appends the next `n` rows to `out` (fewer at the end of the chunk); returns the rows
    /// appended.
    pub(crate) fn read(&mut self, n: usize, out: &mut ColumnBatch) -> Result<usize, String> {
        self.read_rows(n, None, out)
    }

    /// [`Self::read`], but only the rows at offsets `wanted` (ascending, `< n`) get their
    /// value; the others are null. Dictionary indices between them are jumped over, not
    /// unpacked.
    pub(crate) fn read_some(
        &mut self,
        n: usize,
        wanted: &[usize],
        out: &mut ColumnBatch,
    ) -> Result<usize, String> {
        self.read_rows(n, Some(wanted), out)
    }

    fn read_rows(
        &mut self,
        n: usize,
        wanted: Option<&[usize]>,
        out: &mut ColumnBatch,
    ) -> Result<usize, String> {
        let mut done = 0;
        let mut wanted = wanted.map(|w| w.iter().copied().peekable());
        while done < n {
            if self.page.as_ref().is_none_or(|p| p.left == 0) && !self.next_page(out)? {
                break;
            }
            let Some(state) = self.page.as_mut() else {
                break;
            };
            let take = (n - done).min(state.left);
            let buf: &[u8] = match &state.page {
                Page::DataPage { buf, .. } | Page::DataPageV2 { buf, .. } => buf,
                Page::DictionaryPage { .. } => return Err("unexpected dictionary page".into()),
            };
            let max = self.max_def as u32;
            self.levels.clear();
            // No null in the segment (one RLE run of present values, the usual case): no
            // levels to look at.
            let has_levels = match state.defs.as_mut() {
                Some(defs) => defs.run_of(buf, take)? != Some(max),
                None => false,
            };
            let present = match state.defs.as_mut().filter(|_| has_levels) {
                Some(defs) => {
                    defs.decode(buf, take, &mut self.levels)?;
                    self.levels.iter().filter(|&&l| l == max).count()
                }
                None => take,
            };
            if let Some(wanted) = wanted.as_mut() {
                // Only the wanted rows of this segment: walk the values up to each one.
                let base = out.ids.len();
                out.ids.resize(base + take, NULL_ID);
                let (mut row, mut value) = (0, 0);
                while let Some(&w) = wanted.peek() {
                    if w >= done + take {
                        break;
                    }
                    wanted.next();
                    let r = w - done;
                    if has_levels {
                        value += self.levels[row..r].iter().filter(|&&l| l == max).count();
                        row = r;
                        if self.levels[r] != max {
                            continue;
                        }
                    } else {
                        value = r;
                    }
                    self.indices.clear();
                    state.values.skip_then_read(
                        buf,
                        value - state.consumed,
                        out,
                        &mut self.indices,
                    )?;
                    state.consumed = value + 1;
                    out.ids[base + r] = self.indices[0];
                }
                let rest = present - state.consumed;
                self.indices.clear();
                state.values.skip(buf, rest)?;
                state.consumed = 0;
            } else {
                self.indices.clear();
                state.values.read(buf, present, out, &mut self.indices)?;
                if has_levels && present < take {
                    let mut values = self.indices.iter();
                    out.ids.extend(self.levels.iter().map(|&l| {
                        if l == max {
                            values.next().copied().unwrap_or(NULL_ID)
                        } else {
                            NULL_ID
                        }
                    }));
                } else {
                    out.ids.extend_from_slice(&self.indices);
                }
            }
            state.left -= take;
            done += take;
        }
        Ok(done)
    }

    /// Skips `n` rows: whole pages inside them are not decompressed (when their header tells
    /// their row count), the rest are decoded into `scratch` and dropped; a dictionary page on
    /// the way is read into `scratch` (pass the batch the column is read into next). Returns
    /// the rows skipped.
    pub(crate) fn skip(&mut self, n: usize, scratch: &mut ColumnBatch) -> Result<usize, String> {
        let mut done = 0;
        while done < n {
            let in_page = self.page.as_ref().map_or(0, |p| p.left);
            if in_page == 0 {
                let meta = self.pages.peek_next_page().map_err(|e| e.to_string())?;
                match meta {
                    None => break,
                    Some(m) if !m.is_dict => {
                        if let Some(rows) = m.num_rows.or(m.num_levels)
                            && rows <= n - done
                        {
                            self.pages.skip_next_page().map_err(|e| e.to_string())?;
                            done += rows;
                            continue;
                        }
                    }
                    Some(_) => {
                        match self.pages.get_next_page().map_err(|e| e.to_string())? {
                            Some(Page::DictionaryPage {
                                buf,
                                num_values,
                                encoding,
                                ..
                            }) => read_dictionary(&buf, num_values, encoding, scratch)?,
                            _ => return Err("a dictionary page announced but not found".into()),
                        }
                        continue;
                    }
                }
            }
            scratch.clear_rows();
            let chunk = (n - done).min(8192);
            let got = self.read(chunk, scratch)?;
            if got == 0 {
                break;
            }
            done += got;
        }
        scratch.clear_rows();
        Ok(done)
    }
}

/// Decodes a dictionary page (PLAIN byte arrays) into `out`'s dictionary.
fn read_dictionary(
    buf: &[u8],
    num_values: u32,
    encoding: Encoding,
    out: &mut ColumnBatch,
) -> Result<(), String> {
    if !matches!(encoding, Encoding::PLAIN | Encoding::PLAIN_DICTIONARY) {
        return Err(format!("dictionary page encoded {encoding}"));
    }
    out.dict.clear();
    out.dict_ends.clear();
    let mut pos = 0;
    for _ in 0..num_values {
        let len = u32_at(buf, pos)?;
        let v = buf
            .get(pos + 4..pos + 4 + len)
            .ok_or("dictionary page ends inside a value")?;
        out.dict.extend_from_slice(v);
        out.dict_ends.push(out.dict.len());
        pos += 4 + len;
    }
    Ok(())
}

fn values_at(buf: &[u8], pos: usize, encoding: Encoding) -> Result<Values, String> {
    match encoding {
        Encoding::PLAIN => Ok(Values::Plain(pos)),
        Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY => {
            let width = *buf.get(pos).ok_or("data page ends before its bit width")?;
            if width > 32 {
                return Err(format!("dictionary index bit width {width}"));
            }
            Ok(Values::Dict(Hybrid::new(
                pos + 1,
                buf.len(),
                u32::from(width),
            )))
        }
        other => Err(format!("values encoded {other}")),
    }
}
