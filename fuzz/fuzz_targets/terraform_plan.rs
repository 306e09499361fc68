//! The Terraform plan reader (`terraform show -json` output) on arbitrary bytes.
//!
//! Invariants, not just "no panic": a plan that is read accounts for every entry of its
//! `resource_changes` exactly once; a modelled entry lists its changes and the others none;
//! unresolved and not-modelled entries say why; a malformed plan names where. Evaluated against
//! an empty Inventory, no change resolves, so every modelled entry becomes unresolved and the
//! run still returns a report (an unresolved change never aborts the rest).
#![no_main]

use edgepath::model::Inventory;
use edgepath::whatif::terraform::{PlanError, PlanStatus, parse_plan};
use edgepath::whatif::{WhatIfInput, evaluate_changes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let plan = match parse_plan("fuzz.json", data) {
        Ok(plan) => plan,
        Err(PlanError::Malformed { at, .. }) => {
            assert!(
                at.starts_with("resource_changes") || at == "the top level",
                "{at}"
            );
            return;
        }
        Err(_) => return,
    };
    let value: serde_json::Value = serde_json::from_slice(data).expect("a read plan is JSON");
    let entries = value["resource_changes"].as_array().map_or(0, Vec::len);
    assert_eq!(plan.resources.len(), entries, "every resource change, once");
    for (r, rc) in plan.resources.iter().zip(value["resource_changes"].as_array().into_iter().flatten()) {
        assert_eq!(rc["address"].as_str(), Some(r.address.as_str()), "in plan order");
        assert_eq!(r.changes.len(), r.planned.len());
        match r.status {
            PlanStatus::Modelled => assert!(!r.planned.is_empty() && r.reason.is_none()),
            PlanStatus::NoOp => assert!(r.planned.is_empty()),
            PlanStatus::Unresolved | PlanStatus::NotModelled => {
                assert!(r.planned.is_empty() && r.reason.is_some());
            }
        }
    }
    let input = WhatIfInput {
        plan: plan.resources,
        ..WhatIfInput::default()
    };
    let report = evaluate_changes(&Inventory::default(), input, None)
        .expect("plan changes never abort the run");
    assert_eq!(report.resources.len(), entries);
    assert_eq!(report.resource_counts.modelled, 0, "nothing resolves in an empty Inventory");
    assert!(report.nothing_to_check);
});
