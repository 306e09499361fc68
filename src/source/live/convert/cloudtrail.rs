//! CloudTrail `LookupEvents` output → [`CloudTrailEvent`], as `aws cloudtrail lookup-events`
//! prints it (`EventTime` as the CLI's ISO 8601, `CloudTrailEvent` the record as a JSON string).

use super::{cli_timestamp, owned};
use crate::model::cloudfront::{CloudTrailEvent, CloudTrailResource};

/// One event; `None` without an event id (nothing to key it by).
pub(in super::super) fn event(e: &aws_sdk_cloudtrail::types::Event) -> Option<CloudTrailEvent> {
    Some(CloudTrailEvent {
        event_id: e.event_id()?.to_owned(),
        event_name: e.event_name().unwrap_or_default().to_owned(),
        event_time: e
            .event_time()
            .and_then(cli_timestamp)
            .map(serde_json::Value::String),
        event_source: owned(e.event_source()),
        username: owned(e.username()),
        resources: e
            .resources()
            .iter()
            .map(|r| CloudTrailResource {
                resource_type: owned(r.resource_type()),
                resource_name: owned(r.resource_name()),
            })
            .collect(),
        cloud_trail_event: owned(e.cloud_trail_event()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::{Event, Resource};

    #[test]
    fn an_sdk_event_reads_as_the_cli_prints_it() {
        let e = Event::builder()
            .event_id("e-1")
            .event_name("SetSecurityGroups")
            .event_time(aws_smithy_types::DateTime::from_secs(1_795_680_120))
            .event_source("elasticloadbalancing.amazonaws.com")
            .username("terraform")
            .resources(
                Resource::builder()
                    .resource_type("AWS::ElasticLoadBalancingV2::LoadBalancer")
                    .resource_name(
                        "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1",
                    )
                    .build(),
            )
            .cloud_trail_event("{\"eventVersion\":\"1.09\"}")
            .build();
        let c = event(&e).expect("has an id");
        assert_eq!(c.event_name, "SetSecurityGroups");
        assert_eq!(
            c.event_time,
            Some(serde_json::json!("2026-11-26T08:02:00+00:00"))
        );
        assert_eq!(c.resources.len(), 1);
        assert!(event(&Event::builder().build()).is_none());
    }
}
