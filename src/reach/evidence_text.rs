//! Evidence as one plain sentence (`admitted by sg-0abc ingress tcp/443 from pl-3b927c52`):
//! data-level text, what what-if stores per hop in its path changes. Terminal layout (marks,
//! the near-miss attribute) is `report::text`'s.

use std::fmt;

use super::Evidence;

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::Admitted { rule } => write!(f, "admitted by {rule}"),
            Evidence::DeniedBy { rule } => write!(f, "denied by {rule}"),
            Evidence::NearMiss { rule, detail, .. } => {
                if detail.is_empty() {
                    write!(f, "near miss {rule}")
                } else {
                    f.write_str(detail)
                }
            }
            Evidence::Checked { what } => f.write_str(what),
            Evidence::Missing { what, cli } => write!(f, "missing {what} ({cli})"),
            Evidence::Problem { detail, .. } => f.write_str(detail),
        }
    }
}
