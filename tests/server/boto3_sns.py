#!/usr/bin/env python3
"""SNS over the wire: boto3's `sns` client against sqsim-server, topics
delivering into the server's queues (see server_sns_test.cc).

usage: boto3_sns.py ENDPOINT ACCOUNT

The server verifies signatures with key AKIDADMIN / secret "secret". The
last line of stdout is a JSON object {check name: "ok" or the failure}.
Exit status 3 when boto3 cannot be imported.
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
ACCOUNT = sys.argv[2]
CONFIG = Config(retries={"max_attempts": 1}, read_timeout=30)
check = checks()


def client(service, key="AKIDADMIN", secret="secret"):
    return boto3.client(service, region_name="us-east-1", endpoint_url=ENDPOINT,
                        aws_access_key_id=key, aws_secret_access_key=secret, config=CONFIG)


SNS = client("sns")
SQS = client("sqs")


def queue_for(topic_arn, name, **attributes):
    """A queue whose policy lets `topic_arn` send (AWS's documented policy)."""
    arn = "arn:aws:sqs:us-east-1:%s:%s" % (ACCOUNT, name)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
    attributes["Policy"] = json.dumps(policy)
    url = SQS.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, arn


def receive(url):
    return SQS.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                               MessageAttributeNames=["All"]).get("Messages", [])


@check
def publish_delivers_the_envelope_into_a_subscribed_queue():
    topic = SNS.create_topic(Name="student-enrolled")["TopicArn"]
    expect(topic == "arn:aws:sns:us-east-1:%s:student-enrolled" % ACCOUNT, topic)
    url, arn = queue_for(topic, "notifications")
    sub = SNS.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    expect(sub.startswith(topic + ":"), sub)
    message_id = SNS.publish(TopicArn=topic, Message='{"student":7}', Subject="hello")["MessageId"]
    got = receive(url)
    expect(len(got) == 1, got)
    envelope = json.loads(got[0]["Body"])
    expect(envelope["Type"] == "Notification", envelope)
    expect(envelope["MessageId"] == message_id, envelope)
    expect(envelope["Message"] == '{"student":7}', envelope)
    expect(envelope["Subject"] == "hello", envelope)


@check
def raw_delivery_and_filter_policy():
    topic = SNS.create_topic(Name="grades")["TopicArn"]
    url, arn = queue_for(topic, "paid-only")
    SNS.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={
        "RawMessageDelivery": "true", "FilterPolicy": json.dumps({"paid": ["true"]})})
    for paid in ("true", "false"):
        SNS.publish(TopicArn=topic, Message="paid=" + paid, MessageAttributes={
            "paid": {"DataType": "String", "StringValue": paid}})
    got = receive(url)
    expect([m["Body"] for m in got] == ["paid=true"], got)
    expect(got[0]["MessageAttributes"]["paid"]["StringValue"] == "true", got[0])


@check
def lists_attributes_and_tags():
    topic = SNS.create_topic(Name="courses", Tags=[{"Key": "team", "Value": "school"}])["TopicArn"]
    arns = [t["TopicArn"] for t in SNS.list_topics()["Topics"]]
    expect(topic in arns, arns)
    SNS.set_topic_attributes(TopicArn=topic, AttributeName="DisplayName", AttributeValue="Courses")
    attributes = SNS.get_topic_attributes(TopicArn=topic)["Attributes"]
    expect(attributes["DisplayName"] == "Courses", attributes)
    expect(attributes["TopicArn"] == topic, attributes)
    tags = SNS.list_tags_for_resource(ResourceArn=topic)["Tags"]
    expect(tags == [{"Key": "team", "Value": "school"}], tags)
    url, arn = queue_for(topic, "course-events")
    sub = SNS.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    listed = SNS.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    expect([s["SubscriptionArn"] for s in listed] == [sub], listed)
    sub_attributes = SNS.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    expect(sub_attributes["Endpoint"] == arn, sub_attributes)
    SNS.unsubscribe(SubscriptionArn=sub)
    expect(SNS.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == [], "unsubscribed")


@check
def publish_batch_delivers_every_entry():
    topic = SNS.create_topic(Name="batch")["TopicArn"]
    url, arn = queue_for(topic, "batch-queue")
    SNS.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                  Attributes={"RawMessageDelivery": "true"})
    result = SNS.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "a", "Message": "one"}, {"Id": "b", "Message": "two"}])
    expect(sorted(e["Id"] for e in result["Successful"]) == ["a", "b"], result)
    expect(result.get("Failed", []) == [], result)
    bodies = sorted(m["Body"] for m in receive(url))
    expect(bodies == ["one", "two"], bodies)


@check
def a_fifo_topic_delivers_to_a_fifo_queue():
    topic = SNS.create_topic(Name="grades.fifo", Attributes={
        "FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    url, arn = queue_for(topic, "grades.fifo", FifoQueue="true")
    SNS.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    published = SNS.publish(TopicArn=topic, Message="A+", MessageGroupId="student-7")
    expect("SequenceNumber" in published, published)
    got = SQS.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"],
                              WaitTimeSeconds=1).get("Messages", [])
    expect(len(got) == 1 and got[0]["Attributes"]["MessageGroupId"] == "student-7", got)


@check
def errors_have_sns_codes_and_statuses():
    e = client_error(SNS.publish, TopicArn="arn:aws:sns:us-east-1:%s:missing" % ACCOUNT,
                 Message="x")
    expect(e.response["Error"]["Code"] == "NotFound", e.response["Error"])
    expect(e.response["ResponseMetadata"]["HTTPStatusCode"] == 404, e.response)
    e = client_error(SNS.create_topic, Name="bad name")
    expect(e.response["Error"]["Code"] == "InvalidParameter", e.response["Error"])
    expect(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response)


@check
def a_wrong_secret_is_refused():
    e = client_error(client("sns", secret="wrong").list_topics)
    expect(e.response["Error"]["Code"] == "SignatureDoesNotMatch", e.response["Error"])


@check
def an_sns_action_signed_for_sqs_is_refused():
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    import urllib.error
    import urllib.request
    body = "Action=ListTopics&Version=2010-03-31"
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=ENDPOINT + "/", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    botocore.auth.SigV4Auth(botocore.credentials.Credentials("AKIDADMIN", "secret"), "sqs",
                            "us-east-1").add_auth(request)
    prepared = request.prepare()
    http_request = urllib.request.Request(prepared.url, data=body.encode(),
                                          headers=dict(prepared.headers), method="POST")
    try:
        urllib.request.urlopen(http_request, timeout=30)
        raise AssertionError("accepted")
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        expect(e.code == 403, (e.code, text))
        expect("Credential should be scoped to correct service: 'sns'" in text, text)


report()
