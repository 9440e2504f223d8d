import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from pettube import aws as aws_clients
from pettube import dynamo, exceptions
from tests import clips, factories
from videos import processing, repository, services, storage, transcode
from videos.domain import FAILED, PROCESSING, READY, UPLOADING


def objects(prefix: str = "") -> list[str]:
    from django.conf import settings

    listing = aws_clients.client("s3").list_objects_v2(Bucket=settings.PETTUBE_BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def decoded_policy(fields: dict) -> dict:
    return json.loads(base64.b64decode(fields["policy"]))


def test_start_upload_records_an_uploading_video_owned_by_the_user(aws):
    start = factories.start_upload("42", title="Whiskers vs. laser")

    stored = repository.get(start.video.id)
    assert stored.status == UPLOADING
    assert (stored.owner_id, stored.title, stored.species, stored.filename) == ("42", "Whiskers vs. laser", "dog", "rex.mp4")
    assert len(stored.id) == 11


def test_presigned_post_policy_fixes_key_size_type_and_expiry(aws, settings):
    before = datetime.now(UTC)
    start = factories.start_upload("42", size=12_345_678)  # below the multipart threshold

    policy = decoded_policy(start.upload.fields)
    conditions = policy["conditions"]
    assert {"key": f"uploads/42/{start.video.id}"} in conditions
    assert start.upload.fields["key"] == f"uploads/42/{start.video.id}"
    assert ["content-length-range", 1, 12_345_678] in conditions
    assert ["starts-with", "$Content-Type", "video/"] in conditions
    assert {"bucket": settings.PETTUBE_BUCKET} in conditions
    expires = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(0) < expires - before <= timedelta(minutes=15)
    assert start.upload.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"


def test_good_upload_becomes_ready_with_outputs_and_metadata(aws, make_clip):
    video, key = factories.uploaded(make_clip("short"))

    ready = processing.ingest_upload(key=key)

    assert ready.status == READY
    assert ready.duration == pytest.approx(2.0, abs=0.2)
    assert (ready.width, ready.height) == (640, 360)
    assert ready.video_key == f"media/{video.id}/video.mp4"
    assert ready.thumbnails == 4
    assert ready.poster_key in {f"media/{video.id}/poster-{number}.webp" for number in range(4)}
    assert ready.card_key == ready.poster_key.replace("poster-", "card-")
    assert ready.wide_card_key == ready.card_key.replace(".webp", "-480.webp")
    assert ready.source_size == make_clip("short").stat().st_size
    assert storage.size_of(ready.video_key) == ready.video_size > 0
    assert storage.size_of(ready.poster_key) == ready.poster_size > 0
    hls = f"media/{video.id}/hls/"
    thumbnails = [f"media/{video.id}/{name}.webp"
                  for number in range(4) for name in (f"card-{number}", f"card-{number}-480", f"poster-{number}")]
    # the source upload is gone; a 2 s clip is the lead segment and one more of its one rung
    # (640x360), and one segment of the audio
    # and the seek previews: one sprite (one encoding job) and the WebVTT that maps times to its tiles
    storyboard = [f"media/{video.id}/storyboard.vtt", f"media/{video.id}/storyboard/v0.webp"]
    assert ready.storyboard_key == storyboard[0]
    assert objects() == sorted([ready.video_key, *thumbnails, *storyboard, f"{hls}360p.m3u8", f"{hls}360p/00000.ts",
                                f"{hls}360p/00001.ts", f"{hls}audio.m3u8", f"{hls}audio/00000.ts"])
    assert [item.id for item in services.feed_page().items] == [video.id]


@pytest.mark.parametrize(("clip", "reason"), clips.NOT_VIDEOS)
def test_bad_upload_fails_with_a_readable_reason_and_is_deleted(aws, make_clip, clip, reason):
    video, key = factories.uploaded(make_clip(clip))

    failed = processing.ingest_upload(key=key)

    assert failed.status == FAILED
    assert reason in failed.error
    assert objects() == []
    assert services.feed_page().items == []


def test_ingest_rechecks_the_size_the_policy_allowed(aws, make_clip, settings):
    video, key = factories.uploaded(make_clip("short"))
    settings.PETTUBE_MAX_UPLOAD_BYTES = 1000

    failed = processing.ingest_upload(key=key)

    assert failed.status == FAILED
    assert "larger than" in failed.error
    assert objects() == []


def test_ingest_enforces_the_duration_limit(aws, make_clip, settings):
    settings.PETTUBE_MAX_DURATION_SECONDS = 1
    video, key = factories.uploaded(make_clip("short"))

    failed = processing.ingest_upload(key=key)

    assert failed.status == FAILED
    assert "longer than" in failed.error


def test_a_file_whose_header_gives_no_duration_is_refused(aws, make_clip):
    video, key = factories.uploaded(make_clip("raw_h264"))  # a raw H.264 stream: "Duration: N/A"

    failed = processing.ingest_upload(key=key)

    assert failed.status == FAILED
    assert failed.error == "We could not tell how long this video is (its file gives no duration)."
    assert objects() == []


def test_the_duration_limit_holds_on_what_is_decoded_when_the_header_understates_it(aws, make_clip, settings,
                                                                                      monkeypatch):
    settings.PETTUBE_MAX_DURATION_SECONDS = 3
    real_probe = transcode.probe
    monkeypatch.setattr(transcode, "probe", lambda source, **kwargs: replace(real_probe(source), duration=2.0))
    video, key = factories.uploaded(make_clip("landscape"))  # 6 s, said to be 2 s

    failed = processing.ingest_upload(key=key)

    assert failed.status == FAILED
    assert failed.error == "The video is longer than 3 seconds."
    assert objects() == []


def test_ingest_enforces_the_resolution_limit(aws, make_clip, settings):
    settings.PETTUBE_MAX_SOURCE_PIXELS = 640 * 360 - 1
    video, key = factories.uploaded(make_clip("short"))

    failed = processing.ingest_upload(key=key)

    assert failed.status == FAILED
    assert "resolution (640x360) is too high" in failed.error
    assert objects() == []


def test_the_same_event_twice_gives_one_transcode_and_one_state_change(aws, make_clip, encodes):
    video, key = factories.uploaded(make_clip("small"))

    first = processing.ingest_upload(key=key)
    second = processing.ingest_upload(key=key)

    assert first.status == READY
    assert second is None
    assert len(encodes) == 1
    assert repository.get(video.id).updated_at == first.updated_at
    assert repository.get(video.id).attempts == 1


def test_late_event_cannot_move_a_ready_video_back(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    ready = processing.ingest_upload(key=key)
    storage.upload(make_clip("html"), key, content_type="video/mp4")  # a replayed, different upload

    assert processing.ingest_upload(key=key) is None

    assert repository.get(video.id) == ready


def test_event_for_an_unknown_video_removes_the_orphan_object(aws, make_clip):
    key = storage.upload_key("7", "AAAAAAAAAAA")
    storage.upload(make_clip("small"), key, content_type="video/mp4")

    assert processing.ingest_upload(key=key) is None

    assert objects() == []


def test_objects_outside_the_upload_layout_are_ignored(aws, make_clip):
    storage.upload(make_clip("small"), "media/x/y.mp4", content_type="video/mp4")

    assert processing.ingest_upload(key="media/x/y.mp4") is None

    assert objects() == ["media/x/y.mp4"]


def test_delete_removes_the_item_and_every_object(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    processing.ingest_upload(key=key)
    other, other_key = factories.uploaded(make_clip("small"), owner_id="8")

    services.delete_video(video_id=video.id, user_id="7")

    assert repository.get(video.id) is None
    assert objects(f"media/{video.id}/") == []
    assert objects() == [other_key]
    assert repository.get(other.id).status == UPLOADING


def test_only_the_owner_can_delete(aws):
    video = factories.start_upload("7").video
    public = factories.published("7")

    with pytest.raises(services.NotFound):  # not theirs to see: as if it did not exist
        services.delete_video(video_id=video.id, user_id="8")
    with pytest.raises(exceptions.Forbidden):
        services.delete_video(video_id=public.id, user_id="8")
    with pytest.raises(services.NotFound):
        services.delete_video(video_id="AAAAAAAAAAA", user_id="7")
    assert repository.get(video.id) is not None
    assert repository.get(public.id) == public


def test_a_video_deleted_while_processing_leaves_nothing_behind(aws, make_clip, monkeypatch):
    video, key = factories.uploaded(make_clip("small"))
    real_command = transcode.ladder_command

    def encode_while_owner_deletes(*args, **kwargs):
        services.delete_video(video_id=video.id, user_id="7")
        return real_command(*args, **kwargs)

    monkeypatch.setattr(transcode, "ladder_command", encode_while_owner_deletes)

    assert processing.ingest_upload(key=key) is None

    assert repository.get(video.id) is None
    assert objects() == []


def test_sweep_removes_uploads_that_never_arrived_after_24_hours(aws):
    first, second = factories.start_upload("7").video, factories.start_upload("7").video
    a_day_later = datetime.now(UTC) + timedelta(hours=24, minutes=1)

    assert processing.sweep(now=a_day_later - timedelta(minutes=2)).expired_uploads == 0
    report = processing.sweep(now=a_day_later)

    assert report.expired_uploads == 2
    assert repository.get(first.id) is None and repository.get(second.id) is None


def test_sweep_retries_processing_past_its_lease_then_fails_it(aws, make_clip, monkeypatch, settings):
    video, key = factories.uploaded(make_clip("small"))
    repository.claim(video.id, lease=timedelta(seconds=-1))  # a worker that died mid-way
    monkeypatch.setattr(transcode, "ladder_command", _always_times_out)

    for _ in range(processing.MAX_ATTEMPTS + 1):
        processing.sweep()

    failed = repository.get(video.id)
    assert failed.status == FAILED
    assert failed.attempts == processing.MAX_ATTEMPTS
    assert "3 attempts" in failed.error
    assert objects() == []


def test_sweep_retry_finishes_a_video_whose_worker_died(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    repository.claim(video.id, lease=timedelta(seconds=-1))

    report = processing.sweep()

    assert report.retried == 1
    assert repository.get(video.id).status == READY
    assert repository.get(video.id).attempts == 2


def test_processing_within_its_lease_is_left_alone_by_the_sweep(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    repository.claim(video.id, lease=timedelta(minutes=20))

    assert processing.sweep() == processing.SweepReport()
    assert repository.get(video.id).status == PROCESSING


def _always_times_out(*args, **kwargs):
    raise transcode.EncoderInterrupted("ffmpeg did not finish")


def test_feed_is_newest_first_with_cursor_pages(aws, make_clip):
    ids = []
    for number in range(5):
        video, key = factories.uploaded(make_clip("small"), title=f"clip {number}")
        processing.ingest_upload(key=key)
        ids.append(video.id)

    first = services.feed_page(limit=2)
    second = services.feed_page(limit=2, cursor=first.next_cursor)
    third = services.feed_page(limit=2, cursor=second.next_cursor)

    seen = [v.id for page in (first, second, third) for v in page.items]
    assert seen == list(reversed(ids))
    assert third.next_cursor is None


def test_a_tampered_cursor_is_refused(aws, make_clip):
    for number in range(3):
        factories.start_upload("7", title=f"clip {number}")
    cursor = services.videos_of(owner_id="7", limit=1).next_cursor

    with pytest.raises(dynamo.InvalidCursor):
        services.videos_of(owner_id="7", limit=1, cursor=cursor[:-3] + "xyz")
    with pytest.raises(dynamo.InvalidCursor):
        services.feed_page(cursor=cursor)  # a cursor of another listing


def test_owner_sees_every_status_others_only_ready(aws, make_clip):
    pending = factories.start_upload("7").video

    assert services.visible_video(video_id=pending.id, user_id="7").id == pending.id
    with pytest.raises(services.NotFound):
        services.visible_video(video_id=pending.id, user_id="8")
    with pytest.raises(services.NotFound):
        services.visible_video(video_id=pending.id, user_id=None)
