//! Snapshot directories ⇄ [`Inventory`].
//!
//! A snapshot is a directory tree of `*.json` files, each the unmodified output of one AWS CLI
//! call. The **top-level key** says what a file holds (`SecurityGroups`, `TargetHealthDescriptions`,
//! …), so names do not matter and files of one kind merge (pages, regions). Outputs that do not
//! name their parent carry it as one extra key (`TargetGroupArn`, `PrefixListId`,
//! `LoadBalancerArn`, optionally `ListenerArn` for rules, whose ARN otherwise tells it).
//!
//! Each file is deserialized straight into typed vectors by a streaming visitor (no intermediate
//! `serde_json::Value`), files are parsed in parallel, and merged in path order so the same input
//! always gives the same Inventory. Unknown top-level keys are warnings, never errors; malformed
//! JSON is an error pointing at file:line:column.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use rayon::prelude::*;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::acm::{AcmCertificate, ListenerCertificate};
use crate::model::bpa::{VpcBlockPublicAccessExclusion, VpcBlockPublicAccessOptions};
use crate::model::cloudfront::{
    CloudTrailEvent, DistributionGet, DistributionList, VpcOrigin, VpcOriginList,
};
use crate::model::ec2::{
    InternetGateway, ManagedPrefixList, NatGateway, NetworkAcl, NetworkInterface, PrefixListEntry,
    Reservation, RouteTable, SecurityGroup, SecurityGroupReference, StaleSecurityGroup, Subnet,
    Vpc, VpcEndpoint, VpcPeeringConnection,
};
use crate::model::elbv2::{
    Attribute, Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription,
};
use crate::model::metrics::{MetricDataQuery, MetricDataResult, format_timestamp, join_results};
use crate::model::policies::{
    CachePolicy, CachePolicyList, OriginRequestPolicy, OriginRequestPolicyList,
};
use crate::model::{Inventory, Kind, LbArn, ListenerArn, PrefixListId, TgArn};

/// Top-level key under which `edgepath snapshot` records kinds it could not collect.
pub const UNAVAILABLE_KEY: &str = "EdgepathUnavailable";

/// Why a snapshot could not be loaded or written.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum SnapshotError {
    /// A file or directory could not be read or written.
    #[error("cannot read {}", path.display())]
    #[diagnostic(code(snapshot::io))]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The path is not a directory.
    #[error("{} is not a directory", path.display())]
    #[diagnostic(
        code(snapshot::not_a_directory),
        help("--snapshot takes a directory of AWS CLI JSON outputs (see examples/collect.sh)")
    )]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// No `*.json` below the directory.
    #[error("no *.json files found under {}", path.display())]
    #[diagnostic(
        code(snapshot::empty),
        help(
            "a snapshot holds AWS CLI outputs such as `aws ec2 describe-security-groups --output json > sg.json`; examples/collect.sh writes a complete one"
        )
    )]
    NoJson {
        /// The directory.
        path: PathBuf,
    },
    /// The file is not valid JSON (or does not match the AWS shape of its key).
    #[error("{}:{line}:{column}: {message}", path.display())]
    #[diagnostic(code(snapshot::invalid_json), help("{help}"))]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's message.
        message: String,
        /// What to do.
        help: String,
        /// The file text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        at: SourceSpan,
    },
    /// The file's top level is not an object.
    #[error("{}: top level is {found}, expected a JSON object such as {{\"SecurityGroups\": [...]}}", path.display())]
    #[diagnostic(
        code(snapshot::not_an_object),
        help(
            "save the AWS CLI output unmodified (`--output json`); the top-level key tells edgepath what the file holds"
        )
    )]
    NotAnObject {
        /// The file.
        path: PathBuf,
        /// `an array`, `a string`, …
        found: &'static str,
    },
}

/// Something loadable but suspicious; reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotWarning {
    /// The file.
    pub file: PathBuf,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for SnapshotWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

/// A loaded snapshot.
#[derive(Debug, Clone)]
pub struct LoadedSnapshot {
    /// The account.
    pub inventory: Inventory,
    /// Warnings (unknown keys, missing parent keys), one per file and problem.
    pub warnings: Vec<SnapshotWarning>,
    /// Number of JSON files read.
    pub files: usize,
}

