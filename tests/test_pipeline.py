"""The whole local pipeline, as `make run` wires it: API upload start → the browser's POST to the
embedded S3 → S3 event → SQS → event pump → on_upload → ready → in the feed."""

import json
import time

import pytest
import requests
from django.contrib.auth import get_user_model

from pettube import local_aws
from tests import over_http
from tests.waiting import eventually

pytestmark = pytest.mark.django_db


@pytest.fixture
def pump(aws):
    pump = local_aws.EventPump(aws)
    pump.start()
    yield pump
    pump.stop()


def wait_for_status(client, video_id: str, statuses: set[str], timeout: float = 60) -> dict:
    def reached() -> dict:
        body = client.get(f"/api/videos/{video_id}/").json()
        assert body.get("status") in statuses, body
        return body

    return eventually(reached, timeout=timeout)


def start(client, path, **fields) -> dict:
    body = {"title": "Pip the parrot", "description": "", "pet": "bird", "filename": path.name,
            "content_type": "video/mp4", "size": path.stat().st_size} | fields
    response = client.post("/api/videos/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_upload_through_the_embedded_aws_ends_ready_in_the_feed(pump, client, make_clip):
    client.force_login(get_user_model().objects.create_user(username="pip"))
    clip = make_clip("landscape")
    started = start(client, clip)

    stored = over_http.post_to_storage(started["upload"], clip)
    uploaded_at = time.monotonic()
    assert stored.status_code == 204, stored.text
    ready = wait_for_status(client, started["id"], {"ready", "failed"})
    elapsed = time.monotonic() - uploaded_at

    assert ready["status"] == "ready", ready["error"]
    assert (ready["width"], ready["height"]) == (1920, 1080)  # the top rung of the ladder
    feed = client.get("/api/videos/").json()["items"]
    assert [item["id"] for item in feed] == [started["id"]]
    video = requests.get(ready["playback"]["mp4"], headers={"Range": "bytes=0-1023"}, timeout=10)
    assert video.status_code == 206  # seeking works: the store answers ranges
    print(f"upload finished → ready for a 6 s 1080p clip: {elapsed:.2f} s")


def test_a_non_video_upload_ends_failed_and_does_not_disturb_others(pump, client, make_clip):
    client.force_login(get_user_model().objects.create_user(username="pip"))
    good, bad = make_clip("short"), make_clip("html")
    good_start, bad_start = start(client, good, title="good"), start(client, bad, title="bad")

    assert over_http.post_to_storage(bad_start["upload"], bad).status_code == 204
    assert over_http.post_to_storage(good_start["upload"], good).status_code == 204

    failed = wait_for_status(client, bad_start["id"], {"ready", "failed"})
    ready = wait_for_status(client, good_start["id"], {"ready", "failed"})
    assert failed["status"] == "failed" and "not a video" in failed["error"]
    assert ready["status"] == "ready"
