#!/usr/bin/env python3
"""Signs requests with botocore's own SigV4 signer, as an oracle for sqsim's.

Reads a JSON array of requests on stdin; each is an object with
  method, url, headers ([[name, value], ...], repeats allowed, wire order),
  body_base64, access_key, secret_key, token (string or null), region,
  service, timestamp ("YYYYMMDDTHHMMSSZ").
Writes a JSON array with, for each request, {"authorization": ...,
"signed_headers": ...} to stdout.

botocore reads the signing time from botocore.auth.get_current_datetime(),
so the time is pinned by patching that name for the duration of each call
(botocore's own unit tests patch the datetime module the same way). Used by
tests/aws/sigv4_test.cc, which skips when botocore is not importable.
"""

import base64
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(case):
    request = AWSRequest(
        method=case["method"],
        url=case["url"],
        data=base64.b64decode(case["body_base64"]),
    )
    for name, value in case["headers"]:
        # HTTPHeaders (an email.message.Message) appends on assignment, so
        # repeated names survive in wire order.
        request.headers[name] = value
    credentials = Credentials(case["access_key"], case["secret_key"], case["token"])
    signer = botocore.auth.SigV4Auth(credentials, case["service"], case["region"])
    when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        signer.add_auth(request)
    authorization = request.headers["Authorization"]
    signed = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0]
    return {"authorization": authorization, "signed_headers": signed}


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(case) for case in cases], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
