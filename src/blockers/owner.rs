//! Who owns an ENI, and what to delete instead of it.
//!
//! Requester-managed ENIs cannot be detached or deleted by you: the service that created them
//! must let go. Classification follows `aws-semantics.md` §5, in this order: a specific
//! `InterfaceType`; the `Description` prefix; the `RequesterId` alias; `RequesterManaged` with
//! nothing else ("another AWS service", with the CloudTrail hint). `InterfaceType` is an open
//! string: `cloudfront_managed` and `nat_gateway` appear in real output but not in the SDK enum.

use serde::Serialize;

use crate::model::ec2::{NetworkInterface, tag};
use crate::model::{Inventory, VPC_ORIGIN_SERVICE_SG_NAME};

/// The owner of an ENI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EniOwner {
    /// An EC2 instance (running or stopped: both keep their ENIs).
    Instance {
        /// `i-…`.
        id: String,
        /// `running`, `stopped`, … or empty when instances were not loaded.
        state: String,
    },
    /// An Application / Network / Gateway / Classic load balancer.
    LoadBalancer {
        /// `app/NAME/ID`, `net/…`, `gwy/…` or a classic name.
        name: String,
    },
    /// An interface or Gateway Load Balancer VPC endpoint.
    VpcEndpoint {
        /// `vpce-…`.
        id: String,
    },
    /// A NAT gateway.
    NatGateway {
        /// `nat-…`.
        id: String,
    },
    /// A Lambda function's VPC ENI.
    Lambda {
        /// Function name when the description tells it.
        function: String,
    },
    /// An ECS task (awsvpc network mode).
    EcsTask {
        /// The attachment ARN from the description.
        attachment: String,
    },
    /// An RDS / Aurora instance.
    Rds,
    /// An EFS mount target.
    EfsMountTarget {
        /// Description text.
        detail: String,
    },
    /// A transit gateway VPC attachment.
    TransitGatewayAttachment {
        /// Description text.
        detail: String,
    },
    /// A CloudFront VPC origin (`cloudfront_managed`).
    CloudFrontVpcOrigin,
    /// Another AWS-managed interface type (API Gateway VPC link, Global Accelerator, …).
    AwsService {
        /// The interface type or requester.
        service: String,
    },
    /// Yours, not attached to anything.
    Detached,
    /// Requester-managed, but the data does not say by whom.
    Unknown {
        /// `RequesterId`, if any.
        requester: String,
    },
}

impl EniOwner {
    /// A short label (`instance i-0abc (stopped)`).
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            EniOwner::Instance { id, state } if state.is_empty() => format!("instance {id}"),
            EniOwner::Instance { id, state } => format!("instance {id} ({state})"),
            EniOwner::LoadBalancer { name } => format!("load balancer {name}"),
            EniOwner::VpcEndpoint { id } => format!("VPC endpoint {id}"),
            EniOwner::NatGateway { id } => format!("NAT gateway {id}"),
            EniOwner::Lambda { function } => format!("Lambda function {function}"),
            EniOwner::EcsTask { attachment } => format!("ECS task ({attachment})"),
            EniOwner::Rds => "RDS / Aurora".to_owned(),
            EniOwner::EfsMountTarget { detail } => format!("EFS ({detail})"),
            EniOwner::TransitGatewayAttachment { detail } => detail.clone(),
            EniOwner::CloudFrontVpcOrigin => "CloudFront VPC origin".to_owned(),
            EniOwner::AwsService { service } => format!("AWS service ({service})"),
            EniOwner::Detached => "nobody (detached)".to_owned(),
            EniOwner::Unknown { requester } if requester.is_empty() => {
                "another AWS service (unknown)".to_owned()
            }
            EniOwner::Unknown { requester } => {
                format!("another AWS service (requester {requester})")
            }
        }
    }

    /// What a person must delete or change so that this ENI goes away.
    #[must_use]
    pub fn remedy(&self, eni: &str) -> String {
        match self {
            EniOwner::Instance { id, .. } => format!(
                "terminate {id} (`aws ec2 terminate-instances --instance-ids {id}`) or change its security groups (`aws ec2 modify-instance-attribute --instance-id {id} --groups …`)"
            ),
            EniOwner::LoadBalancer { name } => format!(
                "delete the load balancer {name} (`aws elbv2 delete-load-balancer --load-balancer-arn …`) or change its security groups / subnets"
            ),
            EniOwner::VpcEndpoint { id } => format!(
                "delete the endpoint (`aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id}`) or change its security groups"
            ),
            EniOwner::NatGateway { id } => format!(
                "delete the NAT gateway (`aws ec2 delete-nat-gateway --nat-gateway-id {id}`), wait until deleted, then release its Elastic IP"
            ),
            EniOwner::Lambda { function } => format!(
                "remove the VPC configuration of {function} (`aws lambda update-function-configuration --function-name {function} --vpc-config SubnetIds=[],SecurityGroupIds=[]`) or delete it; AWS releases the ENI after up to ~20-45 min"
            ),
            EniOwner::EcsTask { .. } => {
                "stop the task / scale the ECS service to 0 (`aws ecs update-service --desired-count 0 …`)".to_owned()
            }
            EniOwner::Rds => "delete the DB instance or move it to another DB subnet group / security group".to_owned(),
            EniOwner::EfsMountTarget { detail } => {
                let target = detail
                    .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
                    .find(|w| w.starts_with("fsmt-"))
                    .unwrap_or("…");
                format!("delete the EFS mount target (`aws efs delete-mount-target --mount-target-id {target}`)")
            }
            EniOwner::TransitGatewayAttachment { .. } => {
                "delete the transit gateway VPC attachment (`aws ec2 delete-transit-gateway-vpc-attachment …`)".to_owned()
            }
            EniOwner::CloudFrontVpcOrigin => {
                "delete the CloudFront VPC origin that owns it (see the VPC-origin steps)".to_owned()
            }
            EniOwner::AwsService { service } => format!("delete or reconfigure the {service} resource that created it"),
            EniOwner::Detached => format!("`aws ec2 delete-network-interface --network-interface-id {eni}`"),
            EniOwner::Unknown { .. } => format!(
                "find its creator: `aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue={eni}`; never delete a requester-managed ENI directly"
            ),
        }
    }

    /// Whether you can delete the ENI yourself.
    #[must_use]
    pub fn is_requester_managed(&self) -> bool {
        !matches!(self, EniOwner::Instance { .. } | EniOwner::Detached)
    }
}

