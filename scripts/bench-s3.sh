#!/usr/bin/env bash
# Benchmark `edgepath logs s3://…` (issue 18) against moto_server on 127.0.0.1: the 96-object
# split corpus of scripts/bench-logs.sh uploaded under a CloudFront key layout, read
# - from the local directory (`edgepath logs DIR`),
# - straight from S3 (`edgepath logs s3://bench/cf/`),
# - the way it is done without edgepath's S3 input: `aws s3 cp --recursive` then `logs DIR`;
# and memory: 10 objects vs 96 vs the 96 uploaded four times (384 objects), which should stay
# flat. Every row prints wall/user/sys, peak RSS, the load average when it started and the
# output's digest (the local and S3 reads must print the same digest).
#
# moto serves objects from a Python process: its GET throughput, not edgepath, bounds the S3
# rows (the `aws s3 cp` row shows what moto gives a client that only downloads).
#
# Usage: scripts/bench-s3.sh [DIR]   (DIR: bench-logs.sh's directory, default /tmp/edgepath-bench-logs)
# Env: EDGEPATH (binary, default target/release/edgepath, built with the `live` feature),
#      RUNS (default 3), PORT (moto's port, default 5790).
set -euo pipefail
DIR=${1:-/tmp/edgepath-bench-logs}
S="$DIR/edgepath-bench-cf-split"
BIN=${EDGEPATH:-${CARGO_TARGET_DIR:-target}/release/edgepath}
RUNS=${RUNS:-3}
PORT=${PORT:-5790}
[ -d "$S" ] || { echo "no $S: run scripts/bench-logs.sh first (it builds the split corpus)" >&2; exit 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; edgepath $BIN (git $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "corpus: $S  $(ls "$S" | wc -l) objects, $(du -sb "$S" | cut -f1) B"

moto_server -H 127.0.0.1 -p "$PORT" > "$DIR/moto.log" 2>&1 &
MOTO=$!
trap 'kill $MOTO 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.2; done
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null \
  AWS_SHARED_CREDENTIALS_FILE=/dev/null
aws s3 mb s3://bench > /dev/null
aws s3 cp --recursive --quiet "$S" s3://bench/cf/
for copy in 0 1 2 3; do aws s3 cp --recursive --quiet "$S" "s3://bench/cf4/$copy/"; done
echo "uploaded: s3://bench/cf/ (96 objects), s3://bench/cf4/ (384 objects)"

run() { # name, command
  local name=$1; shift
  local at; at=$(load)
  local rc=0
  /usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" bash -c "$*" > "$DIR/bench-s3-$name.out" 2> "$DIR/bench-s3-$name.err" || rc=$?
  echo "[$name] $(tail -1 "$DIR/bench-s3-$name.err")  load $at  exit $rc  output sha256 $(sha256sum < "$DIR/bench-s3-$name.out" | cut -c1-16)"
}

for i in $(seq "$RUNS"); do
  run "local-$i" "'$BIN' logs -q --format json '$S'"
  run "s3-$i" "'$BIN' logs -q --format json s3://bench/cf/"
  run "cp-then-local-$i" "rm -rf '$DIR/s3-copy' && aws s3 cp --recursive --quiet s3://bench/cf/ '$DIR/s3-copy' && '$BIN' logs -q --format json '$DIR/s3-copy'"
done
# Memory in the number of objects (the digests differ: other inputs).
run "s3-10-objects" "'$BIN' logs -q --format json s3://bench/cf/E2BENCHDIST0.2026-11-20-0"
run "s3-384-objects" "'$BIN' logs -q --format json s3://bench/cf4/"
run "local-384-objects" "rm -rf '$DIR/s3-copy4' && aws s3 cp --recursive --quiet s3://bench/cf4/ '$DIR/s3-copy4' && '$BIN' logs -q --format json '$DIR/s3-copy4'"
rm -rf "$DIR/s3-copy" "$DIR/s3-copy4"
