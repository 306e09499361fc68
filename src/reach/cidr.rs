//! IPv4 CIDR helpers: parsing, containment and coverage of one set by another.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

/// Parses an IPv4 CIDR (`10.0.0.0/16`) or a bare address (`/32`).
pub(crate) fn parse(s: &str) -> Option<Ipv4Net> {
    crate::model::parse_ipv4_net(s)
}

/// Parses an address.
pub(crate) fn addr(s: &str) -> Option<Ipv4Addr> {
    s.trim().parse().ok()
}

/// Whether `net` is `0.0.0.0/0`.
pub(crate) fn is_any(net: &Ipv4Net) -> bool {
    net.prefix_len() == 0
}

/// The members of `wanted` that the union of `have` does not fully cover.
pub(crate) fn uncovered(have: &[Ipv4Net], wanted: &[Ipv4Net]) -> Vec<Ipv4Net> {
    let agg = Ipv4Net::aggregate(&have.to_vec());
    wanted
        .iter()
        .filter(|w| !agg.iter().any(|h| h.contains(*w)))
        .copied()
        .collect()
}

/// Whether `a` and `b` overlap.
pub(crate) fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(b) || b.contains(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        parse(s).expect("cidr")
    }

    #[test]
    fn coverage_uses_the_union() {
        let have = [n("10.0.0.0/25"), n("10.0.0.128/25")];
        assert!(uncovered(&have, &[n("10.0.0.0/24")]).is_empty());
        assert_eq!(
            uncovered(&have, &[n("10.0.1.0/24")]),
            vec![n("10.0.1.0/24")]
        );
        assert_eq!(parse("10.0.0.5"), Some(n("10.0.0.5/32")));
        assert!(is_any(&n("0.0.0.0/0")));
        assert!(overlaps(&n("10.0.0.0/8"), &n("10.1.0.0/16")));
    }
}
