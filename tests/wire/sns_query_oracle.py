#!/usr/bin/env python3
"""botocore as the oracle for sqsim's SNS query-protocol codec.

Reads one JSON document on stdin and writes one on stdout, so a test run
costs a single interpreter start:

  in:  {"requests":  [{"operation": "Publish", "params": {...}}],
        "responses": [{"operation": "Publish", "xml": "<?xml..."}],
        "errors":    [{"operation": "Publish", "status": 404, "xml": "..."}]}
  out: {"requests":  [{"body": "Action=Publish&Version=2010-03-31&..."}],
        "responses": [{"parsed": {...}}],
        "errors":    [{"parsed": {...}}]}

Requests go through botocore's QuerySerializer (with parameter validation)
and AWSRequest body encoding, exactly as boto3 sends them; responses and
errors through botocore's QueryParser. The installed SNS model is used as
it is: unlike SQS's, it is natively a query-protocol model. Binary values
cross the JSON boundary as {"$base64": "..."}. ResponseMetadata keeps only
RequestId. A case that botocore rejects reports {"error": "..."} on its own,
so one bad case fails one test.

Exit status 3 with "SKIP: <reason>" on stdout when botocore is unavailable.
"""

import base64
import json
import sys

try:
    import botocore.session
    from botocore.awsrequest import AWSRequest
    from botocore.parsers import create_parser
    from botocore.serialize import create_serializer
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"SKIP: botocore is not importable ({e})")
    sys.exit(3)


def from_json(value):
    if isinstance(value, dict):
        if set(value) == {"$base64"}:
            return base64.b64decode(value["$base64"])
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


def to_json(value):
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def serialize(model, serializer, case):
    operation = model.operation_model(case["operation"])
    request = serializer.serialize_to_request(from_json(case["params"]), operation)
    prepared = AWSRequest(method=request["method"], url="https://sns.us-east-1.amazonaws.com/",
                          data=request["body"]).prepare()
    body = prepared.body
    return {"body": body.decode("utf-8") if isinstance(body, bytes) else body}


def parse(model, parser, case, status):
    operation = model.operation_model(case["operation"])
    parsed = parser.parse({"body": case["xml"].encode("utf-8"), "headers": {},
                           "status_code": status}, operation.output_shape)
    metadata = parsed.get("ResponseMetadata", {})
    parsed["ResponseMetadata"] = {k: v for k, v in metadata.items() if k == "RequestId"}
    return {"parsed": to_json(parsed)}


def main():
    cases = json.load(sys.stdin)
    model = botocore.session.get_session().get_service_model("sns")
    serializer = create_serializer("query", include_validation=True)
    out = {"requests": [], "responses": [], "errors": []}
    for case in cases.get("requests", []):
        try:
            out["requests"].append(serialize(model, serializer, case))
        except Exception as e:  # reported per case
            out["requests"].append({"error": f"{type(e).__name__}: {e}"})
    for kind, default_status in (("responses", 200), ("errors", 400)):
        for case in cases.get(kind, []):
            parser = create_parser("query")
            try:
                out[kind].append(parse(model, parser, case, case.get("status", default_status)))
            except Exception as e:
                out[kind].append({"error": f"{type(e).__name__}: {e}"})
    # code -> HTTP status of every modeled SNS error.
    out["model_errors"] = {
        shape["error"]["code"]: shape["error"]["httpStatusCode"]
        for shape in model._service_description["shapes"].values()
        if shape.get("exception") and "error" in shape}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
