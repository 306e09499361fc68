#!/usr/bin/env bash
# Benchmark `edgepath logs` against decompression alone, zcat|awk, DuckDB and GoAccess (if installed),
# on one generated CloudFront W3C corpus (>= 400 MB uncompressed, gzip). Issue 4. With DuckDB,
# also on the same records as CloudFront v2 Parquet (edgepath vs DuckDB `read_parquet`).
# Usage: scripts/bench-logs.sh [LINES] [DIR]    (default 1,600,000 lines ≈ 450 MB, /tmp)
set -euo pipefail
LINES=${1:-1600000}
DIR=${2:-/tmp}
BIN=${EDGEPATH:-${CARGO_TARGET_DIR:-target}/release/edgepath}
F="$DIR/edgepath-bench-cf.log.gz"
if [ ! -s "$F" ]; then
  "$BIN" logs --generate "$LINES" --out "$F" > "$DIR/edgepath-bench-truth.json"
fi
echo "corpus: $F  compressed $(stat -c %s "$F") B, uncompressed $(gzip -dc "$F" | wc -c) B, $LINES lines"
nproc; free -g | head -2
run() { # name, command
  local name=$1; shift
  /usr/bin/time -f "$name: wall %e s, user %U s, sys %S s, peak RSS %M KB" bash -c "$*" > "$DIR/bench-$name.out" 2> "$DIR/bench-$name.err" || true
  tail -1 "$DIR/bench-$name.err"
}
run gzip "gzip -dc '$F' > /dev/null"
run zcat-awk "zcat '$F' | awk -F'\t' '\$9 ~ /^5/ {c[\$9\" \"\$29]++} END {for (k in c) print k, c[k]}'"
run edgepath "'$BIN' logs -q --format json '$F'"
if python3 -c 'import duckdb' 2>/dev/null; then
  cat > "$DIR/bench-duckdb.py" <<'PY'
import sys, duckdb
cols = "date time x-edge-location sc-bytes c-ip cs-method cs-host cs-uri-stem sc-status cs-referer cs-user-agent cs-uri-query cs-cookie x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end".split()
q = f"""select "sc-status", "x-edge-detailed-result-type", count(*) from read_csv('{sys.argv[1]}', delim='\t', header=false, skip=2, names={cols}, all_varchar=true, quote='') where "sc-status" like '5%' group by all"""
print(duckdb.sql(q).fetchall())
PY
  run duckdb "python3 '$DIR/bench-duckdb.py' '$F'"
  # The same records as CloudFront v2 Parquet (all-VARCHAR columns, Athena's underscore names),
  # written by DuckDB (SNAPPY, its default 122,880-row row groups).
  P="$DIR/edgepath-bench-cf.parquet"
  if [ ! -s "$P" ]; then
    cat > "$DIR/bench-to-parquet.py" <<'PY'
import sys, duckdb
names = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end".split()
cols = "{" + ",".join(f"'{n.replace('-', '_').replace('(', '_').replace(')', '').lower()}':'VARCHAR'" for n in names) + "}"
duckdb.sql(f"COPY (SELECT * FROM read_csv('{sys.argv[1]}', delim='\t', skip=2, header=false, columns={cols}, quote='', escape='')) TO '{sys.argv[2]}' (FORMAT parquet, COMPRESSION snappy)")
PY
    python3 "$DIR/bench-to-parquet.py" "$F" "$P"
  fi
  echo "parquet corpus: $P  $(stat -c %s "$P") B"
  cat > "$DIR/bench-duckdb-parquet.py" <<'PY'
import sys, duckdb
print(duckdb.sql(f"select sc_status, x_edge_detailed_result_type, count(*) from read_parquet('{sys.argv[1]}') where sc_status like '5%' group by all").fetchall())
PY
  run edgepath-parquet "'$BIN' logs -q --format json '$P'"
  run duckdb-parquet "python3 '$DIR/bench-duckdb-parquet.py' '$P'"
else
  echo "duckdb: not installed (pip install duckdb failed or offline)"
fi
if command -v goaccess >/dev/null; then
  # GoAccess's CLOUDFRONT format has no x-edge-detailed-result-type: it counts status classes
  # (and builds its whole report), a broader but comparable pass over every line.
  run goaccess "zcat '$F' | goaccess - --log-format=CLOUDFRONT --no-global-config -o '$DIR/bench-goaccess.json'"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('goaccess:', d['general']['valid_requests'], 'valid,', d['general']['failed_requests'], 'failed,', [(x['data'], x['hits']['count']) for x in d['status_codes']['data']])" "$DIR/bench-goaccess.json" || true
else
  echo "goaccess: not installed (apt-get install goaccess), not run"
fi

# The usual CloudFront delivery: many objects (one per edge server per hour), here the same
# records in 96 gzip files with the #Version/#Fields header each. Every tool gets the whole set.
S="$DIR/edgepath-bench-cf-split"
if [ ! -d "$S" ]; then
  mkdir -p "$S"
  gzip -dc "$F" | tail -n +3 > "$S/all.tmp"
  split -n l/96 -d -a 2 --additional-suffix=.log "$S/all.tmp" "$S/E2BENCHDIST0.2026-11-20-"
  rm "$S/all.tmp"
  for f in "$S"/*.log; do { gzip -dc "$F" | head -2; cat "$f"; } | gzip > "$f.gz"; rm "$f"; done
fi
echo "split corpus: $S  $(ls "$S" | wc -l) files, $(du -sb "$S" | cut -f1) B"
run split-gzip "gzip -dc '$S'/*.gz > /dev/null"
run split-zcat-awk "zcat '$S'/*.gz | awk -F'\t' '\$9 ~ /^5/ {c[\$9\" \"\$29]++} END {for (k in c) print k, c[k]}'"
run split-edgepath "'$BIN' logs -q --format json '$S'"
if python3 -c 'import duckdb' 2>/dev/null; then
  run split-duckdb "python3 '$DIR/bench-duckdb.py' '$S/*.gz'"
fi
