//! Fix commands print the ids the snapshot holds, and every `aws …` in them parses.
//!
//! 1. Over every example scenario (`triage --snapshot examples/X [--logs examples/X/logs]`),
//!    a fix may hold a `<…>` placeholder or a `$(…)` lookup only where the data does not decide
//!    the value: [`ALLOWED`] lists those, each with the reason and a check that the snapshot
//!    really lacks it. A message never holds an empty template field (`<distribution>`).
//! 2. When `aws` is on PATH (CI: `.ci/install-test-deps.sh`, and `EDGEPATH_REQUIRE_MOTO=1`
//!    makes it mandatory), every `aws …` command of every fix runs against a stopped endpoint
//!    and must fail to *connect*, not on its parameters.

use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;
use serde_json::Value;

fn examples() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("README.md").exists())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    out.sort();
    out
}

fn triage(snapshot: Option<&Path>, logs: Option<&Path>) -> Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_edgepath"));
    cmd.args(["-q", "--format", "json", "triage"]);
    if let Some(s) = snapshot {
        cmd.arg("--snapshot").arg(s);
    }
    if let Some(l) = logs {
        cmd.arg("--logs").arg(l);
    }
    let out = cmd.output().expect("run edgepath");
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 3)),
        "triage failed on {snapshot:?} {logs:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json output")
}

fn scenario_triage(dir: &Path) -> Value {
    let logs = dir.join("logs");
    triage(Some(dir), logs.is_dir().then_some(logs.as_path()))
}

fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
                f["fix"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn json(dir: &Path, file: &str) -> Value {
    std::fs::read_to_string(dir.join(file))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

fn items<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v[key].as_array().into_iter().flatten()
}

/// Whether a route table sends 0.0.0.0/0 to an internet gateway.
fn igw_route(rt: &Value) -> bool {
    items(rt, "Routes").any(|r| {
        r["DestinationCidrBlock"] == "0.0.0.0/0"
            && r["GatewayId"]
                .as_str()
                .is_some_and(|g| g.starts_with("igw-"))
            && r["State"] != "blackhole"
    })
}

/// Whether the snapshot has a subnet in `az` (with an internet-gateway route when `public`).
fn snapshot_has_subnet_in(dir: &Path, az: &str, public: bool) -> bool {
    let subnets = json(dir, "ec2-describe-subnets.json");
    let tables = json(dir, "ec2-describe-route-tables.json");
    items(&subnets, "Subnets")
        .filter(|s| s["AvailabilityZone"] == az)
        .any(|s| {
            if !public {
                return true;
            }
            let id = &s["SubnetId"];
            let explicit = items(&tables, "RouteTables")
                .find(|t| items(t, "Associations").any(|a| &a["SubnetId"] == id));
            let main = || {
                items(&tables, "RouteTables").find(|t| {
                    t["VpcId"] == s["VpcId"] && items(t, "Associations").any(|a| a["Main"] == true)
                })
            };
            explicit.or_else(main).is_some_and(igw_route)
        })
}

/// A placeholder or lookup the data cannot decide: its pattern, why, and a check that the
/// snapshot indeed lacks the value (`true`: legitimately absent).
struct Allowed {
    pattern: &'static str,
    reason: &'static str,
    absent: fn(&Path, &regex::Captures<'_>) -> bool,
}

const ALLOWED: &[Allowed] = &[
    Allowed {
        pattern: r"^<(ARN printed by request-certificate|new certificate ARN)>$",
        reason: "the replacement certificate does not exist yet: request-certificate prints its ARN",
        absent: |_, _| true,
    },
    Allowed {
        pattern: r"^<ETag from get-distribution-config>$",
        reason: "the ETag changes with every update: only the get-distribution-config run just \
                 before update-distribution gives the current one (the snapshot's may be stale)",
        absent: |_, _| true,
    },
    Allowed {
        pattern: r"^<LCUs for the peak>$",
        reason: "the capacity to reserve depends on the traffic peak to come, which no snapshot \
                 or metric window holds",
        absent: |_, _| true,
    },
    Allowed {
        pattern: r"^<instance-id-or-ip>$",
        reason: "which instances or IPs to register is the operator's choice",
        absent: |_, _| true,
    },
    Allowed {
        pattern: r"^<ACM certificate ARN covering the origin domain: aws acm list-certificates>$",
        reason: "certificates (ACM) are not collected in a snapshot",
        absent: |_, _| true,
    },
    Allowed {
        pattern: r"^<a (public )?subnet in ([a-z0-9-]+)\b[^>]*the snapshot has none[^>]*>$",
        reason: "no subnet of that kind exists in that AZ: one must be created",
        absent: |dir, c| {
            let public = c.get(1).is_some();
            !snapshot_has_subnet_in(dir, &c[2], public)
        },
    },
    Allowed {
        pattern: r"^<a subnet in ([a-z0-9-]+) with a 0\.0\.0\.0/0 route to an internet gateway: the snapshot has none>$",
        reason: "no public subnet exists in that AZ: one must be created or routed",
        absent: |dir, c| !snapshot_has_subnet_in(dir, &c[1], true),
    },
    Allowed {
        pattern: r"^\$\(aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com\.amazonaws\.global\.cloudfront\.origin-facing .*\)$",
        reason: "the snapshot holds no CloudFront origin-facing prefix list",
        absent: |dir, _| {
            !items(
                &json(dir, "ec2-describe-managed-prefix-lists.json"),
                "PrefixLists",
            )
            .any(|p| p["PrefixListName"] == "com.amazonaws.global.cloudfront.origin-facing")
        },
    },
    Allowed {
        pattern: r"^\$\(aws ec2 describe-security-groups --filters Name=group-name,Values=CloudFront-VPCOrigins-Service-SG.*\)$",
        reason: "the snapshot holds no CloudFront-VPCOrigins-Service-SG",
        absent: |dir, _| {
            !items(
                &json(dir, "ec2-describe-security-groups.json"),
                "SecurityGroups",
            )
            .any(|g| g["GroupName"] == "CloudFront-VPCOrigins-Service-SG")
        },
    },
    Allowed {
        pattern: r"^\$\(aws ec2 create-internet-gateway .*\)$",
        reason: "the snapshot holds no detached internet gateway to re-attach: a new one is made",
        absent: |dir, _| {
            items(
                &json(dir, "ec2-describe-internet-gateways.json"),
                "InternetGateways",
            )
            .all(|g| {
                items(g, "Attachments")
                    .any(|a| a["State"] != "detached" && a["State"] != "detaching")
            })
        },
    },
];

/// Every `<…>` and `$(…)` of a fix (parentheses balanced).
fn holes(fix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = fix[i..].chars().next() {
        let rest = &fix[i..];
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            out.push(rest[..=end].to_owned());
            i += end + 1;
            continue;
        }
        if rest.starts_with("$(") {
            let mut depth = 0;
            let close = rest.char_indices().skip(1).find_map(|(j, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(j)
            });
            if let Some(j) = close {
                out.push(rest[..=j].to_owned());
                i += j + 1;
                continue;
            }
        }
        i += c.len_utf8();
    }
    out
}

/// Why `hole` is legitimate for the scenario in `dir`, or `None`.
fn allowed(dir: &Path, hole: &str) -> Option<&'static str> {
    ALLOWED.iter().find_map(|a| {
        let re = Regex::new(a.pattern).expect("allow-list pattern");
        let c = re.captures(hole)?;
        (a.absent)(dir, &c).then_some(a.reason)
    })
}

