"""Recorded answers for AWS JSON-protocol operations moto lacks (CloudTrail LookupEvents),
chosen by the request's `X-Amz-Target` header; used by deny_proxy.py's `--stub-target`.

A stub file is JSON:

    {"throttle_first": 1,
     "pages": {"": {...first page...}, "page-2": {...second page...}}}

The page is chosen by the request's `NextToken` ("" for the first). Every string in a page
has `{resource}` replaced by the request's first lookup attribute value, so one recording
answers the lookup of any resource name with events naming it. The first `throttle_first`
requests of the proxy's life are answered with CloudTrail's `ThrottlingException` (HTTP 400).
"""

import json
import threading

_lock = threading.Lock()
_seen = {"requests": 0}


def _fill(value, resource):
    if isinstance(value, str):
        return value.replace("{resource}", resource)
    if isinstance(value, list):
        return [_fill(v, resource) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, resource) for k, v in value.items()}
    return value


def respond(stub_file, body):
    """(status, payload bytes) for one request to a stubbed target."""
    with open(stub_file, encoding="utf-8") as f:
        stub = json.load(f)
    request = json.loads(body or b"{}")
    with _lock:
        _seen["requests"] += 1
        n = _seen["requests"]
    if n <= stub.get("throttle_first", 0):
        return 400, json.dumps(
            {"__type": "ThrottlingException", "message": "Rate exceeded"}
        ).encode()
    attrs = request.get("LookupAttributes") or [{}]
    resource = attrs[0].get("AttributeValue", "")
    page = stub["pages"].get(request.get("NextToken") or "")
    if page is None:
        return 400, json.dumps(
            {"__type": "InvalidNextTokenException", "message": "unknown NextToken"}
        ).encode()
    return 200, json.dumps(_fill(page, resource)).encode()
