"""The embedded AWS's event pump behaves as Lambda does with S3 events: a failing event is
retried, then dropped, and never blocks the events behind it. Its S3 serves ranges as S3 does."""

import json
import os
import threading

import pytest
import requests

from pettube import aws as aws_clients
from pettube import local_aws
from tests import factories
from tests.waiting import eventually
from videos import repository, storage


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
        eventually(lambda: ready(video.id), timeout=30)
        eventually(lambda: "upload event dropped after retries" in caplog.text, timeout=30)
    finally:
        pump.stop()

    assert repository.get(video.id).status == "ready"
    assert caplog.text.count("upload event failed; it will be retried") == local_aws.MAX_DELIVERIES - 1
    assert "upload event dropped after retries" in caplog.text
    attributes = sqs.get_queue_attributes(QueueUrl=quick_retries, AttributeNames=["ApproximateNumberOfMessages"])
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "0"


def ready(video_id: str) -> bool:
    status = repository.get(video_id).status
    assert status == "ready", status
    return True


def test_events_are_handled_concurrently_like_lambda_invocations(aws, monkeypatch):
    """Each handler waits for the others at a barrier: a pump that handles one event at a time
    never gets them all there."""
    from videos import events

    arrived = threading.Barrier(local_aws.CONCURRENT_EVENTS, timeout=15)
    passed = []
    monkeypatch.setattr(events, "on_upload", lambda event, context: "n" in event and passed.append(arrived.wait()))
    sqs = aws_clients.client("sqs")
    for number in range(local_aws.CONCURRENT_EVENTS):
        sqs.send_message(QueueUrl=aws, MessageBody=json.dumps({"Records": [], "n": number}))
    pump = local_aws.EventPump(aws)
    pump.start()
    try:
        eventually(lambda: len(passed) == local_aws.CONCURRENT_EVENTS or arrived.broken, timeout=20, interval=0.05)
    finally:
        pump.stop()

    assert not arrived.broken
    assert sorted(passed) == list(range(local_aws.CONCURRENT_EVENTS))


@pytest.mark.parametrize(
    ("asked", "status", "expected"),
    [
        (None, 200, slice(None)),
        ("bytes=0-", 206, slice(None)),
        ("bytes=5-9", 206, slice(5, 10)),
        ("bytes=1048570-", 206, slice(1048570, None)),  # across the pieces it is read in
        ("bytes=-100", 206, slice(-100, None)),
        ("bytes=0-0", 206, slice(0, 1)),
        ("bytes=5-999999999", 206, slice(5, None)),
    ],
)
def test_ranges_of_a_stored_object_are_its_exact_bytes(aws, tmp_path, asked, status, expected):
    data = os.urandom(3 * 1024 * 1024 + 17)
    (tmp_path / "upload").write_bytes(data)
    storage.upload(tmp_path / "upload", "uploads/range-test", content_type="video/mp4")

    answer = requests.get(storage.presigned_source("uploads/range-test"), headers={"Range": asked} if asked else {},
                          timeout=30)

    assert answer.status_code == status
    assert answer.content == data[expected]
    assert int(answer.headers["Content-Length"]) == len(data[expected])
    if status == 206:
        first = expected.start % len(data) if expected.start else 0
        assert answer.headers["Content-Range"] == f"bytes {first}-{first + len(data[expected]) - 1}/{len(data)}"


def test_a_range_past_the_end_is_refused_as_s3_does(aws, tmp_path):
    (tmp_path / "upload").write_bytes(b"x" * 100)
    storage.upload(tmp_path / "upload", "uploads/range-test", content_type="video/mp4")

    answer = requests.get(storage.presigned_source("uploads/range-test"), headers={"Range": "bytes=100-"}, timeout=30)

    assert answer.status_code == 416 and b"InvalidRange" in answer.content
