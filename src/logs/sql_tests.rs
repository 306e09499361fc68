//! Unit tests of the SQL generator (`sql.rs`).

use super::*;

fn plan<'a>(t: &'a Timeouts, layout: SqlLayout) -> SqlPlan<'a> {
    SqlPlan {
        table: "db.logs",
        layout,
        since: None,
        until: None,
        now: 0,
        timeouts: t,
        distributions: &[],
        distribution: None,
    }
}

#[test]
fn every_signature_row_and_threshold_is_in_the_sql() {
    let t = Timeouts::default();
    let sql = query(&plan(&t, SqlLayout::CloudfrontW3c)).unwrap();
    for d in CF_SIGNATURES {
        assert!(
            sql.contains(&lit(d.signature.as_str())),
            "{:?}",
            d.signature
        );
    }
    // k × connect timeout for k = 1..3, the read budgets, the fixed ALB and cache values.
    for x in [10.0, 20.0, 30.0, 60.0, 90.0] {
        assert!(sql.contains(&format!("abs(tt - {})", num(x))), "{x}");
    }
    assert!(sql.contains("tt < 2e-1"));
    let alb = query(&plan(&t, SqlLayout::Alb)).unwrap();
    for d in super::super::ALB_SIGNATURES {
        assert!(
            alb.contains(&lit(d.signature.as_str())),
            "{:?}",
            d.signature
        );
    }
    for reason in super::super::LAMBDA_INVOKE_ERRORS {
        assert!(alb.contains(&lit(reason)), "{reason}");
    }
}

#[test]
fn the_sql_follows_the_timeouts_it_is_given() {
    let t = Timeouts {
        read_timeout: 5.0,
        connection_attempts: 2,
        ..Timeouts::default()
    };
    let case = cf_signature_case(&t);
    // 5 s ± 0.5 s, GET retried once more (10 s); 2 connects of 10 s (no 30 s).
    assert!(case.contains("abs(tt - 5e0) <= 5e-1"), "{case}");
    assert!(case.contains("abs(tt - 1e1) <= 1e0"), "{case}");
    assert!(!case.contains("abs(tt - 3e1)"), "{case}");
    let alb = super::super::sql_alb::alb_signature_case(15.0);
    assert!(alb.contains("abs(el - 1.5e1) <= 1.5e0"), "{alb}");
}

#[test]
fn numbers_print_as_the_same_double() {
    for x in [0.1, 0.2, 0.25, 1.5, 10.003, 29.999_999, 1e-7, 3000.0, 8.5] {
        let back: f64 = num(x).parse().unwrap();
        assert_eq!(back.to_bits(), x.to_bits(), "{x}");
        assert!(num(x).contains('e'), "DOUBLE literal: {}", num(x));
    }
}

#[test]
fn path_patterns_become_escaped_like_patterns() {
    assert_eq!(like_of_path_pattern("/api/*"), "api/%");
    assert_eq!(like_of_path_pattern("img/?.png"), "img/_.png");
    assert_eq!(like_of_path_pattern("/a_b%c/*"), "a\\_b\\%c/%");
    assert_eq!(lit("it's"), "'it''s'");
}

#[test]
fn table_names_are_checked_before_they_reach_the_sql() {
    assert!(check_table_name("db.cloudfront_logs").is_ok());
    assert!(check_table_name("logs").is_ok());
    for bad in ["db.t; DROP TABLE x", "a.b.c", "", "db.", "db.t--", "\"x\""] {
        assert!(check_table_name(bad).is_err(), "{bad}");
    }
    let t = Timeouts::default();
    let mut p = plan(&t, SqlLayout::CloudfrontW3c);
    p.table = "x; DROP";
    assert!(query(&p).is_err());
}

#[test]
fn partition_predicates_name_the_hours_of_the_window() {
    // 2026-11-23T22:30 to 2026-11-24T01:10 (exclusive): 22, 23 on the 23rd; 0, 1 on the 24th.
    let since = super::super::minute_of(b"2026-11-23", b"22:30").unwrap();
    let until = super::super::minute_of(b"2026-11-24", b"01:10").unwrap();
    assert_eq!(
        parquet_partitions(since, until),
        "((year = 2026 AND month = 11 AND day = 23 AND hour IN (22, 23)) OR (year = 2026 AND month = 11 AND day = 24 AND hour IN (0, 1)))"
    );
    // Until on an hour boundary excludes that hour.
    let until = super::super::minute_of(b"2026-11-24", b"00:00").unwrap();
    assert!(!parquet_partitions(since, until).contains("day = 24"));
    // Over a week: whole days.
    let until = since + 10 * 1440;
    let p = parquet_partitions(since, until);
    assert!(p.contains("(year = 2026 AND month = 12 AND day = 3)") && !p.contains("hour"));
    let t = Timeouts::default();
    let mut pl = plan(&t, SqlLayout::CloudfrontParquet);
    pl.since = Some(since);
    pl.now = since + 59;
    assert!(query(&pl).unwrap().contains("hour IN (22, 23)"));
    let no_window = query(&plan(&t, SqlLayout::CloudfrontParquet)).unwrap();
    assert!(
        !no_window.contains("hour IN"),
        "no --since: no partition predicate"
    );
}