/// Everything one file can hold.
#[derive(Default)]
struct SnapshotFile {
    vpcs: Option<Vec<Vpc>>,
    subnets: Option<Vec<Subnet>>,
    route_tables: Option<Vec<RouteTable>>,
    network_acls: Option<Vec<NetworkAcl>>,
    internet_gateways: Option<Vec<InternetGateway>>,
    nat_gateways: Option<Vec<NatGateway>>,
    security_groups: Option<Vec<SecurityGroup>>,
    network_interfaces: Option<Vec<NetworkInterface>>,
    reservations: Option<Vec<Reservation>>,
    prefix_lists: Option<Vec<PrefixListWire>>,
    entries: Option<Vec<PrefixListEntry>>,
    vpc_endpoints: Option<Vec<VpcEndpoint>>,
    peerings: Option<Vec<VpcPeeringConnection>>,
    sg_references: Option<Vec<SecurityGroupReference>>,
    stale_sgs: Option<Vec<StaleSecurityGroup>>,
    load_balancers: Option<Vec<LoadBalancer>>,
    listeners: Option<Vec<Listener>>,
    rules: Option<Vec<Rule>>,
    target_groups: Option<Vec<TargetGroup>>,
    target_health: Option<Vec<TargetHealthDescription>>,
    attributes: Option<Vec<Attribute>>,
    distribution_list: Option<DistributionList>,
    distribution: Option<DistributionGet>,
    vpc_origin_list: Option<VpcOriginList>,
    vpc_origin: Option<VpcOrigin>,
    origin_request_policy_list: Option<OriginRequestPolicyList>,
    origin_request_policy: Option<OriginRequestPolicy>,
    cache_policy_list: Option<CachePolicyList>,
    cache_policy: Option<CachePolicy>,
    events: Option<Vec<CloudTrailEvent>>,
    metric_results: Option<Vec<MetricDataResult>>,
    listener_certificates: Option<Vec<ListenerCertificate>>,
    /// `Some(None)`: a `"Certificate": null` file, written for "ACM described, no certificate".
    acm_certificate: Option<Option<AcmCertificate>>,
    bpa_options: Option<VpcBlockPublicAccessOptions>,
    bpa_exclusions: Option<Vec<VpcBlockPublicAccessExclusion>>,
    unavailable: Option<BTreeMap<Kind, String>>,
    // parent keys
    prefix_list_id: Option<PrefixListId>,
    target_group_arn: Option<TgArn>,
    load_balancer_arn: Option<LbArn>,
    listener_arn: Option<ListenerArn>,
    metric_queries: Option<Vec<MetricDataQuery>>,
    etag: Option<String>,
    unknown_keys: Vec<String>,
}

/// One element of `PrefixLists[]`. `describe-managed-prefix-lists` gives the list without its
/// entries (those come from `get-managed-prefix-list-entries`); the older
/// `describe-prefix-lists` (gateway-endpoint lists such as `com.amazonaws.us-east-1.s3`, as
/// Batfish's test accounts hold them) gives `PrefixListId`, `PrefixListName` and `Cidrs[]`
/// instead. Those `Cidrs` are the same data as the list's entries, so they load as its entries
/// rather than leaving a list that looks loaded with no entries.
#[derive(Deserialize)]
struct PrefixListWire {
    #[serde(flatten)]
    list: ManagedPrefixList,
    #[serde(rename = "Cidrs", default)]
    cidrs: Option<Vec<String>>,
}

/// Every top-level key the loader reads: the data keys, then the parent and metadata keys
/// (`PrefixListId`, `TargetGroupArn`, `LoadBalancerArn`, `ListenerArn`, `ETag`) and
/// [`UNAVAILABLE_KEY`]. Any other key is a warning. For the fuzz target and property tests,
/// which feed arbitrary JSON under each.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "Vpcs",
    "Subnets",
    "RouteTables",
    "NetworkAcls",
    "InternetGateways",
    "NatGateways",
    "SecurityGroups",
    "NetworkInterfaces",
    "Reservations",
    "PrefixLists",
    "Entries",
    "VpcEndpoints",
    "VpcPeeringConnections",
    "SecurityGroupReferenceSet",
    "StaleSecurityGroupSet",
    "LoadBalancers",
    "Listeners",
    "Rules",
    "TargetGroups",
    "TargetHealthDescriptions",
    "Attributes",
    "DistributionList",
    "Distribution",
    "VpcOriginList",
    "VpcOrigin",
    "OriginRequestPolicyList",
    "OriginRequestPolicy",
    "CachePolicyList",
    "CachePolicy",
    "Events",
    "MetricDataResults",
    "Certificates",
    "Certificate",
    "VpcBlockPublicAccessOptions",
    "VpcBlockPublicAccessExclusions",
    "PrefixListId",
    "TargetGroupArn",
    "LoadBalancerArn",
    "ListenerArn",
    "MetricDataQueries",
    "ETag",
    UNAVAILABLE_KEY,
];

/// Keys that appear in AWS CLI output beside the data and mean nothing to edgepath.
const IGNORED_KEYS: &[&str] = &[
    "NextToken",
    "NextMarker",
    "Marker",
    "ResponseMetadata",
    // get-metric-data's notices about the whole request (too many datapoints, …).
    "Messages",
];

