#!/usr/bin/env bash
# Collects an edgepath snapshot directory with the plain AWS CLI (read-only calls only), for
# people who cannot run edgepath with credentials. One JSON file per call, unmodified except for
# the parent-id keys edgepath's snapshot format asks for (TargetGroupArn, LoadBalancerArn,
# PrefixListId), added with jq (or python3 when jq is missing).
#
#   examples/collect.sh --region us-east-1 --out ./snap [--profile prod]
#   edgepath check --snapshot ./snap
#
# A call that fails (AccessDenied, a service not enabled in the region) prints a warning and
# the collection goes on: edgepath marks the missing data `unknown` and names the call.
set -euo pipefail

usage() {
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    echo
    echo "Options: --region REGION (required)  --out DIR (default ./snapshot)  --profile PROFILE"
}

REGION="" OUT="./snapshot" PROFILE=""
while (($#)); do
    case "$1" in
        --region) REGION="${2:?--region needs a value}"; shift 2 ;;
        --out) OUT="${2:?--out needs a value}"; shift 2 ;;
        --profile) PROFILE="${2:?--profile needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ -n "$REGION" ]] || { echo "--region is required" >&2; usage >&2; exit 2; }
command -v aws >/dev/null || { echo "the AWS CLI (aws) is required" >&2; exit 2; }

AWS=(aws --output json --region "$REGION")
[[ -n "$PROFILE" ]] && AWS+=(--profile "$PROFILE")
mkdir -p "$OUT"

# add_key FILE KEY VALUE: add a top-level string key to a JSON file.
add_key() {
    if command -v jq >/dev/null; then
        jq --arg k "$2" --arg v "$3" '. + {($k): $v}' "$1" > "$1.tmp" && mv "$1.tmp" "$1"
    else
        python3 - "$1" "$2" "$3" <<'PY'
import json, sys
path, key, value = sys.argv[1:]
with open(path) as f:
    data = json.load(f)
data[key] = value
with open(path, "w") as f:
    json.dump(data, f, indent=4)
PY
    fi
}

# call FILE ARGS...: run one read-only call into FILE; warn and continue on failure.
call() {
    local file="$OUT/$1"; shift
    if "${AWS[@]}" "$@" > "$file.tmp" 2> "$file.err"; then
        rm -f "$file.err"
        if [[ -s "$file.tmp" ]]; then
            mv "$file.tmp" "$file"
        elif [[ -n "${EMPTY:-}" ]]; then
            # The CLI prints nothing for an empty paginated result: record "none" explicitly.
            printf '%s\n' "$EMPTY" > "$file"; rm -f "$file.tmp"
        else
            rm -f "$file.tmp"
        fi
        return 0
    fi
    echo "warning: aws $* failed: $(tr '\n' ' ' < "$file.err")" >&2
    rm -f "$file.tmp" "$file.err"
    return 1
}

# ids FILE JQ_PATH: print ids from a collected file (jq or python3).
ids() {
    [[ -f "$OUT/$1" ]] || return 0
    if command -v jq >/dev/null; then
        jq -r "$2" "$OUT/$1"
    else
        python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for part in sys.argv[2].split("."):
    d=[x.get(part) for x in d] if isinstance(d, list) else d.get(part, [])
    if isinstance(d, list) and d and isinstance(d[0], list): d=[y for x in d for y in x]
print("\n".join(x for x in (d if isinstance(d, list) else [d]) if x))' "$OUT/$1" "$3"
    fi
}

echo "collecting EC2 networking in $REGION ..." >&2
call ec2-describe-vpcs.json ec2 describe-vpcs || true
call ec2-describe-subnets.json ec2 describe-subnets || true
call ec2-describe-route-tables.json ec2 describe-route-tables || true
call ec2-describe-network-acls.json ec2 describe-network-acls || true
call ec2-describe-internet-gateways.json ec2 describe-internet-gateways || true
call ec2-describe-nat-gateways.json ec2 describe-nat-gateways || true
call ec2-describe-security-groups.json ec2 describe-security-groups || true
call ec2-describe-network-interfaces.json ec2 describe-network-interfaces || true
call ec2-describe-instances.json ec2 describe-instances || true
call ec2-describe-managed-prefix-lists.json ec2 describe-managed-prefix-lists || true
call ec2-describe-vpc-endpoints.json ec2 describe-vpc-endpoints || true
call ec2-describe-vpc-peering-connections.json ec2 describe-vpc-peering-connections || true
# VPC Block Public Access: the Region's mode and its exclusions (patterns.md B6).
call ec2-describe-vpc-block-public-access-options.json ec2 describe-vpc-block-public-access-options || true
call ec2-describe-vpc-block-public-access-exclusions.json ec2 describe-vpc-block-public-access-exclusions || true

