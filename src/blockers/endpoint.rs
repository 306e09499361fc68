//! What holds a VPC endpoint: a requester-managed endpoint belongs to the service that created
//! it (Network Firewall, ElastiCache Serverless, Redshift, RDS, or whoever CloudTrail names), and
//! only deleting or reconfiguring that resource removes it.

use super::plan::{P_ENDPOINT, Plan};
use crate::model::ec2::{VpcEndpoint, tag};
use crate::model::{Inventory, Kind};

/// Blockers of an endpoint; returns whether it is requester-managed (you cannot delete it).
pub(super) fn endpoint_blockers(inv: &Inventory, ep: &VpcEndpoint, plan: &mut Plan) -> bool {
    let id = ep.vpc_endpoint_id.as_str();
    if super::guardduty::managed_endpoint(ep) {
        let vpc = ep.vpc_id.as_ref().map_or("its VPC", |v| v.as_str());
        super::guardduty::guardduty_blocker(id, "VPC endpoint", vpc, plan);
        return true;
    }
    if ep.requester_managed != Some(true) {
        return false;
    }
    plan.need(inv, Kind::CloudTrailEvents);
    let service = ep.service_name.as_deref().unwrap_or("");
    let (owner, action, command) = if tag(&ep.tags, "AWSNetworkFirewallManaged").is_some()
        || tag(&ep.tags, "Firewall").is_some()
    {
        let fw = tag(&ep.tags, "Firewall").unwrap_or("<firewall ARN>");
        let subnets: Vec<&str> = ep.subnet_ids.iter().map(|s| s.as_str()).collect();
        (
            format!(
                "AWS Network Firewall {}",
                fw.rsplit('/').next().unwrap_or(fw)
            ),
            format!(
                "remove the firewall's subnet mapping for {} (or delete the firewall)",
                subnets.join(", ")
            ),
            format!(
                "aws network-firewall disassociate-subnets --firewall-arn {fw} --subnet-ids {}",
                subnets.join(" ")
            ),
        )
    } else if service.contains("elasticache") {
        (
            "ElastiCache Serverless".to_owned(),
            "delete the serverless cache (the endpoint can linger minutes to hours)".to_owned(),
            "aws elasticache delete-serverless-cache --serverless-cache-name <name>".to_owned(),
        )
    } else if service.contains("redshift") {
        (
            "Amazon Redshift".to_owned(),
            "delete the Redshift endpoint access".to_owned(),
            "aws redshift delete-endpoint-access --endpoint-name <name>".to_owned(),
        )
    } else if service.contains("rds") {
        (
            "Amazon RDS (RDS Proxy / Aurora Serverless)".to_owned(),
            "delete the RDS Proxy endpoint or the Aurora Serverless cluster".to_owned(),
            "aws rds delete-db-proxy-endpoint --db-proxy-endpoint-name <name>".to_owned(),
        )
    } else if let Some(invoker) = cloudtrail_creator(inv, id) {
        (
            format!("the service {invoker} (CloudTrail CreateVpcEndpoint)"),
            format!("delete or reconfigure the {invoker} resource that created it"),
            format!(
                "see the service's console; CloudTrail: aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue={id}"
            ),
        )
    } else {
        (
            "unknown AWS service".to_owned(),
            "find the creating service in CloudTrail (90 days)".to_owned(),
            format!(
                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateVpcEndpoint --query \"Events[?contains(CloudTrailEvent, '{id}')]\""
            ),
        )
    };
    let owner = match cloudtrail_creator(inv, id) {
        Some(invoker) if !owner.contains(&invoker) => {
            format!("{owner}; CloudTrail: created by {invoker}")
        }
        _ => owner,
    };
    plan.block(
        "requester-managed-endpoint",
        id,
        format!("{id} ({service}) is requester-managed: DeleteVpcEndpoints fails with \"Operation is not allowed for requester-managed VPC endpoints\""),
        owner,
    );
    plan.step(
        P_ENDPOINT,
        action,
        command,
        format!(
            "until `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {id}` no longer lists it"
        ),
    );
    true
}

fn cloudtrail_creator(inv: &Inventory, endpoint: &str) -> Option<String> {
    inv.cloudtrail_events
        .values()
        .filter(|e| e.event_name == "CreateVpcEndpoint")
        .find_map(|e| {
            let names_it = e
                .resources
                .iter()
                .any(|r| r.resource_name.as_deref() == Some(endpoint))
                || e.cloud_trail_event
                    .as_deref()
                    .is_some_and(|t| t.contains(endpoint));
            if !names_it {
                return None;
            }
            let record: serde_json::Value =
                serde_json::from_str(e.cloud_trail_event.as_deref()?).ok()?;
            let who = &record["userIdentity"];
            who["invokedBy"]
                .as_str()
                .or_else(|| who["arn"].as_str())
                .map(str::to_owned)
        })
}
