//! `blockers` as a page: what keeps the resource alive, and the ordered teardown as a numbered
//! checklist (checkboxes work without JavaScript), destructive steps flagged in words and icon.

use maud::{Markup, html};

use super::{code_block, verdict_badge};
use crate::blockers::BlockerReport;
use crate::reach::Verdict;

pub(super) fn page(r: &BlockerReport) -> Markup {
    html! {
        header {
            h1 { "edgepath blockers " code { (r.resource) } }
            p.lead {
                @if r.deletable { (verdict_badge(Verdict::Allowed)) " " code { (r.resource) } " (" (r.kind) ") can be deleted now." }
                @else { (verdict_badge(Verdict::Blocked)) " " code { (r.resource) } " (" (r.kind) ") cannot be deleted yet." }
            }
            @for m in &r.incomplete { p.incomplete { "? incomplete: " (m) } }
        }
        @if !r.blockers.is_empty() {
            section #blockers aria-labelledby="blockers-h" {
                h2 #blockers-h { "What blocks it" }
                table {
                    thead { tr { th { "kind" } th { "resource" } th { "detail" } th { "owner" } } }
                    tbody { @for b in &r.blockers { tr { td { (b.kind) } td { code { (b.resource) } } td { (b.detail) } td { (b.owner) } } } }
                }
            }
        }
        @if !r.steps.is_empty() {
            section #teardown aria-labelledby="teardown-h" {
                h2 #teardown-h { "Teardown, in order" }
                ol.checklist {
                    @for s in &r.steps {
                        li data-step=(s.n) data-destructive=[s.destructive.then_some("true")] {
                            label {
                                input type="checkbox";
                                " "
                                @if s.destructive { span.destructive { "⚠ destructive: " } }
                                (s.action)
                            }
                            (code_block(&format!("step-{}", s.n), &s.command))
                            @if !s.wait.is_empty() { p.note { "Wait: " (s.wait) } }
                            @if let Some(a) = &s.alternative {
                                div.alternative data-destructive=[a.destructive.then_some("true")] {
                                    p { "Or, " @if a.destructive { span.destructive { "⚠ destructive: " } } (a.action) }
                                    (code_block(&format!("step-{}-alt", s.n), &a.command))
                                    @if !a.wait.is_empty() { p.note { "Wait: " (a.wait) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !r.notes.is_empty() {
            section #notes aria-labelledby="notes-h" { h2 #notes-h { "Notes" } ul { @for n in &r.notes { li { (n) } } } }
        }
    }
}
