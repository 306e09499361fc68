//! No format forced: per-file detection from the first line, then whichever parser it picks
//! (a later `#Fields:` line switches to CloudFront mid-file).
#![no_main]

mod common;

use edgepath::logs::LogOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::run(b"", data, &LogOptions::default());
});
