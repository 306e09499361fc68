//! Gzip (RFC 1952) member framing around a raw inflater, with the CRC-32 check split off.
//!
//! A lone large `.gz` is the slow case of `edgepath logs`: one thread inflates while another
//! parses, and the wall time is the inflating thread's. `flate2`'s `GzDecoder` computes the
//! CRC-32 of every inflated byte on that thread (≈ 15 % of it); here the inflating thread only
//! inflates ([`Members::next`] yields data and each member's trailer), and whoever consumes the
//! data checks it ([`Crc`]): the parser thread in the pipelined read, the same thread in
//! [`GzipReader`]. Concatenated members (what `cat a.gz b.gz` and many log shippers write) are
//! read one after another, like `gzip -dc`; bytes after a member that are not another member are
//! an error, not silently dropped.

use std::io::{self, BufRead, Read};

use flate2::{Decompress, FlushDecompress, Status};

/// A gzip member's trailer: CRC-32 and size (mod 2³²) of its inflated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Trailer {
    crc: u32,
    size: u32,
}

/// One step of [`Members::next`].
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// This many bytes were inflated into the output buffer.
    Data(usize),
    /// The current member ended; its inflated bytes must match this.
    MemberEnd(Trailer),
    /// No more input.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before a member's header (or at the end of input).
    Between,
    /// Inside a member's deflate data.
    Inflating,
    /// The deflate data ended; the 8-byte trailer comes next.
    Trailer,
}

/// The gzip members of a byte stream, inflated without checking (see [`Crc`]).
pub(super) struct Members<R> {
    src: R,
    inflate: Decompress,
    state: State,
    /// Members started so far (1-based in messages).
    members: u64,
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Bytes after member `member` that do not start another member.
fn trailing_garbage(member: u64) -> io::Error {
    invalid(format!(
        "bytes after gzip member {member} are not another gzip member (trailing garbage)"
    ))
}

fn truncated(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, msg)
}

impl<R: BufRead> Members<R> {
    pub(super) fn new(src: R) -> Self {
        Members {
            src,
            inflate: Decompress::new(false),
            state: State::Between,
            members: 0,
        }
    }

    /// Inflates the next bytes into `out` (which must not be empty), or reports a member's end.
    pub(super) fn next(&mut self, out: &mut [u8]) -> io::Result<Step> {
        assert!(!out.is_empty(), "Members::next needs room to inflate into");
        loop {
            match self.state {
                State::Between => {
                    if self.src.fill_buf()?.is_empty() || self.only_zeros_left()? {
                        return Ok(Step::End);
                    }
                    self.header()?;
                    self.inflate.reset(false);
                    self.state = State::Inflating;
                }
                State::Trailer => {
                    let mut t = [0u8; 8];
                    self.src.read_exact(&mut t).map_err(|e| {
                        truncated(format!(
                            "gzip member {}: trailer cut short ({e})",
                            self.members
                        ))
                    })?;
                    self.state = State::Between;
                    return Ok(Step::MemberEnd(Trailer {
                        crc: u32::from_le_bytes([t[0], t[1], t[2], t[3]]),
                        size: u32::from_le_bytes([t[4], t[5], t[6], t[7]]),
                    }));
                }
                State::Inflating => {
                    let input = self.src.fill_buf()?;
                    let at_eof = input.is_empty();
                    let (in_before, out_before) =
                        (self.inflate.total_in(), self.inflate.total_out());
                    let status = self
                        .inflate
                        .decompress(input, out, FlushDecompress::None)
                        .map_err(|e| {
                            invalid(format!(
                                "gzip member {}: corrupt deflate data ({e})",
                                self.members
                            ))
                        })?;
                    // Both differences are bounded by the slices' lengths.
                    let consumed = (self.inflate.total_in() - in_before) as usize;
                    let produced = (self.inflate.total_out() - out_before) as usize;
                    self.src.consume(consumed);
                    if status == Status::StreamEnd {
                        self.state = State::Trailer;
                    } else if produced == 0 && consumed == 0 && at_eof {
                        return Err(truncated(format!(
                            "gzip member {}: compressed data cut short (unexpected end of file)",
                            self.members
                        )));
                    }
                    if produced > 0 {
                        return Ok(Step::Data(produced));
                    }
                }
            }
        }
    }