/// Classifies the owner of an ENI from `InterfaceType`, `Description`, `RequesterId`,
/// `RequesterManaged`, attachment, groups and tags.
#[must_use]
pub fn classify_eni_owner(eni: &NetworkInterface, inv: &Inventory) -> EniOwner {
    let desc = eni.description.as_deref().unwrap_or("");
    let itype = eni.interface_type.as_deref().unwrap_or("interface");
    let requester = eni.requester_id.clone().unwrap_or_default();
    let vpc_origin_signal = itype == "cloudfront_managed"
        || eni
            .groups
            .iter()
            .any(|g| g.group_name.as_deref() == Some(VPC_ORIGIN_SERVICE_SG_NAME))
        || tag(&eni.tag_set, "aws.cloudfront.vpcorigin").is_some();
    if vpc_origin_signal {
        return EniOwner::CloudFrontVpcOrigin;
    }
    let endpoint_in_desc = || {
        desc.split_whitespace()
            .find(|w| w.starts_with("vpce-"))
            .map(str::to_owned)
            .or_else(|| {
                inv.index()
                    .endpoint_by_eni
                    .get(&eni.network_interface_id)
                    .map(ToString::to_string)
            })
            .unwrap_or_default()
    };
    match itype {
        "nat_gateway" | "natGateway" => {
            let id = desc
                .split_whitespace()
                .find(|w| w.starts_with("nat-"))
                .unwrap_or("")
                .to_owned();
            return EniOwner::NatGateway { id };
        }
        "vpc_endpoint" | "gateway_load_balancer_endpoint" => {
            return EniOwner::VpcEndpoint {
                id: endpoint_in_desc(),
            };
        }
        "lambda" => {
            return EniOwner::Lambda {
                function: lambda_function(desc),
            };
        }
        "network_load_balancer" | "gateway_load_balancer" | "load_balancer" => {
            return EniOwner::LoadBalancer {
                name: desc.trim_start_matches("ELB ").to_owned(),
            };
        }
        "transit_gateway" => {
            return EniOwner::TransitGatewayAttachment {
                detail: desc.to_owned(),
            };
        }
        "api_gateway_managed"
        | "global_accelerator_managed"
        | "quicksight"
        | "iot_rules_managed"
        | "aws_codestar_connections_managed" => {
            return EniOwner::AwsService {
                service: itype.to_owned(),
            };
        }
        _ => {}
    }
    if let Some(name) = desc.strip_prefix("ELB ") {
        return EniOwner::LoadBalancer {
            name: name.to_owned(),
        };
    }
    if desc.starts_with("VPC Endpoint Interface") {
        return EniOwner::VpcEndpoint {
            id: endpoint_in_desc(),
        };
    }
    if desc.starts_with("Interface for NAT Gateway") {
        let id = desc
            .split_whitespace()
            .find(|w| w.starts_with("nat-"))
            .unwrap_or("")
            .to_owned();
        return EniOwner::NatGateway { id };
    }
    if desc.starts_with("Network Interface for Transit Gateway Attachment") {
        return EniOwner::TransitGatewayAttachment {
            detail: desc.to_owned(),
        };
    }
    if desc.starts_with("AWS Lambda VPC ENI") {
        return EniOwner::Lambda {
            function: lambda_function(desc),
        };
    }
    if desc.starts_with("arn:aws:ecs:") {
        return EniOwner::EcsTask {
            attachment: desc.to_owned(),
        };
    }
    if desc.starts_with("RDSNetworkInterface") || requester == "amazon-rds" {
        return EniOwner::Rds;
    }
    if desc.starts_with("EFS mount target") {
        return EniOwner::EfsMountTarget {
            detail: desc.to_owned(),
        };
    }
    if requester == "amazon-elb" {
        return EniOwner::LoadBalancer {
            name: desc.to_owned(),
        };
    }
    if let Some(instance) = eni.attachment.as_ref().and_then(|a| a.instance_id.as_ref()) {
        let state = inv
            .instances
            .get(instance)
            .and_then(|i| i.state.as_ref())
            .map(|s| s.name.clone())
            .unwrap_or_default();
        return EniOwner::Instance {
            id: instance.to_string(),
            state,
        };
    }
    if eni.requester_managed == Some(true) {
        return EniOwner::Unknown { requester };
    }
    EniOwner::Detached
}

