//! `edgepath blockers` on the bundled examples: blocker kinds, owners and the order of steps.

use std::path::Path;

use assert_cmd::Command;
use edgepath::blockers::blockers_for;
use edgepath::source::snapshot::load_snapshot;
use serde_json::Value;

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn blockers_json(scenario: &str, id: &str) -> (i32, Value) {
    let out = Command::cargo_bin("edgepath")
        .expect("binary")
        .args(["blockers", "--format", "json", "--snapshot"])
        .arg(example(scenario))
        .arg(id)
        .output()
        .expect("runs");
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().expect("exit code"), v)
}

fn position(steps: &Value, needle: &str) -> usize {
    steps
        .as_array()
        .expect("steps")
        .iter()
        .position(|s| s["command"].as_str().is_some_and(|c| c.contains(needle)))
        .unwrap_or_else(|| panic!("no step with `{needle}` in {steps:#}"))
}

#[test]
fn leftover_vpc_origin_blocks_the_vpc_and_is_deleted_with_its_etag_before_the_vpc() {
    let (code, v) = blockers_json("vpc-origin-leftover-eni", "vpc-0b2c3d4e5f6071829");
    assert_eq!(code, 1);
    let blockers = v["blockers"].as_array().expect("blockers");
    let cf_enis: Vec<_> = blockers
        .iter()
        .filter(|b| b["kind"] == "attached-eni" && b["owner"] == "CloudFront VPC origin")
        .collect();
    assert_eq!(cf_enis.len(), 2, "{blockers:#?}");
    assert!(
        blockers
            .iter()
            .any(|b| b["kind"] == "vpc-origin" && b["resource"] == "vo_BQwjxxQxjCaBcQLzJUFkDM")
    );
    let steps = &v["steps"];
    let get = position(steps, "get-vpc-origin --id vo_BQwjxxQxjCaBcQLzJUFkDM");
    let delete = position(
        steps,
        "delete-vpc-origin --id vo_BQwjxxQxjCaBcQLzJUFkDM --if-match E3UN6WX5RRO2AG",
    );
    let lb = position(steps, "delete-load-balancer");
    let subnet = position(steps, "delete-subnet");
    let vpc = position(steps, "delete-vpc --vpc-id vpc-0b2c3d4e5f6071829");
    assert!(get < delete && delete < lb && lb < subnet && subnet < vpc);
    assert_eq!(
        vpc,
        steps.as_array().expect("steps").len() - 1,
        "VPC deletion comes last"
    );
}

#[test]
fn the_vpc_origin_eni_names_the_origin_to_delete_instead() {
    let (code, v) = blockers_json("vpc-origin-leftover-eni", "eni-0cfmgd0000000000a");
    assert_eq!(code, 1);
    assert_eq!(v["blockers"][0]["owner"], "CloudFront VPC origin");
    let steps = v["steps"].as_array().expect("steps");
    assert!(steps.iter().any(|s| {
        s["command"]
            .as_str()
            .is_some_and(|c| c.contains("delete-vpc-origin"))
    }));
    assert!(
        !steps.iter().any(|s| s["command"]
            .as_str()
            .is_some_and(|c| c.contains("delete-network-interface"))),
        "a requester-managed ENI is never deleted directly"
    );
    assert_eq!(
        steps[steps.len() - 1]["command"],
        "aws ec2 describe-network-interfaces --network-interface-ids eni-0cfmgd0000000000a",
        "the last step checks that AWS released it"
    );
}