impl<'de> Deserialize<'de> for SnapshotFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FileVisitor;
        impl<'de> Visitor<'de> for FileVisitor {
            type Value = SnapshotFile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object with a top-level key such as \"SecurityGroups\"")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SnapshotFile, A::Error> {
                let mut f = SnapshotFile::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "Vpcs" => f.vpcs = Some(map.next_value()?),
                        "Subnets" => f.subnets = Some(map.next_value()?),
                        "RouteTables" => f.route_tables = Some(map.next_value()?),
                        "NetworkAcls" => f.network_acls = Some(map.next_value()?),
                        "InternetGateways" => f.internet_gateways = Some(map.next_value()?),
                        "NatGateways" => f.nat_gateways = Some(map.next_value()?),
                        "SecurityGroups" => f.security_groups = Some(map.next_value()?),
                        "NetworkInterfaces" => f.network_interfaces = Some(map.next_value()?),
                        "Reservations" => f.reservations = Some(map.next_value()?),
                        "PrefixLists" => f.prefix_lists = Some(map.next_value()?),
                        "Entries" => f.entries = Some(map.next_value()?),
                        "VpcEndpoints" => f.vpc_endpoints = Some(map.next_value()?),
                        "VpcPeeringConnections" => f.peerings = Some(map.next_value()?),
                        "SecurityGroupReferenceSet" => f.sg_references = Some(map.next_value()?),
                        "StaleSecurityGroupSet" => f.stale_sgs = Some(map.next_value()?),
                        "LoadBalancers" => f.load_balancers = Some(map.next_value()?),
                        "Listeners" => f.listeners = Some(map.next_value()?),
                        "Rules" => f.rules = Some(map.next_value()?),
                        "TargetGroups" => f.target_groups = Some(map.next_value()?),
                        "TargetHealthDescriptions" => f.target_health = Some(map.next_value()?),
                        "Attributes" => f.attributes = Some(map.next_value()?),
                        "DistributionList" => f.distribution_list = Some(map.next_value()?),
                        "Distribution" => f.distribution = Some(map.next_value()?),
                        "VpcOriginList" => f.vpc_origin_list = Some(map.next_value()?),
                        "VpcOrigin" => f.vpc_origin = Some(map.next_value()?),
                        "OriginRequestPolicyList" => {
                            f.origin_request_policy_list = Some(map.next_value()?);
                        }
                        "OriginRequestPolicy" => f.origin_request_policy = Some(map.next_value()?),
                        "CachePolicyList" => f.cache_policy_list = Some(map.next_value()?),
                        "CachePolicy" => f.cache_policy = Some(map.next_value()?),
                        "Events" => f.events = Some(map.next_value()?),
                        "MetricDataResults" => f.metric_results = Some(map.next_value()?),
                        "MetricDataQueries" => f.metric_queries = Some(map.next_value()?),
                        "Certificates" => f.listener_certificates = Some(map.next_value()?),
                        "Certificate" => f.acm_certificate = Some(map.next_value()?),
                        "VpcBlockPublicAccessOptions" => f.bpa_options = Some(map.next_value()?),
                        "VpcBlockPublicAccessExclusions" => {
                            f.bpa_exclusions = Some(map.next_value()?);
                        }
                        "PrefixListId" => f.prefix_list_id = Some(map.next_value()?),
                        "TargetGroupArn" => f.target_group_arn = Some(map.next_value()?),
                        "LoadBalancerArn" => f.load_balancer_arn = Some(map.next_value()?),
                        "ListenerArn" => f.listener_arn = Some(map.next_value()?),
                        "ETag" => f.etag = Some(map.next_value()?),
                        UNAVAILABLE_KEY => f.unavailable = Some(map.next_value()?),
                        k if IGNORED_KEYS.contains(&k) => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            f.unknown_keys.push(key);
                        }
                    }
                }
                Ok(f)
            }
        }
        d.deserialize_map(FileVisitor)
    }
}

/// Loads every `*.json` below `dir` into one Inventory.
///
/// # Errors
/// The directory is missing or holds no JSON, a file cannot be read, or a file is not valid
/// JSON of the shape its top-level key announces.
pub fn load_snapshot(dir: &Path) -> Result<LoadedSnapshot, SnapshotError> {
    let meta = fs::metadata(dir).map_err(|source| SnapshotError::Io {
        path: dir.to_owned(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(SnapshotError::NotADirectory {
            path: dir.to_owned(),
        });
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| SnapshotError::Io {
            path: e.path().map_or_else(|| dir.to_owned(), Path::to_owned),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk error")),
        })?;
        let p = entry.path();
        if entry.file_type().is_file()
            && p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            paths.push(p.to_owned());
        }
    }
    if paths.is_empty() {
        return Err(SnapshotError::NoJson {
            path: dir.to_owned(),
        });
    }
    let parsed: Vec<(PathBuf, SnapshotFile)> = paths
        .par_iter()
        .map(|p| parse_file(p).map(|f| (p.clone(), f)))
        .collect::<Result<_, _>>()?;
    Ok(merge_files(parsed))
}