fn lambda_function(desc: &str) -> String {
    // `AWS Lambda VPC ENI-<function>-<uuid>`: the uuid has 5 dash-separated parts.
    let rest = desc.trim_start_matches("AWS Lambda VPC ENI-");
    let parts: Vec<&str> = rest.split('-').collect();
    if parts.len() > 5 {
        parts[..parts.len() - 5].join("-")
    } else {
        rest.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ec2::{GroupIdentifier, NetworkInterfaceAttachment};
    use crate::model::{EniId, SgId};

    fn eni(itype: &str, desc: &str, requester: Option<&str>, managed: bool) -> NetworkInterface {
        serde_json::from_value(serde_json::json!({
            "NetworkInterfaceId": "eni-1", "InterfaceType": itype, "Description": desc,
            "RequesterId": requester, "RequesterManaged": managed
        }))
        .expect("valid ENI")
    }

    #[test]
    fn each_owner_row_is_recognised() {
        let inv = Inventory::default();
        let cases = [
            (
                eni(
                    "interface",
                    "ELB app/web-alb/50dc6c495c0c9188",
                    Some("amazon-elb"),
                    true,
                ),
                "load balancer app/web-alb/50dc6c495c0c9188",
            ),
            (
                eni("network_load_balancer", "ELB net/nlb/1", Some("123"), true),
                "load balancer net/nlb/1",
            ),
            (
                eni(
                    "vpc_endpoint",
                    "VPC Endpoint Interface vpce-0abc",
                    None,
                    true,
                ),
                "VPC endpoint vpce-0abc",
            ),
            (
                eni(
                    "gateway_load_balancer_endpoint",
                    "VPC Endpoint Interface vpce-0fw",
                    None,
                    true,
                ),
                "VPC endpoint vpce-0fw",
            ),
            (
                eni(
                    "nat_gateway",
                    "Interface for NAT Gateway nat-0123",
                    None,
                    true,
                ),
                "NAT gateway nat-0123",
            ),
            (
                eni(
                    "lambda",
                    "AWS Lambda VPC ENI-report-builder-7c1f6b2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
                    None,
                    true,
                ),
                "Lambda function report-builder",
            ),
            (
                eni(
                    "interface",
                    "AWS Lambda VPC ENI-fn-7c1f6b2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
                    None,
                    true,
                ),
                "Lambda function fn",
            ),
            (
                eni(
                    "interface",
                    "arn:aws:ecs:us-east-1:1:attachment/abc",
                    None,
                    true,
                ),
                "ECS task (arn:aws:ecs:us-east-1:1:attachment/abc)",
            ),
            (
                eni("interface", "RDSNetworkInterface", Some("amazon-rds"), true),
                "RDS / Aurora",
            ),
            (
                eni("cloudfront_managed", "", None, true),
                "CloudFront VPC origin",
            ),
            (
                eni("api_gateway_managed", "", None, true),
                "AWS service (api_gateway_managed)",
            ),
            (
                eni("interface", "", Some("AIDAEXAMPLE"), false),
                "nobody (detached)",
            ),
            (
                eni("interface", "", Some("999"), true),
                "another AWS service (requester 999)",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(classify_eni_owner(&e, &inv).label(), want);
        }
    }

    #[test]
    fn the_service_group_name_marks_a_vpc_origin_eni_even_without_its_type() {
        let mut e = eni("interface", "", None, true);
        e.groups.push(GroupIdentifier {
            group_id: SgId::from("sg-1"),
            group_name: Some(VPC_ORIGIN_SERVICE_SG_NAME.into()),
        });
        assert_eq!(
            classify_eni_owner(&e, &Inventory::default()),
            EniOwner::CloudFrontVpcOrigin
        );
    }

    #[test]
    fn an_attached_instance_eni_names_the_instance() {
        let mut e = eni("interface", "", None, false);
        e.network_interface_id = EniId::from("eni-9");
        e.attachment = Some(NetworkInterfaceAttachment {
            attachment_id: None,
            instance_id: Some("i-0abc".into()),
            instance_owner_id: None,
            device_index: Some(0),
            status: None,
            delete_on_termination: None,
        });
        let owner = classify_eni_owner(&e, &Inventory::default());
        assert_eq!(
            owner,
            EniOwner::Instance {
                id: "i-0abc".into(),
                state: String::new()
            }
        );
        assert!(!owner.is_requester_managed());
        assert!(
            !EniOwner::CloudFrontVpcOrigin
                .remedy("eni-1")
                .contains("delete-network-interface")
        );
    }
}
