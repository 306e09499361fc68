//! Certificates of HTTPS listeners for one region: `describe-listener-certificates` per HTTPS
//! listener (wave 3, beside the rules), then ACM `DescribeCertificate` per certificate ARN
//! they name (wave 4; ACM certificates of an ALB live in the ALB's region). IAM certificates
//! (`arn:aws:iam::…:server-certificate/…`) are not ACM's and are not described: the evaluator
//! names them as missing.

use std::sync::Arc;

use super::super::convert::acm;
use super::super::runner::{Call, call};
use crate::model::{Kind, ListenerArn};

/// The default and SNI certificates of one HTTPS listener.
pub(crate) fn listener_certificates_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    listener: String,
) -> Call {
    let client = elbc.clone();
    let arn = ListenerArn::from(listener.as_str());
    call(
        Kind::ListenerCertificates,
        region,
        async move {
            client
                .describe_listener_certificates()
                .listener_arn(&listener)
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| {
                    items
                        .iter()
                        .filter_map(acm::listener_certificate)
                        .collect::<Vec<_>>()
                })
        },
        move |inv, certs| {
            inv.listener_certificates.insert(arn, certs);
        },
    )
}

/// ACM's description of one certificate.
pub(crate) fn describe_certificate_call(
    acmc: &aws_sdk_acm::Client,
    region: &Arc<str>,
    certificate: String,
) -> Call {
    let client = acmc.clone();
    call(
        Kind::AcmCertificates,
        region,
        async move {
            client
                .describe_certificate()
                .certificate_arn(&certificate)
                .send()
                .await
                .map(|out| out.certificate().and_then(acm::certificate))
        },
        |inv, cert| {
            if let Some(c) = cert {
                inv.acm_certificates.insert(c.certificate_arn.clone(), c);
            }
        },
    )
}

/// Whether `arn` is an ACM certificate (IAM server certificates are not).
pub(crate) fn is_acm(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.split(':').nth(2) == Some("acm")
}
