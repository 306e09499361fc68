//! edgepath's own gzip member framing (`logs::gzip`: raw inflate, CRC-32 checked on the parser's
//! thread) against flate2's `MultiGzDecoder` as the reference: whatever the bytes, no panic; and
//! when flate2 inflates them cleanly, the summary of the `.gz` file equals the summary of the
//! plain text flate2 produced (same records, bad lines, statuses, 5xx buckets).
#![no_main]

mod common;

use std::io::Read;

use edgepath::logs::LogOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Start as gzip so every input reaches the gzip reader (detection is by magic bytes).
    let mut gz = vec![0x1f, 0x8b];
    gz.extend_from_slice(data.strip_prefix(&[0x1f, 0x8b][..]).unwrap_or(data));
    let path = common::scratch_gz();
    std::fs::write(path, &gz).expect("write scratch");
    let opts = LogOptions::default();
    let ours = common::summarize_one(path, &opts);
    if let Some(ours) = &ours {
        assert_eq!(ours.files, 1);
    }

    let mut plain = Vec::new();
    if flate2::read::MultiGzDecoder::new(&gz[..])
        .read_to_end(&mut plain)
        .is_err()
        || plain.starts_with(&[0x1f, 0x8b])
        || plain.starts_with(b"PAR1")
    {
        return;
    }
    // What flate2 inflates cleanly is read the same way from the .gz: nothing recognised in
    // both, or the same summary.
    let reference = common::run(b"", &plain, &opts);
    assert_eq!(
        ours.is_some(),
        reference.is_some(),
        "the .gz and its inflated text disagree on whether any record was read"
    );
    let (Some(ours), Some(reference)) = (ours, reference) else {
        return;
    };
    assert_eq!(ours.records, reference.records);
    assert_eq!(ours.bad_lines, reference.bad_lines);
    assert_eq!(ours.other_format_lines, reference.other_format_lines);
    assert_eq!(ours.by_status, reference.by_status);
    assert_eq!(
        format!("{:?}", ours.origin_errors),
        format!("{:?}", reference.origin_errors)
    );
});
