#!/usr/bin/env python3
"""An HTTP proxy in front of moto_server for what moto does not emulate: it answers chosen
EC2/ELBv2 query actions with the error AWS returns to a principal lacking the permission
(HTTP 403, `UnauthorizedOperation` for EC2, `AccessDenied` for ELBv2), answers chosen REST
paths with recorded responses (CloudFront VPC origins, which moto lacks), answers the EC2 VPC
Block Public Access describes moto lacks (mode `--bpa-mode`, default off), injects faults
(throttling, HTTP 500/503, a slow answer, a reset connection) into chosen operations, and
forwards everything else, so tests drive the real SDK parsing, retry and error paths.

    deny_proxy.py --upstream http://127.0.0.1:5000 --port 5001 --deny DescribeNetworkAcls \
        --stub /2020-05-31/vpc-origin=vpc-origins.xml \
        --fault 'op=*,kind=throttle,every=3,attempts=1' \
        --fault 'op=DescribeSecurityGroups,kind=500'

A fault is `op=OPERATION|*,kind=KIND[,every=N][,attempts=M][,delay=SECONDS]`:
- kind: `throttle` (EC2 `RequestLimitExceeded` HTTP 503; ELBv2 and CloudFront `Throttling`
  HTTP 400), `500` (`InternalError` / `InternalFailure`), `503` (`Unavailable` /
  `ServiceUnavailable`), `slow` (forwards the answer after `delay` seconds, default 120),
  `reset` (closes the connection with a TCP RST, no answer);
- every: the fault hits the 1st, (N+1)th, (2N+1)th... distinct request (the SDK's
  `amz-sdk-invocation-id`, so a retry is the same request) of the operation (of all operations
  for `*`); default 1 = every request;
- attempts: how many attempts of a hit request fail (the SDK's `amz-sdk-request: attempt=K`);
  default 0 = every attempt (a permanent fault).
Operations are named as in the API: the `Action` of EC2/ELBv2 query requests; CloudFront's
REST paths map to ListDistributions, GetDistribution, ListVpcOrigins, GetVpcOrigin.

`GET /__faults` answers the faults injected so far as JSON: {"OPERATION": {"KIND": n}}.

JSON-protocol operations (CloudTrail LookupEvents) are stubbed by their `X-Amz-Target` with
`--stub-target TARGET=FILE` (see stubs/json_target.py); `--request-log FILE` appends the time
and target of each such request, one line each, for tests that check a client's request rate.
`--s3` names S3 path-style requests by operation (HeadBucket, ListObjectsV2, GetObject, …) so
they can be denied (403 AccessDenied) and faulted (`throttle` is S3's 503 `SlowDown`), and
with `--request-log` appends `time OPERATION /bucket/key [prefix=P]` for each S3 request (every
attempt).
`--cbor-bridge` translates the SDK's Smithy RPC v2 CBOR requests (CloudWatch) to the JSON moto
speaks and back (stubs/cbor_bridge.py).
"""

import argparse
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EC2_DENIED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Response><Errors><Error><Code>UnauthorizedOperation</Code>"
    "<Message>You are not authorized to perform this operation. User: "
    "arn:aws:iam::123456789012:user/oncall is not authorized to perform: ec2:{action} "
    "because no identity-based policy allows the ec2:{action} action</Message></Error></Errors>"
    "<RequestID>edgepath-test</RequestID></Response>"
)
ELB_DENIED = (
    '<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">'
    "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to "
    "perform: elasticloadbalancing:{action}</Message></Error>"
    "<RequestId>edgepath-test</RequestId></ErrorResponse>"
)

# EC2 answers errors in its own query XML; ELBv2 (awsQuery) and CloudFront (restXml) in
# `ErrorResponse` with a Type.
EC2_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
    "<RequestID>edgepath-fault</RequestID></Response>"
)
XML_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<ErrorResponse xmlns="{ns}"><Error><Type>{type}</Type><Code>{code}</Code>'
    "<Message>{message}</Message></Error><RequestId>edgepath-fault</RequestId></ErrorResponse>"
)
ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
CLOUDFRONT_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

# kind → protocol → (HTTP status, code, message); protocol is ec2, elbv2 or cloudfront.
ERRORS = {
    "throttle": {
        "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
        "elbv2": (400, "Throttling", "Rate exceeded"),
        "cloudfront": (400, "Throttling", "Rate exceeded"),
        "s3": (503, "SlowDown", "Please reduce your request rate."),
    },
    "500": {
        "ec2": (500, "InternalError", "An internal error has occurred"),
        "elbv2": (500, "InternalFailure", "The request processing has failed because of an unknown error."),
        "cloudfront": (500, "InternalError", "We encountered an internal error. Please try again."),
        "s3": (500, "InternalError", "We encountered an internal error. Please try again."),
    },
    "503": {
        "ec2": (503, "Unavailable", "The server is overloaded and can't handle the request."),
        "elbv2": (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
        "cloudfront": (503, "ServiceUnavailable", "The service is unavailable. Please try again later."),
        "s3": (503, "ServiceUnavailable", "Please reduce your request rate."),
    },
}
S3_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>{code}</Code><Message>{message}</Message>"
    "<RequestId>edgepath-fault</RequestId></Error>"
)
KINDS = set(ERRORS) | {"slow", "reset"}


