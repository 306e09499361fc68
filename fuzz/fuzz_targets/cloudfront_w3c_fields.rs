//! CloudFront standard log, W3C with a `#Fields:` header (v2 S3 delivery with a field selection,
//! timestamp and DistributionId columns, fields out of the canonical order): strict column count.
#![no_main]

mod common;

use edgepath::logs::LogFormat;
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = b"#Version: 1.0\n#Fields: date time x-edge-location cs-method cs(Host) cs-uri-stem sc-status time-taken x-edge-result-type x-edge-detailed-result-type c-country timestamp(ms) DistributionId\n";

fuzz_target!(|data: &[u8]| {
    let opts = common::forced(LogFormat::Cloudfront);
    common::run(HEADER, data, &opts);
});
