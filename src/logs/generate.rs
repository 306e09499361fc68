//! A seeded generator of CloudFront standard (W3C, 33 columns) log lines with a known truth,
//! for tests and `scripts/bench-logs.sh` (`edgepath logs --generate N --out FILE.gz`, hidden).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::classify::Signature;

/// What was generated: total lines and the 5xx lines per signature.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GenTruth {
    /// Lines written (records).
    pub records: u64,
    /// Records per status.
    pub by_status: BTreeMap<u16, u64>,
    /// 5xx records per signature name.
    pub by_signature: BTreeMap<String, u64>,
}

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Uniform in [lo, hi), 3 decimals.
    pub(crate) fn secs(&mut self, lo: f64, hi: f64) -> f64 {
        #[allow(
            clippy::cast_precision_loss,
            reason = "the top 53 bits of a u64 are exact in an f64's mantissa"
        )]
        let f = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        lo + f * (hi - lo)
    }
}

const PATHS: &[&str] = &[
    "/api/orders",
    "/api/users/42",
    "/static/app.js",
    "/img/logo.png",
    "/",
];
const EDGES: &[&str] = &["IAD89-C1", "FRA56-P2", "NRT57-C3", "GRU1-C1"];

/// Writes `n` lines (with the W3C header) to `out`; about 90 % are 200s, the rest spread over
/// every 504 signature (and a few 502 DNS failures). Deterministic for a given `seed`.
///
/// # Errors
/// Writing failed.
pub fn generate(n: u64, seed: u64, out: &mut dyn Write) -> io::Result<GenTruth> {
    let mut rng = Rng(seed);
    let mut truth = GenTruth::default();
    writeln!(out, "#Version: 1.0")?;
    writeln!(out, "#Fields: {}", super::formats::CLOUDFRONT_33)?;
    let start: u64 = 1_763_874_000; // 2025-11-23T05:00:00Z
    for i in 0..n {
        let t = start + i * 3600 / n.max(1);
        let (h, m, s) = ((t / 3600) % 24, (t / 60) % 60, t % 60);
        let roll = rng.below(1000);
        let (status, result, detailed, taken, sig) = match roll {
            0..=899 => (200, "Miss", "Miss", rng.secs(0.001, 0.5), None),
            900..=919 => (
                504,
                "Error",
                "OriginCommError",
                rng.secs(29.5, 30.5),
                Some(Signature::CloudfrontConnectTimeout),
            ),
            920..=939 => (
                504,
                "Error",
                "OriginReadError",
                rng.secs(29.5, 30.5),
                Some(Signature::CloudfrontReadTimeout),
            ),
            940..=959 => (
                504,
                "Error",
                "Error",
                rng.secs(9.8, 10.3),
                Some(Signature::AlbTargetConnectTimeout),
            ),
            960..=974 => (
                504,
                "Error",
                "Error",
                rng.secs(59.5, 60.5),
                Some(Signature::AlbIdleTimeout),
            ),
            975..=989 => (
                504,
                "Error",
                "Error",
                rng.secs(0.0, 0.05),
                Some(Signature::CachedError),
            ),
            _ => (
                502,
                "Error",
                "OriginDnsError",
                rng.secs(0.01, 0.3),
                Some(Signature::DnsFailure),
            ),
        };
        truth.records += 1;
        *truth.by_status.entry(status).or_default() += 1;
        if let Some(sig) = sig {
            *truth
                .by_signature
                .entry(sig.as_str().to_owned())
                .or_default() += 1;
        }
        let path = PATHS[usize::try_from(rng.below(PATHS.len() as u64)).unwrap_or(0)];
        let edge = EDGES[usize::try_from(rng.below(EDGES.len() as u64)).unwrap_or(0)];
        let ip = rng.next();
        writeln!(
            out,
            "2025-11-23\t{h:02}:{m:02}:{s:02}\t{edge}\t{bytes}\t192.0.{a}.{b}\tGET\td111111abcdef8.cloudfront.net\t{path}\t{status}\t-\tMozilla/5.0%20(X11;%20Linux%20x86_64)\t-\t-\t{result}\t{rid:016x}==\tapp.example.com\thttps\t{req}\t{taken:.3}\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\t{result}\tHTTP/2.0\t-\t-\t{port}\t{ttfb:.3}\t{detailed}\ttext/html\t{bytes}\t-\t-",
            bytes = 200 + ip % 50_000,
            a = (ip >> 8) & 0xff,
            b = ip & 0xff,
            rid = ip,
            req = 100 + (ip >> 16) % 900,
            port = 1024 + (ip >> 24) % 60_000,
            ttfb = taken.min(0.4),
        )?;
    }
    Ok(truth)
}
