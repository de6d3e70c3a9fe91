#!/usr/bin/env python3
"""Drives sqsim-server with boto3 through every SQS action.

usage: boto3_suite.py ENDPOINT AUTH_ENDPOINT ACCESS_KEY SECRET [CHECK...]

ENDPOINT accepts any credentials; AUTH_ENDPOINT verifies SigV4 with the one
key ACCESS_KEY:SECRET. Runs the named checks (default: all), each
independently; the last line of stdout
is a JSON object {check name: "ok" or the failure}. Exit status 3 when boto3
cannot be imported (the C++ test then skips, naming the reason).

botocore does not verify SQS MD5s itself, so the checks recompute
MD5OfMessageBody and MD5OfMessageAttributes the way the Java SDK does.
"""

import hashlib
import json
import struct
import sys
import threading
import time

try:
    import boto3
    import botocore
    from botocore.config import Config
except ImportError as e:  # pragma: no cover
    print("boto3 unavailable: %s" % e)
    sys.exit(3)

from boto3_checks import checks, client_error, expect, report  # noqa: E402

ENDPOINT, AUTH_ENDPOINT, ACCESS_KEY, SECRET = sys.argv[1:5]
SELECTED = set(sys.argv[5:])
REGION = "us-east-1"
CONFIG = Config(retries={"max_attempts": 1}, read_timeout=30)


def client(endpoint=ENDPOINT, key="any", secret="any", config=CONFIG):
    return boto3.client("sqs", region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        config=config)


SQS = client()
check = checks(SELECTED, traceback_limit=3)


def error_code(fn, *args, **kwargs):
    e = client_error(fn, *args, **kwargs)
    return e.response["Error"]["Code"], e


def md5(data):
    return hashlib.md5(data).hexdigest()


def md5_of_attributes(attributes):
    out = b""
    for name in sorted(attributes):
        value = attributes[name]
        dtype = value["DataType"]
        out += struct.pack(">I", len(name.encode())) + name.encode()
        out += struct.pack(">I", len(dtype.encode())) + dtype.encode()
        if "BinaryValue" in value:
            raw = value["BinaryValue"]
            out += b"\x02" + struct.pack(">I", len(raw)) + raw
        else:
            raw = value["StringValue"].encode()
            out += b"\x01" + struct.pack(">I", len(raw)) + raw
    return md5(out)


def new_queue(name, **attributes):
    return SQS.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]


@check
def queue_lifecycle():
    url = SQS.create_queue(QueueName="life", Attributes={"VisibilityTimeout": "45"},
                           tags={"team": "a"})["QueueUrl"]
    expect(url.endswith("/000000000000/life"), url)
    expect(SQS.get_queue_url(QueueName="life")["QueueUrl"] == url, "get_queue_url")
    expect(url in SQS.list_queues(QueueNamePrefix="li").get("QueueUrls", []), "list_queues")
    attrs = SQS.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    expect(attrs["VisibilityTimeout"] == "45", attrs)
    expect(attrs["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:life", attrs)
    SQS.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "3"})
    attrs = SQS.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds"])
    expect(attrs["Attributes"] == {"DelaySeconds": "3"}, attrs)
    SQS.tag_queue(QueueUrl=url, Tags={"env": "test"})
    SQS.untag_queue(QueueUrl=url, TagKeys=["team"])
    expect(SQS.list_queue_tags(QueueUrl=url)["Tags"] == {"env": "test"}, "tags")
    SQS.delete_queue(QueueUrl=url)
    code, _ = error_code(SQS.get_queue_url, QueueName="life")
    expect(code == "AWS.SimpleQueueService.NonExistentQueue", code)


@check
def send_receive_delete_with_verified_md5s():
    url = new_queue("plain")
    attributes = {"kind": {"DataType": "String", "StringValue": "order"},
                  "n": {"DataType": "Number", "StringValue": "7"},
                  "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xff"}}
    body = "h\u00e9llo \u2603"
    sent = SQS.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
    expect(sent["MD5OfMessageBody"] == md5(body.encode()), "send body md5")
    expect(sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes), "send attr md5")
    got = SQS.receive_message(QueueUrl=url, MessageAttributeNames=["All"],
                              MessageSystemAttributeNames=["All"], WaitTimeSeconds=1)
    messages = got.get("Messages", [])
    expect(len(messages) == 1, got)
    m = messages[0]
    expect(m["Body"] == body and m["MessageId"] == sent["MessageId"], m)
    expect(m["MD5OfBody"] == md5(body.encode()), "receive body md5")
    expect(m["MD5OfMessageAttributes"] == md5_of_attributes(m["MessageAttributes"]), m)
    expect(m["MessageAttributes"]["blob"]["BinaryValue"] == b"\x00\x01\xff", m)
    expect(m["Attributes"]["ApproximateReceiveCount"] == "1", m)
    expect("SentTimestamp" in m["Attributes"], m)
    SQS.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    expect("Messages" not in SQS.receive_message(QueueUrl=url), "deleted")


