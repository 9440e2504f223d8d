from datetime import timedelta

from tests import factories
from videos import domain, events, repository
from videos.domain import READY


def test_on_upload_processes_a_recorded_s3_event(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))

    events.on_upload(factories.s3_event(key), None)

    assert repository.get(video.id).status == READY


def test_on_upload_decodes_url_encoded_keys(aws, make_clip):
    # S3 sends keys URL-encoded; an owner id with characters that need it proves the decoding.
    video, key = factories.uploaded(make_clip("small"), owner_id="ana maría+1")
    event = factories.s3_event(key)
    assert event["Records"][0]["s3"]["object"]["key"] != key

    events.on_upload(event, None)

    assert repository.get(video.id).status == READY


def test_the_same_event_delivered_twice_is_transcoded_once(aws, make_clip, encodes):
    video, key = factories.uploaded(make_clip("small"))
    event = factories.s3_event(key)

    events.on_upload(event, None)
    first = repository.get(video.id)
    events.on_upload(event, None)

    assert len(encodes) == 1
    assert repository.get(video.id) == first


def test_s3_test_event_is_a_no_op(aws, make_clip, encodes):
    video, _ = factories.uploaded(make_clip("small"))
    event = factories.event("s3_test_event.json")

    events.on_upload(event, None)

    assert encodes == []
    assert repository.get(video.id).status == domain.UPLOADING


def test_on_upload_stops_cleanly_when_the_lambda_runs_out_of_time(aws, make_clip):
    video, key = factories.uploaded(make_clip("small"))

    class AlmostOutOfTime:
        def get_remaining_time_in_millis(self):
            return 5_000

    events.on_upload(factories.s3_event(key), AlmostOutOfTime())

    stopped = repository.get(video.id)
    assert stopped.status == "processing"  # retryable: the sweep picks it up
    assert stopped.due_at <= stopped.updated_at
    assert stopped.error == "processing was interrupted"


def test_scheduled_event_runs_the_sweep(aws, make_clip):
    event = factories.event("scheduled.json")
    video, key = factories.uploaded(make_clip("small"))
    repository.claim(video.id, lease=timedelta(seconds=-1))  # its worker died: the lease ran out

    assert events.sweep(event, None) == {"expired_uploads": 0, "retried": 1, "timed_out": 0, "errors": 0}
    assert repository.get(video.id).status == READY
