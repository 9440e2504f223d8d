import json
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pettube import dynamo
from tests import factories
from community import ranking
from videos import processing, repository

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Biscuit meets the vacuum",
    "description": "She did not like it.",
    "pet": "cat",
    "filename": "IMG_0042.MOV",
    "content_type": "video/quicktime",
    "size": 5_000_000,
}


def post_json(client, body, **extra):
    return client.post("/api/videos/", data=json.dumps(body), content_type="application/json", **extra)


def test_upload_start_answers_201_with_a_presigned_post(aws, signed_in, user):
    response = post_json(signed_in, VALID)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "uploading"
    assert body["upload"]["fields"]["key"] == f"uploads/{user.pk}/{body['id']}"
    assert body["upload"]["url"].startswith("http://127.0.0.1:")
    stored = repository.get(body["id"])
    assert (stored.owner_name, stored.species, stored.filename) == ("Ana", "cat", "IMG_0042.MOV")


def test_upload_start_needs_a_signed_in_user(aws, client):
    response = post_json(client, VALID)

    assert response.status_code == 401
    assert response.json()["error"] == "Sign in to upload."


def test_upload_start_enforces_csrf(aws, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = post_json(client, VALID)

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"pet": "dragon"}, "pet"),
        ({"content_type": "text/html"}, "content_type"),
        ({"size": 0}, "size"),
        ({"size": 3 * 1024**3}, "size"),
        ({"size": "lots"}, "size"),
        ({"size": [1]}, "size"),
        ({"filename": None}, "filename"),
    ],
)
def test_upload_start_rejects_bad_fields_with_400_json(aws, signed_in, change, field):
    response = post_json(signed_in, VALID | change)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Give your video a title."),
        ({"size": 0}, "size", "This file is empty. Choose another one."),
        ({"content_type": "text/html"}, "content_type", "This is not a video file. Choose a video (MP4, MOV, WebM…)."),
        ({"pet": "dragon"}, "pet", "Choose a pet from the list."),
        ({"size": 3 * 1024**3}, "size", "This file is larger than the limit of 2 GB."),
    ],
)
def test_upload_start_errors_are_plain_words_the_page_shows_next_to_the_field(aws, signed_in, change, field, message):
    response = post_json(signed_in, VALID | change)

    assert response.json()["errors"] == {field: [message]}


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"{not json", "The body must be JSON."), (b"[1, 2]", "The body must be a JSON object."),
     (b"\xff\xfe", "The body must be JSON."), (b"", "The body must be JSON.")],
)
def test_upload_start_rejects_malformed_json(aws, signed_in, body, message):
    response = signed_in.post("/api/videos/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == message


def test_video_detail_follows_the_contract(aws, client, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    processing.ingest_upload(key=key)

    body = client.get(f"/api/videos/{video.id}/").json()

    assert set(body) == {
        "id", "title", "description", "pet", "pets", "owner", "owner_id", "status", "error", "duration", "width",
        "height", "created_at", "published_at", "thumbnail_url", "progress", "playable", "playback", "visibility",
        "likes", "views", "liked", "storyboard", "chapters", "captions",
    }
    assert body["owner_id"] == "7"
    assert body["published_at"] == repository.get(video.id).published_at.isoformat()
    assert body["storyboard"] == f"/v/{video.id}/storyboard.vtt"
    assert (body["pets"], body["visibility"]) == ([], "public")
    assert (body["likes"], body["views"], body["liked"]) == (0, 0, None)  # signed out: `liked` unknown
    assert set(body["playback"]) == {"mp4", "hls"}
    assert (body["status"], body["progress"], body["playable"]) == ("ready", 100, True)
    assert body["playback"]["hls"] == f"/v/{video.id}/hls/master.m3u8"
    assert (body["width"], body["height"]) == (320, 240)
    assert body["playback"]["mp4"].startswith("http://127.0.0.1:")
    assert "X-Amz-Signature=" in body["playback"]["mp4"]
    assert "X-Amz-Expires=3600" in body["playback"]["mp4"]
    assert re.search(rf"media/{video.id}/poster-[0-3]\.webp\?", body["thumbnail_url"])
    assert "X-Amz-Signature=" in body["thumbnail_url"]
    assert f"media/{video.id}/video.mp4?" in body["playback"]["mp4"]


def test_non_ready_videos_are_visible_only_to_their_owner(aws, client, user):
    video = factories.start_upload(str(user.pk)).video

    assert client.get(f"/api/videos/{video.id}/").status_code == 404
    client.force_login(user)
    mine = client.get(f"/api/videos/{video.id}/").json()
    assert (mine["status"], mine["progress"], mine["playable"], mine["playback"]) == (
        "uploading", 0, False, {"mp4": None, "hls": None}
    )
    assert (mine["owner_id"], mine["published_at"]) == (str(user.pk), None)  # published once ready


@pytest.mark.parametrize(
    ("path", "message"),
    [("/api/videos/nope/", "Not found."), ("/api/videos/../../etc/", "Not found."),
     ("/api/videos/AAAAAAAAAAA/", "No such video.")],
)
def test_unknown_ids_give_404_json(aws, client, path, message):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"error": message, "errors": {}}


def test_feed_lists_ready_videos_with_a_cursor(aws, client, make_clip):
    for number in range(3):
        video, key = factories.uploaded(make_clip("small"), title=f"clip {number}")
        processing.ingest_upload(key=key)
    factories.start_upload()  # still uploading: not in the feed

    body = client.get("/api/videos/").json()

    assert [item["title"] for item in body["items"]] == ["clip 2", "clip 1", "clip 0"]
    assert body["next_cursor"] is None


def test_tampered_cursor_gives_400(aws, client):
    response = client.get("/api/videos/", {"cursor": "eyJpIjoiZmVlZCJ9:forged:signature"})

    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_delete_by_owner_204_by_others_404_as_if_unseen(aws, client, user):
    video = factories.start_upload(str(user.pk)).video
    other = get_user_model().objects.create_user(username="bob")

    assert client.delete(f"/api/videos/{video.id}/").status_code == 401
    client.force_login(other)
    unseen = client.delete(f"/api/videos/{video.id}/")
    unknown = client.delete("/api/videos/AAAAAAAAAAA/")
    assert (unseen.status_code, unseen.json()) == (unknown.status_code, unknown.json()) == (
        404, {"error": "No such video.", "errors": {}})
    assert client.get(f"/api/videos/{video.id}/").json() == unseen.json()
    client.force_login(user)
    assert client.delete(f"/api/videos/{video.id}/").status_code == 204
    assert repository.get(video.id) is None
    assert client.delete(f"/api/videos/{video.id}/").status_code == 404


def test_a_public_video_of_somebody_else_cannot_be_deleted(aws, client, user):
    video = factories.published("someone-else")
    client.force_login(user)

    response = client.delete(f"/api/videos/{video.id}/")

    assert response.status_code == 403
    assert response.json()["error"] == "Only the owner can delete this video."
    assert repository.get(video.id) == video


def test_wrong_method_gives_405_json(aws, client):
    response = client.put("/api/videos/")

    assert response.status_code == 405
    assert response.json()["error"] == "PUT is not allowed here."
    assert response["Allow"] == "GET, POST"


def test_healthz_reports_ok_when_stores_are_reachable(aws, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "table": "ok", "bucket": "ok"}


def test_upload_starts_are_rate_limited_per_user_with_retry_after(aws, signed_in, settings, monkeypatch):
    monkeypatch.setattr(dynamo, "now", lambda: datetime(2026, 5, 1, 10, 5, 0, tzinfo=UTC))
    settings.PETTUBE_UPLOADS_PER_HOUR = 3
    for _ in range(3):
        assert post_json(signed_in, VALID).status_code == 201

    limited = post_json(signed_in, VALID)

    assert limited.status_code == 429
    assert limited["Retry-After"] == str(55 * 60 + 1)  # the hour's starts are used up until 11:00
    assert limited.json()["error"].startswith("Too many uploads; try again in ")
    other = Client()
    other.force_login(get_user_model().objects.create_user(username="bob"))
    assert post_json(other, VALID).status_code == 201  # a per-user limit


def test_upload_start_is_one_aws_call(aws_calls, signed_in):
    assert post_json(signed_in, VALID).status_code == 201

    assert aws_calls == ["dynamodb.TransactWriteItems"]  # the new video and the start counter


def test_the_feed_is_one_aws_call(aws_calls, client):
    assert client.get("/api/videos/").status_code == 200

    assert aws_calls == ["dynamodb.Query"]


@pytest.mark.parametrize(("query", "named"), [({"sort": "oldest"}, {"sort"}), ({"sort": ""}, {"sort"}),
                                              ({"feed": "everyone"}, {"feed"}), ({"feed": "following\r\n"}, {"feed"}),
                                              ({"sort": "popular", "feed": "following"}, {"sort", "feed"})])
def test_a_list_that_does_not_exist_is_a_400_not_the_newest_videos_in_disguise(aws, signed_in, query, named):
    factories.published("7")

    for visitor in (Client(), signed_in):
        response = visitor.get("/api/videos/", query)

        assert response.status_code == 400
        assert set(response.json()["errors"]) == named
    assert Client().get("/", {"sort": "oldest"}).status_code == 404  # the page: no such list


@pytest.mark.parametrize("query", [{}, {"q": "frisbee"}, {"species": "dog"}, {"sort": "popular"}])
def test_every_list_says_who_owns_each_video_and_when_it_was_published(aws, client, query):
    first = factories.published("7", title="Rex and the frisbee")
    second = factories.published("8", title="Fido and the frisbee")
    ranking.rank()

    items = client.get("/api/videos/", query).json()["items"]

    assert {(item["id"], item["owner_id"], item["published_at"]) for item in items} == {
        (video.id, video.owner_id, repository.get(video.id).published_at.isoformat()) for video in (first, second)
    }
    if not query:  # the feed's order is the order of `published_at`
        assert [item["published_at"] for item in items] == sorted((item["published_at"] for item in items),
                                                                  reverse=True)


@pytest.mark.parametrize("content_type", ["video/mp4\r\nX-Injected: 1", "video/mp4\nx", "video/mp4\rx", "video/mp4 x"])
@pytest.mark.parametrize("size", [5_000_000, 20 * 1024**2])  # a presigned POST, and a multipart upload
def test_a_content_type_that_is_not_one_header_value_is_400(aws, signed_in, content_type, size):
    """Outside finding 6.5c: CR/LF in `content_type` reached S3's header for a multipart upload: a 500."""
    response = post_json(signed_in, VALID | {"content_type": content_type, "size": size})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["content_type"]


@pytest.mark.parametrize("debug", [True, False])
def test_a_body_over_djangos_size_limit_is_json_too(aws, signed_in, settings, debug):
    """Outside finding 6.10: Django's own 400 page (HTML with DEBUG on) answered a body too large."""
    settings.DEBUG = debug
    body = json.dumps(VALID | {"description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = signed_in.post("/api/videos/", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"error": f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
                               "errors": {}}
