"""The upload-start limit: counted where deleting videos cannot give starts back, atomically
(concurrent starts never pass it), in one DynamoDB round trip with the new video."""

import threading
from datetime import UTC, datetime

import pytest

from pettube import dynamo
from tests import factories
from videos import domain, services, upload_starts


@pytest.fixture
def limit_of_three(settings):
    settings.PETTUBE_UPLOADS_PER_HOUR = 3


def test_deleting_started_uploads_gives_no_starts_back(aws, limit_of_three):
    for _ in range(3):
        started = factories.start_upload("7").video
        services.delete_video(video_id=started.id, user_id="7")

    with pytest.raises(services.RateLimited):
        factories.start_upload("7")
    assert services.videos_of(owner_id="7").items == []


def test_concurrent_starts_never_pass_the_limit(aws, limit_of_three):
    barrier = threading.Barrier(12)
    outcomes = []

    def start():
        barrier.wait()
        try:
            outcomes.append(factories.start_upload("7").video.id)
        except services.RateLimited:
            outcomes.append("limited")

    threads = [threading.Thread(target=start) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("limited") == 9
    assert len(services.videos_of(owner_id="7").items) == 3


def test_the_limit_is_per_clock_hour_and_says_when_it_ends(aws, limit_of_three, monkeypatch):
    monkeypatch.setattr(dynamo, "now", lambda: datetime(2026, 5, 1, 10, 45, 30, tzinfo=UTC))
    for _ in range(3):
        factories.start_upload("7")

    with pytest.raises(services.RateLimited) as limited:
        factories.start_upload("7")
    assert limited.value.retry_after == 14 * 60 + 30 + 1
    factories.start_upload("8")  # another person's starts are their own

    monkeypatch.setattr(dynamo, "now", lambda: datetime(2026, 5, 1, 11, 0, 0, tzinfo=UTC))
    assert factories.start_upload("7").video.status == domain.UPLOADING


def test_a_full_window_writes_nothing(aws, limit_of_three):
    for _ in range(3):
        factories.start_upload("7")

    with pytest.raises(services.RateLimited):
        factories.start_upload("7")

    assert len(services.videos_of(owner_id="7").items) == 3


def test_the_counter_expires_after_its_window_and_joins_no_video_index(aws, settings):
    from pettube import aws as aws_clients

    moment = datetime(2026, 5, 1, 10, 45, tzinfo=UTC)
    window = services.upload_window(owner_id="7", moment=moment)
    dynamo.transact(upload_starts.count_action(window))

    key = upload_starts.count_action(window)["Update"]["Key"]
    item = aws_clients.client("dynamodb").get_item(TableName=settings.PETTUBE_TABLE, Key=key)["Item"]
    assert item["starts"] == {"N": "1"}
    assert int(item["expires_at"]["N"]) > datetime(2026, 5, 1, 11, 0, tzinfo=UTC).timestamp()
    assert not {"feed", "owner_id", "created_at", "pending", "owner_public"} & set(item)
