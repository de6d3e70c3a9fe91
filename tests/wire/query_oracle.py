#!/usr/bin/env python3
"""botocore as the oracle for sqsim's SQS query-protocol codec.

Reads one JSON document on stdin and writes one on stdout, so a test run
costs a single interpreter start:

  in:  {"requests":  [{"operation": "SendMessage", "params": {...}}],
        "responses": [{"operation": "SendMessage", "xml": "<?xml..."}],
        "errors":    [{"operation": "SendMessage", "status": 400, "xml": "..."}]}
  out: {"requests":  [{"body": "Action=SendMessage&Version=2012-11-05&..."}],
        "responses": [{"parsed": {...}}],
        "errors":    [{"parsed": {...}}]}

Requests go through botocore's QuerySerializer (with parameter validation)
and AWSRequest body encoding, exactly as an SDK would send them; responses
and errors through botocore's QueryParser. Binary values cross the JSON
boundary as {"$base64": "..."}. ResponseMetadata keeps only RequestId.

The installed SQS model is the JSON-protocol one. It keeps the query member
names and `flattened`, but dropped the query `locationName` traits and the
output `resultWrapper`s, so QUERY_TRAITS below restores them. They are copied
from botocore 1.34.22's query-protocol SQS model (the last one before SQS
moved to JSON), plus `MessageSystemAttributeName` for the member SQS added
afterwards (the name kombu sends over query).

Exit status 3 with "SKIP: <reason>" on stdout when botocore is unavailable.
"""

import base64
import copy
import json
import sys

try:
    import botocore.session
    from botocore.awsrequest import AWSRequest
    from botocore.model import ServiceModel
    from botocore.parsers import create_parser
    from botocore.serialize import create_serializer
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"SKIP: botocore is not importable ({e})")
    sys.exit(3)

# shape -> {"locationName": ..., "member"/"key"/"value": name,
#           "members": {member: locationName}}
QUERY_TRAITS = {
    "AWSAccountIdList": {"member": "AWSAccountId"},
    "ActionNameList": {"member": "ActionName"},
    "AttributeNameList": {"member": "AttributeName"},
    "BatchResultErrorEntryList": {"member": "BatchResultErrorEntry"},
    "BinaryList": {"member": "BinaryListValue"},
    "ChangeMessageVisibilityBatchRequestEntryList": {
        "member": "ChangeMessageVisibilityBatchRequestEntry"},
    "ChangeMessageVisibilityBatchResultEntryList": {
        "member": "ChangeMessageVisibilityBatchResultEntry"},
    "CreateQueueRequest": {"members": {"Attributes": "Attribute", "tags": "Tag"}},
    "DeleteMessageBatchRequestEntryList": {"member": "DeleteMessageBatchRequestEntry"},
    "DeleteMessageBatchResultEntryList": {"member": "DeleteMessageBatchResultEntry"},
    "GetQueueAttributesResult": {"members": {"Attributes": "Attribute"}},
    "ListMessageMoveTasksResultEntryList": {"member": "ListMessageMoveTasksResultEntry"},
    "ListQueueTagsResult": {"members": {"Tags": "Tag"}},
    "Message": {"members": {"Attributes": "Attribute", "MessageAttributes": "MessageAttribute"}},
    "MessageAttributeNameList": {"member": "MessageAttributeName"},
    "MessageAttributeValue": {"members": {"StringListValues": "StringListValue",
                                          "BinaryListValues": "BinaryListValue"}},
    "MessageBodyAttributeMap": {"key": "Name", "value": "Value"},
    "MessageBodySystemAttributeMap": {"key": "Name", "value": "Value"},
    "MessageList": {"member": "Message"},
    "MessageSystemAttributeList": {"member": "MessageSystemAttributeName"},
    "MessageSystemAttributeMap": {"locationName": "Attribute", "key": "Name", "value": "Value"},
    "MessageSystemAttributeValue": {"members": {"StringListValues": "StringListValue",
                                                "BinaryListValues": "BinaryListValue"}},
    "QueueAttributeMap": {"locationName": "Attribute", "key": "Name", "value": "Value"},
    "QueueUrlList": {"member": "QueueUrl"},
    "SendMessageBatchRequestEntry": {"members": {"MessageAttributes": "MessageAttribute",
                                                 "MessageSystemAttributes":
                                                     "MessageSystemAttribute"}},
    "SendMessageBatchRequestEntryList": {"member": "SendMessageBatchRequestEntry"},
    "SendMessageBatchResultEntryList": {"member": "SendMessageBatchResultEntry"},
    "SendMessageRequest": {"members": {"MessageAttributes": "MessageAttribute",
                                       "MessageSystemAttributes": "MessageSystemAttribute"}},
    "SetQueueAttributesRequest": {"members": {"Attributes": "Attribute"}},
    "StringList": {"member": "StringListValue"},
    "TagKeyList": {"member": "TagKey"},
    "TagMap": {"locationName": "Tag", "key": "Key", "value": "Value"},
}


def query_model():
    """The installed SQS model with the query traits restored."""
    installed = botocore.session.get_session().get_service_model("sqs")
    description = copy.deepcopy(installed._service_description)
    metadata = description["metadata"]
    metadata["protocol"] = "query"
    metadata["protocols"] = ["query"]
    metadata["xmlNamespace"] = "http://queue.amazonaws.com/doc/2012-11-05/"
    shapes = description["shapes"]
    for name, traits in QUERY_TRAITS.items():
        shape = shapes[name]  # KeyError: the model changed; fix QUERY_TRAITS
        if "locationName" in traits:
            shape["locationName"] = traits["locationName"]
        for part in ("member", "key", "value"):
            if part in traits:
                shape[part]["locationName"] = traits[part]
        for member, location in traits.get("members", {}).items():
            shape["members"][member]["locationName"] = location
    for name, operation in description["operations"].items():
        if "output" in operation:
            operation["output"]["resultWrapper"] = name + "Result"
    return ServiceModel(description, "sqs")


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
    prepared = AWSRequest(method=request["method"], url="https://sqs.us-east-1.amazonaws.com/",
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
    model = query_model()
    serializer = create_serializer("query", include_validation=True)
    out = {"requests": [], "responses": [], "errors": []}
    for case in cases.get("requests", []):
        try:
            out["requests"].append(serialize(model, serializer, case))
        except Exception as e:  # reported per case, so one bad case fails one test
            out["requests"].append({"error": f"{type(e).__name__}: {e}"})
    for kind, default_status in (("responses", 200), ("errors", 400)):
        for case in cases.get(kind, []):
            parser = create_parser("query")
            try:
                out[kind].append(parse(model, parser, case, case.get("status", default_status)))
            except Exception as e:
                out[kind].append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
