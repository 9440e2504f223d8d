"""The embedded AWS's event pump behaves as Lambda does with S3 events: a failing event is
retried, then dropped, and never blocks the events behind it."""

import json
import time

import pytest

from pettube import aws as aws_clients
from pettube import local_aws
from tests import factories
from videos import repository


@pytest.fixture
def quick_retries(aws):
    aws_clients.client("sqs").set_queue_attributes(QueueUrl=aws, Attributes={"VisibilityTimeout": "0"})
    return aws


def test_a_failing_event_is_retried_then_dropped_and_others_still_flow(quick_retries, make_clip, caplog):
    sqs = aws_clients.client("sqs")
    sqs.send_message(QueueUrl=quick_retries, MessageBody=json.dumps({"Records": [{"eventName": "ObjectCreated:Put"}]}))
    video, key = factories.uploaded(make_clip("small"))  # its real S3 event queues behind the bad one
    pump = local_aws.EventPump(quick_retries)
    pump.start()
    try:
        deadline = time.monotonic() + 30
        while repository.get(video.id).status != "ready" and time.monotonic() < deadline:
            time.sleep(0.2)
        while "upload event dropped after retries" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        pump.stop()

    assert repository.get(video.id).status == "ready"
    assert caplog.text.count("upload event failed; it will be retried") == local_aws.MAX_DELIVERIES - 1
    assert "upload event dropped after retries" in caplog.text
    attributes = sqs.get_queue_attributes(QueueUrl=quick_retries, AttributeNames=["ApproximateNumberOfMessages"])
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "0"
