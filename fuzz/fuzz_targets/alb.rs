//! ALB access logs (space separated, quoted fields, by position).
#![no_main]

mod common;

use edgepath::logs::LogFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = common::forced(LogFormat::Alb);
    common::run(b"", data, &opts);
});
