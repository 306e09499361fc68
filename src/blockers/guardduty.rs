//! GuardDuty-managed VPC endpoints and their security group: deleting them does not last.
//!
//! With Runtime Monitoring's automated agent configuration on, GuardDuty creates in every VPC
//! an interface endpoint for `com.amazonaws.REGION.guardduty-data` (tag `GuardDutyManaged =
//! true`) and a security group named `GuardDutyManagedSecurityGroup-vpc-…`, and creates them
//! again after they are deleted; it removes them itself only once agent management is turned
//! off (GuardDuty guide "Using IaC with GuardDuty automated security agents" [doc];
//! patterns.md G7; dev.classmethod.jp "guardduty-runtime-monitoring-create-vcpendpoint",
//! hashicorp/terraform-provider-aws PR #46953 [reported]). So the step is to turn automated
//! agent management off, not to delete.

use super::plan::{P_OTHER_OWNER, Plan};
use crate::model::ec2::{SecurityGroup, VpcEndpoint, tag};

/// Name prefix of the group GuardDuty attaches to its endpoint.
const GUARDDUTY_SG_PREFIX: &str = "GuardDutyManagedSecurityGroup";

/// The command that turns off automated agent management (EC2, ECS Fargate, EKS) while keeping
/// Runtime Monitoring on.
const TURN_OFF_AGENT_MANAGEMENT: &str = r#"aws guardduty update-detector --detector-id $(aws guardduty list-detectors --query 'DetectorIds[0]' --output text) --features '[{"Name":"RUNTIME_MONITORING","Status":"ENABLED","AdditionalConfiguration":[{"Name":"EC2_AGENT_MANAGEMENT","Status":"DISABLED"},{"Name":"ECS_FARGATE_AGENT_MANAGEMENT","Status":"DISABLED"},{"Name":"EKS_ADDON_MANAGEMENT","Status":"DISABLED"}]}]'"#;

/// Whether GuardDuty created and manages the endpoint.
#[must_use]
pub(super) fn managed_endpoint(ep: &VpcEndpoint) -> bool {
    tag(&ep.tags, "GuardDutyManaged") == Some("true")
        || ep
            .service_name
            .as_deref()
            .is_some_and(|s| s.ends_with(".guardduty-data"))
}

/// Whether GuardDuty created and manages the group.
#[must_use]
pub(super) fn managed_group(sg: &SecurityGroup) -> bool {
    sg.group_name.starts_with(GUARDDUTY_SG_PREFIX)
        || tag(&sg.tags, "GuardDutyManaged") == Some("true")
}

/// The blocker of a GuardDuty-managed `resource` in `vpc`, and the step that clears it.
pub(super) fn guardduty_blocker(resource: &str, what: &str, vpc: &str, plan: &mut Plan) {
    plan.block(
        "guardduty-managed",
        resource,
        format!(
            "{resource} is the {what} GuardDuty Runtime Monitoring manages in {vpc}: deleted, it is created again while automated agent management is on"
        ),
        "Amazon GuardDuty (Runtime Monitoring, automated agent configuration)",
    );
    plan.step(
        P_OTHER_OWNER,
        "turn off GuardDuty automated agent management (or exclude the VPC's workloads from it); GuardDuty then removes its endpoint and group itself",
        TURN_OFF_AGENT_MANAGEMENT,
        format!(
            "until `aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values={vpc} Name=service-name,Values=com.amazonaws.*.guardduty-data` lists none"
        ),
    );
}
