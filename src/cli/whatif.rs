//! Arguments of `edgepath what-if`.

use std::path::PathBuf;

use crate::cmd::whatif::WhatIfRequest;

const EXAMPLES: &str = concat!(
    "\
Examples:
  edgepath what-if --snapshot ./snap --detach-sg sg-0old --from web-alb
  edgepath what-if --snapshot ./snap --revoke-ingress 'sg-0cf tcp 443 pl-3b927c52'
  edgepath what-if --snapshot ./snap --authorize-ingress 'sg-0app tcp 80 sg-0cf' --delete-sg sg-0old
  edgepath what-if --snapshot ./snap --nacl-entry 'acl-0abc egress 90 deny tcp 1024-65535 0.0.0.0/0'
  edgepath what-if --snapshot ./snap --tg-health-port 'web-tg 8081'
  edgepath what-if --snapshot ./snap --origin-protocol 'E2QWRUHAPOMQZL web-alb-origin https-only'
  edgepath what-if --snapshot ./snap --rule-condition 'web-alb:80:10=host-header:www.example.com,web-alb-1234567890.us-east-1.elb.amazonaws.com'
  edgepath what-if --snapshot ./snap --rule-condition 'web-alb:80:10=http-header:X-Origin-Verify=s3cret'
  edgepath what-if --snapshot ./snap --rule-action 'web-alb:80:10=fixed-response:503'
  edgepath what-if --snapshot ./snap --listener-default 'web-alb:80=forward:web-tg'
  edgepath what-if --snapshot ./snap --delete-rule web-alb:80:10
  edgepath what-if --snapshot ./snap --origin-request-policy 'E2QWRUHAPOMQZL:/api/*=b689b0a8-53d0-40ab-baf2-68738e2966ac'
  edgepath what-if --snapshot ./snap --origin-header 'E2QWRUHAPOMQZL:web-alb-origin:X-Origin-Verify=n3w-s3cret'
  edgepath what-if --snapshot ./snap --terraform-plan plan.json     # CI gate: exit 1 if a path breaks
  edgepath what-if --snapshot ./snap --changes changes.json

Rule flags take 'SG PROTO PORT[-PORT] PEER' (PROTO tcp|udp|icmp|all; PEER sg-…, pl-… or a CIDR).
SGs may be named by id or by their name.

A listener rule is its ARN or ALB:PORT:PRIORITY (ALB:PORT:default for the default rule), a
listener its ARN or ALB:PORT. Conditions: host-header, path-pattern, http-header:NAME=V,
http-request-method, query-string (KEY=V or V), source-ip; several values are ORed, and the
condition replaces the rule's condition of that field. Actions: forward:TG[,TG=WEIGHT…],
fixed-response:STATUS, redirect:https[:PORT]. A behavior is its path pattern (* for the
default one); POLICY_ID is a managed origin request policy id or one in the snapshot, `none`
removes it. An empty header VALUE removes the origin header.

A plan's every resource change is listed once: modelled (evaluated), unresolved (known only
after apply, or not in the snapshot), not modelled, or no-op. A plan (or --changes file) with
no change edgepath models says \"nothing to check\" and exits 0.

",
    exit_codes!()
);