@check
def change_visibility_makes_message_visible_again():
    url = new_queue("vis")
    SQS.send_message(QueueUrl=url, MessageBody="v")
    m = SQS.receive_message(QueueUrl=url, VisibilityTimeout=30, WaitTimeSeconds=1)["Messages"][0]
    expect("Messages" not in SQS.receive_message(QueueUrl=url), "hidden while in flight")
    SQS.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                  VisibilityTimeout=0)
    again = SQS.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
    expect(len(again) == 1 and again[0]["MessageId"] == m["MessageId"], again)
    result = SQS.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": "good", "ReceiptHandle": again[0]["ReceiptHandle"], "VisibilityTimeout": 5},
        {"Id": "bad", "ReceiptHandle": "nonsense", "VisibilityTimeout": 5}])
    expect([e["Id"] for e in result["Successful"]] == ["good"], result)
    expect([e["Id"] for e in result["Failed"]] == ["bad"], result)
    expect(result["Failed"][0]["Code"] == "ReceiptHandleIsInvalid", result)


@check
def batches_report_entry_failures():
    url = new_queue("batch")
    entries = [{"Id": "e%d" % i, "MessageBody": "body %d" % i} for i in range(9)]
    entries.append({"Id": "late", "MessageBody": "x", "DelaySeconds": 5000})
    sent = SQS.send_message_batch(QueueUrl=url, Entries=entries)
    expect(len(sent["Successful"]) == 9, sent)
    expect(sent["Failed"][0]["Id"] == "late" and sent["Failed"][0]["SenderFault"], sent)
    for s in sent["Successful"]:
        i = int(s["Id"][1:])
        expect(s["MD5OfMessageBody"] == md5(("body %d" % i).encode()), s)
    got = []
    for _ in range(10):
        got += SQS.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                   WaitTimeSeconds=1).get("Messages", [])
        if len(got) >= 9:
            break
    expect(sorted(m["Body"] for m in got) == sorted("body %d" % i for i in range(9)), got)
    deleted = SQS.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": "d%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
    ] + [{"Id": "bogus", "ReceiptHandle": "garbage"}])
    expect(len(deleted["Successful"]) == 9, deleted)
    expect(deleted["Failed"][0]["Code"] == "ReceiptHandleIsInvalid", deleted)


@check
def fully_successful_batches_have_no_failed_member():
    # SQS's JSON responses leave empty lists out, "Failed" included.
    url = new_queue("batch-ok")
    sent = SQS.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}])
    expect("Failed" not in sent and len(sent["Successful"]) == 1, sent)
    m = SQS.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"][0]
    deleted = SQS.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": "d", "ReceiptHandle": m["ReceiptHandle"]}])
    expect("Failed" not in deleted and len(deleted["Successful"]) == 1, deleted)
    expect("queueUrls" not in SQS.list_dead_letter_source_queues(QueueUrl=url), "no sources")


