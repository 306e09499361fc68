//! `describe-listener-certificates` and ACM `DescribeCertificate` SDK output → the model, the
//! same shapes the snapshot loader reads from the CLI JSON.

use aws_sdk_acm::types::CertificateDetail;
use aws_sdk_elasticloadbalancingv2::types::Certificate;

use super::{cli_timestamp, owned};
use crate::model::acm::{AcmCertificate, AwsTime, ListenerCertificate};

/// `Certificates[]` item; `None` without an ARN.
pub(crate) fn listener_certificate(c: &Certificate) -> Option<ListenerCertificate> {
    Some(ListenerCertificate {
        certificate_arn: c.certificate_arn()?.to_owned(),
        is_default: c.is_default(),
    })
}

/// `Certificate`; `None` without an ARN.
pub(crate) fn certificate(c: &CertificateDetail) -> Option<AcmCertificate> {
    Some(AcmCertificate {
        certificate_arn: c.certificate_arn()?.to_owned(),
        domain_name: owned(c.domain_name()),
        subject_alternative_names: c.subject_alternative_names().to_vec(),
        status: c.status().map(|s| s.as_str().to_owned()),
        kind: c.r#type().map(|t| t.as_str().to_owned()),
        not_before: c.not_before().and_then(cli_timestamp).map(AwsTime::Text),
        not_after: c.not_after().and_then(cli_timestamp).map(AwsTime::Text),
        key_algorithm: c.key_algorithm().map(|k| k.as_str().to_owned()),
        in_use_by: c.in_use_by().to_vec(),
    })
}