#[test]
fn every_fix_uses_the_ids_the_snapshot_holds() {
    let empty_field = Regex::new(r"<[a-z_.]+>").expect("regex");
    let mut bad = Vec::new();
    let mut fixes = 0;
    for (name, dir) in examples() {
        for (rule, message, fix) in findings(&scenario_triage(&dir)) {
            fixes += 1;
            for hole in holes(&fix) {
                if allowed(&dir, &hole).is_none() {
                    bad.push(format!("{name} {rule}: fix holds {hole}"));
                }
            }
            if let Some(m) = empty_field.find(&message) {
                bad.push(format!("{name} {rule}: message holds {}", m.as_str()));
            }
        }
    }
    assert!(fixes > 20, "only {fixes} fixes over examples/");
    assert!(
        bad.is_empty(),
        "placeholders the snapshot decides:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_allow_list_rejects_a_lookup_the_snapshot_answers() {
    // The prefix-list lookup is legitimate only without the list; every example holds it.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/alb-sg-missing-cloudfront-prefix-list");
    let lookup = "$(aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --query 'PrefixLists[0].PrefixListId' --output text)";
    assert_eq!(allowed(&dir, lookup), None);
    assert_eq!(
        allowed(&dir, "<target group the failing behaviors forward to>"),
        None
    );
    assert!(allowed(&dir, "<ETag from get-distribution-config>").is_some());
    assert_eq!(
        holes("a --x <y z> --q $(aws b --query 'c(d)' --output text) > f"),
        vec![
            "<y z>".to_owned(),
            "$(aws b --query 'c(d)' --output text)".to_owned()
        ]
    );
}

#[test]
fn log_finding_names_the_target_group_the_snapshot_routes_the_behavior_to() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ghost-sg-reference");
    let f = findings(&scenario_triage(&dir));
    let (_, _, fix) = f
        .iter()
        .find(|(r, _, _)| r == "alb-target-connect-timeout-in-logs")
        .expect("the log finding fires");
    assert!(
        fix.starts_with("aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/"),
        "{fix}"
    );
}

