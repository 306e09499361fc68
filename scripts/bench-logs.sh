#!/usr/bin/env bash
# Benchmark `edgepath logs` on CloudFront logs (issues 4 and 20): one generated W3C corpus
# (gzip), the same records as CloudFront v2 Parquet, and split into many gzip objects; against
# decompression alone, `zcat | awk`, DuckDB and GoAccess (when installed). Builds every corpus
# from an empty directory (each under a temporary name, renamed when complete, so an
# interrupted run never leaves a corpus a re-run would time).
#
# Every row prints the command, wall/user/sys time, peak RSS, the load average when it started
# and a digest of its output. DuckDB runs the fair way: columns given (`auto_detect=false`, no
# sniffing), and the query computes the summary edgepath prints (records by status and minute;
# for 5xx/000: status, detailed type, host, path, minute and 0.1 s time-taken bucket) — its
# in-process query time is printed beside the whole-process (Python start-up included) time.
# The Parquet comparison (edgepath vs DuckDB) alternates RUNS times.
#
# Usage: scripts/bench-logs.sh [LINES] [DIR]   (default 1,600,000 lines ≈ 450 MB, /tmp/edgepath-bench-logs)
# Env: EDGEPATH (binary; default target/release/edgepath, built with
#      `cargo build --release --no-default-features --features parquet`), RUNS (default 3),
#      REACH_SCALE (target/release/examples/reach_scale: the what-if row; skipped if absent),
#      ONLY=parquet (just the alternating edgepath/DuckDB Parquet runs; corpora built as needed).
set -euo pipefail
LINES=${1:-1600000}
DIR=${2:-/tmp/edgepath-bench-logs}
RUNS=${RUNS:-3}
BIN=${EDGEPATH:-${CARGO_TARGET_DIR:-target}/release/edgepath}
REACH_SCALE=${REACH_SCALE:-${CARGO_TARGET_DIR:-target}/release/examples/reach_scale}
mkdir -p "$DIR"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr)"
echo "edgepath: $BIN ($("$BIN" --version 2>/dev/null || echo '?'), git $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "load average at start: $(load)"

if ! python3 -c 'import duckdb' 2>/dev/null; then
  pip install --quiet duckdb 2>/dev/null || echo "duckdb: pip install duckdb failed; DuckDB rows skipped"
fi
HAVE_DUCKDB=$(python3 -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || true)

# 1. The W3C corpus (33 columns, gzip) and the generator's truth.
F="$DIR/edgepath-bench-cf.log.gz"
if [ ! -s "$F" ]; then
  "$BIN" logs --generate "$LINES" --out "$DIR/partial-cf.log.gz" > "$DIR/partial-truth.json"
  mv "$DIR/partial-truth.json" "$DIR/edgepath-bench-truth.json"
  mv "$DIR/partial-cf.log.gz" "$F"
fi
# The two header lines (`head` closes the pipe early: gzip's SIGPIPE is expected, not an error).
HDR="$DIR/header.txt"
{ gzip -dc "$F" | head -2 > "$HDR"; } || true
[ "$(wc -l < "$HDR")" = 2 ] || { echo "cannot read the header of $F" >&2; exit 1; }
echo "corpus: $F  compressed $(stat -c %s "$F") B, uncompressed $(gzip -dc "$F" | wc -c) B, $LINES lines"

run() { # name, command
  local name=$1; shift
  local at; at=$(load)
  echo "[$name] $*"
  /usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" bash -c "$*" > "$DIR/bench-$name.out" 2> "$DIR/bench-$name.err" || true
  echo "  $(tail -1 "$DIR/bench-$name.err")  load $at  output sha256 $(sha256sum < "$DIR/bench-$name.out" | cut -c1-16)"
  grep "in-process" "$DIR/bench-$name.err" | sed 's/^/  /' || true
}

# The DuckDB summary query (one pass: a group by status and minute, with detailed type, host,
# path and time-taken bucket kept for 5xx/000 rows only), over a Parquet file or W3C gzip
# files read with the 33 columns given.
cat > "$DIR/bench-duckdb.py" <<'PY'
import sys, time, duckdb
kind, path = sys.argv[1], sys.argv[2]
names = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end".split()
athena = [n.replace('-', '_').replace('(', '_').replace(')', '').lower() for n in names]
if kind == "parquet":
    src = f"read_parquet('{path}')"
else:
    cols = "{" + ",".join(f"'{n}':'VARCHAR'" for n in athena) + "}"
    src = (f"read_csv('{path}', delim='\t', header=false, skip=2, auto_detect=false, "
           f"columns={cols}, quote='', escape='')")
err = "(sc_status like '5%' or sc_status = '000')"
q = f"""select sc_status, date || ' ' || left(time, 5) as minute,
       case when {err} then x_edge_detailed_result_type end as detailed,
       case when {err} then cs_host end as host,
       case when {err} then cs_uri_stem end as path,
       case when {err} then round(try_cast(time_taken as double), 1) end as bucket,
       count(*) as n
from {src} group by all order by all"""
if len(sys.argv) > 3 and sys.argv[3] == "--query":
    print(q)
    sys.exit()
con = duckdb.connect()
t0 = time.perf_counter()
rows = con.sql(q).fetchall()
t1 = time.perf_counter()
for r in rows:
    print(*r, sep="\t")
