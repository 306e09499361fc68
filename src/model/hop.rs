//! The hops of a path from a viewer to a target, named as rules and reports name them.
//!
//! `reach` evaluates the last three; `viewer->cloudfront` exists only for findings drawn from
//! logs. The order of [`Hop::ALL`] is path order, which ranking uses.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One hop of a path; serialized as `viewer->cloudfront`, `cloudfront->alb`, `alb-routing`,
/// `alb->target` or
/// `target` (DESIGN's spelling, also in rule files and `HopFact::hop`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Hop {
    /// The viewer to CloudFront (log-derived findings only; `reach` does not evaluate it).
    #[serde(rename = "viewer->cloudfront")]
    ViewerToCloudfront,
    /// CloudFront to the ALB listener.
    #[serde(rename = "cloudfront->alb")]
    CloudfrontToAlb,
    /// The listener's rules: which rule answers CloudFront's request.
    #[serde(rename = "alb-routing")]
    AlbRouting,
    /// ALB nodes to the target.
    #[serde(rename = "alb->target")]
    AlbToTarget,
    /// The target's health.
    #[serde(rename = "target")]
    Target,
}

impl Hop {
    /// Every hop, in path order.
    pub const ALL: [Hop; 5] = [
        Hop::ViewerToCloudfront,
        Hop::CloudfrontToAlb,
        Hop::AlbRouting,
        Hop::AlbToTarget,
        Hop::Target,
    ];

    /// `viewer->cloudfront`, `cloudfront->alb`, `alb->target`, `target`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Hop::ViewerToCloudfront => "viewer->cloudfront",
            Hop::CloudfrontToAlb => "cloudfront->alb",
            Hop::AlbRouting => "alb-routing",
            Hop::AlbToTarget => "alb->target",
            Hop::Target => "target",
        }
    }

    /// The hop spelled `s`, or `None` when it is not a hop name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Hop> {
        Hop::ALL.into_iter().find(|h| h.as_str() == s)
    }
}

impl fmt::Display for Hop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_serialize_and_parse_as_design_spells_them() {
        for h in Hop::ALL {
            assert_eq!(serde_json::to_value(h).expect("json"), h.as_str());
            assert_eq!(Hop::parse(h.as_str()), Some(h));
        }
        assert_eq!(Hop::parse("alb"), None);
    }
}
