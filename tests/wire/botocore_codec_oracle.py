#!/usr/bin/env python3
"""botocore as an oracle for sqsim's SQS JSON codec (tests/wire/*_test.cc).

Reads one JSON document from stdin, {"cases": [case, ...]}, and writes
{"results": [result, ...]} (same order) to stdout. Cases:

  {"kind": "request", "operation": "SendMessage", "body": "<our request body>"}
      Turns our body into botocore params (blobs base64-decoded), validates
      them against the model, serializes them with botocore's own JSON
      serializer and returns {"botocore_body": <parsed JSON>, "target":
      <X-Amz-Target>, "problems": [...]}.
  {"kind": "response", "operation": "...", "body": "<our response body>"}
      Parses our body with botocore's JSON response parser and returns
      {"parsed": <dict, blobs re-encoded as base64>, "problems": [...]}.
  {"kind": "error", "status": 400, "body": "...", "headers": {...}}
      Parses an error response; returns {"error": <botocore's Error dict>}.

"problems" lists what the model says is wrong, for samples that set every
member: members that are not in the model, members of the model that never
appear, and string members whose value does not start with the member's own
name (the samples' convention, which catches swapped members).
"""

import base64
import json
import sys

import botocore.exceptions
import botocore.parsers
import botocore.serialize
import botocore.session
import botocore.validate


def reachable_members(shape, out, seen_shapes):
    """Every (structure name, member name) reachable from `shape`."""
    if shape.name in seen_shapes:
        return
    seen_shapes.add(shape.name)
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            out.add((shape.name, name))
            reachable_members(member, out, seen_shapes)
    elif shape.type_name == "list":
        reachable_members(shape.member, out, seen_shapes)
    elif shape.type_name == "map":
        reachable_members(shape.value, out, seen_shapes)


def walk(shape, value, path, seen, problems, convert_blob):
    """Checks `value` against `shape`, records the members seen, converts blobs."""
    if shape.type_name == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: not an object")
            return value
        out = {}
        for key, item in value.items():
            if key not in shape.members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
                continue
            member = shape.members[key]
            seen.add((shape.name, key))
            if member.type_name == "string" and not str(item).startswith(key):
                problems.append(f"{path}.{key}: value {item!r} does not start with {key}")
            out[key] = walk(member, item, f"{path}.{key}", seen, problems, convert_blob)
        return out
    if shape.type_name == "list":
        return [walk(shape.member, x, f"{path}[]", seen, problems, convert_blob) for x in value]
    if shape.type_name == "map":
        return {k: walk(shape.value, x, f"{path}.{k}", seen, problems, convert_blob)
                for k, x in value.items()}
    if shape.type_name == "blob":
        return convert_blob(value)
    return value


def missing_members(shape, seen):
    if shape is None:
        return []
    expected = set()
    reachable_members(shape, expected, set())
    return [f"{s}.{m}: never on the wire" for s, m in sorted(expected - seen)]


def check_request(model, case):
    op = model.operation_model(case["operation"])
    problems, seen = [], set()
    params = walk(op.input_shape, json.loads(case["body"]), "", seen, problems,
                  lambda text: base64.b64decode(text, validate=True))
    problems += missing_members(op.input_shape, seen)
    try:
        botocore.validate.validate_parameters(params, op.input_shape)
    except botocore.exceptions.ParamValidationError as e:
        problems.append(f"botocore validation: {e}")
    request = botocore.serialize.create_serializer("json", include_validation=False).serialize_to_request(params, op)
    body = request["body"]
    body = json.loads(body.decode() if isinstance(body, bytes) else body or "{}")
    return {"botocore_body": body, "target": request["headers"].get("X-Amz-Target"),
            "problems": problems}


def to_json(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def check_response(model, case):
    op = model.operation_model(case["operation"])
    parser = botocore.parsers.create_parser("json")
    parsed = parser.parse({"body": case["body"].encode(), "headers": {}, "status_code": 200},
                          op.output_shape)
    parsed.pop("ResponseMetadata", None)
    problems, seen = [], set()
    if op.output_shape is not None:
        walk(op.output_shape, parsed, "", seen, problems, lambda raw: raw)
    problems += missing_members(op.output_shape, seen)
    return {"parsed": to_json(parsed), "problems": problems}


def check_error(model, case):
    op = model.operation_model("SendMessage")
    parser = botocore.parsers.create_parser("json")
    headers = {k.lower(): v for k, v in case.get("headers", {}).items()}
    parsed = parser.parse({"body": case["body"].encode(), "headers": headers,
                           "status_code": case["status"]}, op.output_shape)
    return {"error": parsed.get("Error", {})}


def main():
    model = botocore.session.get_session().get_service_model("sqs")
    handlers = {"request": check_request, "response": check_response, "error": check_error}
    results = []
    for case in json.load(sys.stdin)["cases"]:
        try:
            results.append(handlers[case["kind"]](model, case))
        except Exception as e:  # reported to the test, which fails on it
            results.append({"exception": f"{type(e).__name__}: {e}"})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
