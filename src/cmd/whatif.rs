//! `edgepath what-if`: apply proposed changes to a copy of the Inventory and diff the paths.

use std::path::PathBuf;

use miette::Result;

use super::{Globals, LiveScope, Outcome, emit, load_inventory};
use crate::model::{Direction, Inventory};
use crate::report::Report;
use crate::whatif::terraform::parse_plan;
use crate::whatif::{Change, PlanStatus, WhatIfInput, evaluate_changes, load_changes_file};

/// The changes `edgepath what-if` simulates, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct WhatIfRequest {
    /// Detach this security group (with --from).
    pub detach_sg: Vec<String>,
    /// ALB (name or ARN), eni-… or i-… to detach from.
    pub from: Vec<String>,
    /// Attach this security group (with --to).
    pub attach_sg: Vec<String>,
    /// ALB, eni-… or i-… to attach to.
    pub to: Vec<String>,
    /// Delete a security group (reports what AWS would refuse, and evaluates the detach).
    pub delete_sg: Vec<String>,
    /// Revoke an inbound rule: 'SG PROTO PORT PEER'.
    pub revoke_ingress: Vec<String>,
    /// Add an inbound rule: 'SG PROTO PORT PEER'.
    pub authorize_ingress: Vec<String>,
    /// Revoke an outbound rule: 'SG PROTO PORT PEER'.
    pub revoke_egress: Vec<String>,
    /// Add an outbound rule: 'SG PROTO PORT PEER'.
    pub authorize_egress: Vec<String>,
    /// Replace an inbound rule's source: 'SG PROTO PORT OLD_PEER NEW_PEER'.
    pub replace_source: Vec<String>,
    /// Set a NACL entry: 'ACL ingress|egress NUMBER allow|deny PROTO PORT CIDR'.
    pub nacl_entry: Vec<String>,
    /// Change a target group's port: 'TG PORT'.
    pub tg_port: Vec<String>,
    /// Change a target group's health-check port: 'TG PORT'.
    pub tg_health_port: Vec<String>,
    /// Change an origin's protocol: 'DIST ORIGIN_ID POLICY [http=N] [https=N]'.
    pub origin_protocol: Vec<String>,
    /// Set a listener rule's condition: 'RULE=FIELD:VALUE[,VALUE…]'.
    pub rule_condition: Vec<String>,
    /// Set a listener rule's action: 'RULE=ACTION'.
    pub rule_action: Vec<String>,
    /// Set a listener's default action: 'LISTENER=ACTION'.
    pub listener_default: Vec<String>,
    /// Delete a listener rule.
    pub delete_rule: Vec<String>,
    /// Set a behavior's origin request policy: 'DIST:PATTERN=POLICY_ID'.
    pub origin_request_policy: Vec<String>,
    /// Set an origin's custom header: 'DIST:ORIGIN_ID:NAME=VALUE'.
    pub origin_header: Vec<String>,
    /// A JSON (list) or TOML (`[[change]]`) file of changes.
    pub changes: Option<PathBuf>,
    /// A Terraform plan as JSON (`terraform show -json tf.plan > plan.json`).
    pub terraform_plan: Option<PathBuf>,
}

fn collect(a: &WhatIfRequest) -> Result<WhatIfInput> {
    let mut input = WhatIfInput::default();
    let c = &mut input.changes;
    if a.detach_sg.len() != a.from.len() || a.attach_sg.len() != a.to.len() {
        return Err(miette::miette!(
            help = "e.g. --detach-sg sg-0old --from web-alb",
            "each --detach-sg needs one --from and each --attach-sg one --to"
        ));
    }
    for (sg, from) in a.detach_sg.iter().zip(&a.from) {
        c.push(Change::DetachSg {
            sg: sg.clone(),
            from: from.clone(),
        });
    }
    for (sg, to) in a.attach_sg.iter().zip(&a.to) {
        c.push(Change::AttachSg {
            sg: sg.clone(),
            to: to.clone(),
        });
    }
    for sg in &a.delete_sg {
        c.push(Change::DeleteSg { sg: sg.clone() });
    }
    for (list, authorize, dir) in [
        (&a.revoke_ingress, false, Direction::Ingress),
        (&a.authorize_ingress, true, Direction::Ingress),
        (&a.revoke_egress, false, Direction::Egress),
        (&a.authorize_egress, true, Direction::Egress),
    ] {
        for r in list {
            c.push(Change::parse_rule(r, authorize, dir)?);
        }
    }
    for r in &a.replace_source {
        c.extend(Change::parse_replace_source(r)?);
    }
    for n in &a.nacl_entry {
        c.push(Change::parse_nacl(n)?);
    }
    for t in &a.tg_port {
        c.push(Change::parse_tg(t, false)?);
    }
    for t in &a.tg_health_port {
        c.push(Change::parse_tg(t, true)?);
    }
    for o in &a.origin_protocol {
        c.push(Change::parse_origin(o)?);
    }
    for r in &a.rule_condition {
        c.push(Change::parse_rule_condition(r)?);
    }
    for r in &a.rule_action {
        c.push(Change::parse_routing_action(r, false)?);
    }
    for l in &a.listener_default {
        c.push(Change::parse_routing_action(l, true)?);
    }
    for r in &a.delete_rule {
        c.push(Change::parse_delete_rule(r)?);
    }
    for p in &a.origin_request_policy {
        c.push(Change::parse_origin_request_policy(p)?);
    }
    for h in &a.origin_header {
        c.push(Change::parse_origin_header(h)?);
    }
    // A `--changes` file or a plan that holds nothing to check is an answer ("nothing to
    // check"), not an error: a CI gate runs on every pull request, most of which change
    // nothing edgepath models. Only a command line without any change is a usage error.
    if c.is_empty() && a.changes.is_none() && a.terraform_plan.is_none() {
        return Err(miette::miette!(
            help = "see `edgepath what-if --help`",
            "no change given"
        ));
    }
    if let Some(f) = &a.changes {
        c.extend(load_changes_file(f)?);
    }
    if let Some(p) = &a.terraform_plan {
        let bytes =
            std::fs::read(p).map_err(|e| miette::miette!("cannot read {}: {e}", p.display()))?;
        input.plan = parse_plan(&p.display().to_string(), &bytes)?.resources;
    }
    Ok(input)
}

/// Runs `edgepath what-if`.
///
/// # Errors
/// Bad change syntax, an unknown id, an unreadable or unsupported plan.
pub fn run(g: &Globals, a: &WhatIfRequest) -> Result<Outcome> {
    let input = collect(a)?;
    let modelled =
        !input.changes.is_empty() || input.plan.iter().any(|r| r.status == PlanStatus::Modelled);
    if !modelled {
        // Nothing to evaluate: no account data is needed (a CI gate on an unrelated pull
        // request neither calls AWS nor needs a snapshot to say so).
        let report = evaluate_changes(&Inventory::default(), input, None)?;
        emit(g, &Report::WhatIf(&report))?;
        return Ok(Outcome::Clean);
    }
    let loaded = load_inventory(g, &LiveScope::default())?;
    // Without CloudFront data no path is evaluated, and "no path breaks" would pass a CI gate.
    super::require_cloudfront_data(&loaded)?;
    let rules = crate::rules::load_rules(&g.rules_dirs)?;
    let mut report = evaluate_changes(&loaded.inventory, input, Some(&rules))?;
    report.warnings = loaded.warning_texts();
    emit(g, &Report::WhatIf(&report))?;
    Ok(Outcome::from_checks(
        report.breaks(),
        report.incomplete(),
        g.allow_unknown,
    ))
}
