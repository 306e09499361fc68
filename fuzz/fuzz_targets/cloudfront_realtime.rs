//! CloudFront real-time logs (tab separated) with a fixed `--fields` list.
#![no_main]

mod common;

use std::sync::OnceLock;

use edgepath::logs::{LogFormat, LogOptions, parse_realtime_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &str = "timestamp,c-ip,time-to-first-byte,sc-status,sc-bytes,cs-method,cs-protocol,cs-host,cs-uri-stem,x-edge-location,x-host-header,time-taken,x-edge-result-type,x-edge-detailed-result-type,c-country";

fn opts() -> &'static LogOptions {
    static O: OnceLock<LogOptions> = OnceLock::new();
    O.get_or_init(|| LogOptions {
        realtime_fields: parse_realtime_fields(FIELDS).expect("valid --fields"),
        ..common::forced(LogFormat::CloudfrontRealtime)
    })
}

fuzz_target!(|data: &[u8]| {
    common::run(b"", data, opts());
});
