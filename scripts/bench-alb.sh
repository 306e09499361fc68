#!/usr/bin/env bash
# Benchmark `edgepath logs` on ALB access logs against `zcat | awk` and DuckDB (issue 20 item 3).
# The corpus: LINES generated ALB lines (every ALB signature, see src/logs/generate_alb.rs) in
# OBJECTS gzip objects named the way the ALB names them (one per node per 5 minutes), built
# from an empty directory. Every row prints the command, wall/user/sys time, peak RSS and a
# digest of the output; DuckDB runs with the 30 columns given (auto_detect=false), and its
# in-process query time is printed beside the whole-process time.
# Usage: scripts/bench-alb.sh [LINES] [DIR] [OBJECTS]   (default 1,600,000 lines, /tmp/edgepath-bench-alb, 96)
set -euo pipefail
LINES=${1:-1600000}
DIR=${2:-/tmp/edgepath-bench-alb}
OBJECTS=${3:-96}
BIN=${EDGEPATH:-${CARGO_TARGET_DIR:-target}/release/edgepath}
S="$DIR/objects"
mkdir -p "$DIR"
if [ ! -f "$DIR/corpus.done" ]; then
  rm -rf "$S" && mkdir -p "$S"
  "$BIN" logs --generate "$LINES" --log-format alb --out "$DIR/all.log" > "$DIR/truth.json"
  split -n "l/$OBJECTS" -d -a 3 --additional-suffix=.log "$DIR/all.log" \
    "$S/123456789012_elasticloadbalancing_us-east-1_app.web-alb.50dc6c495c0c9188_20261120T0500Z_10.0.0."
  rm "$DIR/all.log"
  ls "$S"/*.log | xargs -P "$(nproc)" -n 8 gzip -6
  touch "$DIR/corpus.done"
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $S  $(ls "$S" | wc -l) objects, $(du -sb "$S" | cut -f1) B gzip, $LINES lines"
run() { # name, command
  local name=$1; shift
  echo "[$name] $*"
  /usr/bin/time -f "$name: wall %e s, user %U s, sys %S s, peak RSS %M KB" bash -c "$*" > "$DIR/bench-$name.out" 2> "$DIR/bench-$name.err" || true
  echo "  $(tail -1 "$DIR/bench-$name.err")  output sha256 $(sha256sum < "$DIR/bench-$name.out" | cut -c1-16)"
}
run gzip "gzip -dc '$S'/*.gz > /dev/null"
# The same summary as edgepath's status pairs: 5xx/460/463/464 by elb_status_code and target_status_code.
run zcat-awk "zcat '$S'/*.gz | awk '\$9 ~ /^(5..|460|463|464)\$/ {c[\$9\" / \"\$10]++} END {for (k in c) print k, c[k]}' | sort"
run edgepath "'$BIN' logs -q --format json '$S'"
python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['alb']; print('  edgepath status pairs:', a['status_pairs']); print('  edgepath by signature:', a['by_signature'])" "$DIR/bench-edgepath.out" 2>/dev/null \
  || python3 -c "import json,sys; d=json.load(open(sys.argv[1])); a=d.get('summary',d)['alb']; print('  edgepath status pairs:', a['status_pairs'])" "$DIR/bench-edgepath.out"
echo "  zcat|awk: $(tr '\n' ';' < "$DIR/bench-zcat-awk.out")"
if python3 -c 'import duckdb' 2>/dev/null; then
  cat > "$DIR/bench-duckdb-alb.py" <<'PY'
import sys, time, duckdb
names = ("type time elb client_port target_port request_processing_time target_processing_time "
         "response_processing_time elb_status_code target_status_code received_bytes sent_bytes request "
         "user_agent ssl_cipher ssl_protocol target_group_arn trace_id domain_name chosen_cert_arn "
         "matched_rule_priority request_creation_time actions_executed redirect_url error_reason "
         "target_port_list target_status_code_list classification classification_reason conn_trace_id").split()
cols = "{" + ",".join(f"'{n}':'VARCHAR'" for n in names) + "}"
q = f"""select elb_status_code, target_status_code, error_reason, count(*)
        from read_csv('{sys.argv[1]}', delim=' ', quote='"', escape='\\', header=false,
                      auto_detect=false, columns={cols}, null_padding=true, ignore_errors=false)
        where elb_status_code like '5%' or elb_status_code in ('460', '463', '464')
        group by all order by all"""
t0 = time.perf_counter()
rows = duckdb.sql(q).fetchall()
t1 = time.perf_counter()
for r in rows:
    print(*r)
print(f"duckdb in-process query: {t1 - t0:.3f} s", file=sys.stderr)
PY
  run duckdb "python3 '$DIR/bench-duckdb-alb.py' '$S/*.gz'"
  grep "in-process" "$DIR/bench-duckdb.err" | sed 's/^/  /'
  echo "  duckdb: $(tr '\n' ';' < "$DIR/bench-duckdb.out")"
else
  echo "duckdb: not installed (pip install duckdb), not run"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
