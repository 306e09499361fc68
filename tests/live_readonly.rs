//! Read-only by construction: enumerates every AWS operation the live collector can call
//! (SDK operations are invoked as `client.operation_name()` in the files of `src/source/live/`
//! that hold a `Client`; the others only convert output types) and fails on anything but
//! Describe/List/Get (and CloudTrail's LookupEvents, S3's HeadBucket); then checks that `docs/iam-policy.json` grants exactly the
//! actions of those operations — no more, no fewer.

use std::collections::BTreeSet;
use std::path::Path;

use regex::Regex;

/// Verbs of AWS operations that change an account (EC2, ELBv2, CloudFront).
const MUTATING_VERBS: &[&str] = &[
    "accept",
    "add",
    "allocate",
    "apply",
    "assign",
    "associate",
    "attach",
    "authorize",
    "cancel",
    "copy",
    "create",
    "delete",
    "deprovision",
    "deregister",
    "detach",
    "disable",
    "disassociate",
    "enable",
    "export",
    "import",
    "modify",
    "move",
    "provision",
    "publish",
    "purchase",
    "put",
    "reboot",
    "register",
    "reject",
    "release",
    "remove",
    "replace",
    "request",
    "reset",
    "restore",
    "revoke",
    "run",
    "set",
    "start",
    "stop",
    "tag",
    "terminate",
    "unassign",
    "untag",
    "update",
];

/// Zero-argument methods of other crates that share a verb prefix (tokio's runtime builder).
const NOT_AWS: &[&str] = &["enable_all"];

/// Every `.rs` file under `src/source/live/`, subfolders (`calls/`, `convert/`) included.
fn live_sources() -> Vec<(String, String)> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/source/live")];
    let mut out = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/source/live exists") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable");
                out.push((path.display().to_string(), text));
            }
        }
    }
    assert!(!out.is_empty());
    out
}

/// `describe_security_groups` → `ec2:DescribeSecurityGroups`.
fn iam_action(op: &str) -> String {
    let pascal: String = op
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let service = match op {
        "describe_load_balancers"
        | "describe_listeners"
        | "describe_rules"
        | "describe_target_groups"
        | "describe_target_health"
        | "describe_load_balancer_attributes"
        | "describe_target_group_attributes"
        | "describe_listener_certificates" => "elasticloadbalancing",
        "describe_certificate" => "acm",
        o if o.contains("distribution")
            || o.contains("vpc_origin")
            || o.ends_with("_policy")
            || o.ends_with("_policies") =>
        {
            "cloudfront"
        }
        "lookup_events" => "cloudtrail",
        // S3's IAM actions are not named after its operations: listing and HeadBucket are
        // s3:ListBucket.
        "list_objects_v2" | "head_bucket" => return "s3:ListBucket".to_owned(),
        "get_object" => "s3",
        "get_metric_data" => "cloudwatch",
        _ => "ec2",
    };
    format!("{service}:{pascal}")
}

#[test]
fn the_live_collector_calls_only_describe_list_get_operations() {
    let call = Regex::new(r"\.\s*([a-z][a-z0-9_]*)\(\)").expect("regex");
    // `ec2_describe!(client, region, filters, operation, …)` names the operation as an argument.
    let via_macro =
        Regex::new(r"ec2_describe!\(\s*[^,]+,[^,]+,[^,]+,\s*([a-z][a-z0-9_]*)").expect("regex");
    let mut reads = BTreeSet::new();
    for (path, text) in live_sources() {
        // Only a file holding an SDK client can call an operation; the conversion modules
        // (`convert/`) only read output types. `athena.rs` runs `logs --athena`, which writes
        // query results by design; its own policy is checked by tests/athena_live.rs.
        if !text.contains("Client") || path.ends_with("athena.rs") {
            continue;
        }
        for cap in call
            .captures_iter(&text)
            .chain(via_macro.captures_iter(&text))
        {
            let name = &cap[1];
            if NOT_AWS.contains(&name) {
                continue;
            }
            let verb = name.split('_').next().unwrap_or_default();
            assert!(
                !(name.contains('_') && MUTATING_VERBS.contains(&verb)),
                "{path} calls `{name}()`, which looks like a mutating AWS operation; edgepath is read-only"
            );
            // CloudTrail's one read is `lookup_events`; S3's bucket check is `head_bucket`.
            if ["describe", "list", "get", "lookup", "head"].contains(&verb) && name.contains('_') {
                reads.insert(name.to_owned());
            }
        }
    }
    assert!(
        reads.contains("describe_security_groups")
            && reads.contains("list_distributions")
            && reads.contains("lookup_events")
            && reads.contains("get_metric_data")
            && reads.contains("list_objects_v2")
            && reads.contains("get_object"),
        "the scan found the collector's calls: {reads:?}"
    );

    let policy: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/iam-policy.json"),
        )
        .expect("docs/iam-policy.json"),
    )
    .expect("valid JSON");
    let granted: BTreeSet<String> = policy["Statement"][0]["Action"]
        .as_array()
        .expect("Action[]")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    let used: BTreeSet<String> = reads.iter().map(|op| iam_action(op)).collect();
    assert_eq!(
        used, granted,
        "docs/iam-policy.json must grant exactly the operations the collector calls"
    );
}
