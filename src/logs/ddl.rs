//! `CREATE EXTERNAL TABLE` statements for the tables the generated SQL reads, taken from the
//! Athena documentation (the column names are the documented ones, which `sql` reads):
//! - CloudFront standard logs (legacy W3C):
//!   <https://docs.aws.amazon.com/athena/latest/ug/create-cloudfront-table-standard-logs.html>
//!   (tab separated, the two `#` header lines skipped). One change: `time_taken` is `DOUBLE`,
//!   not `FLOAT` — a 32-bit float reads `10.003` as 10.00300026, and the signatures compare
//!   durations within tolerances exactly as the local reader does.
//! - CloudFront standard logging v2, Parquet, with partition projection:
//!   <https://docs.aws.amazon.com/athena/latest/ug/create-cloudfront-table-partition-parquet.html>
//! - ALB access logs, regex SerDe, with partition projection on `day`:
//!   <https://docs.aws.amazon.com/athena/latest/ug/create-alb-access-logs-table-partition-projection.html>

use super::sql::SqlLayout;

/// The legacy W3C table's columns (documented names and types; `time_taken` DOUBLE).
pub const CLOUDFRONT_W3C_COLUMNS: &[(&str, &str)] = &[
    ("date", "DATE"),
    ("time", "STRING"),
    ("x_edge_location", "STRING"),
    ("sc_bytes", "BIGINT"),
    ("c_ip", "STRING"),
    ("cs_method", "STRING"),
    ("cs_host", "STRING"),
    ("cs_uri_stem", "STRING"),
    ("sc_status", "INT"),
    ("cs_referrer", "STRING"),
    ("cs_user_agent", "STRING"),
    ("cs_uri_query", "STRING"),
    ("cs_cookie", "STRING"),
    ("x_edge_result_type", "STRING"),
    ("x_edge_request_id", "STRING"),
    ("x_host_header", "STRING"),
    ("cs_protocol", "STRING"),
    ("cs_bytes", "BIGINT"),
    ("time_taken", "DOUBLE"),
    ("x_forwarded_for", "STRING"),
    ("ssl_protocol", "STRING"),
    ("ssl_cipher", "STRING"),
    ("x_edge_response_result_type", "STRING"),
    ("cs_protocol_version", "STRING"),
    ("fle_status", "STRING"),
    ("fle_encrypted_fields", "INT"),
    ("c_port", "INT"),
    ("time_to_first_byte", "FLOAT"),
    ("x_edge_detailed_result_type", "STRING"),
    ("sc_content_type", "STRING"),
    ("sc_content_len", "BIGINT"),
    ("sc_range_start", "BIGINT"),
    ("sc_range_end", "BIGINT"),
];

/// The v2 Parquet table's columns (all strings, as CloudFront writes them).
pub const CLOUDFRONT_PARQUET_COLUMNS: &[&str] = &[
    "date",
    "time",
    "x_edge_location",
    "sc_bytes",
    "c_ip",
    "cs_method",
    "cs_host",
    "cs_uri_stem",
    "sc_status",
    "cs_referer",
    "cs_user_agent",
    "cs_uri_query",
    "cs_cookie",
    "x_edge_result_type",
    "x_edge_request_id",
    "x_host_header",
    "cs_protocol",
    "cs_bytes",
    "time_taken",
    "x_forwarded_for",
    "ssl_protocol",
    "ssl_cipher",
    "x_edge_response_result_type",
    "cs_protocol_version",
    "fle_status",
    "fle_encrypted_fields",
    "c_port",
    "time_to_first_byte",
    "x_edge_detailed_result_type",
    "sc_content_type",
    "sc_content_len",
    "sc_range_start",
    "sc_range_end",
];

/// The ALB table's columns (documented names and types), one per regex group.
pub const ALB_COLUMNS: &[(&str, &str)] = &[
    ("type", "string"),
    ("time", "string"),
    ("elb", "string"),
    ("client_ip", "string"),
    ("client_port", "int"),
    ("target_ip", "string"),
    ("target_port", "int"),
    ("request_processing_time", "double"),
    ("target_processing_time", "double"),
    ("response_processing_time", "double"),
    ("elb_status_code", "int"),
    ("target_status_code", "string"),
    ("received_bytes", "bigint"),
    ("sent_bytes", "bigint"),
    ("request_verb", "string"),
    ("request_url", "string"),
    ("request_proto", "string"),
    ("user_agent", "string"),
    ("ssl_cipher", "string"),
    ("ssl_protocol", "string"),
    ("target_group_arn", "string"),
    ("trace_id", "string"),
    ("domain_name", "string"),
    ("chosen_cert_arn", "string"),
    ("matched_rule_priority", "string"),
    ("request_creation_time", "string"),
    ("actions_executed", "string"),
    ("redirect_url", "string"),
    ("lambda_error_reason", "string"),
    ("target_port_list", "string"),
    ("target_status_code_list", "string"),
    ("classification", "string"),
    ("classification_reason", "string"),
    ("conn_trace_id", "string"),
];

/// The documented ALB access-log regex (one group per column of [`ALB_COLUMNS`]).
pub const ALB_REGEX: &str = r#"([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) \"([^ ]*) (.*) (- |[^ ]*)\" \"([^\"]*)\" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" ([-.0-9]*) ([^ ]*) \"([^\"]*)\" \"([^\"]*)\" \"([^ ]*)\" \"([^\s]+?)\" \"([^\s]+)\" \"([^ ]*)\" \"([^ ]*)\" ?([^ ]*)?"#;