/// Loads snapshot files already in memory, merged in the order given, exactly as
/// [`load_snapshot`] merges the files of a directory (exposed for the fuzz target and the
/// property tests: the whole loader without the file system). An empty list loads an empty
/// Inventory.
///
/// # Errors
/// A text is not valid JSON of the shape its top-level key announces, with file:line:column.
pub fn load_snapshot_texts(files: Vec<(PathBuf, String)>) -> Result<LoadedSnapshot, SnapshotError> {
    let parsed = files
        .into_iter()
        .map(|(path, text)| parse_text(&path, text).map(|f| (path, f)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(merge_files(parsed))
}

fn merge_files(parsed: Vec<(PathBuf, SnapshotFile)>) -> LoadedSnapshot {
    let files = parsed.len();
    let mut inv = Inventory::default();
    let mut warnings = Vec::new();
    for (path, file) in parsed {
        merge_file(&mut inv, &path, file, &mut warnings);
    }
    resolve_rule_listeners(&mut inv);
    inv.invalidate();
    LoadedSnapshot {
        inventory: inv,
        warnings,
        files,
    }
}

/// Parses one snapshot file (exposed for the fuzz target and tests).
///
/// # Errors
/// Unreadable file or malformed JSON, with file:line:column.
pub fn parse_file_text(path: &Path, text: String) -> Result<(), SnapshotError> {
    parse_text(path, text).map(|_| ())
}

fn parse_file(path: &Path) -> Result<SnapshotFile, SnapshotError> {
    let bytes = fs::read(path).map_err(|source| SnapshotError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        let line = prefix.matches('\n').count() + 1;
        let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let at = SourceSpan::from((valid, 0));
        SnapshotError::Json {
            path: path.to_owned(),
            line,
            column,
            message: "file is not valid UTF-8".into(),
            help: "AWS CLI writes UTF-8 JSON; was the file saved with another encoding?".into(),
            src: NamedSource::new(path.display().to_string(), prefix),
            at,
        }
    })?;
    parse_text(path, text)
}

fn parse_text(path: &Path, text: String) -> Result<SnapshotFile, SnapshotError> {
    let trimmed = text.trim_start_matches('\u{feff}');
    let first = trimmed.trim_start().chars().next();
    let found = match first {
        Some('[') => Some("an array"),
        Some('"') => Some("a string"),
        Some('0'..='9' | '-') => Some("a number"),
        Some('t' | 'f') => Some("a boolean"),
        Some('n') => Some("null"),
        _ => None,
    };
    if let Some(found) = found {
        return Err(SnapshotError::NotAnObject {
            path: path.to_owned(),
            found,
        });
    }
    serde_json::from_str::<SnapshotFile>(trimmed).map_err(|e| json_error(path, &text, &e))
}

fn json_error(path: &Path, text: &str, e: &serde_json::Error) -> SnapshotError {
    let (line, column) = (e.line().max(1), e.column().max(1));
    let offset = line_col_to_offset(text, line, column);
    let help = if e.is_eof() {
        "the file ends early (truncated download or interrupted command?); re-run the AWS CLI call"
            .to_owned()
    } else if e.is_data() {
        "the JSON is valid but not the shape AWS CLI prints for this key; save the CLI output unmodified"
            .to_owned()
    } else {
        "fix the JSON syntax or re-run the AWS CLI call with --output json".to_owned()
    };
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.clone(), |(m, _)| m.to_owned());
    SnapshotError::Json {
        path: path.to_owned(),
        line,
        column,
        message,
        help,
        src: NamedSource::new(path.display().to_string(), text.to_owned()),
        at: SourceSpan::from((offset, 0)),
    }
}

/// Byte offset of a 1-based line/column (serde_json columns count bytes), clamped to the text.
fn line_col_to_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1).min(l.len());
            let mut o = offset + col;
            while o > 0 && !text.is_char_boundary(o) {
                o -= 1;
            }
            return o.min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

fn warn(warnings: &mut Vec<SnapshotWarning>, path: &Path, message: String) {
    warnings.push(SnapshotWarning {
        file: path.to_owned(),
        message,
    });
}

