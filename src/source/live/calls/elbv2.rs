//! ELBv2's calls for one region: load balancers and target groups (wave 1, or per narrowed
//! load balancer), listeners and attributes per load balancer (wave 2), rules per listener and
//! health and attributes per target group (wave 3).

use std::sync::Arc;

use aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata;

use super::super::convert::elbv2;
use super::super::runner::{Call, call, page_size};
use super::super::scope::AlbFilter;
use crate::model::Kind;

/// The region's load balancers, or (narrowed) those the filter names or holds the ARN of.
pub(crate) fn load_balancers_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    albs: &AlbFilter,
) -> Call {
    let client = elbc.clone();
    let (names, arns) = albs.in_region(region);
    let narrowed = albs.narrowed;
    let fetch = async move {
        if !narrowed {
            return client
                .describe_load_balancers()
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await;
        }
        // DescribeLoadBalancers takes names or ARNs, not both: one call per name (a name seen in
        // another region's DNS is simply not found here), one for the ARNs.
        let mut items = Vec::new();
        for name in &names {
            match client.describe_load_balancers().names(name).send().await {
                Ok(out) => items.extend(out.load_balancers().iter().cloned()),
                Err(e) if e.code() == Some("LoadBalancerNotFound") => {}
                Err(e) => return Err(e),
            }
        }
        if !arns.is_empty() {
            let out = client
                .describe_load_balancers()
                .set_load_balancer_arns(Some(arns))
                .send()
                .await?;
            items.extend(out.load_balancers().iter().cloned());
        }
        Ok(items)
    };
    call(
        Kind::LoadBalancers,
        region,
        async move {
            fetch.await.map(|items| {
                items
                    .iter()
                    .filter_map(elbv2::load_balancer)
                    .collect::<Vec<_>>()
            })
        },
        |inv, lbs| {
            for lb in lbs {
                inv.load_balancers.insert(lb.load_balancer_arn.clone(), lb);
            }
        },
    )
}

/// Target groups: all of the region's, or (narrowed) those of one load balancer.
pub(crate) fn target_groups_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    lb: Option<String>,
) -> Call {
    let client = elbc.clone();
    call(
        Kind::TargetGroups,
        region,
        async move {
            client
                .describe_target_groups()
                .set_load_balancer_arn(lb)
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| {
                    items
                        .iter()
                        .filter_map(elbv2::target_group)
                        .collect::<Vec<_>>()
                })
        },
        |inv, tgs| {
            for tg in tgs {
                inv.target_groups.insert(tg.target_group_arn.clone(), tg);
            }
        },
    )
}

/// The listeners of one load balancer.
pub(crate) fn listeners_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    lb: String,
) -> Call {
    let client = elbc.clone();
    call(
        Kind::Listeners,
        region,
        async move {
            client
                .describe_listeners()
                .load_balancer_arn(lb)
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| items.iter().filter_map(elbv2::listener).collect::<Vec<_>>())
        },
        |inv, listeners| {
            for l in listeners {
                inv.listeners.insert(l.listener_arn.clone(), l);
            }
        },
    )
}

/// The rules of one listener.
pub(crate) fn rules_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    listener: String,
) -> Call {
    let client = elbc.clone();
    call(
        Kind::Rules,
        region,
        async move {
            client
                .describe_rules()
                .listener_arn(&listener)
                .page_size(page_size(400))
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|r| elbv2::rule(r, &listener))
                        .collect::<Vec<_>>()
                })
        },
        |inv, rules| {
            for r in rules {
                inv.rules.insert(r.rule_arn.clone(), r);
            }
        },
    )
}

/// The health of every target registered in one target group.
pub(crate) fn target_health_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    tg: String,
) -> Call {
    let client = elbc.clone();
    let arn = tg.clone();
    call(
        Kind::TargetHealth,
        region,
        async move {
            client
                .describe_target_health()
                .target_group_arn(arn)
                .send()
                .await
                .map(|out| {
                    out.target_health_descriptions()
                        .iter()
                        .map(elbv2::target_health_description)
                        .collect::<Vec<_>>()
                })
        },
        move |inv, health| {
            inv.target_health.insert(tg.into(), health);
        },
    )
}

/// The attributes of one load balancer (idle timeout, among others).
pub(crate) fn lb_attributes_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    lb: String,
) -> Call {
    let client = elbc.clone();
    let arn = lb.clone();
    call(
        Kind::LoadBalancerAttributes,
        region,
        async move {
            client
                .describe_load_balancer_attributes()
                .load_balancer_arn(arn)
                .send()
                .await
                .map(|out| {
                    out.attributes()
                        .iter()
                        .map(elbv2::lb_attribute)
                        .collect::<Vec<_>>()
                })
        },
        move |inv, attrs| {
            inv.load_balancer_attributes.insert(lb.into(), attrs);
        },
    )
}

/// The attributes of one target group.
pub(crate) fn tg_attributes_call(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    region: &Arc<str>,
    tg: String,
) -> Call {
    let client = elbc.clone();
    let arn = tg.clone();
    call(
        Kind::TargetGroupAttributes,
        region,
        async move {
            client
                .describe_target_group_attributes()
                .target_group_arn(arn)
                .send()
                .await
                .map(|out| {
                    out.attributes()
                        .iter()
                        .map(elbv2::tg_attribute)
                        .collect::<Vec<_>>()
                })
        },
        move |inv, attrs| {
            inv.target_group_attributes.insert(tg.into(), attrs);
        },
    )
}
