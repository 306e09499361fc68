//! VPC flow logs, default v2 fields (no header; a `version …` header line in the input switches
//! to its columns).
#![no_main]

mod common;

use edgepath::logs::LogFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = common::forced(LogFormat::Flow);
    common::run(b"", data, &opts);
});
