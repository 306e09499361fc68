//! The snapshot loader: real AWS CLI outputs load, a written snapshot reads back equal, and
//! every kind of bad input is a clear error naming the file (exit code 2, no panic).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use edgepath::model::{Kind, LbArn, ListenerArn, PrefixListId, TgArn, VpcOriginId};
use edgepath::source::snapshot::{SnapshotError, load_snapshot, write_snapshot};
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn edgepath() -> Command {
    Command::cargo_bin("edgepath").expect("binary built")
}

#[test]
fn real_aws_cli_samples_load_without_warnings() {
    let loaded = load_snapshot(&fixture("aws-samples")).expect("samples load");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let inv = &loaded.inventory;
    assert_eq!(inv.count(Kind::NetworkInterfaces), 1);
    assert_eq!(inv.count(Kind::VpcEndpoints), 2);
    let eni = inv.network_interfaces.values().next().expect("one ENI");
    assert_eq!(eni.requester_managed, Some(true));
    assert!(
        eni.description
            .as_deref()
            .is_some_and(|d| d.starts_with("arn:aws:ecs:"))
    );
}

#[test]
fn parent_keys_attach_children_and_rules_find_their_listener() {
    let loaded = load_snapshot(&fixture("snapshot-basic")).expect("loads");
    let inv = &loaded.inventory;
    let tg = TgArn::from(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/73e2d6bc24d8a067",
    );
    assert_eq!(inv.target_health[&tg].len(), 2);
    assert_eq!(
        inv.prefix_list_entries[&PrefixListId::from("pl-3b927c52")].len(),
        3
    );
    let lb = LbArn::from(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-alb/50dc6c495c0c9188",
    );
    assert_eq!(
        inv.lb_attribute(&lb, "idle_timeout.timeout_seconds"),
        Some("60")
    );
    let listener = ListenerArn::from(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2",
    );
    assert!(
        inv.rules
            .values()
            .all(|r| r.listener_arn.as_ref() == Some(&listener))
    );
    assert_eq!(inv.index().rules_by_listener[&listener].len(), 2);
    assert_eq!(
        inv.index()
            .lb_by_dns_name
            .get("web-alb-1234567890.us-east-1.elb.amazonaws.com"),
        Some(&lb)
    );
}

#[test]
fn get_distribution_and_vpc_origin_shapes_merge_with_their_etags() {
    let inv = load_snapshot(&fixture("snapshot-basic"))
        .expect("loads")
        .inventory;
    let d = inv.distributions.values().next().expect("one distribution");
    assert_eq!(d.etag.as_deref(), Some("E2QWRUHEXAMPLE"));
    assert_eq!(
        d.origins.items[0]
            .custom_origin_config
            .as_ref()
            .map(|c| c.http_port),
        Some(80)
    );
    let vo = &inv.vpc_origins[&VpcOriginId::from("vo_BQwjxxQxjCaBcQLzJUFkDM")];
    assert_eq!(vo.etag.as_deref(), Some("E3UN6WX5RRO2AG"));
    assert_eq!(vo.name.as_deref(), Some("internal-alb-origin"));
    assert!(vo.vpc_origin_endpoint_config.is_some());
    assert_eq!(
        vo.endpoint_arn(),
        Some(
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/int-alb/60dc6c495c0c9189"
        )
    );
}

#[test]
fn unknown_keys_and_missing_parents_are_warnings_once_per_file() {
    let loaded = load_snapshot(&fixture("snapshot-basic")).expect("loads");
    let unknown: Vec<_> = loaded
        .warnings
        .iter()
        .filter(|w| w.message.contains("SomethingNew"))
        .collect();
    assert_eq!(unknown.len(), 1, "{:?}", loaded.warnings);
    assert!(
        !loaded
            .warnings
            .iter()
            .any(|w| w.message.contains("NextToken")),
        "pagination keys are not worth a warning"
    );
    let orphan: Vec<_> = loaded
        .warnings
        .iter()
        .filter(|w| w.message.contains("TargetGroupArn"))
        .collect();
    assert_eq!(orphan.len(), 1);
    assert!(orphan[0].file.ends_with("th-missing-parent.json"));
}

