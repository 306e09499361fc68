#!/usr/bin/env bash
# Live collection speed: edgepath's concurrent SDK collection vs the sequential AWS CLI script
# (examples/collect.sh), both against the same moto_server account.
#
#   scripts/bench-live.sh [--albs 50] [--tgs-per-alb 4] [--sgs 400] [--runs 3] [--debug]
#
# Default shape (issue #6): 500 SGs (400 extra + 2 per ALB), 50 ALBs, 200 target groups,
# one instance per target group. Needs moto_server, aws, boto3 (.ci/install-test-deps.sh);
# builds edgepath in release mode (--debug: the debug build, an upper bound for edgepath).
set -euo pipefail
cd "$(dirname "$0")/.."
albs=50 tgs=4 sgs=400 runs=3 build=release
while (($#)); do
    case "$1" in
        --albs) albs=$2; shift 2 ;;
        --tgs-per-alb) tgs=$2; shift 2 ;;
        --sgs) sgs=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --debug) build=debug; shift ;;
        *) echo "unknown flag $1" >&2; exit 2 ;;
    esac
done
if [[ $build == release ]]; then cargo build --release --quiet; else cargo build --quiet; fi
bin=./target/$build/edgepath
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null' EXIT
until python3 -c "import socket; socket.create_connection(('127.0.0.1',$port))" 2>/dev/null; do sleep 0.2; done
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
echo "building account: $albs ALBs, $((albs * tgs)) target groups, $((sgs + 2 * albs)) SGs…" >&2
python3 tests/support/moto_account.py --endpoint "$AWS_ENDPOINT_URL" --albs "$albs" \
    --tgs-per-alb "$tgs" --sgs "$sgs" --instances-per-tg 1 >/dev/null
tmp=$(mktemp -d)
now() { python3 -c 'import time; print(time.monotonic())'; }
for r in $(seq "$runs"); do
    t0=$(now)
    $bin -q snapshot --out "$tmp/sdk-$r" >/dev/null
    t1=$(now)
    bash examples/collect.sh --region us-east-1 --out "$tmp/cli-$r" >/dev/null 2>&1
    t2=$(now)
    python3 -c "print(f'run $r: edgepath snapshot {$t1-$t0:.2f} s   collect.sh (aws cli) {$t2-$t1:.2f} s   speed-up {($t2-$t1)/($t1-$t0):.1f}x')"
done
$bin inventory --snapshot "$tmp/sdk-1" | head -30
rm -rf "$tmp"
