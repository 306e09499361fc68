//! CloudFront standard log, W3C, no `#Fields:` header: the canonical 33-column layout (lenient:
//! older files with fewer columns are valid). The input may still carry its own `#Fields:` line.
#![no_main]

mod common;

use edgepath::logs::LogFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = common::forced(LogFormat::Cloudfront);
    common::run(b"", data, &opts);
});