#[test]
fn a_written_snapshot_loads_back_equal() {
    for name in ["snapshot-basic", "aws-samples"] {
        let first = load_snapshot(&fixture(name)).expect("loads").inventory;
        let dir = tempfile::tempdir().expect("tempdir");
        write_snapshot(&first, dir.path()).expect("writes");
        let second = load_snapshot(dir.path()).expect("reloads");
        assert!(second.warnings.is_empty(), "{:?}", second.warnings);
        assert_eq!(first, second.inventory, "round trip of {name}");
    }
}

#[test]
fn examples_load_without_warnings() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let Ok(entries) = fs::read_dir(&examples) else {
        return;
    };
    let mut loaded_any = false;
    for entry in entries.flatten() {
        let dir = entry.path();
        if !dir.is_dir()
            || fs::read_dir(&dir)
                .map(|mut d| d.next().is_none())
                .unwrap_or(true)
        {
            continue;
        }
        let has_json = walk_has_json(&dir);
        if !has_json {
            continue;
        }
        let loaded = load_snapshot(&dir).unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:?}",
            dir.display(),
            loaded.warnings
        );
        let again = tempfile::tempdir().expect("tempdir");
        write_snapshot(&loaded.inventory, again.path()).expect("writes");
        assert_eq!(
            load_snapshot(again.path()).expect("reloads").inventory,
            loaded.inventory
        );
        loaded_any = true;
    }
    assert!(loaded_any, "examples/ must hold scenario snapshots");
}

fn walk_has_json(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .any(|e| e.path().extension().is_some_and(|x| x == "json"))
}

fn snapshot_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, content) in files {
        fs::write(dir.path().join(name), content).expect("write");
    }
    dir
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let dir = snapshot_with(&[(
        "sg.json",
        b"{\n  \"SecurityGroups\": [\n    {\"GroupId\": \"sg-1\",,}\n  ]\n}\n",
    )]);
    let err = load_snapshot(dir.path()).expect_err("malformed");
    match &err {
        SnapshotError::Json {
            path, line, column, ..
        } => {
            assert!(path.ends_with("sg.json"));
            assert_eq!(*line, 3);
            assert!(*column > 1);
        }
        other => panic!("unexpected {other:?}"),
    }
    edgepath()
        .args(["inventory", "--snapshot"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("sg.json:3:"));
}

#[test]
fn a_top_level_array_is_rejected_with_what_was_expected() {
    let dir = snapshot_with(&[("list.json", b"[{\"GroupId\": \"sg-1\"}]")]);
    let err = load_snapshot(dir.path()).expect_err("array");
    assert!(matches!(
        err,
        SnapshotError::NotAnObject {
            found: "an array",
            ..
        }
    ));
    edgepath()
        .args(["inventory", "--snapshot"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("list.json")
                .and(predicates::str::contains("top level is an array")),
        );
}

#[test]
fn a_truncated_file_says_it_ends_early() {
    let dir = snapshot_with(&[(
        "sg.json",
        b"{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"GroupN",
    )]);
    let err = load_snapshot(dir.path()).expect_err("truncated");
    let SnapshotError::Json { help, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(help.contains("ends early"), "{help}");
}

#[test]
fn an_empty_file_is_an_error_not_a_panic() {
    let dir = snapshot_with(&[("empty.json", b"")]);
    assert!(matches!(
        load_snapshot(dir.path()),
        Err(SnapshotError::Json { .. })
    ));
}

#[test]
fn a_wrongly_typed_field_is_an_error_naming_the_position() {
    let dir = snapshot_with(&[("sg.json", b"{\"SecurityGroups\": [{\"GroupId\": 7}]}")]);
    let err = load_snapshot(dir.path()).expect_err("wrong type");
    let SnapshotError::Json { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("expected a string"), "{message}");
}

#[test]
fn an_unreadable_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "/nonexistent/edgepath-test",
        dir.path().join("dangling.json"),
    )
    .expect("symlink");
    #[cfg(unix)]
    {
        let err = load_snapshot(dir.path()).expect_err("unreadable");
        assert!(
            matches!(err, SnapshotError::Io { ref path, .. } if path.ends_with("dangling.json")),
            "{err:?}"
        );
        edgepath()
            .args(["inventory", "--snapshot"])
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains("dangling.json"));
    }
}

#[test]
fn invalid_utf8_is_an_error_not_a_panic() {
    let dir = snapshot_with(&[("bad.json", b"{\"Vpcs\": [{\"VpcId\": \"vpc-\xff\"}]}")]);
    assert!(matches!(
        load_snapshot(dir.path()),
        Err(SnapshotError::Json { .. })
    ));
}