/// Flags of `edgepath what-if`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct WhatIfArgs {
    /// Detach this security group (with --from).
    #[arg(long, visible_alias = "detach", value_name = "SG", requires = "from")]
    pub detach_sg: Vec<String>,
    /// ALB (name or ARN), eni-… or i-… to detach from.
    #[arg(long, value_name = "RESOURCE")]
    pub from: Vec<String>,
    /// Attach this security group (with --to).
    #[arg(long, visible_alias = "attach", value_name = "SG", requires = "to")]
    pub attach_sg: Vec<String>,
    /// ALB, eni-… or i-… to attach to.
    #[arg(long, value_name = "RESOURCE")]
    pub to: Vec<String>,
    /// Delete a security group (reports what AWS would refuse, and evaluates the detach).
    #[arg(long, value_name = "SG")]
    pub delete_sg: Vec<String>,
    /// Revoke an inbound rule: 'SG PROTO PORT PEER'.
    #[arg(long, value_name = "RULE")]
    pub revoke_ingress: Vec<String>,
    /// Add an inbound rule: 'SG PROTO PORT PEER'.
    #[arg(long, value_name = "RULE")]
    pub authorize_ingress: Vec<String>,
    /// Revoke an outbound rule: 'SG PROTO PORT PEER'.
    #[arg(long, value_name = "RULE")]
    pub revoke_egress: Vec<String>,
    /// Add an outbound rule: 'SG PROTO PORT PEER'.
    #[arg(long, value_name = "RULE")]
    pub authorize_egress: Vec<String>,
    /// Replace an inbound rule's source: 'SG PROTO PORT OLD_PEER NEW_PEER'.
    #[arg(long, value_name = "RULE")]
    pub replace_source: Vec<String>,
    /// Set a NACL entry: 'ACL ingress|egress NUMBER allow|deny PROTO PORT CIDR'.
    #[arg(long, value_name = "ENTRY")]
    pub nacl_entry: Vec<String>,
    /// Change a target group's port: 'TG PORT'.
    #[arg(long, value_name = "TG_PORT")]
    pub tg_port: Vec<String>,
    /// Change a target group's health-check port: 'TG PORT'.
    #[arg(long, value_name = "TG_PORT")]
    pub tg_health_port: Vec<String>,
    /// Change an origin's protocol: 'DIST ORIGIN_ID POLICY [http=N] [https=N]'.
    #[arg(long, value_name = "ORIGIN")]
    pub origin_protocol: Vec<String>,
    /// Set a listener rule's condition: 'RULE=FIELD:VALUE[,VALUE…]'.
    #[arg(long, value_name = "RULE=CONDITION")]
    pub rule_condition: Vec<String>,
    /// Set a listener rule's action: 'RULE=forward:TG|fixed-response:STATUS|redirect:https'.
    #[arg(long, value_name = "RULE=ACTION")]
    pub rule_action: Vec<String>,
    /// Set a listener's default action: 'LISTENER=ACTION' (LISTENER is an ARN or ALB:PORT).
    #[arg(long, value_name = "LISTENER=ACTION")]
    pub listener_default: Vec<String>,
    /// Delete a listener rule: its ARN or ALB:PORT:PRIORITY.
    #[arg(long, value_name = "RULE")]
    pub delete_rule: Vec<String>,
    /// Set a behavior's origin request policy: 'DIST:PATTERN=POLICY_ID' (`none` removes it).
    #[arg(long, value_name = "DIST:PATTERN=POLICY")]
    pub origin_request_policy: Vec<String>,
    /// Set an origin's custom header: 'DIST:ORIGIN_ID:NAME=VALUE' (empty VALUE removes it).
    #[arg(long, value_name = "DIST:ORIGIN:NAME=VALUE")]
    pub origin_header: Vec<String>,
    /// A JSON (list) or TOML (`[[change]]`) file of changes.
    #[arg(long, value_name = "FILE")]
    pub changes: Option<PathBuf>,
    /// A Terraform plan as JSON (`terraform show -json tf.plan > plan.json`).
    #[arg(long, value_name = "PLAN_JSON")]
    pub terraform_plan: Option<PathBuf>,
    /// `--out FILE`.
    #[command(flatten)]
    pub out: super::ReportOut,
}

impl From<WhatIfArgs> for WhatIfRequest {
    fn from(a: WhatIfArgs) -> WhatIfRequest {
        WhatIfRequest {
            detach_sg: a.detach_sg,
            from: a.from,
            attach_sg: a.attach_sg,
            to: a.to,
            delete_sg: a.delete_sg,
            revoke_ingress: a.revoke_ingress,
            authorize_ingress: a.authorize_ingress,
            revoke_egress: a.revoke_egress,
            authorize_egress: a.authorize_egress,
            replace_source: a.replace_source,
            nacl_entry: a.nacl_entry,
            tg_port: a.tg_port,
            tg_health_port: a.tg_health_port,
            origin_protocol: a.origin_protocol,
            rule_condition: a.rule_condition,
            rule_action: a.rule_action,
            listener_default: a.listener_default,
            delete_rule: a.delete_rule,
            origin_request_policy: a.origin_request_policy,
            origin_header: a.origin_header,
            changes: a.changes,
            terraform_plan: a.terraform_plan,
        }
    }
}
