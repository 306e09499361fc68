//! The Athena flags of `edgepath logs` (one flattened block, apart from the file-reading flags).

use std::path::PathBuf;

use crate::cmd::athena::AthenaRequest;
use crate::logs::SqlLayout;

/// `edgepath logs --athena …`: run the classification as SQL on Athena, or print the SQL, the
/// tables' DDL or the IAM policy.
#[derive(Debug, Clone, clap::Args)]
pub struct AthenaArgs {
    /// Run the classification on Athena (StartQueryExecution); Athena writes the results to
    /// S3, so this is not read-only (see `--print-iam-policy --athena`).
    #[arg(long, requires = "table", help_heading = "Athena")]
    pub athena: bool,
    /// The Athena table of the logs, `database.table` (created with `--print-ddl`).
    #[arg(long, value_name = "DB.TABLE", help_heading = "Athena")]
    pub table: Option<String>,
    /// The table's layout: CloudFront standard logs (W3C), v2 Parquet (partitioned), or ALB.
    #[arg(long, value_name = "LAYOUT", default_value = "cloudfront", value_parser = layout_parser(), help_heading = "Athena")]
    pub table_layout: SqlLayout,
    /// Athena workgroup (default: `primary`).
    #[arg(long, value_name = "WG", help_heading = "Athena")]
    pub workgroup: Option<String>,
    /// Where Athena writes the results (`s3://bucket/prefix/`; default: the workgroup's).
    #[arg(long, value_name = "S3_URI", help_heading = "Athena")]
    pub output: Option<String>,
    /// Print the SQL (Trino) instead of running it.
    #[arg(long, requires = "table", help_heading = "Athena")]
    pub print_sql: bool,
    /// Print the CREATE EXTERNAL TABLE of `--table-layout` (named `--table`, else a default).
    #[arg(long, help_heading = "Athena")]
    pub print_ddl: bool,
    /// With `--athena`: print the IAM policy a query needs and exit.
    #[arg(long, requires = "athena", help_heading = "Athena")]
    pub print_iam_policy: bool,
    /// (dev) Render a query's result CSV (as Athena writes it) instead of running the query.
    #[arg(long, value_name = "CSV", hide = true)]
    pub athena_results: Option<PathBuf>,
}

impl From<AthenaArgs> for AthenaRequest {
    fn from(a: AthenaArgs) -> AthenaRequest {
        AthenaRequest {
            athena: a.athena,
            table: a.table,
            layout: a.table_layout,
            workgroup: a.workgroup,
            output: a.output,
            print_sql: a.print_sql,
            print_ddl: a.print_ddl,
            print_iam_policy: a.print_iam_policy,
            results_csv: a.athena_results,
        }
    }
}

fn layout_parser() -> impl clap::builder::TypedValueParser<Value = SqlLayout> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(SqlLayout::ALL.map(|l| PossibleValue::new(l.name())))
        .try_map(|name| name.parse::<SqlLayout>())
}