/// Where each layout's logs are, for `LOCATION` (placeholders to replace).
fn location(layout: SqlLayout) -> &'static str {
    match layout {
        SqlLayout::CloudfrontW3c => "s3://amzn-s3-demo-bucket/cloudfront-logs-prefix/",
        SqlLayout::CloudfrontParquet => {
            "s3://amzn-s3-demo-bucket/AWSLogs/AWS_ACCOUNT_ID/CloudFront/"
        }
        SqlLayout::Alb => {
            "s3://amzn-s3-demo-bucket/AWSLogs/AWS_ACCOUNT_ID/elasticloadbalancing/REGION/"
        }
    }
}

/// The `CREATE EXTERNAL TABLE` of a layout, named `table`; `year_from` starts the partition
/// projection's year range.
#[must_use]
pub fn ddl(layout: SqlLayout, table: &str, year_from: i64) -> String {
    match layout {
        SqlLayout::CloudfrontW3c => {
            let cols: Vec<String> = CLOUDFRONT_W3C_COLUMNS
                .iter()
                .map(|(n, t)| format!("  `{n}` {t}"))
                .collect();
            format!(
                "-- CloudFront standard logs (legacy W3C): replace LOCATION with the logs' bucket and prefix.\n\
                 -- time_taken is DOUBLE (the documentation's FLOAT is 32-bit; edgepath compares durations exactly).\n\
                 -- Not partitioned (legacy logs are flat under one prefix): every query scans every object.\n\
                 CREATE EXTERNAL TABLE IF NOT EXISTS {table} (\n{}\n)\n\
                 ROW FORMAT DELIMITED\n  FIELDS TERMINATED BY '\\t'\n\
                 LOCATION '{}'\n\
                 TBLPROPERTIES ( 'skip.header.line.count'='2' );\n",
                cols.join(",\n"),
                location(layout)
            )
        }
        SqlLayout::CloudfrontParquet => {
            let cols: Vec<String> = CLOUDFRONT_PARQUET_COLUMNS
                .iter()
                .map(|n| format!("  `{n}` string"))
                .collect();
            format!(
                "-- CloudFront standard logging v2 to S3, Parquet, partitioned {{DistributionId}}/{{yyyy}}/{{MM}}/{{dd}}/{{HH}}:\n\
                 -- replace the bucket, AWS_ACCOUNT_ID and the distribution ids (comma separated).\n\
                 CREATE EXTERNAL TABLE IF NOT EXISTS {table} (\n{}\n)\n\
                 PARTITIONED BY (\n  distributionid string,\n  year int,\n  month int,\n  day int,\n  hour int\n)\n\
                 ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n\
                 STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n\
                 OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n\
                 LOCATION '{loc}'\n\
                 TBLPROPERTIES (\n\
                 \x20 'projection.enabled'='true',\n\
                 \x20 'projection.distributionid.type'='enum',\n\
                 \x20 'projection.distributionid.values'='E1EXAMPLE12345',\n\
                 \x20 'projection.year.type'='integer',\n\
                 \x20 'projection.year.range'='{year_from},2100',\n\
                 \x20 'projection.month.type'='integer',\n\
                 \x20 'projection.month.range'='01,12',\n\
                 \x20 'projection.month.digits'='2',\n\
                 \x20 'projection.day.type'='integer',\n\
                 \x20 'projection.day.range'='01,31',\n\
                 \x20 'projection.day.digits'='2',\n\
                 \x20 'projection.hour.type'='integer',\n\
                 \x20 'projection.hour.range'='00,23',\n\
                 \x20 'projection.hour.digits'='2',\n\
                 \x20 'storage.location.template'='{loc}${{distributionid}}/${{year}}/${{month}}/${{day}}/${{hour}}/'\n\
                 );\n",
                cols.join(",\n"),
                loc = location(layout)
            )
        }
        SqlLayout::Alb => {
            let cols: Vec<String> = ALB_COLUMNS
                .iter()
                .map(|(n, t)| format!("  {n} {t}"))
                .collect();
            format!(
                "-- ALB access logs (regex SerDe), partition projection on the delivery day:\n\
                 -- replace the bucket, AWS_ACCOUNT_ID and REGION.\n\
                 CREATE EXTERNAL TABLE IF NOT EXISTS {table} (\n{}\n)\n\
                 PARTITIONED BY (\n  day STRING\n)\n\
                 ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'\n\
                 WITH SERDEPROPERTIES (\n\
                 \x20 'serialization.format' = '1',\n\
                 \x20 'input.regex' = '{ALB_REGEX}'\n\
                 )\n\
                 LOCATION '{loc}'\n\
                 TBLPROPERTIES (\n\
                 \x20 'projection.enabled' = 'true',\n\
                 \x20 'projection.day.type' = 'date',\n\
                 \x20 'projection.day.range' = '{year_from}/01/01,NOW',\n\
                 \x20 'projection.day.format' = 'yyyy/MM/dd',\n\
                 \x20 'projection.day.interval' = '1',\n\
                 \x20 'projection.day.interval.unit' = 'DAYS',\n\
                 \x20 'storage.location.template' = '{loc}${{day}}'\n\
                 );\n",
                cols.join(",\n"),
                loc = location(layout)
            )
        }
    }
}