#[test]
fn sg_held_by_rules_and_enis_of_every_owner_kind() {
    let (code, v) = blockers_json("sg-cannot-delete", "sg-0old000000000000c3");
    assert_eq!(code, 1);
    let blockers = v["blockers"].as_array().expect("blockers");
    let has = |kind: &str, resource: &str| {
        blockers
            .iter()
            .any(|b| b["kind"] == kind && b["resource"] == resource)
    };
    assert!(has("rule-reference", "sg-0app00000000000b2"));
    assert!(has("rule-reference", "sg-0batch0000000000f6"));
    assert!(has("vpc-endpoint", "vpce-0ssm00000000000001"));
    let owners: Vec<&str> = blockers
        .iter()
        .filter_map(|b| b["owner"].as_str())
        .collect();
    assert!(owners.contains(&"instance i-0legacy1running0001 (running)"));
    assert!(
        owners.contains(&"instance i-0legacy2stopped0002 (stopped)"),
        "stopped instances hold their ENIs too"
    );
    assert!(owners.contains(&"Lambda function report-builder"));
    let steps = &v["steps"];
    assert!(
        position(
            steps,
            "revoke-security-group-ingress --group-id sg-0app00000000000b2"
        ) < position(
            steps,
            "delete-security-group --group-id sg-0old000000000000c3"
        )
    );
    assert!(
        position(
            steps,
            "revoke-security-group-egress --group-id sg-0batch0000000000f6"
        ) < position(steps, "delete-security-group")
    );
}

#[test]
fn network_firewall_endpoint_is_requester_managed_and_points_at_the_firewall() {
    let (code, v) = blockers_json("requester-managed-endpoint", "vpce-0fw00000000000001");
    assert_eq!(code, 1);
    let b = &v["blockers"][0];
    assert_eq!(b["kind"], "requester-managed-endpoint");
    let owner = b["owner"].as_str().expect("owner");
    assert!(
        owner.contains("Network Firewall prod-fw")
            && owner.contains("network-firewall.amazonaws.com"),
        "{owner}"
    );
    let cmd = v["steps"][0]["command"].as_str().expect("command");
    assert!(
        cmd.starts_with("aws network-firewall disassociate-subnets"),
        "{cmd}"
    );
    assert!(
        !v.to_string().contains("delete-vpc-endpoints"),
        "never suggest deleting a requester-managed endpoint"
    );
}

#[test]
fn an_unattached_group_can_be_deleted_now_with_the_command() {
    let inv = load_snapshot(&example("healthy")).expect("loads").inventory;
    let report = blockers_for(&inv, "sg-0old000000000000c3").expect("known");
    assert!(report.deletable, "{:#?}", report.blockers);
    assert_eq!(report.steps.len(), 1);
    assert_eq!(
        report.steps[0].command,
        "aws ec2 delete-security-group --group-id sg-0old000000000000c3"
    );
    assert!(report.notes[0].contains("UnauthorizedOperation"));
}

#[test]
fn the_default_group_is_never_deletable() {
    let inv = load_snapshot(&example("healthy")).expect("loads").inventory;
    let report = blockers_for(&inv, "sg-0default00000000d4").expect("known");
    assert!(!report.deletable);
    assert_eq!(report.blockers[0].kind, "default-security-group");
}

#[test]
fn missing_eni_data_is_never_called_deletable() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        example("healthy").join("ec2-describe-security-groups.json"),
        dir.path().join("sg.json"),
    )
    .expect("copy");
    let inv = load_snapshot(dir.path()).expect("loads").inventory;
    let report = blockers_for(&inv, "sg-0old000000000000c3").expect("known");
    assert!(!report.deletable);
    assert!(
        report
            .incomplete
            .iter()
            .any(|m| m.contains("describe-network-interfaces"))
    );
}

#[test]
fn unknown_and_unsupported_ids_exit_2() {
    for id in ["sg-0doesnotexist", "igw-0c0ffee000000001"] {
        Command::cargo_bin("edgepath")
            .expect("binary")
            .args(["blockers", "--snapshot"])
            .arg(example("healthy"))
            .arg(id)
            .assert()
            .code(2);
    }
}