class Fault:
    """One `--fault` rule: which operation, what, on which requests and attempts."""

    def __init__(self, spec):
        fields = dict(part.split("=", 1) for part in spec.split(","))
        self.op = fields.pop("op")
        self.kind = fields.pop("kind")
        if self.kind not in KINDS:
            raise SystemExit(f"--fault {spec}: kind must be one of {sorted(KINDS)}")
        self.every = int(fields.pop("every", "1"))
        self.attempts = int(fields.pop("attempts", "0"))
        self.delay = float(fields.pop("delay", "120"))
        if fields or self.every < 1 or self.attempts < 0:
            raise SystemExit(f"--fault {spec}: unknown field or bad value {fields}")
        self.seen = {}  # invocation id → whether this rule hits it

    def hits(self, op, invocation, attempt):
        """Whether this attempt of the request gets the fault (called under the lock)."""
        if self.op not in ("*", op):
            return False
        if invocation not in self.seen:
            self.seen[invocation] = len(self.seen) % self.every == 0
        return self.seen[invocation] and (self.attempts == 0 or attempt <= self.attempts)


def cloudfront_operation(method, path):
    """The CloudFront operation of a REST request, from its method and path."""
    parts = [p for p in path.split("/") if p]
    if method != "GET" or len(parts) < 2 or parts[0] != "2020-05-31":
        return ""
    names = {
        ("distribution", 2): "ListDistributions",
        ("distribution", 3): "GetDistribution",
        ("vpc-origin", 2): "ListVpcOrigins",
        ("vpc-origin", 3): "GetVpcOrigin",
    }
    return names.get((parts[1], len(parts)), "")


