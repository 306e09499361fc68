//! The two-core read of one gzip input: a thread inflates into large buffers handed over a
//! bounded channel to the parsing thread, so inflate and parse run side by side when there are
//! fewer files than cores (e.g. one large `.gz`). The parser sees an ordinary `BufRead`; line
//! numbers, content and gzip errors are the same as a direct read (the tests compare them).
//! Tuned (see BENCHMARKS.md): buffer size and depth bound both memory and the hand-over cost.

use std::io::{self, BufRead, Read};
use std::sync::mpsc;

use super::gzip::{Crc, Members, Step, Trailer};

/// Inflated bytes per buffer handed from the inflating thread to the parser.
pub(super) const PIPE_CHUNK: usize = 1 << 20;
/// Buffers in the channel (inflated but not yet parsed); with the one being filled and the one
/// being parsed, memory stays at most `(PIPE_DEPTH + 2) × PIPE_CHUNK`.
pub(super) const PIPE_DEPTH: usize = 4;

/// What the inflating thread hands to the parser.
enum Piece {
    Data(Vec<u8>),
    /// A gzip member ended after the data sent so far: check it (on the parser's thread).
    MemberEnd(Trailer),
}

/// A `BufRead` over buffers inflated by another thread (see [`Piped::spawn`]). Lines may span
/// buffers: `read_line` keeps reading across them, so line numbers and content are unchanged.
/// The CRC-32 of each gzip member is computed here, on the parser's side, so the inflating
/// thread (the one that bounds the wall time) only inflates.
pub(super) struct Piped {
    rx: Option<mpsc::Receiver<io::Result<Piece>>>,
    /// Parsed buffers go back to the inflating thread for reuse.
    back: mpsc::Sender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    crc: Crc,
    /// The inflating thread, joined on drop (see the `Drop` impl).
    worker: Option<std::thread::JoinHandle<()>>,
    join_on_drop: bool,
}

