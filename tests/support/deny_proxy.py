#!/usr/bin/env python3
"""An HTTP proxy in front of moto_server for what moto does not emulate: it answers chosen
EC2/ELBv2 query actions with the error AWS returns to a principal lacking the permission
(HTTP 403, `UnauthorizedOperation` for EC2, `AccessDenied` for ELBv2), answers chosen REST
paths with recorded responses (CloudFront VPC origins, which moto lacks), answers the EC2 VPC
Block Public Access describes moto lacks (mode `--bpa-mode`, default off), and forwards
everything else, so tests drive the real SDK parsing and error paths.

    deny_proxy.py --upstream http://127.0.0.1:5000 --port 5001 --deny DescribeNetworkAcls \
        --stub /2020-05-31/vpc-origin=vpc-origins.xml
"""

import argparse
import http.client
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


def make_handler(upstream, denied, stubs, bpa_mode="off"):
    target = urllib.parse.urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _proxy(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            params = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            params.update(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))
            action = (params.get("Action") or [""])[0]
            path = urllib.parse.urlsplit(self.path).path
            if path in stubs:
                with open(stubs[path], "rb") as f:
                    payload = f.read()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("ETag", "E2STUBETAG")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if action in EC2_STUB_ACTIONS and action not in denied:
                payload = EC2_STUB_ACTIONS[action].format(mode=bpa_mode).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if action in denied:
                template = EC2_DENIED if "Version=2016-11-15" in body.decode("utf-8", "replace") else ELB_DENIED
                payload = template.format(action=action).encode()
                self.send_response(403)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
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
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _proxy

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--upstream", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--deny", action="append", default=[])
    p.add_argument("--stub", action="append", default=[], metavar="PATH=FILE")
    p.add_argument("--bpa-mode", default="off", help="InternetGatewayBlockMode the BPA stub answers")
    a = p.parse_args()
    stubs = dict(s.split("=", 1) for s in a.stub)
    server = ThreadingHTTPServer(
        ("127.0.0.1", a.port), make_handler(a.upstream, set(a.deny), stubs, a.bpa_mode))
    server.serve_forever()


if __name__ == "__main__":
    main()