    /// After a member: whether the rest of the input is zero bytes (padding written by some
    /// tools, e.g. to a block size), which `gzip -dc` ignores too. Consumes them if so.
    fn only_zeros_left(&mut self) -> io::Result<bool> {
        if self.members == 0 || self.src.fill_buf()?.first() != Some(&0) {
            return Ok(false);
        }
        loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(true);
            }
            let zeros = buf.iter().take_while(|&&b| b == 0).count();
            let all = zeros == buf.len();
            self.src.consume(zeros);
            if !all {
                return Err(trailing_garbage(self.members));
            }
        }
    }

    /// Reads and checks a member header (RFC 1952 §2.3), skipping its optional fields.
    fn header(&mut self) -> io::Result<()> {
        self.members += 1;
        let n = self.members;
        let mut h = [0u8; 10];
        self.src
            .read_exact(&mut h)
            .map_err(|_| truncated(format!("gzip member {n}: header cut short")))?;
        if h[0..2] != [0x1f, 0x8b] {
            return Err(if n == 1 {
                invalid("not gzip data (no 1f 8b magic)".to_string())
            } else {
                trailing_garbage(n - 1)
            });
        }
        if h[2] != 8 {
            return Err(invalid(format!(
                "gzip member {n}: compression method {} is not deflate (8)",
                h[2]
            )));
        }
        let flags = h[3];
        if flags & 0xe0 != 0 {
            return Err(invalid(format!(
                "gzip member {n}: reserved header flags set ({flags:#04x})"
            )));
        }
        let cut = |what: &str| truncated(format!("gzip member {n}: header {what} cut short"));
        if flags & 0x04 != 0 {
            // FEXTRA: a little-endian length, then that many bytes
            let mut len = [0u8; 2];
            self.src
                .read_exact(&mut len)
                .map_err(|_| cut("extra field"))?;
            let len = u64::from(u16::from_le_bytes(len));
            if io::copy(&mut (&mut self.src).take(len), &mut io::sink())? != len {
                return Err(cut("extra field"));
            }
        }
        for (bit, what) in [(0x08, "file name"), (0x10, "comment")] {
            // FNAME, FCOMMENT: zero-terminated
            if flags & bit != 0 {
                let mut field = Vec::new();
                self.src.read_until(0, &mut field)?;
                if field.last() != Some(&0) {
                    return Err(cut(what));
                }
            }
        }
        if flags & 0x02 != 0 {
            // FHCRC: two bytes of header CRC, not checked (gzip -dc does not either)
            let mut crc16 = [0u8; 2];
            self.src.read_exact(&mut crc16).map_err(|_| cut("CRC"))?;
        }
        Ok(())
    }
}

/// The running CRC-32 and size of one member's inflated bytes, checked against its trailer.
#[derive(Debug, Default)]
pub(super) struct Crc {
    crc: u32,
    size: u32,
    /// Members checked so far.
    members: u64,
}

impl Crc {
    pub(super) fn update(&mut self, data: &[u8]) {
        self.crc = zlib_rs::crc32::crc32(self.crc, data);
        // ISIZE is the size modulo 2^32 (RFC 1952): the truncation is the format's.
        self.size = self.size.wrapping_add(data.len() as u32);
    }

    /// Checks the member just ended against its trailer, and starts the next one.
    pub(super) fn check(&mut self, trailer: Trailer) -> io::Result<()> {
        self.members += 1;
        let (crc, size) = (
            std::mem::take(&mut self.crc),
            std::mem::take(&mut self.size),
        );
        if trailer.crc != crc || trailer.size != size {
            return Err(invalid(format!(
                "gzip member {}: inflated data does not match its trailer (CRC-32 {crc:08x} vs \
                 {:08x}, size {size} vs {}): the file is corrupt",
                self.members, trailer.crc, trailer.size
            )));
        }
        Ok(())
    }
}

/// Gzip members inflated and checked on the calling thread: a `Read` like `MultiGzDecoder`.
pub(super) struct GzipReader<R> {
    members: Members<R>,
    crc: Crc,
}

impl<R: BufRead> GzipReader<R> {
    pub(super) fn new(src: R) -> Self {
        GzipReader {
            members: Members::new(src),
            crc: Crc::default(),
        }
    }
}

impl<R: BufRead> Read for GzipReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            match self.members.next(out)? {
                Step::Data(n) => {
                    self.crc.update(&out[..n]);
                    return Ok(n);
                }
                Step::MemberEnd(trailer) => self.crc.check(trailer)?,
                Step::End => return Ok(0),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GzipReader;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::{BufReader, Read, Write};

