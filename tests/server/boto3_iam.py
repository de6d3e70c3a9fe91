#!/usr/bin/env python3
"""IAM over the wire: boto3 clients signing with keys that sqsim-server maps
to principals (see server_iam_test.cc for the server's configuration).

usage: boto3_iam.py ENDPOINT

Keys: AKIDADMIN (no principal: the server itself), AKIDPRODUCER
(role/EnrollmentServiceRole: may only send), AKIDCONSUMER
(role/NotificationServiceRole: may only receive, delete, change visibility
and read attributes); every secret is "secret". The last line of stdout is a
JSON object {check name: "ok" or the failure}. Exit status 3 when boto3
cannot be imported.
"""

import json
import sys

try:
    import boto3
    from botocore.config import Config
except ImportError as e:  # pragma: no cover
    print("boto3 unavailable: %s" % e)
    sys.exit(3)

from boto3_checks import checks, client_error, expect, report  # noqa: E402

ENDPOINT = sys.argv[1]
CONFIG = Config(retries={"max_attempts": 1}, read_timeout=30)
ACCOUNT = "000000000000"
QUEUE_ARN = "arn:aws:sqs:us-east-1:%s:enrollment-events-queue" % ACCOUNT
PRODUCER = "arn:aws:iam::%s:role/EnrollmentServiceRole" % ACCOUNT
check = checks()


def client(key, protocol_json=True):
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=ENDPOINT,
                       aws_access_key_id=key, aws_secret_access_key="secret",
                       config=CONFIG)
    return sqs


def denied(fn, **kwargs):
    """The error of a call the caller's policies refuse."""
    return client_error(fn, **kwargs)


ADMIN = client("AKIDADMIN")
URL = ADMIN.create_queue(QueueName="enrollment-events-queue")["QueueUrl"]


@check
def producer_may_send():
    client("AKIDPRODUCER").send_message(QueueUrl=URL, MessageBody="enrolled")


@check
def producer_receive_is_access_denied_with_sqs_message():
    e = denied(client("AKIDPRODUCER").receive_message, QueueUrl=URL)
    expect(e.response["Error"]["Code"] == "AccessDenied", e.response["Error"])
    expect(e.response["ResponseMetadata"]["HTTPStatusCode"] == 403, e.response)
    want = ("User: %s is not authorized to perform: sqs:receivemessage on resource: %s "
            "because no identity-based policy allows the sqs:receivemessage action"
            % (PRODUCER, QUEUE_ARN))
    expect(e.response["Error"]["Message"] == want, e.response["Error"]["Message"])


@check
def consumer_may_receive_and_delete_but_not_send():
    ADMIN.send_message(QueueUrl=URL, MessageBody="for the consumer")
    consumer = client("AKIDCONSUMER")
    got = consumer.receive_message(QueueUrl=URL, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    expect(len(got.get("Messages", [])) >= 1, got)
    for m in got["Messages"]:
        consumer.delete_message(QueueUrl=URL, ReceiptHandle=m["ReceiptHandle"])
    e = denied(consumer.send_message, QueueUrl=URL, MessageBody="x")
    expect(e.response["Error"]["Code"] == "AccessDenied", e.response["Error"])


@check
def admin_key_without_principal_is_never_evaluated():
    ADMIN.purge_queue(QueueUrl=URL)


@check
def queue_policy_denying_plain_http_denies_principals():
    ADMIN.set_queue_attributes(QueueUrl=URL, Attributes={"Policy": json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                       "Action": "sqs:*", "Resource": QUEUE_ARN,
                       "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})})
    try:
        e = denied(client("AKIDPRODUCER").send_message, QueueUrl=URL, MessageBody="x")
        expect(e.response["Error"]["Code"] == "AccessDenied", e.response["Error"])
        expect("with an explicit deny in a resource-based policy" in
               e.response["Error"]["Message"], e.response["Error"]["Message"])
    finally:
        ADMIN.set_queue_attributes(QueueUrl=URL, Attributes={"Policy": ""})


@check
def sse_kms_queue_uses_the_configured_key_and_reports_kms_errors():
    encrypted = ADMIN.create_queue(QueueName="payments", Attributes={
        "KmsMasterKeyId": "alias/payments-key"})["QueueUrl"]
    ADMIN.send_message(QueueUrl=encrypted, MessageBody="paid")
    # The queue lets the producer send; its identity policies grant no
    # kms:GenerateDataKey, and the key's default policy leaves that to them.
    ADMIN.set_queue_attributes(QueueUrl=encrypted, Attributes={"Policy": json.dumps({
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": PRODUCER},
                       "Action": "sqs:SendMessage", "Resource": "*"}]})})
    e = denied(client("AKIDPRODUCER").send_message, QueueUrl=encrypted, MessageBody="x")
    # botocore's SQS model names the error by its query code.
    expect(e.response["Error"]["Code"] == "KMS.AccessDeniedException", e.response["Error"])
    expect(e.response["Error"]["QueryErrorCode"] == "KmsAccessDenied", e.response["Error"])
    missing = ADMIN.create_queue(QueueName="orphan", Attributes={
        "KmsMasterKeyId": "alias/no-such-key"})["QueueUrl"]
    e = denied(ADMIN.send_message, QueueUrl=missing, MessageBody="x")
    expect(e.response["Error"]["Code"] == "KMS.NotFoundException", e.response["Error"])
    expect(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response)


report()