impl Piped {
    /// Starts a thread inflating `members` into `chunk`-byte buffers, at most `depth` queued.
    /// `join_on_drop`: wait for the thread when dropped (false for stdin, whose read may block).
    pub(super) fn spawn<R: BufRead + Send + 'static>(
        mut members: Members<R>,
        chunk: usize,
        depth: usize,
        join_on_drop: bool,
    ) -> Piped {
        /// Why a buffer is handed over.
        enum Handover {
            Full,
            MemberEnd(Trailer),
            End,
            Failed(io::Error),
        }
        let chunk = chunk.max(1);
        let (tx, rx) = mpsc::sync_channel::<io::Result<Piece>>(depth);
        let (back, recycled) = mpsc::channel::<Vec<u8>>();
        let worker = std::thread::spawn(move || {
            loop {
                let mut buf = recycled.try_recv().unwrap_or_default();
                buf.resize(chunk, 0);
                let mut filled = 0;
                let handover = loop {
                    if filled == chunk {
                        break Handover::Full;
                    }
                    match members.next(&mut buf[filled..]) {
                        Ok(Step::Data(n)) => filled += n,
                        Ok(Step::MemberEnd(trailer)) => break Handover::MemberEnd(trailer),
                        Ok(Step::End) => break Handover::End,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Handover::Failed(e),
                    }
                };
                buf.truncate(filled);
                if filled > 0 && tx.send(Ok(Piece::Data(buf))).is_err() {
                    return; // the parser stopped early
                }
                let sent = match handover {
                    Handover::Full => Ok(()),
                    Handover::MemberEnd(trailer) => tx.send(Ok(Piece::MemberEnd(trailer))),
                    Handover::End => return,
                    Handover::Failed(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                if sent.is_err() {
                    return;
                }
            }
        });
        Piped {
            rx: Some(rx),
            back,
            cur: Vec::new(),
            pos: 0,
            crc: Crc::default(),
            worker: Some(worker),
            join_on_drop,
        }
    }
}

/// Dropping the receiver first makes the thread's next send fail, so it stops within one buffer
/// even when the parser stopped early. Joined, so that nothing of it outlives the read (a leak
/// checker saw its allocations otherwise); not joined for stdin, whose read may block for as long
/// as the writer keeps the pipe open.
impl Drop for Piped {
    fn drop(&mut self) {
        self.rx = None;
        if let Some(worker) = self.worker.take()
            && (self.join_on_drop || worker.is_finished())
        {
            let _ = worker.join();
        }
    }
}

impl Read for Piped {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Piped {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.cur.len() {
            let Some(rx) = &self.rx else { break };
            match rx.recv() {
                Ok(Ok(Piece::Data(next))) => {
                    self.crc.update(&next);
                    let used = std::mem::replace(&mut self.cur, next);
                    self.pos = 0;
                    if used.capacity() > 0 {
                        let _ = self.back.send(used);
                    }
                }
                Ok(Ok(Piece::MemberEnd(trailer))) => {
                    if let Err(e) = self.crc.check(trailer) {
                        self.rx = None;
                        return Err(e);
                    }
                }
                Ok(Err(e)) => {
                    self.rx = None;
                    return Err(e);
                }
                Err(_) => self.rx = None, // end of input
            }
        }
        Ok(&self.cur[self.pos.min(self.cur.len())..])
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
    }
}

#[cfg(test)]
mod tests {
    use super::super::gzip::Members;
    use super::super::options::LogOptions;
    use super::super::read::{read_line, read_one};
    use super::super::summary::build;
    use super::Piped;
    use flate2::read::MultiGzDecoder;
    use std::io::{BufRead, BufReader, Cursor, Write};

    fn gzip_members(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in parts {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(p).expect("gz");
            out.extend(gz.finish().expect("gz"));
        }
        out
    }

    /// (line, bytes consumed, cut) per line, then the error kind if reading stopped on one.
    type Lines = (Vec<(Vec<u8>, usize, bool)>, Option<String>);

    fn lines(r: &mut dyn BufRead) -> Lines {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        loop {
            match read_line(r, &mut buf) {
                Ok((0, _)) => return (out, None),
                Ok((n, cut)) => out.push((buf.clone(), n, cut)),
                Err(e) => return (out, Some(e.kind().to_string())),
            }
        }
    }
    #[test]
    fn piped_lines_equal_direct_lines_across_tiny_buffers_and_gzip_members() {
        let a: &[u8] = b"one\r\ntwo\n\nthree without newline across members ";
        let long = vec![b'y'; 3000];
        let b: &[u8] = b"...end\nfour\n";
        let plain = [a, &long, b, b"\nlast"].concat();
        let gz = gzip_members(&[a, &long, b, b"\nlast"]);
        let want = lines(&mut BufReader::new(Cursor::new(plain)));
        for (chunk, depth) in [(1, 1), (7, 2), (4096, 4)] {
            let mut piped = Piped::spawn(Members::new(Cursor::new(gz.clone())), chunk, depth, true);
            assert_eq!(lines(&mut piped), want, "chunk {chunk}");
        }
    }

    #[test]
    fn piped_truncated_gzip_gives_the_lines_before_then_the_error() {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let gz = gzip_members(&[&text]);
        let cut = &gz[..gz.len() / 2];
        let direct = lines(&mut BufReader::new(MultiGzDecoder::new(cut)));
        let piped = lines(&mut Piped::spawn(
            Members::new(Cursor::new(cut.to_vec())),
            100,
            2,
            true,
        ));
        assert!(direct.1.is_some() && !direct.0.is_empty());
        assert_eq!(piped, direct, "flate2's decoder is the reference");
    }

    #[test]
    fn pipelined_read_equals_the_direct_read_bad_line_numbers_included() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut text = Vec::new();
        super::super::generate::generate(30_000, 3, &mut text).expect("generate");
        // bad lines spread over the > 1 MiB buffers, then the rest as a second gzip member
        let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        for i in (100..lines.len()).step_by(4001) {
            lines[i] = b"2025-11-23\tnot a record";
        }
        let text = lines.join(&b'\n');
        let mid = text.len() / 2;
        let path = dir.path().join("E2ABCDEFGHIJ.2025-11-23-05.gz");
        std::fs::write(&path, gzip_members(&[&text[..mid], &text[mid..]])).expect("write");
        let opts = LogOptions::default();
        let direct = build(read_one(&path, &opts, false), opts.timeouts.clone());
        let piped = build(read_one(&path, &opts, true), opts.timeouts.clone());
        assert!(
            direct.bad_lines > 5 && direct.records > 29_000,
            "{direct:?}"
        );
        assert!(text.len() > 3 << 20, "spans several pipe buffers");
        assert_eq!(
            serde_json::to_value(&piped).expect("json"),
            serde_json::to_value(&direct).expect("json")
        );
    }
}