    fn gzip(data: &[u8], level: u32) -> Vec<u8> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::new(level));
        gz.write_all(data).expect("gz");
        gz.finish().expect("gz")
    }

    fn inflate(gz: &[u8], chunk: usize) -> std::io::Result<Vec<u8>> {
        let mut r = GzipReader::new(BufReader::with_capacity(chunk, gz));
        let mut out = Vec::new();
        let mut buf = vec![0u8; chunk];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    fn text(lines: usize) -> Vec<u8> {
        (0..lines)
            .flat_map(|i| format!("2025-11-23\t{i}\tGET\t/api/{}\n", i * 7919 % 1000).into_bytes())
            .collect()
    }

    proptest::proptest! {
        /// Against flate2's own `MultiGzDecoder`: the same bytes out for any members and buffer
        /// sizes; with bytes flipped, never a panic, and never different bytes when both succeed.
        #[test]
        fn same_output_as_flate2(
            parts in proptest::collection::vec(proptest::collection::vec(proptest::num::u8::ANY, 0..3000), 1..4),
            level in 0u32..10,
            chunk in 1usize..5000,
            flips in proptest::collection::vec((proptest::num::usize::ANY, 1u8..=255), 0..3),
        ) {
            let mut gz: Vec<u8> = parts.iter().flat_map(|p| gzip(p, level)).collect();
            let want = parts.concat();
            proptest::prop_assert_eq!(inflate(&gz, chunk).expect("valid"), want);
            for (at, x) in &flips {
                let i = at % gz.len();
                gz[i] ^= x;
            }
            let mut reference = Vec::new();
            let flate2_ok = flate2::read::MultiGzDecoder::new(&gz[..]).read_to_end(&mut reference).is_ok();
            if let (Ok(ours), true) = (inflate(&gz, chunk), flate2_ok) {
                proptest::prop_assert_eq!(ours, reference);
            }
        }
    }

    #[test]
    fn members_inflate_like_gzip_whatever_the_buffer_sizes() {
        let (a, b) = (text(5000), b"second member, no newline".to_vec());
        let gz = [gzip(&a, 1), gzip(b"", 6), gzip(&b, 9)].concat();
        for chunk in [1, 3, 4096, 1 << 20] {
            assert_eq!(
                inflate(&gz, chunk).expect("inflate"),
                [a.clone(), b.clone()].concat()
            );
        }
        assert_eq!(inflate(&[], 64).expect("empty"), b"");
    }

    #[test]
    fn optional_header_fields_are_skipped() {
        let data = text(100);
        let mut gz = flate2::GzBuilder::new()
            .filename("E2ABC.2025-11-23-05.abcd.gz")
            .comment("rotated")
            .extra(vec![1, 2, 3, 4])
            .write(Vec::new(), Compression::default());
        gz.write_all(&data).expect("gz");
        let gz = gz.finish().expect("gz");
        assert_eq!(inflate(&gz, 7).expect("inflate"), data);
    }

    #[test]
    fn corruption_truncation_and_garbage_are_errors_naming_the_member() {
        let data = text(2000);
        let good = gzip(&data, 6);
        let mut flipped = [good.clone(), good.clone()].concat();
        let at = good.len() + good.len() - 6; // second member's CRC-32
        flipped[at] ^= 0x40;
        let e = inflate(&flipped, 4096).expect_err("bad crc");
        assert!(
            e.to_string().contains("gzip member 2") && e.to_string().contains("CRC-32"),
            "{e}"
        );

        let e = inflate(&good[..good.len() / 2], 4096).expect_err("cut");
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof, "{e}");
        let e = inflate(&good[..good.len() - 3], 4096).expect_err("cut trailer");
        assert!(e.to_string().contains("trailer"), "{e}");

        let garbage = [good.clone(), b"PK\x03\x04 not gzip".to_vec()].concat();
        let e = inflate(&garbage, 4096).expect_err("garbage");
        assert!(e.to_string().contains("after gzip member 1"), "{e}");
        let padded = [good.clone(), vec![0; 700]].concat();
        assert_eq!(inflate(&padded, 64).expect("zero padding is ignored"), data);
        let padded_then_garbage = [good.clone(), vec![0; 70], b"x".to_vec()].concat();
        let e = inflate(&padded_then_garbage, 16).expect_err("garbage after zeros");
        assert!(e.to_string().contains("trailing garbage"), "{e}");

        let mut method = good.clone();
        method[2] = 7;
        assert!(inflate(&method, 64).is_err());
        let mut deflate = good;
        deflate[12] ^= 0xff;
        deflate[13] ^= 0xff;
        assert!(
            inflate(&deflate, 64).is_err(),
            "corrupt deflate data or CRC"
        );
    }
}