#[allow(
    clippy::too_many_lines,
    reason = "one `merge_by!` line per snapshot file kind: a flat table, longer as kinds are added"
)]
fn merge_file(
    inv: &mut Inventory,
    path: &Path,
    f: SnapshotFile,
    warnings: &mut Vec<SnapshotWarning>,
) {
    macro_rules! merge_by {
        ($field:ident, $kind:expr, $map:ident, $id:ident) => {
            if let Some(items) = f.$field {
                inv.loaded.insert($kind);
                for item in items {
                    inv.$map.insert(item.$id.clone(), item);
                }
            }
        };
    }
    merge_by!(vpcs, Kind::Vpcs, vpcs, vpc_id);
    merge_by!(subnets, Kind::Subnets, subnets, subnet_id);
    merge_by!(
        route_tables,
        Kind::RouteTables,
        route_tables,
        route_table_id
    );
    merge_by!(
        network_acls,
        Kind::NetworkAcls,
        network_acls,
        network_acl_id
    );
    merge_by!(
        internet_gateways,
        Kind::InternetGateways,
        internet_gateways,
        internet_gateway_id
    );
    merge_by!(
        nat_gateways,
        Kind::NatGateways,
        nat_gateways,
        nat_gateway_id
    );
    merge_by!(
        security_groups,
        Kind::SecurityGroups,
        security_groups,
        group_id
    );
    merge_by!(
        network_interfaces,
        Kind::NetworkInterfaces,
        network_interfaces,
        network_interface_id
    );
    if let Some(lists) = f.prefix_lists {
        inv.loaded.insert(Kind::PrefixLists);
        for PrefixListWire { list, cidrs } in lists {
            if let Some(cidrs) = cidrs {
                inv.loaded.insert(Kind::PrefixListEntries);
                let entries = inv
                    .prefix_list_entries
                    .entry(list.prefix_list_id.clone())
                    .or_default();
                for cidr in cidrs {
                    if !entries.iter().any(|e| e.cidr == cidr) {
                        entries.push(PrefixListEntry {
                            cidr,
                            description: None,
                        });
                    }
                }
            }
            inv.prefix_lists.insert(list.prefix_list_id.clone(), list);
        }
    }
    merge_by!(
        vpc_endpoints,
        Kind::VpcEndpoints,
        vpc_endpoints,
        vpc_endpoint_id
    );
    merge_by!(
        peerings,
        Kind::VpcPeeringConnections,
        vpc_peering_connections,
        vpc_peering_connection_id
    );
    merge_by!(
        stale_sgs,
        Kind::StaleSecurityGroups,
        stale_security_groups,
        group_id
    );
    merge_by!(
        load_balancers,
        Kind::LoadBalancers,
        load_balancers,
        load_balancer_arn
    );
    merge_by!(listeners, Kind::Listeners, listeners, listener_arn);
    merge_by!(
        target_groups,
        Kind::TargetGroups,
        target_groups,
        target_group_arn
    );
    merge_by!(events, Kind::CloudTrailEvents, cloudtrail_events, event_id);
    if let Some(res) = f.reservations {
        inv.loaded.insert(Kind::Instances);
        for r in res {
            for i in r.instances {
                inv.instances.insert(i.instance_id.clone(), i);
            }
        }
    }
    if let Some(refs) = f.sg_references {
        inv.loaded.insert(Kind::SecurityGroupReferences);
        for r in refs {
            if !inv.security_group_references.contains(&r) {
                inv.security_group_references.push(r);
            }
        }
    }
    if let Some(rules) = f.rules {
        inv.loaded.insert(Kind::Rules);
        for mut r in rules {
            if r.listener_arn.is_none() {
                r.listener_arn = f
                    .listener_arn
                    .clone()
                    .or_else(|| Rule::listener_arn_from_rule_arn(r.rule_arn.as_str()));
            }
            if r.listener_arn.is_none() {
                warn(
                    warnings,
                    path,
                    format!(
                        "rule {} names no listener; add a top-level \"ListenerArn\" key to this file",
                        r.rule_arn
                    ),
                );
            }
            inv.rules.insert(r.rule_arn.clone(), r);
        }
    }
    if let Some(entries) = f.entries {
        inv.loaded.insert(Kind::PrefixListEntries);
        match f.prefix_list_id {
            Some(pl) => inv.prefix_list_entries.entry(pl).or_default().extend(entries),
            None if entries.is_empty() => {}
            None => warn(
                warnings,
                path,
                "`Entries` without a top-level \"PrefixListId\" key: these prefix-list entries were skipped; add \"PrefixListId\": \"pl-…\" to the file".into(),
            ),
        }
    }
    if let Some(th) = f.target_health {
        inv.loaded.insert(Kind::TargetHealth);
        match f.target_group_arn.clone() {
            Some(tg) => inv.target_health.entry(tg).or_default().extend(th),
            None if th.is_empty() => {}
            None => warn(
                warnings,
                path,
                "`TargetHealthDescriptions` without a top-level \"TargetGroupArn\" key: skipped; add \"TargetGroupArn\": \"arn:…\" to the file".into(),
            ),
        }
    }
    if let Some(attrs) = f.attributes {
        match (&f.load_balancer_arn, &f.target_group_arn) {
            (Some(lb), _) => {
                inv.loaded.insert(Kind::LoadBalancerAttributes);
                inv.load_balancer_attributes.insert(lb.clone(), attrs);
            }
            (None, Some(tg)) => {
                inv.loaded.insert(Kind::TargetGroupAttributes);
                inv.target_group_attributes.insert(tg.clone(), attrs);
            }
            (None, None) => warn(
                warnings,
                path,
                "`Attributes` without a top-level \"LoadBalancerArn\" or \"TargetGroupArn\" key: skipped".into(),
            ),
        }
    }
    if let Some(list) = f.distribution_list {
        inv.loaded.insert(Kind::Distributions);
        for d in list.items {
            // A get-distribution output (with ETag) is richer than a summary: keep it.
            if inv
                .distributions
                .get(&d.id)
                .is_some_and(|old| old.etag.is_some())
                && d.etag.is_none()
            {
                continue;
            }
            inv.distributions.insert(d.id.clone(), d);
        }
    }
    if let Some(d) = f.distribution {
        inv.loaded.insert(Kind::Distributions);
        let d = d.into_distribution(f.etag.clone());
        inv.distributions.insert(d.id.clone(), d);
    }
    if let Some(list) = f.vpc_origin_list {
        inv.loaded.insert(Kind::VpcOrigins);
        for vo in list.items {
            merge_vpc_origin(inv, vo);
        }
    }
    if let Some(mut vo) = f.vpc_origin {
        inv.loaded.insert(Kind::VpcOrigins);
        if vo.etag.is_none() {
            vo.etag = f.etag.clone();
        }
        merge_vpc_origin(inv, vo);
    }
    if let Some(results) = f.metric_results {
        merge_metric_data(inv, path, f.metric_queries.as_deref(), results, warnings);
    }
    // Managed policies are known by id; a list of every type loads only the custom ones.
    if let Some(list) = f.origin_request_policy_list {
        inv.loaded.insert(Kind::OriginRequestPolicies);
        for p in list.items {
            if p.kind != "managed" {
                let p = p.origin_request_policy;
                inv.origin_request_policies.insert(p.id.clone(), p);
            }
        }
    }
    if let Some(p) = f.origin_request_policy {
        inv.loaded.insert(Kind::OriginRequestPolicies);
        inv.origin_request_policies.insert(p.id.clone(), p);
    }
    if let Some(list) = f.cache_policy_list {
        inv.loaded.insert(Kind::CachePolicies);
        for p in list.items {
            if p.kind != "managed" {
                let p = p.cache_policy;
                inv.cache_policies.insert(p.id.clone(), p);
            }
        }
    }
    if let Some(p) = f.cache_policy {
        inv.loaded.insert(Kind::CachePolicies);
        inv.cache_policies.insert(p.id.clone(), p);
    }
    if let Some(certs) = f.listener_certificates {
        inv.loaded.insert(Kind::ListenerCertificates);
        match &f.listener_arn {
            Some(l) => {
                let list = inv.listener_certificates.entry(l.clone()).or_default();
                for c in certs {
                    if !list.contains(&c) {
                        list.push(c);
                    }
                }
            }
            None if certs.is_empty() => {}
            None => warn(
                warnings,
                path,
                "`Certificates` without a top-level \"ListenerArn\" key: skipped; add \"ListenerArn\": \"arn:…\" (the --listener-arn of describe-listener-certificates) to the file".into(),
            ),
        }
    }
    if let Some(c) = f.acm_certificate {
        inv.loaded.insert(Kind::AcmCertificates);
        if let Some(c) = c {
            inv.acm_certificates.insert(c.certificate_arn.clone(), c);
        }
    }
    if let Some(o) = f.bpa_options {
        inv.loaded.insert(Kind::VpcBlockPublicAccessOptions);
        inv.vpc_bpa_options
            .insert(o.aws_region.clone().unwrap_or_default(), o);
    }
    if let Some(list) = f.bpa_exclusions {
        inv.loaded.insert(Kind::VpcBlockPublicAccessExclusions);
        for e in list {
            inv.vpc_bpa_exclusions.insert(e.exclusion_id.clone(), e);
        }
    }
    if let Some(u) = f.unavailable {
        inv.unavailable.extend(u);
    }
    for key in f.unknown_keys {
        warn(
            warnings,
            path,
            format!(
                "unknown top-level key `{key}` skipped (edgepath reads the keys listed in README, \"Snapshot format\")"
            ),
        );
    }
}

