//! CloudFront standard logging v2, JSON (CloudWatch Logs / Firehose NDJSON; records may span
//! several lines until their braces balance).
#![no_main]

mod common;

use edgepath::logs::LogFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = common::forced(LogFormat::CloudfrontJson);
    common::run(b"", data, &opts);
});