#[test]
fn log_only_findings_say_what_supplies_the_target_group() {
    let logs = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ghost-sg-reference/logs");
    let f = findings(&triage(None, Some(&logs)));
    let (_, message, fix) = f
        .iter()
        .find(|(r, _, _)| r == "alb-target-connect-timeout-in-logs")
        .expect("the log finding fires");
    assert!(message.contains("of E2QWRUHAPOMQZL"), "{message}");
    assert!(
        fix.contains("<target group the failing behaviors forward to: no snapshot given (aws elbv2 describe-target-groups)>"),
        "{fix}"
    );
}

#[test]
fn a_log_host_matching_no_distribution_is_named() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ghost-sg-reference");
    let src = std::fs::read_dir(example.join("logs/cloudfront"))
        .expect("logs")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .next()
        .expect("a log file");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(&src).expect("open")),
        &mut text,
    )
    .expect("gunzip");
    // A log of another distribution: its file name carries no id, its host is not ours.
    let text = text.replace(
        "d111111abcdef8.cloudfront.net",
        "d999999other00.cloudfront.net",
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("access.log"), text).expect("write");
    let f = findings(&triage(Some(&example), Some(tmp.path())));
    let (_, message, fix) = f
        .iter()
        .find(|(r, _, _)| r == "alb-target-connect-timeout-in-logs")
        .expect("the log finding fires");
    assert!(
        message.contains(
            "host d999999other00.cloudfront.net, which matches no distribution of the snapshot"
        ),
        "{message}"
    );
    assert!(!message.contains("<distribution"), "{message}");
    assert!(fix.contains("no path of the snapshot serves"), "{fix}");
}

#[test]
fn ghost_reference_names_the_load_balancer_that_carries_the_group() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ghost-sg-reference");
    let message = |dir: &Path| {
        findings(&scenario_triage(dir))
            .into_iter()
            .find(|(r, _, _)| r == "target-sg-ghost-reference")
            .map(|(_, m, _)| m)
            .expect("the ghost reference fires")
    };
    assert!(
        message(&example).contains("sg-0old000000000000c3 is attached to nothing in the snapshot"),
        "{}",
        message(&example)
    );
    // The same account with a second load balancer that carries the old group.
    let tmp = tempfile::tempdir().expect("tempdir");
    for e in std::fs::read_dir(&example)
        .expect("example")
        .filter_map(Result::ok)
    {
        if e.path().is_file() {
            std::fs::copy(e.path(), tmp.path().join(e.file_name())).expect("copy");
        }
    }
    let lbs_file = tmp.path().join("elbv2-describe-load-balancers.json");
    let mut lbs: Value =
        serde_json::from_str(&std::fs::read_to_string(&lbs_file).expect("read")).expect("json");
    let mut other = lbs["LoadBalancers"][0].clone();
    other["LoadBalancerName"] = "old-alb".into();
    other["LoadBalancerArn"] =
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/old-alb/0123456789abcdef"
            .into();
    other["DNSName"] = "old-alb-1.us-east-1.elb.amazonaws.com".into();
    other["SecurityGroups"] = serde_json::json!(["sg-0old000000000000c3"]);
    lbs["LoadBalancers"]
        .as_array_mut()
        .expect("list")
        .push(other);
    std::fs::write(&lbs_file, lbs.to_string()).expect("write");
    let m = message(tmp.path());
    assert!(
        m.contains("sg-0old000000000000c3 is carried by load balancer old-alb"),
        "{m}"
    );
    assert!(!m.contains("orphaned"), "{m}");
}

// ---- 2. every aws command parses ------------------------------------------------------------

/// POSIX-shell words: quotes, backslashes; a word starting with `#` starts a comment.
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' if !in_word => break,
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                cur.push(e);
                            }
                        }
                        d => cur.push(d),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// The `aws …` commands of a fix: the fix itself when it is one, and those its comment or
/// console text introduces with `: aws …` (up to the next comment).
fn aws_commands(fix: &str) -> Vec<String> {
    let mut starts = Vec::new();
    if fix.starts_with("aws ") {
        starts.push(0);
    }
    starts.extend(fix.match_indices(": aws ").map(|(i, _)| i + 2));
    starts
        .into_iter()
        .map(|i| {
            let rest = &fix[i..];
            let end = rest.find("  #").unwrap_or(rest.len());
            rest[..end].trim().to_owned()
        })
        .collect()
}

/// Replaces placeholders and lookups by a dummy word (they are checked by the test above).
fn fill_holes(cmd: &str) -> String {
    let mut out = cmd.to_owned();
    for h in holes(cmd) {
        out = out.replacen(&h, "PLACEHOLDER", 1);
    }
    out
}