/// `get-metric-data` results, attributed through the `MetricDataQueries` kept beside them.
fn merge_metric_data(
    inv: &mut Inventory,
    path: &Path,
    queries: Option<&[MetricDataQuery]>,
    results: Vec<MetricDataResult>,
    warnings: &mut Vec<SnapshotWarning>,
) {
    inv.loaded.insert(Kind::MetricData);
    let Some(queries) = queries else {
        if !results.is_empty() {
            warn(
                warnings,
                path,
                "`MetricDataResults` without a top-level \"MetricDataQueries\" key: skipped (results name only the query id); add the --metric-data-queries JSON under that key".into(),
            );
        }
        return;
    };
    let (series, unmatched) = join_results(queries, results);
    for (key, s) in series {
        inv.metric_series
            .entry(key)
            .or_default()
            .points
            .extend(s.points);
    }
    if !unmatched.is_empty() {
        warn(
            warnings,
            path,
            format!(
                "metric results skipped, no MetricStat query with their id in \"MetricDataQueries\": {}",
                unmatched.join(", ")
            ),
        );
    }
}

fn merge_vpc_origin(inv: &mut Inventory, vo: VpcOrigin) {
    match inv.vpc_origins.get_mut(&vo.id) {
        Some(existing) => existing.merge(vo),
        None => {
            inv.vpc_origins.insert(vo.id.clone(), vo);
        }
    }
}

/// Rules loaded before their listener was known keep the ARN-derived parent; nothing else to do.
fn resolve_rule_listeners(inv: &mut Inventory) {
    for r in inv.rules.values_mut() {
        if r.listener_arn.is_none() {
            r.listener_arn = Rule::listener_arn_from_rule_arn(r.rule_arn.as_str());
        }
    }
}

