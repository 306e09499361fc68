#!/usr/bin/env python3
"""Runs edgepath's generated Athena SQL on DuckDB, over a table built from the DDL's columns.

Used by tests/athena_sql.rs:

    athena_sql.py --ddl table.ddl --sql query.sql --table NAME --out results.csv LOG...

1. The SQL is parsed as Trino SQL by sqlglot (the test fails on a parse error).
2. The DDL (`--print-ddl`) is read for its columns and types (sqlglot, Hive dialect), its
   `skip.header.line.count` and, for the ALB table, its `input.regex`; a DuckDB table of those
   columns (plus `"$path"` and the partition columns Athena adds) is filled from the log files
   the way Athena's SerDe reads them: LazySimpleSerDe splits on TAB and skips the header lines;
   RegexSerDe matches the whole line (a line that does not match is a row of NULLs); a value
   that does not convert to its column's type is NULL; Parquet columns are read by name.
3. The very text Athena gets is executed by DuckDB (no transpilation: the generator writes the
   subset both engines accept) and the rows are written as Athena's result CSV (every value
   quoted, NULL as an empty field), which `edgepath logs --athena-results` renders.
"""

import argparse
import csv
import gzip
import os
import re
import sys
import tempfile

import duckdb
import sqlglot
from sqlglot import exp

TYPES = {
    "STRING": "VARCHAR",
    "VARCHAR": "VARCHAR",
    "TEXT": "VARCHAR",
    "INT": "INTEGER",
    "INTEGER": "INTEGER",
    "BIGINT": "BIGINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "REAL",
    "DATE": "DATE",
}


def ddl_table(ddl):
    """(columns [(name, duckdb type)], partition columns, table properties, serde properties)."""
    statements = [s for s in sqlglot.parse(ddl, read="hive") if s is not None]
    create = next(s for s in statements if isinstance(s, exp.Create))
    schema = create.this
    columns = []
    for col in schema.expressions:
        if not isinstance(col, exp.ColumnDef):
            continue
        kind = col.args["kind"].sql(dialect="hive").upper()
        columns.append((col.name, TYPES.get(kind, "VARCHAR")))
    partitions = []
    props = {}
    for p in create.args.get("properties", exp.Properties()).expressions:
        if isinstance(p, exp.PartitionedByProperty):
            for col in p.this.expressions:
                kind = col.args["kind"].sql(dialect="hive").upper()
                partitions.append((col.name, TYPES.get(kind, "VARCHAR")))
        elif type(p) is exp.Property:
            props[p.name] = p.args["value"].name if p.args.get("value") is not None else ""
        elif isinstance(p, exp.RowFormatSerdeProperty):
            serde = p.args.get("serde_properties")
            for q in serde.expressions if serde is not None else []:
                props[q.name] = q.args["value"].name
    if not columns:
        sys.exit("no columns in the DDL")
    return columns, partitions, props


def open_text(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="\n")
    return open(path, "rt", encoding="utf-8", errors="replace", newline="\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ddl", required=True)
    ap.add_argument("--sql", required=True)
    ap.add_argument("--table", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--path-prefix", default="s3://amzn-s3-demo-bucket/logs/")
    ap.add_argument("logs", nargs="+")
    a = ap.parse_args()

    sql = open(a.sql).read()
    # 1. Trino parses it (raises on a syntax error).
    parsed = sqlglot.parse(sql, read="trino")
    if not parsed or parsed[0] is None:
        sys.exit("sqlglot parsed no statement")

    ddl = open(a.ddl).read()
    columns, partitions, props = ddl_table(ddl)
    con = duckdb.connect()
    if "." in a.table:
        con.execute("CREATE SCHEMA IF NOT EXISTS {}".format(a.table.split(".")[0]))
    all_cols = columns + partitions + [("$path", "VARCHAR")]
    con.execute(
        "CREATE TABLE {} ({})".format(
            a.table, ", ".join('"{}" {}'.format(n, t) for n, t in all_cols)
        )
    )
    raw_cols = ", ".join('"{}" VARCHAR'.format(n) for n, _ in all_cols)
    con.execute("CREATE TEMP TABLE raw ({})".format(raw_cols))
    regex = props.get("input.regex")
    skip = int(props.get("skip.header.line.count", "0") or 0)
    names = [n for n, _ in columns]
    part_names = [n for n, _ in partitions]
    rows = []
    for path in a.logs:
        s3_path = a.path_prefix + os.path.basename(path)
        if path.endswith(".parquet"):
            rel = con.execute("SELECT * FROM read_parquet(?)", [path])
            have = [d[0] for d in rel.description]
            for r in rel.fetchall():
                rec = dict(zip(have, r))
                vals = [None if rec.get(n) is None else str(rec.get(n)) for n in names]
                date = str(rec.get("date") or "")
                time = str(rec.get("time") or "")
                part = {
                    "distributionid": str(rec.get("DistributionId") or rec.get("distributionid") or ""),
                    "year": date[0:4],
                    "month": str(int(date[5:7])) if date[5:7].isdigit() else None,
                    "day": str(int(date[8:10])) if date[8:10].isdigit() else None,
                    "hour": str(int(time[0:2])) if time[0:2].isdigit() else None,
                }
                rows.append(vals + [part.get(p) for p in part_names] + [s3_path])
            continue
        with open_text(path) as f:
            for i, line in enumerate(f):
                line = line.rstrip("\n").rstrip("\r")
                if regex is None:
                    if i < skip:
                        continue
                    fields = line.split("\t")
                    vals = (fields + [None] * len(names))[: len(names)]
                    parts = [None] * len(part_names)
                else:
                    m = re.fullmatch(regex, line)
                    vals = list(m.groups()) if m else [None] * len(names)
                    vals = (vals + [None] * len(names))[: len(names)]
                    t = vals[names.index("time")] if m else None
                    parts = [
                        (t[0:10].replace("-", "/") if t else None) if p == "day" else None
                        for p in part_names
                    ]
                rows.append(vals + parts + [s3_path])
    # Bulk load through a CSV file (row-by-row inserts are slow): every value text, `\\N` NULL.
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=False) as tmp:
        for r in rows:
            tmp.write(
                ",".join(
                    "\\N" if v is None else '"' + v.replace('"', '""') + '"' for v in r
                )
                + "\n"
            )
    try:
        con.execute(
            "INSERT INTO raw SELECT * FROM read_csv(?, header = false, all_varchar = true, "
            "quote = '\"', escape = '\"', delim = ',', nullstr = '\\N', "
            "allow_quoted_nulls = false, columns = {})".format(
                "{" + ", ".join("'c{}': 'VARCHAR'".format(i) for i in range(len(all_cols))) + "}"
            ),
            [tmp.name],
        )
    finally:
        os.unlink(tmp.name)
    casts = ", ".join(
        'TRY_CAST(nullif("{0}", \'\') AS {1})'.format(n, t)
        if t != "VARCHAR"
        else '"{}"'.format(n)
        for n, t in all_cols
    )
    con.execute("INSERT INTO {} SELECT {} FROM raw".format(a.table, casts))

    # 3. The same text, executed.
    result = con.execute(sql)
    header = [d[0] for d in result.description]
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(header)
        for r in result.fetchall():
            w.writerow(["" if v is None else str(v) for v in r])


if __name__ == "__main__":
    main()