/// One requester-managed ENI of each owner kind (as `describe-network-interfaces` shows them)
/// plus an ordinary detached one of yours, in one VPC.
fn requester_managed_eni_snapshot() -> tempfile::TempDir {
    let eni = |id: &str, itype: &str, desc: &str, requester: &str, groups: Value| {
        serde_json::json!({
            "NetworkInterfaceId": id, "InterfaceType": itype, "Description": desc,
            "RequesterManaged": true, "RequesterId": requester, "Status": "in-use",
            "SubnetId": "subnet-01", "VpcId": "vpc-01", "AvailabilityZone": "us-east-1a",
            "PrivateIpAddress": "10.0.0.8", "Groups": groups, "OwnerId": "111122223333",
            "TagSet": [],
            "Attachment": {"AttachmentId": "ela-attach-0001", "Status": "attached",
                           "InstanceOwnerId": "amazon-aws", "DeviceIndex": 1}
        })
    };
    let none = serde_json::json!([]);
    let enis = serde_json::json!({ "NetworkInterfaces": [
        eni("eni-0nat", "nat_gateway", "Interface for NAT Gateway nat-0abc", "AROAEXAMPLE:xyz", none.clone()),
        eni("eni-0lam", "lambda", "AWS Lambda VPC ENI-my-function-5d6e7f8a-1234-4678-9abc-def012345678", "111122223333:awslambda_123", none.clone()),
        eni("eni-0unk", "interface", "", "999988887777", none.clone()),
        eni("eni-0rds", "interface", "RDSNetworkInterface", "amazon-rds", none.clone()),
        eni("eni-0efs", "interface", "EFS mount target for fs-0123 (fsmt-0456)", "999988887777", none.clone()),
        eni("eni-0cfm", "cloudfront_managed", "", "999988887777",
            serde_json::json!([{"GroupId": "sg-0svc", "GroupName": "CloudFront-VPCOrigins-Service-SG"}])),
        {
            "NetworkInterfaceId": "eni-0mine", "InterfaceType": "interface", "Description": "mine",
            "RequesterManaged": false, "RequesterId": "AIDAEXAMPLE", "Status": "available",
            "SubnetId": "subnet-01", "VpcId": "vpc-01", "AvailabilityZone": "us-east-1a",
            "PrivateIpAddress": "10.0.0.9", "Groups": [], "OwnerId": "111122223333", "TagSet": []
        }
    ]});
    let dir = tempfile::tempdir().expect("tmp");
    let put = |name: &str, v: &Value| {
        std::fs::write(dir.path().join(name), v.to_string()).expect("write");
    };
    put("enis.json", &enis);
    put(
        "subnets.json",
        &serde_json::json!({"Subnets": [{"SubnetId": "subnet-01", "VpcId": "vpc-01",
            "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}]}),
    );
    put(
        "vpcs.json",
        &serde_json::json!({"Vpcs": [{"VpcId": "vpc-01", "CidrBlock": "10.0.0.0/16"}]}),
    );
    dir
}

#[test]
fn a_requester_managed_eni_ends_with_its_owner_and_a_verify_step_never_a_delete() {
    let dir = requester_managed_eni_snapshot();
    let inv = load_snapshot(dir.path()).expect("loads").inventory;
    let owner_step = [
        (
            "eni-0nat",
            "aws ec2 delete-nat-gateway --nat-gateway-id nat-0abc",
        ),
        (
            "eni-0lam",
            "aws lambda update-function-configuration --function-name my-function",
        ),
        ("eni-0unk", "aws cloudtrail lookup-events"),
        ("eni-0rds", "DB instance"),
        (
            "eni-0efs",
            "aws efs delete-mount-target --mount-target-id fsmt-0456",
        ),
        ("eni-0cfm", "aws cloudfront list-vpc-origins"),
    ];
    for (eni, owner) in owner_step {
        let report = blockers_for(&inv, eni).expect("known");
        assert!(!report.deletable, "{eni}");
        let commands: Vec<&str> = report.steps.iter().map(|s| s.command.as_str()).collect();
        assert!(
            !commands
                .iter()
                .any(|c| c.contains("delete-network-interface")),
            "{eni}: never DeleteNetworkInterface on a requester-managed ENI: {commands:#?}"
        );
        assert!(
            commands.iter().any(|c| c.contains(owner)),
            "{eni}: the owner's step `{owner}` is missing: {commands:#?}"
        );
        let last = report.steps.last().expect("steps");
        assert_eq!(
            last.command,
            format!("aws ec2 describe-network-interfaces --network-interface-ids {eni}"),
            "{eni}"
        );
        assert!(last.wait.contains("NotFound"), "{eni}: {last:?}");
        assert!(last.action.starts_with("verify"), "{eni}: {last:?}");
    }
}

#[test]
fn an_ordinary_detached_eni_is_still_deleted_directly() {
    let dir = requester_managed_eni_snapshot();
    let inv = load_snapshot(dir.path()).expect("loads").inventory;
    let report = blockers_for(&inv, "eni-0mine").expect("known");
    assert!(report.deletable, "{:#?}", report.blockers);
    assert_eq!(
        report.steps.last().expect("steps").command,
        "aws ec2 delete-network-interface --network-interface-id eni-0mine"
    );
}

/// An instance's primary ENI with DeleteOnTermination goes with the instance: the plan ends by
/// checking it is gone, not with a delete that could only fail with NotFound.
#[test]
fn an_instance_eni_deleted_on_termination_is_verified_not_deleted() {
    let (_, v) = blockers_json("sg-cannot-delete", "eni-0app1a00000000003");
    let steps = v["steps"].as_array().expect("steps");
    let terminate = position(
        &v["steps"],
        "terminate-instances --instance-ids i-0aaa1111bbbb2222c",
    );
    let verify = position(
        &v["steps"],
        "describe-network-interfaces --network-interface-ids eni-0app1a00000000003",
    );
    assert!(terminate < verify, "{steps:#?}");
    assert!(
        steps.iter().all(|s| !s["command"]
            .as_str()
            .unwrap_or("")
            .contains("delete-network-interface")),
        "{steps:#?}"
    );
}

/// Every resource of the blockers examples (each group, ENI, endpoint, subnet and VPC): each
/// step carries the `destructive` flag in JSON; a step never is destructive while its
/// alternative is not; and for each blocker, no destructive step comes before a non-destructive
/// step that clears the same blocker.
#[test]
fn no_destructive_step_comes_before_a_safe_way_for_the_same_blocker() {
    let mut checked = 0;
    for scenario in [
        "sg-cannot-delete",
        "vpc-origin-leftover-eni",
        "requester-managed-endpoint",
    ] {
        let inv = load_snapshot(&example(scenario)).expect("loads").inventory;
        let ids: Vec<String> = inv
            .security_groups
            .keys()
            .map(ToString::to_string)
            .chain(inv.network_interfaces.keys().map(ToString::to_string))
            .chain(inv.vpc_endpoints.keys().map(ToString::to_string))
            .chain(inv.subnets.keys().map(ToString::to_string))
            .chain(inv.vpcs.keys().map(ToString::to_string))
            .collect();
        for id in ids {
            let report = blockers_for(&inv, &id).expect("known");
            let v = serde_json::to_value(&report).expect("serializes");
            for (i, s) in v["steps"].as_array().expect("steps").iter().enumerate() {
                assert!(
                    s["destructive"].is_boolean(),
                    "{scenario} {id}: step {i}: {s:#}"
                );
                if let Some(alt) = s.get("alternative") {
                    assert!(alt["destructive"].is_boolean(), "{scenario} {id}: {s:#}");
                    assert!(
                        s["destructive"] == false || alt["destructive"] == true,
                        "{scenario} {id}: a destructive step with a safe alternative: {s:#}"
                    );
                }
            }
            for (i, s) in report.steps.iter().enumerate() {
                if !s.destructive || s.resolves.is_empty() {
                    continue;
                }
                let later_safe = report.steps[i + 1..]
                    .iter()
                    .find(|t| t.resolves == s.resolves && !t.destructive);
                assert!(
                    later_safe.is_none(),
                    "{scenario} {id}: `{}` comes before the safe `{}`",
                    s.command,
                    later_safe.map_or("", |t| t.command.as_str())
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} resources checked");
}

/// Issue 14 item 5: deleting a group carried by a stopped instance moves the instance's ENI to
/// the VPC's default group (it has no other) first; terminating is only the alternative.
#[test]
fn a_group_on_a_stopped_instance_moves_its_eni_before_any_terminate() {
    let (code, v) = blockers_json("sg-cannot-delete", "sg-0old000000000000c3");
    assert_eq!(code, 1);
    let steps = v["steps"].as_array().expect("steps");
    assert_eq!(steps[0]["destructive"], false, "{:#}", steps[0]);
    assert!(
        steps.iter().all(|s| !s["command"]
            .as_str()
            .unwrap_or("")
            .contains("terminate-instances")),
        "terminate is only ever an alternative: {steps:#?}"
    );
    let stop = &steps[position(&v["steps"], "--network-interface-id eni-0stop00000000000b")];
    assert_eq!(
        stop["command"],
        "aws ec2 modify-network-interface-attribute --network-interface-id eni-0stop00000000000b --groups sg-0default00000000d4"
    );
    assert_eq!(stop["destructive"], false);
    assert_eq!(stop["resolves"], "eni-0stop00000000000b");
    assert_eq!(
        stop["alternative"]["command"],
        "aws ec2 terminate-instances --instance-ids i-0legacy2stopped0002"
    );
    assert_eq!(stop["alternative"]["destructive"], true);
    let endpoint = &steps[position(&v["steps"], "vpce-0ssm00000000000001")];
    assert_eq!(endpoint["destructive"], false, "{endpoint:#}");
    assert!(
        endpoint["command"]
            .as_str()
            .expect("command")
            .starts_with("aws ec2 modify-vpc-endpoint")
    );
    let last = steps.last().expect("steps");
    assert_eq!(
        last["command"],
        "aws ec2 delete-security-group --group-id sg-0old000000000000c3"
    );
    assert_eq!(last["destructive"], true);
}

/// An ENI carrying the group and others keeps exactly its others (the snapshot's ids).
#[test]
fn an_eni_with_other_groups_keeps_exactly_those() {
    let dir = tempfile::tempdir().expect("tmp");
    for f in std::fs::read_dir(example("sg-cannot-delete")).expect("dir") {
        let f = f.expect("entry").path();
        if f.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&f, dir.path().join(f.file_name().expect("name"))).expect("copy");
        }
    }
    let path = dir.path().join("ec2-describe-network-interfaces.json");
    let mut enis: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    for e in enis["NetworkInterfaces"].as_array_mut().expect("enis") {
        if e["NetworkInterfaceId"] == "eni-0stop00000000000b" {
            e["Groups"] = serde_json::json!([
                {"GroupId": "sg-0app00000000000b2", "GroupName": "app-targets"},
                {"GroupId": "sg-0old000000000000c3", "GroupName": "web-alb-allow-all"},
                {"GroupId": "sg-0batch0000000000f6", "GroupName": "batch-workers"}
            ]);
        }
    }
    std::fs::write(&path, enis.to_string()).expect("write");
    let inv = load_snapshot(dir.path()).expect("loads").inventory;
    let report = blockers_for(&inv, "sg-0old000000000000c3").expect("known");
    let step = report
        .steps
        .iter()
        .find(|s| s.resolves == "eni-0stop00000000000b")
        .expect("a step for the ENI");
    assert_eq!(
        step.command,
        "aws ec2 modify-network-interface-attribute --network-interface-id eni-0stop00000000000b --groups sg-0app00000000000b2 sg-0batch0000000000f6"
    );
    assert!(!step.destructive);
}