fn have_aws() -> bool {
    let ok = Command::new("aws")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("EDGEPATH_REQUIRE_MOTO").is_none(),
            "EDGEPATH_REQUIRE_MOTO is set but aws is not installed (run .ci/install-test-deps.sh)"
        );
        eprintln!("aws not on PATH: skipping the AWS CLI parse of fix commands");
    }
    ok
}

/// Runs `words` (an `aws …` command) against a stopped endpoint in `cwd`; `Err` with the reason
/// when the CLI rejected the parameters instead of failing to connect.
///
/// Exit codes: awscli v1 exits 255 both for a connection error and for most parameter errors
/// (2 for a missing required argument, from argparse); v2 exits 252 for parse and parameter
/// validation errors, 253 for configuration errors and 255 for a connection error. So the test
/// needs the connection message and rejects 2/252/253 and the parameter-error texts.
fn run_against_stopped_endpoint(words: &[String], cwd: &Path) -> Result<(), String> {
    let out = Command::new("aws")
        .args([
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--cli-connect-timeout",
            "1",
        ])
        .args(["--cli-read-timeout", "1"])
        .args(&words[1..])
        .current_dir(cwd)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "dummy")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_RETRY_MODE", "standard")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_PAGER", "")
        .env_remove("AWS_PROFILE")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run aws: {e}"))?;
    let err = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    let rejected = [
        "ParamValidation",
        "Parameter validation failed",
        "usage:",
        "Unknown options",
        "is required",
        "Invalid choice",
        "invalid literal",
        "Error parsing parameter",
    ];
    if matches!(code, Some(2 | 252 | 253)) || rejected.iter().any(|r| err.contains(r)) {
        return Err(format!("exit {code:?}: {}", err.trim()));
    }
    if !err.contains("Could not connect to the endpoint URL") {
        return Err(format!(
            "exit {code:?}, not a connection error: {}",
            err.trim()
        ));
    }
    Ok(())
}

#[test]
fn every_aws_fix_command_parses_with_the_aws_cli() {
    if !have_aws() {
        return;
    }
    let mut commands: Vec<(String, PathBuf, Vec<String>)> = Vec::new();
    for (name, dir) in examples() {
        for (rule, _, fix) in findings(&scenario_triage(&dir)) {
            for cmd in aws_commands(&fill_holes(&fix)) {
                let mut words = shell_words(&cmd);
                // `get-distribution-config … > dist-config.json`: the redirection is the shell's.
                if let Some(i) = words.iter().position(|w| w == ">") {
                    words.truncate(i);
                }
                if commands.iter().any(|(_, _, w)| *w == words) {
                    continue;
                }
                commands.push((format!("{name} {rule}: {cmd}"), dir.clone(), words));
            }
        }
    }
    assert!(commands.len() > 15, "only {} aws commands", commands.len());
    // `file://dist-config.json` is what the fix's get-distribution-config wrote: the scenario's own
    // DistributionConfig.
    let tmp = tempfile::tempdir().expect("tempdir");
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<_> = commands.chunks(commands.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .enumerate()
            .map(|(n, chunk)| {
                let cwd = tmp.path().join(n.to_string());
                s.spawn(move || {
                    std::fs::create_dir_all(&cwd).expect("mkdir");
                    let mut bad = Vec::new();
                    for (label, dir, words) in chunk {
                        let dist = json(dir, "cloudfront-get-distribution.json");
                        std::fs::write(
                            cwd.join("dist-config.json"),
                            dist["Distribution"]["DistributionConfig"].to_string(),
                        )
                        .expect("write dist-config.json");
                        if let Err(e) = run_against_stopped_endpoint(words, &cwd) {
                            bad.push(format!("{label}\n  -> {e}"));
                        }
                    }
                    bad
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "the AWS CLI rejects:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_cli_check_catches_a_bad_parameter() {
    if !have_aws() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let good = shell_words("aws ec2 describe-security-groups --group-ids sg-0abc");
    assert_eq!(run_against_stopped_endpoint(&good, tmp.path()), Ok(()));
    for bad in [
        "aws ec2 authorize-security-group-ingress --group-idd sg-1",
        "aws elbv2 describe-target-health",
        "aws elbv2 modify-load-balancer-attributes --load-balancer-arn a --attributes Kez=1",
    ] {
        assert!(
            run_against_stopped_endpoint(&shell_words(bad), tmp.path()).is_err(),
            "{bad} passed"
        );
    }
    assert_eq!(
        shell_words(r#"aws x --q "a b" 'c d' e\ f  # comment"#),
        vec!["aws", "x", "--q", "a b", "c d", "e f"]
    );
}
