"""Comments: who may write and delete them, escaping, pagination, the rate limit."""

import json

import pytest
from django.test import Client

from community import comments
from tests.community.conftest import person

HOSTILE = '<script>alert("x")</script> see https://evil.example/ &amp; <b>bold</b>'


def post(client, video_id: str, text) -> "Client":
    return client.post(f"/api/videos/{video_id}/comments/", {"text": text}, content_type="application/json")


def test_a_comment_is_stored_as_plain_text_and_served_escaped(as_viewer, client, video):
    created = post(as_viewer, video.id, HOSTILE)

    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "author", "author_id", "text", "created_at"}
    assert (body["author"], body["text"]) == ("Vic", HOSTILE)
    listed = Client().get(f"/api/videos/{video.id}/comments/")
    assert listed.json()["items"][0]["text"] == HOSTILE
    # JSON a browser never renders as a page: the script would only ever be text.
    assert listed["Content-Type"] == "application/json" and listed["X-Content-Type-Options"] == "nosniff"


def test_the_watch_page_escapes_the_title_and_renders_comments_only_as_text(as_viewer, video):
    post(as_viewer, video.id, HOSTILE)

    page = as_viewer.get(f"/v/{video.id}/").content.decode()

    assert "Mittens &lt;b&gt;meows&lt;/b&gt;" in page and "<b>meows</b>" not in page
    assert "evil.example" not in page  # comments arrive as JSON and go in with textContent (static/js/community.js)


def test_comments_are_newest_first_and_paginated(as_viewer, video, settings):
    settings.PETTUBE_COMMENTS_PER_HOUR = 100
    for number in range(25):
        assert post(as_viewer, video.id, f"comment {number}").status_code == 201

    first = Client().get(f"/api/videos/{video.id}/comments/").json()
    second = Client().get(f"/api/videos/{video.id}/comments/", {"cursor": first["next_cursor"]}).json()

    texts = [item["text"] for item in first["items"] + second["items"]]
    assert texts == [f"comment {number}" for number in reversed(range(25))]
    assert len(first["items"]) == comments.PAGE_SIZE and second["next_cursor"] is None
    tampered = Client().get(f"/api/videos/{video.id}/comments/", {"cursor": first["next_cursor"] + "x"})
    assert tampered.status_code == 400 and tampered.json()["errors"] == {"cursor": ["This cursor is not valid."]}


def test_the_rate_limit_answers_429_with_retry_after(as_viewer, video, settings):
    settings.PETTUBE_COMMENTS_PER_HOUR = 3
    assert [post(as_viewer, video.id, f"hi {n}").status_code for n in range(3)] == [201, 201, 201]

    limited = post(as_viewer, video.id, "one too many")

    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert len(Client().get(f"/api/videos/{video.id}/comments/").json()["items"]) == 3


@pytest.mark.parametrize(
    ("text", "status"),
    [("", 400), ("   ", 400), ("x" * 2001, 400), (["list"], 400), (None, 400), ("x" * 2000, 201)],
)
def test_comment_text_must_be_one_to_two_thousand_characters(as_viewer, video, text, status):
    answer = post(as_viewer, video.id, text)

    assert answer.status_code == status
    if status == 400:
        assert list(answer.json()["errors"]) == ["text"]


def test_signed_out_people_read_but_cannot_write(client, video):
    assert post(client, video.id, "hello").status_code == 401
    assert client.get(f"/api/videos/{video.id}/comments/").json() == {"items": [], "next_cursor": None}
    assert client.get("/api/videos/AAAAAAAAAAA/comments/").status_code == 404


def test_the_author_deletes_their_own_the_owner_any_others_none(aws, client, owner, viewer, video):
    stranger = person("sam")
    client.force_login(viewer)
    mine = post(client, video.id, "by vic").json()["id"]
    other = post(client, video.id, "also by vic").json()["id"]

    client.force_login(stranger)
    refused = client.delete(f"/api/videos/{video.id}/comments/{mine}/")
    assert refused.status_code == 403 and "author" in refused.json()["error"]
    client.force_login(viewer)
    assert client.delete(f"/api/videos/{video.id}/comments/{mine}/").status_code == 204
    assert client.delete(f"/api/videos/{video.id}/comments/{mine}/").status_code == 404
    client.force_login(owner)
    assert client.delete(f"/api/videos/{video.id}/comments/{other}/").status_code == 204
    assert Client().get(f"/api/videos/{video.id}/comments/").json()["items"] == []


def test_a_comment_is_deleted_only_through_its_own_video(aws, client, viewer, video):
    from tests import factories

    elsewhere = factories.ready(str(viewer.pk), title="Vic's own")
    client.force_login(viewer)
    comment = post(client, video.id, "on olga's video").json()["id"]

    # Vic owns `elsewhere`, but the comment is not on it.
    assert client.delete(f"/api/videos/{elsewhere.id}/comments/{comment}/").status_code == 404
    assert len(Client().get(f"/api/videos/{video.id}/comments/").json()["items"]) == 1


def test_no_comments_on_a_video_that_is_not_ready(aws, client, owner):
    from tests import factories

    video = factories.start_upload(str(owner.pk)).video
    client.force_login(owner)

    assert post(client, video.id, "first!").status_code == 404
    assert json.loads(client.get(f"/api/videos/{video.id}/comments/").content)["items"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [("\u200b\u200b", "Write something first."), ("\u2060\ufeff\u200e", "Write something first."),
     ("\u3164", "Write something first."), ("nice\x00dog", "A comment cannot hold control characters (such as NUL)."),
     ("\x00", "Write something first."), ("bell\x07", "A comment cannot hold control characters (such as NUL).")],
)
def test_invisible_only_comments_and_nul_characters_are_refused(as_viewer, video, text, message):
    """Outside finding 6.10."""
    answer = post(as_viewer, video.id, text)

    assert answer.status_code == 400
    assert answer.json()["errors"] == {"text": [message]}
    assert post(as_viewer, video.id, "two\nlines\tand a tab").status_code == 201