def s3_operation(method, path, query):
    """The S3 operation of a path-style request (`/bucket`, `/bucket/key`)."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "ListBuckets" if method == "GET" else ""
    if len(parts) == 1:
        if method == "HEAD":
            return "HeadBucket"
        if method == "GET":
            if "location" in query:
                return "GetBucketLocation"
            return "ListObjectsV2" if query.get("list-type") == ["2"] else "ListObjects"
        return {"PUT": "CreateBucket", "DELETE": "DeleteBucket"}.get(method, "")
    return {"GET": "GetObject", "HEAD": "HeadObject", "PUT": "PutObject",
            "DELETE": "DeleteObject", "POST": "PostObject"}.get(method, "")


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs"))


# EC2 query actions moto does not emulate, answered as AWS does for an account with VPC Block
# Public Access off and no exclusions (shape: EC2 API reference, DescribeVpcBlockPublicAccess*).
EC2_STUB_ACTIONS = {
    "DescribeVpcBlockPublicAccessOptions": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<DescribeVpcBlockPublicAccessOptionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        "<requestId>edgepath-test</requestId><vpcBlockPublicAccessOptions>"
        "<awsAccountId>123456789012</awsAccountId><awsRegion>us-east-1</awsRegion>"
        "<state>default-state</state><internetGatewayBlockMode>{mode}</internetGatewayBlockMode>"
        "<managedBy>account</managedBy><exclusionsAllowed>allowed</exclusionsAllowed>"
        "</vpcBlockPublicAccessOptions></DescribeVpcBlockPublicAccessOptionsResponse>"
    ),
    "DescribeVpcBlockPublicAccessExclusions": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<DescribeVpcBlockPublicAccessExclusionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        "<requestId>edgepath-test</requestId><vpcBlockPublicAccessExclusionSet/>"
        "</DescribeVpcBlockPublicAccessExclusionsResponse>"
    ),
}


def make_handler(upstream, denied, stubs, faults, target_stubs=None, request_log=None, cbor=False,
                 bpa_mode="off", s3=False):
    target = urllib.parse.urlsplit(upstream)
    lock = threading.Lock()
    injected = {}  # op → kind → count
    attempts_seen = {}  # invocation id → attempts, when the SDK sends no attempt header

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status, payload, content_type="text/xml", extra=()):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for k, v in extra:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _fault(self, op, protocol):
            """The fault this request gets, if any, counted in `injected`."""
            if not faults or not op:
                return None
            invocation = self.headers.get("amz-sdk-invocation-id") or f"{id(self)}-{time.time()}"
            attempt = 0
            for part in (self.headers.get("amz-sdk-request") or "").split(";"):
                key, _, value = part.strip().partition("=")
                if key == "attempt" and value.isdigit():
                    attempt = int(value)
            with lock:
                if attempt == 0:
                    attempt = attempts_seen.get(invocation, 0) + 1
                    attempts_seen[invocation] = attempt
                for fault in faults:
                    if fault.hits(op, invocation, attempt):
                        per_op = injected.setdefault(op, {})
                        per_op[fault.kind] = per_op.get(fault.kind, 0) + 1
                        return fault
            return None

        def _reset(self):
            """Closes the connection with a TCP RST and no answer."""
            self.close_connection = True
            try:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.connection.close()

        def _proxy(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            text = body.decode("utf-8", "replace")
            params = urllib.parse.parse_qs(text)
            params.update(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))
            action = (params.get("Action") or [""])[0]
            path = urllib.parse.urlsplit(self.path).path
            if path == "/__faults":
                with lock:
                    payload = json.dumps(injected).encode()
                self._send(200, payload, "application/json")
                return
            amz_target = self.headers.get("X-Amz-Target", "")
            if amz_target in (target_stubs or {}):
                import json_target

                if request_log:
                    with open(request_log, "a", encoding="utf-8") as log:
                        log.write(f"{time.time():.6f} {amz_target}\n")
                status, payload = json_target.respond(target_stubs[amz_target], body)
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if cbor and self.headers.get("smithy-protocol") == "rpc-v2-cbor":
                import cbor_bridge

                parts = path.split("/")  # /service/SERVICE/operation/OPERATION
                body = cbor_bridge.to_json_request(body)
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "content-type")}
                headers.update({"Host": target.netloc, "Content-Type": "application/x-amz-json-1.0",
                                "X-Amz-Target": f"{parts[2]}.{parts[4]}"})
                conn.request("POST", "/", body=body, headers=headers)
                resp = conn.getresponse()
                payload = cbor_bridge.to_cbor_response(resp.read())
                conn.close()
                self.send_response(resp.status)
                self.send_header("Content-Type", "application/cbor")
                self.send_header("smithy-protocol", "rpc-v2-cbor")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if action in EC2_STUB_ACTIONS and action not in denied:
                self._send(200, EC2_STUB_ACTIONS[action].format(mode=bpa_mode).encode())
                return
            if path in stubs:
                with open(stubs[path], "rb") as f:
                    payload = f.read()
                self._send(200, payload, extra=[("ETag", "E2STUBETAG")])
                return
            if action:
                op = action
                protocol = "ec2" if "Version=2016-11-15" in text else "elbv2"
            elif s3 and not path.startswith("/2020-05-31/"):
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query,
                                              keep_blank_values=True)
                op = s3_operation(self.command, path, query)
                protocol = "s3"
                if request_log and op:
                    with lock, open(request_log, "a", encoding="utf-8") as log:
                        prefix = (query.get("prefix") or [None])[0]
                        where = urllib.parse.unquote(path)
                        if prefix is not None:
                            where += f" prefix={prefix}"
                        log.write(f"{time.time():.6f} {op} {where}\n")
            else:
                op = cloudfront_operation(self.command, path)
                protocol = "cloudfront"
            fault = self._fault(op, protocol)
            if fault is not None:
                if fault.kind == "reset":
                    self._reset()
                    return
                if fault.kind == "slow":
                    time.sleep(fault.delay)
                else:
                    status, code, message = ERRORS[fault.kind][protocol]
                    if protocol == "ec2":
                        payload = EC2_ERROR.format(code=code, message=message)
                    elif protocol == "s3":
                        payload = S3_ERROR.format(code=code, message=message)
                    else:
                        ns = ELB_NS if protocol == "elbv2" else CLOUDFRONT_NS
                        kind = "Receiver" if status >= 500 else "Sender"
                        payload = XML_ERROR.format(ns=ns, type=kind, code=code, message=message)
                    self._send(status, payload.encode())
                    return
            if protocol == "s3" and op in denied:
                body = b"" if self.command == "HEAD" else S3_ERROR.format(
                    code="AccessDenied", message="Access Denied").encode()
                self._send(403, body, "application/xml")
                return
            if action in denied:
                template = EC2_DENIED if protocol == "ec2" else ELB_DENIED
                self._send(403, template.format(action=action).encode())
                return
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            headers["Host"] = target.netloc
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "content-length", "connection"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:
                # The client gave up (a slow answer past its timeout).
                self.close_connection = True
            conn.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _proxy

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A reset or abandoned connection is what the faults are for, not an error to print.
        pass


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--upstream", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--deny", action="append", default=[])
    p.add_argument("--stub", action="append", default=[], metavar="PATH=FILE")
    p.add_argument("--fault", action="append", default=[],
                   metavar="op=OP,kind=KIND[,every=N][,attempts=M][,delay=S]")
    p.add_argument("--stub-target", action="append", default=[], metavar="TARGET=FILE")
    p.add_argument("--request-log", metavar="FILE")
    p.add_argument("--cbor-bridge", action="store_true")
    p.add_argument("--s3", action="store_true", help="name, deny, fault and log S3 requests")
    p.add_argument("--bpa-mode", default="off", help="InternetGatewayBlockMode the BPA stub answers")
    a = p.parse_args()
    stubs = dict(s.split("=", 1) for s in a.stub)
    target_stubs = dict(s.split("=", 1) for s in a.stub_target)
    faults = [Fault(f) for f in a.fault]
    server = Server(
        ("127.0.0.1", a.port),
        make_handler(a.upstream, set(a.deny), stubs, faults, target_stubs, a.request_log,
                     a.cbor_bridge, a.bpa_mode, a.s3))
    server.serve_forever()


if __name__ == "__main__":
    main()