#[test]
fn a_directory_without_json_is_an_error() {
    let dir = snapshot_with(&[("notes.txt", b"hello")]);
    assert!(matches!(
        load_snapshot(dir.path()),
        Err(SnapshotError::NoJson { .. })
    ));
    edgepath()
        .args(["inventory", "--snapshot"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no *.json files"));
}

#[test]
fn a_missing_directory_is_an_error() {
    edgepath()
        .args(["inventory", "--snapshot", "/nonexistent/edgepath-snap"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("/nonexistent/edgepath-snap"));
}

#[test]
fn inventory_json_lists_counts_missing_kinds_and_lacking_checks() {
    let out = edgepath()
        .args(["inventory", "--format", "json", "--snapshot"])
        .arg(fixture("snapshot-basic"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let counts = v["counts"].as_array().expect("counts");
    assert!(
        counts
            .iter()
            .any(|c| c["kind"] == "security_groups" && c["count"] == 2)
    );
    assert!(v["missing"].as_array().expect("missing").iter().any(|m| {
        m["kind"] == "network_acls"
            && m["reason"]
                .as_str()
                .is_some_and(|r| r.contains("describe-network-acls"))
    }));
    assert!(
        v["checks_lacking_data"]
            .as_array()
            .expect("lacking")
            .iter()
            .any(|c| c["check"].as_str().is_some_and(|s| s.starts_with("NACLs")))
    );
    assert_eq!(v["warnings"].as_array().expect("warnings").len(), 2);
}

#[test]
fn the_old_describe_prefix_lists_shape_loads_its_cidrs_as_entries() {
    // `aws ec2 describe-prefix-lists` (gateway-endpoint lists), as Batfish's test accounts hold
    // it: `Cidrs` beside the id and name, no separate entries call.
    let dir = snapshot_with(&[
        (
            "pl.json",
            br#"{"PrefixLists":[{"PrefixListId":"pl-63a5400a","PrefixListName":"com.amazonaws.us-east-1.s3","Cidrs":["54.231.0.0/17","52.216.0.0/15"]}]}"#,
        ),
        (
            "managed.json",
            br#"{"PrefixLists":[{"PrefixListId":"pl-3b927c52","PrefixListName":"com.amazonaws.global.cloudfront.origin-facing","MaxEntries":55}]}"#,
        ),
    ]);
    let loaded = load_snapshot(dir.path()).expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let inv = &loaded.inventory;
    assert_eq!(inv.count(Kind::PrefixLists), 2);
    let s3 = PrefixListId::from("pl-63a5400a");
    assert_eq!(
        inv.prefix_lists[&s3].prefix_list_name,
        "com.amazonaws.us-east-1.s3"
    );
    let cidrs: Vec<&str> = inv.prefix_list_entries[&s3]
        .iter()
        .map(|e| e.cidr.as_str())
        .collect();
    assert_eq!(cidrs, ["54.231.0.0/17", "52.216.0.0/15"]);
    // A describe-managed-prefix-lists list has no entries until get-managed-prefix-list-entries.
    assert!(
        !inv.prefix_list_entries
            .contains_key(&PrefixListId::from("pl-3b927c52"))
    );
    assert_eq!(
        inv.prefix_lists[&PrefixListId::from("pl-3b927c52")].max_entries,
        Some(55)
    );
    // Written back, the entries come out in the current shape and load equal.
    let out = tempfile::tempdir().expect("tempdir");
    write_snapshot(inv, out.path()).expect("writes");
    assert_eq!(&load_snapshot(out.path()).expect("reloads").inventory, inv);
}

#[test]
fn a_wrongly_typed_prefix_list_is_an_error_not_a_panic() {
    for body in [
        &br#"{"PrefixLists":[{"PrefixListId":"pl-1","Cidrs":"10.0.0.0/8"}]}"#[..],
        br#"{"PrefixLists":[{"PrefixListId":7}]}"#,
        br#"{"PrefixLists":[{"PrefixListName":"x"}]}"#,
    ] {
        let dir = snapshot_with(&[("pl.json", body)]);
        assert!(
            matches!(load_snapshot(dir.path()), Err(SnapshotError::Json { .. })),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}
