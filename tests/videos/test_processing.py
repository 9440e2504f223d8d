"""The worker under the hardening of issue 8: what it stores and when it gives up count as
retryable, the sweep cannot be starved or stopped by one video, spends no attempt it cannot
finish and no S3 request it does not need, and ingest trusts no size it did not check."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from pettube import aws as aws_clients
from pettube import dynamo
from tests import factories
from tests.videos.test_services import objects
from videos import processing, repository, services, storage, streaming, transcode
from videos.domain import FAILED, PROCESSING, READY, UPLOADING


def later(**delta) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


def fail_next_put_object(code="AccessDenied", status=403) -> list:
    """The next PutObject (storing an output) is answered with an S3 error; returns the hits."""
    hits = []

    def answer(**kwargs):
        if hits:
            return None
        hits.append(kwargs["model"].name)
        error = {"Error": {"Code": code, "Message": "injected"}, "ResponseMetadata": {"HTTPStatusCode": status}}
        return SimpleNamespace(status_code=status, headers={}, content=b""), error

    aws_clients.client("s3").meta.events.register("before-call.s3.PutObject", answer)
    return hits


def test_an_s3_error_storing_the_outputs_is_retried(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    hits = fail_next_put_object()

    released = processing.ingest_upload(key=key)

    assert hits == ["PutObject"]
    assert (released.status, released.error) == (PROCESSING, "the storage service was unavailable")
    assert released.due_at <= datetime.now(UTC)  # released now, not at the end of its lease
    processing.sweep()
    assert repository.get(video.id).status == READY


def test_one_videos_failure_never_stops_the_sweep(aws, make_clip, monkeypatch):
    first, first_key = factories.uploaded(make_clip("small"), title="breaks")
    second, second_key = factories.uploaded(make_clip("small"), title="fine")
    for video in (first, second):
        repository.claim(video.id, lease=timedelta(seconds=-1))  # workers that died
    real_encode = streaming.encode
    calls = []

    def encode_failing_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("a bug the worker did not expect")
        return real_encode(*args, **kwargs)

    monkeypatch.setattr(streaming, "encode", encode_failing_once)

    report = processing.sweep()

    assert report.errors == 1 and report.retried == 1
    assert repository.get(second.id).status == READY
    broken = repository.get(first.id)  # a bug in PetTube: failed at once, saying so, not retried
    assert (broken.status, broken.error) == (FAILED, processing.OUR_ERROR)


def test_a_hundred_abandoned_uploads_cannot_starve_a_lost_event(aws, make_clip, settings, monkeypatch):
    settings.PETTUBE_UPLOADS_PER_HOUR = 1000
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    monkeypatch.setattr(dynamo, "now", lambda: an_hour_ago)
    for _ in range(100):
        factories.start_upload("666", size=10)  # never posted
    monkeypatch.setattr(dynamo, "now", lambda: an_hour_ago + timedelta(minutes=30))
    victim, _ = factories.uploaded(make_clip("small"))  # arrived, but its S3 event was lost
    monkeypatch.undo()

    processing.sweep()

    assert repository.get(victim.id).status == READY


def test_expired_uploads_go_in_bulk_without_looking_for_them(aws, aws_calls):
    for _ in range(5):
        factories.start_upload("7")
    aws_calls.clear()

    report = processing.sweep(now=later(hours=24, minutes=1))

    assert report.expired_uploads == 5
    assert services.videos_of(owner_id="7").items == []
    assert sorted(set(aws_calls)) == ["dynamodb.DeleteItem", "dynamodb.Query", "s3.DeleteObjects"]
    assert aws_calls.count("s3.DeleteObjects") == 1 and aws_calls.count("dynamodb.DeleteItem") == 5


def test_an_upload_that_never_arrives_is_looked_for_once(aws, aws_calls):
    video = factories.start_upload("7").video
    aws_calls.clear()

    for moment in (later(minutes=11), later(minutes=30), later(hours=2), later(hours=23, minutes=59)):
        assert processing.sweep(now=moment).expired_uploads == 0
    assert aws_calls.count("s3.HeadObject") == 1
    assert repository.get(video.id).status == UPLOADING

    assert processing.sweep(now=later(hours=24, minutes=1)).expired_uploads == 1
    assert aws_calls.count("s3.HeadObject") == 1


def test_a_lost_event_is_caught_up_with_one_head_object(aws, make_clip, aws_calls):
    """The sweep reads the size; neither ingest nor the download asks S3 for it again."""
    video, _ = factories.uploaded(make_clip("small"))
    aws_calls.clear()

    processing.sweep(now=later(minutes=11))

    assert repository.get(video.id).status == READY
    assert aws_calls.count("s3.HeadObject") == 1


def test_the_sweep_starts_no_ingest_it_has_no_time_to_finish(aws, make_clip):
    video, _ = factories.uploaded(make_clip("small"))  # its S3 event was lost

    processing.sweep(now=later(minutes=11), time_left=lambda: processing.FINISHING_SECONDS * 2)

    untouched = repository.get(video.id)
    assert (untouched.status, untouched.attempts) == (UPLOADING, 0)  # no attempt spent
    processing.sweep(now=later(minutes=12))
    assert repository.get(video.id).status == READY


def test_no_work_on_the_source_starts_without_time_to_finish(aws, make_clip, monkeypatch):
    video, key = factories.uploaded(make_clip("small"))
    probes = []
    monkeypatch.setattr(transcode, "probe", lambda *args, **kwargs: probes.append(args))

    stopped = processing.ingest_upload(key=key, time_left=lambda: processing.FINISHING_SECONDS)

    assert probes == []
    assert (stopped.status, stopped.error) == (PROCESSING, "processing was interrupted")


@pytest.mark.parametrize("declared_difference", [-1, +1])
def test_an_upload_of_another_size_than_declared_fails(aws, make_clip, declared_difference):
    clip = make_clip("small")
    declared = clip.stat().st_size + declared_difference
    video, key = factories.uploaded(clip, size=declared)

    failed = processing.ingest_upload(key=key)

    assert failed.status == FAILED
    assert failed.error == (
        f"The uploaded file ({clip.stat().st_size} bytes) is not the one announced when the upload started "
        f"({declared} bytes)."
    )
    assert objects() == []


def test_a_stale_form_posted_again_after_ready_leaves_nothing_in_uploads(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    ready = processing.ingest_upload(key=key)
    storage.upload(make_clip("small"), key, content_type="video/mp4")  # the same form, posted again

    assert processing.ingest_upload(key=key) is None

    assert objects("uploads/") == []
    assert repository.get(video.id) == ready
