"""videos/repository.py: a video reads back as it was written, sits in exactly the indexes its
state calls for, and changes state only by conditional writes: one claim wins, a status never
moves backwards, and a write to a video that is gone creates nothing."""

from datetime import UTC, datetime, timedelta

from tests import factories
from videos import repository

LEASE = timedelta(minutes=20)


def titles(page) -> list[str]:
    return [video.title for video in page.items]


def test_a_video_reads_back_as_it_was_written(aws):
    rex = factories.pet("7", name="Rex ü", species="dog")
    uploading = factories.start_upload("7", title="Crème brûlée 🐶 \u200b", size=2**40).video
    published = factories.published("7", title="Zoë's\r\nfirst swim", description="", pets=[rex.id],
                                     visibility="unlisted")

    assert repository.get(uploading.id) == uploading
    assert repository.get(published.id) == published  # time stamps to the microsecond, pets, numbers
    assert repository.get("no-such-video") is None


def test_each_video_is_in_the_indexes_its_state_calls_for(aws):
    factories.start_upload("7", title="uploading")
    factories.published("7", title="public")
    factories.published("7", title="unlisted", visibility="unlisted")
    factories.published("7", title="private", visibility="private")
    failed = factories.start_upload("7", title="failed").video
    repository.mark_failed(failed.id, reason="This file is not a video.")
    factories.published("8", title="someone else's")
    much_later = datetime.now(UTC) + timedelta(days=30)

    assert titles(repository.by_owner("7", limit=10)) == ["failed", "private", "unlisted", "public", "uploading"]
    assert titles(repository.feed(limit=10)) == ["someone else's", "public"]
    assert titles(repository.public_by_owner("7", limit=10)) == ["public"]
    assert titles(repository.due("uploading", now=much_later)) == ["uploading"]
    assert titles(repository.due("uploading", now=datetime.now(UTC))) == []  # not due yet
    assert titles(repository.due("processing", now=much_later)) == []


def test_one_claim_wins_until_its_lease_runs_out(aws):
    video = factories.start_upload("7").video

    first = repository.claim(video.id, lease=LEASE)
    duplicate = repository.claim(video.id, lease=LEASE)
    retried = repository.claim(video.id, lease=LEASE, now=datetime.now(UTC) + LEASE + timedelta(seconds=1))

    assert (first.status, first.attempts) == ("processing", 1)
    assert duplicate is None  # a second copy of the S3 event
    assert (retried.status, retried.attempts) == ("processing", 2)  # the first worker died
    assert titles(repository.due("processing", now=datetime.now(UTC) + 2 * LEASE + timedelta(seconds=2))) == [
        video.title]


def test_a_status_never_moves_backwards(aws):
    ready = factories.ready("7")
    failed = factories.start_upload("7").video
    repository.mark_failed(failed.id, reason="This file is not a video.")
    much_later = datetime.now(UTC) + timedelta(days=30)

    for video in (ready, failed):
        assert repository.claim(video.id, lease=LEASE, now=much_later) is None
        assert repository.release(video.id, reason="a late worker") is None
        assert repository.postpone(video.id, status="processing", due_at=much_later) is None
        assert repository.delete_if(video.id, status="uploading") is False
    assert repository.mark_failed(ready.id, reason="a late failure") is None

    assert repository.get(ready.id) == ready
    assert repository.get(failed.id).status == "failed"


def test_a_failure_keeps_a_readable_reason_and_leaves_the_sweepers_index(aws):
    video = factories.start_upload("7").video
    repository.claim(video.id, lease=LEASE)

    failed = repository.mark_failed(video.id, reason="x" * 2000)

    assert failed.status == "failed" and failed.error == "x" * 500
    assert repository.due("processing", now=datetime.now(UTC) + timedelta(days=30)).items == []


def test_writes_to_a_video_that_is_gone_create_nothing(aws):
    video = factories.start_upload("7").video
    assert repository.delete_if(video.id, status="processing") is False  # it is still uploading
    assert repository.delete_if(video.id, status="uploading") is True

    assert repository.claim(video.id, lease=LEASE) is None
    assert repository.mark_failed(video.id, reason="late") is None
    assert repository.release(video.id, reason="late") is None
    assert repository.get(video.id) is None
