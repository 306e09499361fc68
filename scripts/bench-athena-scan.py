#!/usr/bin/env python3
"""Estimates the bytes Athena scans for `edgepath logs --athena` on the CloudFront v2 Parquet
layout, with the generated partition predicate (`--since`) and without, on a day of logs.

No Athena here, so the estimate is computed the way Athena bills Parquet: it reads only the
objects of the partitions the predicate selects (partition projection), and in each object
only the column chunks of the columns the query references (plus the footer). The script:

1. generates a CloudFront corpus (`edgepath logs --generate`), loads it into DuckDB with the
   columns of `--print-ddl --table-layout cloudfront-parquet`, and writes it as one Parquet
   object per hour for 24 hours (`distributionid=…/year=…/month=…/day=…/hour=…/`, the
   hour's records are the corpus's with the hour replaced);
2. takes the generated SQL for the whole table and for `--since` windows, and evaluates the
   WHERE of its `base` CTE (the partition predicate) against the partition list: the objects
   selected;
3. sums, over those objects, DuckDB's `parquet_metadata` compressed sizes of the column chunks
   the SQL names, plus each footer; and runs the query in DuckDB to check it still answers.

    scripts/bench-athena-scan.py [--records-per-hour 100000] [--edgepath target/debug/edgepath]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import duckdb

NOW_HOUR = 23  # the layout holds 2025-11-23 00:00–23:59; "now" is 23:59


def run(edgepath, *args):
    return subprocess.run([edgepath, *args], check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records-per-hour", type=int, default=20_000)
    ap.add_argument("--edgepath", default="target/debug/edgepath")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="edgepath-athena-bench-")
    log = os.path.join(tmp, "E2EXAMPLE12345.2025-11-23-05.a.gz")
    run(a.edgepath, "logs", "--generate", str(a.records_per_hour), "--out", log)
    ddl = run(a.edgepath, "logs", "--print-ddl", "--table-layout", "cloudfront-parquet")
    cols = re.findall(r"^  `([a-z_]+)` string", ddl, re.M)
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE hour0 AS SELECT * FROM read_csv(?, delim='\t', header=false, skip=2, "
        "all_varchar=true, quote='', escape='', columns={})".format(
            "{" + ", ".join("'{}': 'VARCHAR'".format(c) for c in cols) + "}"
        ),
        [log],
    )
    out = os.path.join(tmp, "parquet")
    hours = " UNION ALL ".join(
        "SELECT * REPLACE (lpad('{h}', 2, '0') || substr(\"time\", 3) AS \"time\"), "
        "'E2EXAMPLE12345' AS distributionid, 2025 AS year, 11 AS month, 23 AS day, {h} AS hour "
        "FROM hour0".format(h=h)
        for h in range(24)
    )
    con.execute(
        "COPY ({}) TO '{}' (FORMAT parquet, PARTITION_BY (distributionid, year, month, day, hour), "
        "COMPRESSION snappy)".format(hours, out)
    )
    files = []
    for root, _, names in os.walk(out):
        for n in names:
            p = os.path.join(root, n)
            part = dict(kv.split("=") for kv in os.path.relpath(root, out).split(os.sep))
            files.append((p, int(part["year"]), int(part["month"]), int(part["day"]), int(part["hour"])))
    con.execute(
        "CREATE TABLE parts (path VARCHAR, year INTEGER, month INTEGER, day INTEGER, hour INTEGER)"
    )
    con.executemany("INSERT INTO parts VALUES (?, ?, ?, ?, ?)", files)
    meta = con.execute(
        "SELECT file_name, path_in_schema, sum(total_compressed_size) FROM parquet_metadata(?) "
        "GROUP BY ALL",
        [[f[0] for f in files]],
    ).fetchall()
    col_bytes = {}
    for f, c, b in meta:
        col_bytes.setdefault(f, {})[c] = b
    total_bytes = sum(os.path.getsize(f[0]) for f in files)
    con.execute(
        "CREATE VIEW logs AS SELECT * FROM read_parquet('{}/**/*.parquet', hive_partitioning = true)".format(out)
    )
    print(
        "layout: 24 hourly objects, {:,} records each, {:.1f} MB in all".format(
            a.records_per_hour, total_bytes / 1e6
        )
    )
    print("| window | partitions read | columns read | bytes scanned (est.) | cost at $5/TB |")
    print("|---|---|---|---|---|")
    for label, since in [
        ("no --since (whole table)", None),
        ("--since 24h", "24h"),
        ("--since 6h", "6h"),
        ("--since 1h", "1h"),
    ]:
        args = ["logs", "--print-sql", "--table-layout", "cloudfront-parquet", "--table", "logs"]
        if since:
            # Relative to the layout's last minute (the script's "now"), as RFC 3339.
            n = int(since[:-1])
            first = NOW_HOUR * 60 + 59 - n * 60 + 1
            args += ["--since", "2025-11-23T{:02}:{:02}:00Z".format(max(first, 0) // 60, max(first, 0) % 60)]
            args += ["--until", "2025-11-24T00:00:00Z"]
        sql = run(a.edgepath, *args)
        m = re.search(r"FROM logs\n  WHERE (.*?)\n\),", sql, re.S)
        pred = m.group(1) if m else "TRUE"
        if "year" not in pred:
            pred = "TRUE"
        selected = [r[0] for r in con.execute("SELECT path FROM parts WHERE " + pred).fetchall()]
        used = [c for c in cols if re.search(r'\b"?{}"?\b'.format(c), sql)]
        scanned = 0
        for f in selected:
            scanned += sum(col_bytes[f].get(c, 0) for c in used)
            # the footer Athena reads first: the object's size minus all its column chunks
            scanned += max(os.path.getsize(f) - sum(col_bytes[f].values()), 0)
        con.execute(sql).fetchall()
        print(
            "| {} | {}/24 | {}/{} | {:.2f} MB | ${:.6f} |".format(
                label, len(selected), len(used), len(cols), scanned / 1e6,
                max(scanned, 10_000_000) / 1e12 * 5,
            )
        )
    print("(whole objects, every column: {:.2f} MB)".format(total_bytes / 1e6))
    shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