total = sum(r[-1] for r in rows)
errors = sum(r[-1] for r in rows if r[2] is not None or (r[0] or "").startswith("5"))
print(f"duckdb in-process query: {t1 - t0:.3f} s ({total} records, {errors} 5xx/000, {len(rows)} groups)", file=sys.stderr)
PY

ONLY=${ONLY:-}
if [ -z "$ONLY" ]; then
run gzip "gzip -dc '$F' > /dev/null"
run zcat-awk "zcat '$F' | awk -F'\t' '\$9 ~ /^5/ {c[\$9\" \"\$29]++} END {for (k in c) print k, c[k]}' | sort"
run edgepath "'$BIN' logs -q --format json '$F'"
if [ -n "$HAVE_DUCKDB" ]; then
  echo "duckdb $HAVE_DUCKDB; its summary query:"
  python3 "$DIR/bench-duckdb.py" csv "$F" --query | sed 's/^/    /'
  run duckdb "python3 '$DIR/bench-duckdb.py' csv '$F'"
fi
fi

# 2. The same records as CloudFront v2 Parquet (all-VARCHAR columns, Athena's underscore
# names), written by DuckDB (SNAPPY, its default 122,880-row row groups).
P="$DIR/edgepath-bench-cf.parquet"
if [ -n "$HAVE_DUCKDB" ]; then
  if [ ! -s "$P" ]; then
    cat > "$DIR/bench-to-parquet.py" <<'PY'
import sys, duckdb
names = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end".split()
cols = "{" + ",".join(f"'{n.replace('-', '_').replace('(', '_').replace(')', '').lower()}':'VARCHAR'" for n in names) + "}"
duckdb.sql(f"COPY (SELECT * FROM read_csv('{sys.argv[1]}', delim='\t', skip=2, header=false, auto_detect=false, columns={cols}, quote='', escape='')) TO '{sys.argv[2]}' (FORMAT parquet, COMPRESSION snappy)")
PY
    python3 "$DIR/bench-to-parquet.py" "$F" "$DIR/partial.parquet"
    mv "$DIR/partial.parquet" "$P"
  fi
  echo "parquet corpus: $P  $(stat -c %s "$P") B"
  for i in $(seq 1 "$RUNS"); do
    run "edgepath-parquet-$i" "'$BIN' logs -q --format json '$P'"
    run "duckdb-parquet-$i" "python3 '$DIR/bench-duckdb.py' parquet '$P'"
  done
  if [ ! -s "$DIR/bench-edgepath.out" ]; then
    echo "  (no W3C run to compare with)"
  elif cmp -s "$DIR/bench-edgepath.out" "$DIR/bench-edgepath-parquet-1.out"; then
    echo "  edgepath: the Parquet output is byte-identical to the W3C output"
  else
    echo "  edgepath: the Parquet output DIFFERS from the W3C output"
  fi
  if cmp -s "$DIR/bench-duckdb.out" "$DIR/bench-duckdb-parquet-1.out"; then
    echo "  duckdb: the Parquet groups equal the W3C groups"
  fi
else
  echo "duckdb: not available, no Parquet corpus (it is written by DuckDB)"
fi

if [ -n "$ONLY" ]; then
  echo "load average at end: $(load)"
  exit 0
fi
if command -v goaccess >/dev/null; then
  # GoAccess's CLOUDFRONT format has no x-edge-detailed-result-type: it counts status classes
  # (and builds its whole report), a broader but comparable pass over every line.
  run goaccess "zcat '$F' | goaccess - --log-format=CLOUDFRONT --no-global-config -o '$DIR/bench-goaccess.json'"
else
  echo "goaccess: not installed (apt-get install goaccess), not run"
fi

# 3. The usual CloudFront delivery: many objects (one per edge server per hour), here the same
# records in 96 gzip files with the #Version/#Fields header each. Every tool gets the whole set.
S="$DIR/edgepath-bench-cf-split"
if [ ! -d "$S" ]; then
  rm -rf "$S.partial" && mkdir -p "$S.partial"
  gzip -dc "$F" | tail -n +3 > "$S.partial/all.tmp"
  split -n l/96 -d -a 2 --additional-suffix=.log "$S.partial/all.tmp" "$S.partial/E2BENCHDIST0.2026-11-20-"
  rm "$S.partial/all.tmp"
  for f in "$S.partial"/*.log; do cat "$HDR" "$f" | gzip > "$f.gz"; rm "$f"; done
  mv "$S.partial" "$S"
fi
echo "split corpus: $S  $(ls "$S" | wc -l) files, $(du -sb "$S" | cut -f1) B"
run split-gzip "gzip -dc '$S'/*.gz > /dev/null"
run split-zcat-awk "zcat '$S'/*.gz | awk -F'\t' '\$9 ~ /^5/ {c[\$9\" \"\$29]++} END {for (k in c) print k, c[k]}' | sort"
run split-edgepath "'$BIN' logs -q --format json '$S'"
if [ -n "$HAVE_DUCKDB" ]; then
  run split-duckdb "python3 '$DIR/bench-duckdb.py' csv '$S/*.gz'"
fi

# 4. What-if at scale (issue 8's shape): time, peak memory and the digest it prints.
if [ -x "$REACH_SCALE" ]; then
  run whatif "'$REACH_SCALE' whatif"
  echo "  $(tr '\n' ' ' < "$DIR/bench-whatif.out")"
else
  echo "what-if: $REACH_SCALE not built (cargo build --release --no-default-features --features parquet --example reach_scale), not run"
fi
echo "load average at end: $(load)"
