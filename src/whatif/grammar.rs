//! The change grammar people type in an incident, one change per flag (repeat flags for
//! several), and the `--changes` file that lists them.
//!
//! - `--detach-sg SG --from RESOURCE` / `--attach-sg SG --to RESOURCE` (ALB name or ARN, `eni-…`, `i-…`)
//! - `--delete-sg SG`
//! - `--revoke-ingress 'SG PROTO PORT[-PORT] PEER'`, `--authorize-ingress …`, `--revoke-egress …`,
//!   `--authorize-egress …` where PROTO is `tcp|udp|icmp|all`, PEER a `sg-…`, `pl-…` or CIDR
//! - `--replace-source 'SG PROTO PORT OLD_PEER NEW_PEER'`
//! - `--nacl-entry 'ACL ingress|egress NUMBER allow|deny PROTO PORT[-PORT] CIDR'`
//! - `--tg-port 'TG PORT'`, `--tg-health-port 'TG PORT'` (TG name or ARN)
//! - `--origin-protocol 'DISTRIBUTION ORIGIN_ID http-only|https-only|match-viewer [http=80] [https=443]'`
//! - where a request goes: `--rule-condition`, `--rule-action`, `--listener-default`,
//!   `--delete-rule`, `--origin-request-policy`, `--origin-header` (`routing_changes`)
//!
//! A security group may be named by id or by name (unique in its VPC); names are resolved when
//! the change is applied (`resolve`), not here. The flags themselves (clap) are `cmd`'s.

use std::path::PathBuf;

use super::change::{Change, ChangeError, Peer, RuleEdit, syntax};
use crate::model::{Direction, Protocol};

fn ports(text: &str, s: &str) -> Result<(Option<i32>, Option<i32>), ChangeError> {
    if s == "all" || s == "-1" {
        return Ok((None, None));
    }
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let p = |x: &str| {
        x.parse::<i32>().map_err(|_| {
            syntax(
                text,
                "ports are a number, a range like 1024-65535, or `all`",
            )
        })
    };
    Ok((Some(p(a)?), Some(p(b)?)))
}

impl Change {
    /// Parses `SG PROTO PORT PEER` for the rule flags.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_rule(
        text: &str,
        authorize: bool,
        direction: Direction,
    ) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [sg, proto, port, peer] = w[..] else {
            return Err(syntax(
                text,
                "expected `SG PROTO PORT PEER`, e.g. `sg-0abc tcp 80 sg-0def`",
            ));
        };
        let (from_port, to_port) = ports(text, port)?;
        Ok(Change::Rule(RuleEdit {
            authorize,
            direction,
            sg: sg.to_owned(),
            protocol: Protocol::parse(proto),
            from_port,
            to_port,
            peer: Peer::parse(peer),
        }))
    }

    /// Parses `SG PROTO PORT OLD NEW` into a revoke and an authorize.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_replace_source(text: &str) -> Result<Vec<Change>, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [sg, proto, port, old, new] = w[..] else {
            return Err(syntax(text, "expected `SG PROTO PORT OLD_PEER NEW_PEER`"));
        };
        Ok(vec![
            Change::parse_rule(
                &format!("{sg} {proto} {port} {old}"),
                false,
                Direction::Ingress,
            )?,
            Change::parse_rule(
                &format!("{sg} {proto} {port} {new}"),
                true,
                Direction::Ingress,
            )?,
        ])
    }

    /// Parses `ACL ingress|egress NUMBER allow|deny PROTO PORT CIDR`.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_nacl(text: &str) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [acl, dir, number, action, proto, port, cidr] = w[..] else {
            return Err(syntax(
                text,
                "expected `ACL ingress|egress NUMBER allow|deny PROTO PORT CIDR`",
            ));
        };
        let egress = match dir {
            "egress" | "outbound" => true,
            "ingress" | "inbound" => false,
            _ => return Err(syntax(text, "direction is ingress or egress")),
        };
        if action != "allow" && action != "deny" {
            return Err(syntax(text, "action is allow or deny"));
        }
        let number = number
            .parse()
            .map_err(|_| syntax(text, "rule number is a number"))?;
        let (from_port, to_port) = ports(text, port)?;
        Ok(Change::NaclEntry {
            acl: acl.to_owned(),
            egress,
            number,
            action: action.to_owned(),
            protocol: Protocol::parse(proto),
            from_port,
            to_port,
            cidr: cidr.to_owned(),
        })
    }

    /// Parses `TG PORT`.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_tg(text: &str, health: bool) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let [tg, port] = w[..] else {
            return Err(syntax(text, "expected `TARGET_GROUP PORT`"));
        };
        let port = port.parse().map_err(|_| syntax(text, "port is a number"))?;
        Ok(if health {
            Change::TgHealthPort {
                tg: tg.to_owned(),
                port,
            }
        } else {
            Change::TgPort {
                tg: tg.to_owned(),
                port,
            }
        })
    }

    /// Parses `DIST ORIGIN POLICY [http=N] [https=N]`.
    ///
    /// # Errors
    /// The text does not follow the grammar.
    pub fn parse_origin(text: &str) -> Result<Change, ChangeError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        if w.len() < 3 || !matches!(w[2], "http-only" | "https-only" | "match-viewer") {
            return Err(syntax(
                text,
                "expected `DISTRIBUTION ORIGIN_ID http-only|https-only|match-viewer [http=80] [https=443]`",
            ));
        }
        let mut c = Change::OriginProtocol {
            distribution: w[0].to_owned(),
            origin: w[1].to_owned(),
            policy: w[2].to_owned(),
            http_port: None,
            https_port: None,
        };
        for kv in &w[3..] {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| syntax(text, "extra words are http=PORT or https=PORT"))?;
            let v: i32 = v.parse().map_err(|_| syntax(text, "port is a number"))?;
            if let Change::OriginProtocol {
                http_port,
                https_port,
                ..
            } = &mut c
            {
                match k {
                    "http" => *http_port = Some(v),
                    "https" => *https_port = Some(v),
                    _ => return Err(syntax(text, "extra words are http=PORT or https=PORT")),
                }
            }
        }
        Ok(c)
    }
}

/// Reads a `--changes` file: a JSON or TOML list of changes (`[[change]]` tables in TOML).
///
/// # Errors
/// Unreadable or malformed file.
pub fn load_changes_file(path: &PathBuf) -> miette::Result<Vec<Change>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| miette::miette!("cannot read {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "toml") {
        #[derive(serde::Deserialize)]
        struct File {
            change: Vec<Change>,
        }
        let f: File =
            toml::from_str(&text).map_err(|e| miette::miette!("{}: {e}", path.display()))?;
        Ok(f.change)
    } else {
        serde_json::from_str(&text).map_err(|e| miette::miette!(help = "a JSON list like [{\"op\": \"detach-sg\", \"sg\": \"sg-0abc\", \"from\": \"web-alb\"}]", "{}:{}:{}: {e}", path.display(), e.line(), e.column()))
    }
}
