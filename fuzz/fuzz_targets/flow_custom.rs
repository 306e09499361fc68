//! VPC flow logs with a custom header (v5-style field selection, columns out of v2 order).
#![no_main]

mod common;

use edgepath::logs::LogFormat;
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = b"version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status\n";

fuzz_target!(|data: &[u8]| {
    let opts = common::forced(LogFormat::Flow);
    common::run(HEADER, data, &opts);
});
