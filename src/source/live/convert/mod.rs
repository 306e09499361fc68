//! AWS SDK output → Inventory types: one file per service, each giving exactly what the
//! snapshot loader reads from the equivalent AWS CLI JSON, so a live collection and a snapshot
//! of the same account load the same model. Pure functions of SDK output types: no client, no
//! call (those are in [`super::calls`]).

pub(super) mod acm;
pub(super) mod bpa;
pub(super) mod cloudfront;
pub(super) mod cloudfront_policies;
pub(super) mod cloudtrail;
pub(super) mod cloudwatch;
pub(super) mod ec2_network;
pub(super) mod ec2_security;
pub(super) mod elbv2;

/// `Option<&str>` → owned.
fn owned(v: Option<&str>) -> Option<String> {
    v.map(str::to_owned)
}

/// `Option<&str>` → an id newtype.
fn id_of<T: for<'a> From<&'a str>>(v: Option<&str>) -> Option<T> {
    v.map(T::from)
}

/// A timestamp as the AWS CLI prints it (Python `isoformat()`: `2024-05-01T12:34:56+00:00`,
/// microseconds only when non-zero: `2024-05-01T12:34:56.789000+00:00`).
fn cli_timestamp(t: &aws_smithy_types::DateTime) -> Option<String> {
    let s = t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()?;
    let s = s.strip_suffix('Z').unwrap_or(&s);
    Some(match s.split_once('.') {
        Some((whole, frac)) => format!("{whole}.{frac:0<6}+00:00"),
        None => format!("{s}+00:00"),
    })
}