/// Writes `inv` as a snapshot directory that [`load_snapshot`] reads back into an equal Inventory.
///
/// Returns the files written.
///
/// # Errors
/// A file cannot be created or written.
pub fn write_snapshot(inv: &Inventory, dir: &Path) -> Result<Vec<PathBuf>, SnapshotError> {
    fs::create_dir_all(dir).map_err(|source| SnapshotError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut written = Vec::new();
    let mut put = |name: &str, value: serde_json::Value| -> Result<(), SnapshotError> {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| SnapshotError::Io {
                path: parent.to_owned(),
                source,
            })?;
        }
        let text = serde_json::to_string_pretty(&value).expect("Inventory types always serialize");
        fs::write(&path, text + "\n").map_err(|source| SnapshotError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
        Ok(())
    };
    let to = |v: &dyn erased::Ser| v.to_json();
    macro_rules! simple {
        ($kind:expr, $file:literal, $key:literal, $iter:expr) => {
            if inv.has($kind) {
                let items: Vec<serde_json::Value> = $iter.map(|x| to(x)).collect();
                put($file, serde_json::json!({ $key: items }))?;
            }
        };
    }
    simple!(Kind::Vpcs, "ec2/vpcs.json", "Vpcs", inv.vpcs.values());
    simple!(
        Kind::Subnets,
        "ec2/subnets.json",
        "Subnets",
        inv.subnets.values()
    );
    simple!(
        Kind::RouteTables,
        "ec2/route-tables.json",
        "RouteTables",
        inv.route_tables.values()
    );
    simple!(
        Kind::NetworkAcls,
        "ec2/network-acls.json",
        "NetworkAcls",
        inv.network_acls.values()
    );
    simple!(
        Kind::InternetGateways,
        "ec2/internet-gateways.json",
        "InternetGateways",
        inv.internet_gateways.values()
    );
    simple!(
        Kind::NatGateways,
        "ec2/nat-gateways.json",
        "NatGateways",
        inv.nat_gateways.values()
    );
    simple!(
        Kind::SecurityGroups,
        "ec2/security-groups.json",
        "SecurityGroups",
        inv.security_groups.values()
    );
    simple!(
        Kind::NetworkInterfaces,
        "ec2/network-interfaces.json",
        "NetworkInterfaces",
        inv.network_interfaces.values()
    );
    simple!(
        Kind::PrefixLists,
        "ec2/managed-prefix-lists.json",
        "PrefixLists",
        inv.prefix_lists.values()
    );
    simple!(
        Kind::VpcEndpoints,
        "ec2/vpc-endpoints.json",
        "VpcEndpoints",
        inv.vpc_endpoints.values()
    );
    simple!(
        Kind::VpcPeeringConnections,
        "ec2/vpc-peering-connections.json",
        "VpcPeeringConnections",
        inv.vpc_peering_connections.values()
    );
    simple!(
        Kind::SecurityGroupReferences,
        "ec2/security-group-references.json",
        "SecurityGroupReferenceSet",
        inv.security_group_references.iter()
    );
    simple!(
        Kind::StaleSecurityGroups,
        "ec2/stale-security-groups.json",
        "StaleSecurityGroupSet",
        inv.stale_security_groups.values()
    );
    simple!(
        Kind::LoadBalancers,
        "elbv2/load-balancers.json",
        "LoadBalancers",
        inv.load_balancers.values()
    );
    simple!(
        Kind::Listeners,
        "elbv2/listeners.json",
        "Listeners",
        inv.listeners.values()
    );
    simple!(Kind::Rules, "elbv2/rules.json", "Rules", inv.rules.values());
    simple!(
        Kind::TargetGroups,
        "elbv2/target-groups.json",
        "TargetGroups",
        inv.target_groups.values()
    );
    simple!(
        Kind::CloudTrailEvents,
        "cloudtrail/events.json",
        "Events",
        inv.cloudtrail_events.values()
    );
    if inv.has(Kind::Instances) {
        let instances: Vec<serde_json::Value> = inv.instances.values().map(|i| to(i)).collect();
        put(
            "ec2/instances.json",
            serde_json::json!({ "Reservations": [{ "Instances": instances }] }),
        )?;
    }
    if inv.has(Kind::PrefixListEntries) {
        if inv.prefix_list_entries.is_empty() {
            put(
                "ec2/prefix-list-entries/none.json",
                serde_json::json!({ "Entries": [] }),
            )?;
        }
        for (i, (pl, entries)) in inv.prefix_list_entries.iter().enumerate() {
            put(
                &format!("ec2/prefix-list-entries/{i:04}-{pl}.json"),
                serde_json::json!({ "PrefixListId": pl, "Entries": entries }),
            )?;
        }
    }
    if inv.has(Kind::TargetHealth) {
        if inv.target_health.is_empty() {
            put(
                "elbv2/target-health/none.json",
                serde_json::json!({ "TargetHealthDescriptions": [] }),
            )?;
        }
        for (i, (tg, th)) in inv.target_health.iter().enumerate() {
            put(
                &format!("elbv2/target-health/{i:04}.json"),
                serde_json::json!({ "TargetGroupArn": tg, "TargetHealthDescriptions": th }),
            )?;
        }
    }
    for (i, (lb, attrs)) in inv.load_balancer_attributes.iter().enumerate() {
        put(
            &format!("elbv2/load-balancer-attributes/{i:04}.json"),
            serde_json::json!({ "LoadBalancerArn": lb, "Attributes": attrs }),
        )?;
    }
    for (i, (tg, attrs)) in inv.target_group_attributes.iter().enumerate() {
        put(
            &format!("elbv2/target-group-attributes/{i:04}.json"),
            serde_json::json!({ "TargetGroupArn": tg, "Attributes": attrs }),
        )?;
    }
    if inv.has(Kind::Distributions) {
        let items: Vec<serde_json::Value> = inv.distributions.values().map(|d| to(d)).collect();
        put(
            "cloudfront/distributions.json",
            serde_json::json!({ "DistributionList": { "Quantity": items.len(), "Items": items } }),
        )?;
    }
    if inv.has(Kind::VpcOrigins) {
        let items: Vec<serde_json::Value> = inv.vpc_origins.values().map(|d| to(d)).collect();
        put(
            "cloudfront/vpc-origins.json",
            serde_json::json!({ "VpcOriginList": { "Quantity": items.len(), "Items": items } }),
        )?;
    }
    if inv.has(Kind::MetricData) {
        let mut queries = Vec::with_capacity(inv.metric_series.len());
        let mut results = Vec::with_capacity(inv.metric_series.len());
        for (i, (key, series)) in inv.metric_series.iter().enumerate() {
            let id = format!("m{i}");
            results.push(MetricDataResult {
                id: id.clone(),
                label: Some(key.metric_name.clone()),
                timestamps: series.points.keys().map(|t| format_timestamp(*t)).collect(),
                values: series.points.values().copied().collect(),
                status_code: Some("Complete".to_owned()),
            });
            queries.push(key.query(id));
        }
        put(
            "cloudwatch/metric-data.json",
            serde_json::json!({ "MetricDataQueries": queries, "MetricDataResults": results }),
        )?;
    }
    if inv.has(Kind::OriginRequestPolicies) {
        let items: Vec<serde_json::Value> = inv
            .origin_request_policies
            .values()
            .map(|p| serde_json::json!({ "Type": "custom", "OriginRequestPolicy": to(p) }))
            .collect();
        put(
            "cloudfront/origin-request-policies.json",
            serde_json::json!({ "OriginRequestPolicyList": { "Quantity": items.len(), "Items": items } }),
        )?;
    }
    if inv.has(Kind::CachePolicies) {
        let items: Vec<serde_json::Value> = inv
            .cache_policies
            .values()
            .map(|p| serde_json::json!({ "Type": "custom", "CachePolicy": to(p) }))
            .collect();
        put(
            "cloudfront/cache-policies.json",
            serde_json::json!({ "CachePolicyList": { "Quantity": items.len(), "Items": items } }),
        )?;
    }
    if inv.has(Kind::ListenerCertificates) {
        if inv.listener_certificates.is_empty() {
            put(
                "elbv2/listener-certificates/none.json",
                serde_json::json!({ "Certificates": [] }),
            )?;
        }
        for (i, (l, certs)) in inv.listener_certificates.iter().enumerate() {
            put(
                &format!("elbv2/listener-certificates/{i:04}.json"),
                serde_json::json!({ "ListenerArn": l, "Certificates": certs }),
            )?;
        }
    }
    if inv.has(Kind::AcmCertificates) && inv.acm_certificates.is_empty() {
        // Described, and no listener names an ACM certificate: say so, or the snapshot would
        // read back as "ACM not described".
        put(
            "acm/certificates/none.json",
            serde_json::json!({ "Certificate": null }),
        )?;
    }
    for (i, c) in inv.acm_certificates.values().enumerate() {
        put(
            &format!("acm/certificates/{i:04}.json"),
            serde_json::json!({ "Certificate": c }),
        )?;
    }
    for (i, o) in inv.vpc_bpa_options.values().enumerate() {
        put(
            &format!("ec2/vpc-block-public-access-options/{i:04}.json"),
            serde_json::json!({ "VpcBlockPublicAccessOptions": o }),
        )?;
    }
    simple!(
        Kind::VpcBlockPublicAccessExclusions,
        "ec2/vpc-block-public-access-exclusions.json",
        "VpcBlockPublicAccessExclusions",
        inv.vpc_bpa_exclusions.values()
    );
    if !inv.unavailable.is_empty() {
        put(
            "edgepath-unavailable.json",
            serde_json::json!({ UNAVAILABLE_KEY: inv.unavailable }),
        )?;
    }
    Ok(written)
}