# Entries of CloudFront's origin-facing list and of every listed prefix list a security-group
# rule references (edgepath calls a rule on a list without entries `unknown`), as the live
# collector does.
listed_pls=$(ids ec2-describe-managed-prefix-lists.json '.PrefixLists[].PrefixListId' PrefixLists.PrefixListId || true)
wanted_pls=$({
    ids ec2-describe-managed-prefix-lists.json '.PrefixLists[] | select(.PrefixListName == "com.amazonaws.global.cloudfront.origin-facing") | .PrefixListId' PrefixLists.PrefixListId || true
    ids ec2-describe-security-groups.json '.SecurityGroups[].IpPermissions[]?.PrefixListIds[]?.PrefixListId' SecurityGroups.IpPermissions.PrefixListIds.PrefixListId || true
    ids ec2-describe-security-groups.json '.SecurityGroups[].IpPermissionsEgress[]?.PrefixListIds[]?.PrefixListId' SecurityGroups.IpPermissionsEgress.PrefixListIds.PrefixListId || true
} | sort -u)
for pl in $wanted_pls; do
    grep -qxF "$pl" <<<"$listed_pls" || continue
    f="ec2-get-managed-prefix-list-entries-$pl.json"
    call "$f" ec2 get-managed-prefix-list-entries --prefix-list-id "$pl" && add_key "$OUT/$f" PrefixListId "$pl"
done
for vpc in $(ids ec2-describe-vpcs.json '.Vpcs[].VpcId' Vpcs.VpcId); do
    call "ec2-describe-stale-security-groups-$vpc.json" ec2 describe-stale-security-groups --vpc-id "$vpc" || true
done

echo "collecting load balancers ..." >&2
call elbv2-describe-load-balancers.json elbv2 describe-load-balancers || true
call elbv2-describe-target-groups.json elbv2 describe-target-groups || true
n=0
for lb in $(ids elbv2-describe-load-balancers.json '.LoadBalancers[].LoadBalancerArn' LoadBalancers.LoadBalancerArn); do
    n=$((n + 1))
    call "elbv2-describe-listeners-$n.json" elbv2 describe-listeners --load-balancer-arn "$lb" || true
    f="elbv2-describe-load-balancer-attributes-$n.json"
    call "$f" elbv2 describe-load-balancer-attributes --load-balancer-arn "$lb" && add_key "$OUT/$f" LoadBalancerArn "$lb"
    m=0
    for l in $(ids "elbv2-describe-listeners-$n.json" '.Listeners[].ListenerArn' Listeners.ListenerArn); do
        m=$((m + 1))
        call "elbv2-describe-rules-$n-$m.json" elbv2 describe-rules --listener-arn "$l" || true
    done
    # Default and SNI certificates of each HTTPS listener (without jq: of every listener; an
    # HTTP one lists none), then ACM's description of each.
    m=0
    for l in $(ids "elbv2-describe-listeners-$n.json" '.Listeners[] | select(.Protocol == "HTTPS") | .ListenerArn' Listeners.ListenerArn); do
        m=$((m + 1))
        f="elbv2-describe-listener-certificates-$n-$m.json"
        call "$f" elbv2 describe-listener-certificates --listener-arn "$l" && add_key "$OUT/$f" ListenerArn "$l"
        for c in $(ids "$f" '.Certificates[].CertificateArn' Certificates.CertificateArn); do
            case "$c" in arn:*:acm:*) ;; *) continue ;; esac
            call "acm-describe-certificate-${c##*/}.json" acm describe-certificate --certificate-arn "$c" || true
        done
    done
done
n=0
for tg in $(ids elbv2-describe-target-groups.json '.TargetGroups[].TargetGroupArn' TargetGroups.TargetGroupArn); do
    n=$((n + 1))
    f="elbv2-describe-target-health-$n.json"
    call "$f" elbv2 describe-target-health --target-group-arn "$tg" && add_key "$OUT/$f" TargetGroupArn "$tg"
    f="elbv2-describe-target-group-attributes-$n.json"
    call "$f" elbv2 describe-target-group-attributes --target-group-arn "$tg" && add_key "$OUT/$f" TargetGroupArn "$tg"
done

echo "collecting CloudFront (global) ..." >&2
EMPTY='{"DistributionList": {"Quantity": 0, "Items": []}}' call cloudfront-list-distributions.json cloudfront list-distributions || true
for d in $(ids cloudfront-list-distributions.json '.DistributionList.Items[]?.Id' DistributionList.Items.Id); do
    call "cloudfront-get-distribution-$d.json" cloudfront get-distribution --id "$d" || true
done
EMPTY='{"VpcOriginList": {"Quantity": 0, "Items": []}}' call cloudfront-list-vpc-origins.json cloudfront list-vpc-origins || true
for vo in $(ids cloudfront-list-vpc-origins.json '.VpcOriginList.Items[]?.Id' VpcOriginList.Items.Id); do
    call "cloudfront-get-vpc-origin-$vo.json" cloudfront get-vpc-origin --id "$vo" || true
done
# Custom origin request and cache policies (managed ones are known by id): what decides the
# request CloudFront sends (Host, headers) and so which listener rule answers it.
EMPTY='{"OriginRequestPolicyList": {"Quantity": 0, "Items": []}}' call cloudfront-list-origin-request-policies.json cloudfront list-origin-request-policies --type custom || true
EMPTY='{"CachePolicyList": {"Quantity": 0, "Items": []}}' call cloudfront-list-cache-policies.json cloudfront list-cache-policies --type custom || true

echo "collecting CloudTrail CreateVpcEndpoint events (who created requester-managed endpoints) ..." >&2
call cloudtrail-lookup-events-create-vpc-endpoint.json cloudtrail lookup-events \
    --lookup-attributes AttributeKey=EventName,AttributeValue=CreateVpcEndpoint --max-results 50 || true

echo "snapshot written to $OUT ($(ls "$OUT" | wc -l) files); next: edgepath inventory --snapshot $OUT" >&2
