//! Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary indices), decoded
//! by position so the page that owns the bytes can move; runs can be jumped over without
//! unpacking (`parquet_pages` reads the other columns only at the rows it needs). The parquet
//! crate's own decoder is private unless its `experimental` feature is on.

/// Little-endian u64 of the (up to) 8 bytes at `at`, zero past the end.
fn load_le(buf: &[u8], at: usize) -> u64 {
    match buf.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
        None => {
            let mut w = [0u8; 8];
            if let Some(rest) = buf.get(at..) {
                w[..rest.len()].copy_from_slice(rest);
            }
            u64::from_le_bytes(w)
        }
    }
}

/// Parquet's RLE/bit-packed hybrid decoder over `buf[pos..end]` (positions, so the page that
/// owns the bytes can move).
pub(super) struct Hybrid {
    pos: usize,
    end: usize,
    width: u32,
    rle_left: usize,
    rle_value: u32,
    packed_left: usize,
    packed_bit: usize,
}

impl Hybrid {
    pub(super) fn new(pos: usize, end: usize, width: u32) -> Hybrid {
        Hybrid {
            pos,
            end,
            width,
            rle_left: 0,
            rle_value: 0,
            packed_left: 0,
            packed_bit: 0,
        }
    }

    /// Appends the next `n` values to `out`.
    pub(super) fn decode(
        &mut self,
        buf: &[u8],
        n: usize,
        out: &mut Vec<u32>,
    ) -> Result<(), String> {
        let buf = buf
            .get(..self.end)
            .ok_or("page shorter than its header says")?;
        let mask = if self.width >= 32 {
            u64::from(u32::MAX)
        } else {
            (1u64 << self.width) - 1
        };
        let mut need = n;
        while need > 0 {
            if self.rle_left > 0 {
                let take = need.min(self.rle_left);
                out.extend(std::iter::repeat_n(self.rle_value, take));
                self.rle_left -= take;
                need -= take;
            } else if self.packed_left > 0 {
                let take = need.min(self.packed_left);
                let w = self.width as usize;
                for _ in 0..take {
                    let bit = self.packed_bit;
                    let v = (load_le(buf, bit / 8) >> (bit % 8)) & mask;
                    out.push(v as u32);
                    self.packed_bit += w;
                }
                self.packed_left -= take;
                need -= take;
            } else {
                self.next_run(buf)?;
            }
        }
        Ok(())
    }

    /// When the next `n` values are one RLE run, passes over them and returns their value;
    /// otherwise consumes nothing.
    pub(super) fn run_of(&mut self, buf: &[u8], n: usize) -> Result<Option<u32>, String> {
        if self.rle_left == 0 && self.packed_left == 0 {
            let buf = buf
                .get(..self.end)
                .ok_or("page shorter than its header says")?;
            self.next_run(buf)?;
        }
        if self.rle_left >= n {
            self.rle_left -= n;
            return Ok(Some(self.rle_value));
        }
        Ok(None)
    }

    /// Passes over the next `n` values without unpacking them.
    pub(super) fn skip(&mut self, buf: &[u8], n: usize) -> Result<(), String> {
        let buf = buf
            .get(..self.end)
            .ok_or("page shorter than its header says")?;
        let mut need = n;
        while need > 0 {
            if self.rle_left > 0 {
                let take = need.min(self.rle_left);
                self.rle_left -= take;
                need -= take;
            } else if self.packed_left > 0 {
                let take = need.min(self.packed_left);
                self.packed_bit += take * self.width as usize;
                self.packed_left -= take;
                need -= take;
            } else {
                self.next_run(buf)?;
            }
        }
        Ok(())
    }

    fn next_run(&mut self, buf: &[u8]) -> Result<(), String> {
        let mut header: u64 = 0;
        let mut shift = 0;
        loop {
            let b = *buf
                .get(self.pos)
                .ok_or("RLE/bit-packed data ends before its values")?;
            self.pos += 1;
            header |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 35 {
                return Err("bad RLE run header".into());
            }
        }
        let w = self.width as usize;
        if header & 1 == 1 {
            let values = usize::try_from(header >> 1).unwrap_or(0) * 8;
            let bytes = values * w / 8;
            // The last run may be cut short at the end of the data: keep what is there.
            let available = (buf.len().saturating_sub(self.pos)) * 8 / w.max(1);
            self.packed_left = if w == 0 {
                values
            } else {
                values.min(available)
            };
            self.packed_bit = self.pos * 8;
            self.pos += bytes;
        } else {
            self.rle_left = usize::try_from(header >> 1).unwrap_or(0);
            let bytes = w.div_ceil(8);
            let raw = buf
                .get(self.pos..self.pos + bytes)
                .ok_or("RLE run ends before its value")?;
            let mut v = [0u8; 4];
            v[..bytes.min(4)].copy_from_slice(&raw[..bytes.min(4)]);
            self.rle_value = u32::from_le_bytes(v);
            self.pos += bytes;
        }
        if self.rle_left == 0 && self.packed_left == 0 {
            return Err("empty RLE/bit-packed run".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Hybrid;

    #[test]
    fn rle_and_bit_packed_runs_decode() {
        // RLE run of 3 × 5 (width 3: one value byte), then one bit-packed group of 8 values
        // 0..8 at width 3 (3 bytes).
        let mut buf = vec![3 << 1, 5];
        buf.push((1 << 1) | 1);
        let mut bits: u32 = 0;
        for v in 0..8u32 {
            bits |= v << (3 * v);
        }
        buf.extend_from_slice(&bits.to_le_bytes()[..3]);
        let mut h = Hybrid::new(0, buf.len(), 3);
        let mut out = Vec::new();
        h.decode(&buf, 2, &mut out).expect("first");
        h.decode(&buf, 9, &mut out).expect("rest");
        assert_eq!(out, vec![5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7]);
        assert!(h.decode(&buf, 1, &mut out).is_err(), "past the end");
    }

    #[test]
    fn skipping_lands_where_decoding_does() {
        // Two bit-packed groups (16 values 0..16 at width 5), then an RLE run of 4 × 9.
        let mut buf = vec![(2 << 1) | 1];
        let mut bits: u128 = 0;
        for v in 0..16u128 {
            bits |= v << (5 * v);
        }
        buf.extend_from_slice(&bits.to_le_bytes()[..10]);
        buf.extend_from_slice(&[4 << 1, 9]);
        for skip in 0..20 {
            let mut all = Vec::new();
            Hybrid::new(0, buf.len(), 5)
                .decode(&buf, 20, &mut all)
                .expect("all");
            let mut h = Hybrid::new(0, buf.len(), 5);
            h.skip(&buf, skip).expect("skip");
            let mut rest = Vec::new();
            h.decode(&buf, 20 - skip, &mut rest).expect("rest");
            assert_eq!(rest, all[skip..], "skip {skip}");
        }
        // A run of one value is recognised without unpacking; a mixed stretch is not.
        let mut h = Hybrid::new(0, buf.len(), 5);
        assert_eq!(h.run_of(&buf, 3).expect("packed"), None);
        h.skip(&buf, 16).expect("skip");
        assert_eq!(h.run_of(&buf, 4).expect("rle"), Some(9));
    }
}