/// Object-safe "serialize to a JSON value" so the writer can treat every kind alike.
mod erased {
    pub(super) trait Ser {
        fn to_json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_json(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("Inventory types always serialize")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<LoadedSnapshot, SnapshotError> {
        load_snapshot_texts(vec![(PathBuf::from("t.json"), text.to_owned())])
    }

    #[test]
    fn top_level_keys_lists_every_key_the_loader_reads() {
        for key in TOP_LEVEL_KEYS {
            // A known key is typed: `true` fits none of them. An unknown key would load with a
            // warning instead.
            let text = format!("{{\"{key}\": true}}");
            assert!(load(&text).is_err(), "{key} is not read by the loader");
        }
        let unknown = load("{\"NotAKey\": true}").expect("loads");
        assert_eq!(unknown.warnings.len(), 1);
        for k in Kind::ALL {
            assert!(TOP_LEVEL_KEYS.contains(&k.top_level_key()), "{k:?}");
        }
    }

    #[test]
    fn metric_data_loads_through_its_queries_and_writes_back_equal() {
        let text = r#"{
          "MetricDataQueries": [{"Id": "e504", "MetricStat": {"Metric": {
              "Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_ELB_504_Count",
              "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/1"}]},
              "Period": 60, "Stat": "Sum"}}],
          "MetricDataResults": [{"Id": "e504", "Label": "HTTPCode_ELB_504_Count",
              "Timestamps": ["2026-11-26T08:03:00+00:00", "2026-11-26T08:02:00+00:00"],
              "Values": [12.0, 4.0], "StatusCode": "Complete"}],
          "Messages": []
        }"#;
        let loaded = load(text).expect("loads");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let inv = loaded.inventory;
        assert!(inv.has(Kind::MetricData));
        assert_eq!(inv.count(Kind::MetricData), 1);
        let dir = std::env::temp_dir().join(format!("edgepath-metrics-{}", std::process::id()));
        write_snapshot(&inv, &dir).expect("writes");
        let back = load_snapshot(&dir).expect("reads back").inventory;
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(back.metric_series, inv.metric_series);

        let orphan =
            load(r#"{"MetricDataResults": [{"Id": "m0", "Timestamps": [], "Values": []}]}"#)
                .expect("loads");
        assert_eq!(orphan.warnings.len(), 1);
        assert!(orphan.warnings[0].message.contains("MetricDataQueries"));
    }
}