@check
def batch_request_errors():
    url = new_queue("batch-errors")
    code, _ = error_code(SQS.send_message_batch, QueueUrl=url, Entries=[])
    expect(code == "AWS.SimpleQueueService.EmptyBatchRequest", code)
    code, _ = error_code(SQS.send_message_batch, QueueUrl=url, Entries=[
        {"Id": "e%d" % i, "MessageBody": "x"} for i in range(11)])
    expect(code == "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", code)
    code, _ = error_code(SQS.send_message_batch, QueueUrl=url, Entries=[
        {"Id": "same", "MessageBody": "x"}, {"Id": "same", "MessageBody": "y"}])
    expect(code == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", code)


@check
def nonexistent_queue_raises_modeled_exception():
    missing = ENDPOINT + "/000000000000/missing"
    try:
        SQS.send_message(QueueUrl=missing, MessageBody="x")
        raise AssertionError("no error")
    except SQS.exceptions.QueueDoesNotExist as e:
        expect(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response)
        expect(e.response["ResponseMetadata"]["RequestId"], e.response)


@check
def invalid_attribute_errors():
    code, _ = error_code(SQS.create_queue, QueueName="bad",
                         Attributes={"VisibilityTimeout": "999999"})
    expect(code == "InvalidAttributeValue", code)
    code, _ = error_code(SQS.create_queue, QueueName="bad", Attributes={"Bogus": "1"})
    expect(code == "InvalidAttributeName", code)
    url = new_queue("attr-errors")
    code, _ = error_code(SQS.get_queue_attributes, QueueUrl=url, AttributeNames=["Nope"])
    expect(code == "InvalidAttributeName", code)


@check
def long_poll_returns_message_sent_meanwhile():
    url = new_queue("poll")

    def later():
        time.sleep(0.5)
        client().send_message(QueueUrl=url, MessageBody="late")

    t = threading.Thread(target=later)
    start = time.monotonic()
    t.start()
    got = SQS.receive_message(QueueUrl=url, WaitTimeSeconds=2)
    waited = time.monotonic() - start
    t.join()
    expect([m["Body"] for m in got.get("Messages", [])] == ["late"], got)
    expect(0.4 <= waited < 1.9, "waited %.2f s" % waited)


@check
def long_poll_times_out_empty():
    url = new_queue("poll-empty")
    start = time.monotonic()
    got = SQS.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    waited = time.monotonic() - start
    expect("Messages" not in got, got)
    expect(0.95 <= waited < 2.5, "waited %.2f s" % waited)


@check
def fifo_orders_and_deduplicates():
    url = SQS.create_queue(QueueName="grades.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    first = SQS.send_message(QueueUrl=url, MessageBody="a", MessageGroupId="g")
    again = SQS.send_message(QueueUrl=url, MessageBody="a", MessageGroupId="g")
    expect(first["MessageId"] == again["MessageId"], "deduplicated")
    expect("SequenceNumber" in first, first)
    SQS.send_message(QueueUrl=url, MessageBody="b", MessageGroupId="g")
    got = SQS.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                              MessageSystemAttributeNames=["All"])["Messages"]
    expect([m["Body"] for m in got] == ["a", "b"], got)
    expect(got[0]["Attributes"]["MessageGroupId"] == "g", got)
    code, _ = error_code(SQS.send_message, QueueUrl=url, MessageBody="c")
    expect(code == "MissingParameter", code)


@check
def dead_letter_queue_and_redrive():
    dlq = new_queue("redrive-dlq")
    dlq_arn = SQS.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    src = new_queue("redrive-src", RedrivePolicy=json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}))
    SQS.send_message(QueueUrl=src, MessageBody="poison")
    m = SQS.receive_message(QueueUrl=src, WaitTimeSeconds=1)["Messages"][0]
    SQS.change_message_visibility(QueueUrl=src, ReceiptHandle=m["ReceiptHandle"],
                                  VisibilityTimeout=0)
    expect("Messages" not in SQS.receive_message(QueueUrl=src), "moved away")
    moved = SQS.receive_message(QueueUrl=dlq, WaitTimeSeconds=1, VisibilityTimeout=0)
    expect([x["Body"] for x in moved.get("Messages", [])] == ["poison"], moved)
    sources = SQS.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"]
    expect(sources == [src], sources)
    task = SQS.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)
    tasks = SQS.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    expect(tasks and tasks[0]["Status"] in ("RUNNING", "COMPLETED"), tasks)
    if tasks[0]["Status"] == "RUNNING":
        SQS.cancel_message_move_task(TaskHandle=task["TaskHandle"])
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        back = SQS.receive_message(QueueUrl=src, WaitTimeSeconds=1).get("Messages", [])
        if back:
            expect(back[0]["Body"] == "poison", back)
            return
    status = SQS.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]["Status"]
    expect(status in ("CANCELLING", "CANCELLED"), status)


@check
def permissions_add_and_remove():
    url = new_queue("perm")
    SQS.add_permission(QueueUrl=url, Label="share", AWSAccountIds=["111122223333"],
                       Actions=["SendMessage"])
    policy = SQS.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]
    expect("share" in policy["Policy"], policy)
    SQS.remove_permission(QueueUrl=url, Label="share")
    code, _ = error_code(SQS.remove_permission, QueueUrl=url, Label="share")
    expect(code == "InvalidParameterValue", code)


@check
def purge_empties_queue_once_per_minute():
    url = new_queue("purge")
    SQS.send_message(QueueUrl=url, MessageBody="gone")
    SQS.purge_queue(QueueUrl=url)
    expect("Messages" not in SQS.receive_message(QueueUrl=url), "purged")
    code, _ = error_code(SQS.purge_queue, QueueUrl=url)
    expect(code == "AWS.SimpleQueueService.PurgeQueueInProgress", code)


@check
def sigv4_accepts_configured_key():
    ok = client(AUTH_ENDPOINT, ACCESS_KEY, SECRET)
    ok.create_queue(QueueName="signed")
    expect(ok.list_queues()["QueueUrls"][0].endswith("/signed"), "list")


@check
def sigv4_rejects_wrong_secret():
    code, _ = error_code(client(AUTH_ENDPOINT, ACCESS_KEY, "wrong").list_queues)
    expect(code == "SignatureDoesNotMatch", code)


@check
def sigv4_rejects_unknown_key():
    code, _ = error_code(client(AUTH_ENDPOINT, "AKIDUNKNOWN", SECRET).list_queues)
    expect(code == "InvalidClientTokenId", code)


@check
def sigv4_rejects_unsigned_request():
    unsigned = client(AUTH_ENDPOINT, config=CONFIG.merge(
        Config(signature_version=botocore.UNSIGNED)))
    code, _ = error_code(unsigned.list_queues)
    expect(code == "MissingAuthenticationToken", code)


report()
