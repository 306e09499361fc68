//! A seeded generator of ALB access-log lines (the documented 30-field layout) with a known
//! truth per ALB signature, for tests and `scripts/bench-alb.sh`
//! (`edgepath logs --generate N --log-format alb --out FILE.gz`, hidden).
//!
//! Every class of [`super::alb_signatures::ALB_SIGNATURES`] is written with the field values the
//! documentation gives for it, plus one draining target: it takes traffic for the first half of
//! the hour, and every request it gets in its last two minutes fails (its task is gone), then
//! it leaves the log.

use std::io::{self, Write};

use super::classify::Signature;
use super::formats::minute_to_rfc3339;
use super::generate::{GenTruth, Rng};

const TARGETS: &[&str] = &["10.0.10.10:80", "10.0.11.20:80", "10.0.12.30:80"];
const DRAINING: &str = "10.0.10.99:80";
const PATHS: &[&str] = &["/api/orders", "/api/users/42", "/", "/health"];
const TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/73e2d6bc24d8a067";

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` of epoch seconds.
fn iso(t: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "seconds since 1970 fit an i64"
    )]
    let minute = (t / 60.0).floor() as i64;
    #[allow(
        clippy::cast_precision_loss,
        reason = "minutes since 1970 are exact in an f64"
    )]
    let secs = t - (minute as f64) * 60.0;
    let m = minute_to_rfc3339(minute);
    format!("{}{secs:09.6}Z", &m[..17])
}

/// One generated record's class.
struct Line {
    elb: u16,
    target_status: &'static str,
    target: bool,
    times: (f64, f64, f64),
    elapsed: f64,
    error_reason: &'static str,
    actions: &'static str,
    sig: Option<Signature>,
}

/// Writes `n` ALB lines to `out`, about 85 % 200s and the rest spread over every ALB signature;
/// `idle` is the idle timeout the 504s are shaped on. Deterministic for a given `seed`.
///
/// # Errors
/// Writing failed.
pub fn generate_alb(n: u64, seed: u64, idle: f64, out: &mut dyn Write) -> io::Result<GenTruth> {
    let mut rng = Rng(seed);
    let mut truth = GenTruth::default();
    let start: u64 = 1_795_150_800; // 2026-11-20T05:00:00Z
    let span = 3600.0;
    let drain_end_minute = 29; // the draining target's last minute of the hour
    let ok = |rng: &mut Rng| Line {
        elb: 200,
        target_status: "200",
        target: true,
        times: (0.001, rng.secs(0.002, 0.3), 0.0),
        elapsed: 0.0,
        error_reason: "-",
        actions: "forward",
        sig: None,
    };
    for i in 0..n {
        #[allow(
            clippy::cast_precision_loss,
            reason = "line numbers are far below 2^53"
        )]
        let created = start as f64 + (i as f64) * span / (n.max(1) as f64);
        let minute_of_hour = (i * 60 / n.max(1)) as i64;
        let draining_alive = minute_of_hour <= drain_end_minute;
        let slots = TARGETS.len() as u64 + u64::from(draining_alive);
        let pick = rng.below(slots);
        let target_name = usize::try_from(pick)
            .ok()
            .and_then(|k| TARGETS.get(k))
            .copied()
            .unwrap_or(DRAINING);
        let roll = rng.below(1000);
        let mut line = if target_name == DRAINING && minute_of_hour > drain_end_minute - 2 {
            // The task behind the draining target is gone: the connection is reset.
            Line {
                elb: 502,
                target_status: "-",
                target: true,
                times: (0.0, -1.0, -1.0),
                elapsed: 0.0,
                error_reason: "-",
                actions: "forward",
                sig: Some(Signature::AlbTargetClosedConnection),
            }
        } else if target_name == DRAINING {
            // Before that it serves like the others (only successes, so the window is exact).
            ok(&mut rng)
        } else {
            match roll {
                0..=849 => ok(&mut rng),
                850..=869 => Line {
                    elb: 502,
                    target_status: "-",
                    target: true,
                    times: (0.001, -1.0, -1.0),
                    elapsed: rng.secs(0.002, 5.0),
                    error_reason: "-",
                    actions: "forward",
                    sig: Some(Signature::AlbTargetClosedConnection),
                },
                870..=884 => Line {
                    elb: 502,
                    target_status: "-",
                    target: false,
                    times: (0.0, 0.001, 0.0),
                    elapsed: rng.secs(0.01, 3.0),
                    error_reason: [
                        "LambdaInvalidResponse",
                        "LambdaUnhandled",
                        "LambdaResponseTooLarge",
                    ][usize::try_from(rng.below(3)).unwrap_or(0)],
                    actions: "forward",
                    sig: Some(Signature::AlbLambdaInvalidResponse),
                },
                885..=889 => Line {
                    elb: 502,
                    target_status: "-",
                    target: false,
                    times: (0.0, 0.001, 0.0),
                    elapsed: rng.secs(0.01, 0.5),
                    error_reason: "LambdaAccessDenied",
                    actions: "forward",
                    sig: Some(Signature::AlbLambdaInvokeError),
                },
                890..=904 => Line {
                    elb: 503,
                    target_status: "-",
                    target: false,
                    times: (-1.0, -1.0, -1.0),
                    elapsed: rng.secs(0.0, 0.01),
                    error_reason: "-",
                    actions: "forward",
                    sig: Some(Signature::AlbNoTargets),
                },
                905..=919 => Line {
                    elb: 504,
                    target_status: "-",
                    target: true,
                    times: (-1.0, -1.0, -1.0),
                    elapsed: rng.secs(9.95, 10.1),
                    error_reason: "-",
                    actions: "forward",
                    sig: Some(Signature::AlbTargetConnectTimeout),
                },
                920..=929 => Line {
                    elb: 504,
                    target_status: "-",
                    target: true,
                    times: (0.001, -1.0, -1.0),
                    elapsed: rng.secs(idle - 0.2, idle + 0.2),
                    error_reason: "-",
                    actions: "forward",
                    sig: Some(Signature::AlbIdleTimeout),
                },
                930..=934 => Line {
                    elb: 502,
                    target_status: "-",
                    target: true,
                    times: (-1.0, -1.0, -1.0),
                    elapsed: rng.secs(9.95, 10.1),
                    error_reason: "-",
                    actions: "forward",
                    sig: Some(Signature::AlbTargetTlsHandshakeTimeout),
                },
                935..=944 => Line {
                    elb: 460,
                    target_status: "-",
                    target: true,
                    times: (0.001, -1.0, -1.0),
                    elapsed: rng.secs(1.0, 29.0),
                    error_reason: "-",
                    actions: "forward",
                    sig: Some(Signature::AlbClientClosed),
                },
                945..=949 => Line {
                    elb: 463,
                    target_status: "-",
                    target: false,
                    times: (-1.0, -1.0, -1.0),
                    elapsed: 0.0,
                    error_reason: "-",
                    actions: "-",
                    sig: Some(Signature::AlbXffTooLong),
                },
                950..=959 => Line {
                    elb: 464,
                    target_status: "-",
                    target: false,
                    times: (-1.0, -1.0, -1.0),
                    elapsed: 0.0,
                    error_reason: "-",
                    actions: "forward",
                    sig: Some(Signature::AlbProtocolVersionMismatch),
                },
                960..=979 => {
                    let status = if rng.below(2) == 0 { 500 } else { 503 };
                    Line {
                        elb: status,
                        target_status: if status == 500 { "500" } else { "503" },
                        target: true,
                        times: (0.001, rng.secs(0.01, 2.0), 0.0),
                        elapsed: 0.0,
                        error_reason: "-",
                        actions: "forward",
                        sig: Some(Signature::AlbTargetGenerated),
                    }
                }
                980..=989 => {
                    // A listener rule answered (the default action's fixed 404, a secret-header
                    // gate's 403, a maintenance 503): nothing dispatched, no target group.
                    let elb = [404, 404, 403, 503][usize::try_from(rng.below(4)).unwrap_or(0)];
                    Line {
                        elb,
                        target_status: "-",
                        target: false,
                        times: (-1.0, -1.0, -1.0),
                        elapsed: rng.secs(0.0005, 0.002),
                        error_reason: "-",
                        actions: "fixed-response",
                        sig: Some(Signature::AlbFixedResponse),
                    }
                }
                _ => ok(&mut rng),
            }
        };
        if line.elapsed == 0.0 {
            line.elapsed = line.times.0.max(0.0) + line.times.1.max(0.0) + line.times.2.max(0.0);
        }
        truth.records += 1;
        *truth.by_status.entry(line.elb).or_default() += 1;
        if let Some(sig) = line.sig {
            *truth
                .by_signature
                .entry(sig.as_str().to_owned())
                .or_default() += 1;
        }
        let target = if line.target { target_name } else { "-" };
        let tg_arn = if line.actions == "fixed-response" {
            "-"
        } else {
            TG
        };
        if target == DRAINING && minute_of_hour > drain_end_minute - 2 {
            *truth
                .by_signature
                .entry(Signature::AlbDrainingTarget.as_str().to_owned())
                .or_default() += 1;
        }
        let fmt = |x: f64| {
            if x < 0.0 {
                "-1".to_owned()
            } else {
                format!("{x:.3}")
            }
        };
        let id = rng.next();
        let path = PATHS[usize::try_from(id % PATHS.len() as u64).unwrap_or(0)];
        writeln!(
            out,
            "https {time} app/web-alb/50dc6c495c0c9188 130.176.{a}.{b}:{port} {target} {rq} {tg} {rs} {elb} {ts} {recv} {sent} \"GET https://app.example.com:443{path} HTTP/1.1\" \"Amazon CloudFront\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {tg_arn} \"Root=1-{id:016x}\" \"app.example.com\" \"session-reused\" 1 {created} \"{actions}\" \"-\" \"{reason}\" \"{target}\" \"{ts}\" \"-\" \"-\" TID_{id:032x}",
            time = iso(created + line.elapsed),
            created = iso(created),
            a = (id >> 8) & 0xff,
            b = id & 0xff,
            port = 1024 + (id >> 16) % 60_000,
            rq = fmt(line.times.0),
            tg = fmt(line.times.1),
            rs = fmt(line.times.2),
            elb = line.elb,
            ts = line.target_status,
            recv = 200 + (id >> 24) % 800,
            sent = 100 + (id >> 32) % 50_000,
            actions = line.actions,
            reason = line.error_reason,
        )?;
    }
    Ok(truth)
}
