"""Shorts: which videos are shorts, the feeds the listings seam keeps right (in the video's own
transaction), the pages and `GET /api/shorts/` (paging, species, 400 for what cannot be read),
and the AWS calls each costs."""

import re
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model

from pettube import dynamo
from shorts import repository, services
from tests import factories
from videos import listings
from videos import services as videos
from videos.domain import PRIVATE, UNLISTED

pytestmark = pytest.mark.django_db


def short(owner_id: str = "7", *, title: str = "Rex", species: str = "dog", duration: float = 2.0, **fields):
    """A published video of `duration` seconds (factories.published makes 2 s ones)."""
    video = factories.published(owner_id, title=title, species=species, **fields)
    if duration != video.duration:
        video = listings.change(video.id, lambda current: replace(current, duration=duration))
    return video


def ids(answer) -> list[str]:
    return [item["id"] for item in answer.json()["items"]]


def entry_ids(video_id: str) -> set[str]:
    found = dynamo.get_many([repository.entry_id(feed, video_id) for feed in (repository.EVERY, "dog", "cat")])
    return set(found)


def test_a_short_is_a_public_ready_video_of_at_most_60_seconds_newest_first(aws, client):
    oldest = short(title="one", duration=60.0)
    short(title="too long", duration=60.5)
    short(title="unlisted", visibility=UNLISTED)
    short(title="private", visibility=PRIVATE)
    landscape = short(title="two", duration=12.0)
    newest = short(title="three", species="cat", duration=0.5)

    answer = client.get("/api/shorts/")

    assert answer.status_code == 200
    assert ids(answer) == [newest.id, landscape.id, oldest.id]
    item = answer.json()["items"][0]
    assert item["playback"]["hls"] == f"/v/{newest.id}/hls/master.m3u8"
    assert {"title", "pet", "pets", "owner", "owner_id", "duration", "width", "height", "thumbnail_url", "likes",
            "views", "published_at", "url", "watch_url", "owner_url", "view_ticket", "share_url", "embed_code"} <= set(item)
    assert (item["url"], item["watch_url"]) == (f"/shorts/{newest.id}/", f"/v/{newest.id}/")
    assert item["share_url"] == f"http://testserver/shorts/{newest.id}/"
    assert f'src="http://testserver/embed/{newest.id}/"' in item["embed_code"]
    assert answer.json()["next_cursor"] is None


def test_species_feeds_hold_the_shorts_showing_that_species(aws, client):
    pet = factories.pet("7", name="Mimi", species="cat")
    dog = short(title="dog")
    dog_with_cat = short(title="dog and cat", pets=[pet.id])
    cat = short(title="cat", species="cat")

    assert ids(client.get("/api/shorts/?species=cat")) == [cat.id, dog_with_cat.id]
    assert ids(client.get("/api/shorts/?species=dog")) == [dog_with_cat.id, dog.id]
    assert ids(client.get("/api/shorts/?species=fish")) == []


def test_api_pages_follow_each_other_without_gaps_or_repeats(aws, client):
    made = [short(title=f"clip {number}").id for number in range(services.PAGE_SIZE + 3)]

    first = client.get("/api/shorts/").json()
    second = client.get(f"/api/shorts/?cursor={first['next_cursor']}").json()

    assert len(first["items"]) == services.PAGE_SIZE
    assert [item["id"] for item in first["items"] + second["items"]] == made[::-1]
    assert second["next_cursor"] is None or client.get(f"/api/shorts/?cursor={second['next_cursor']}").json() == {
        "items": [], "next_cursor": None}


def test_a_page_of_a_small_size_pages_in_order(aws):
    made = [short(title=f"clip {number}").id for number in range(5)]

    first = services.shorts_page(limit=2)
    second = services.shorts_page(limit=2, cursor=first.next_cursor)
    third = services.shorts_page(limit=2, cursor=second.next_cursor)

    assert [video.id for page in (first, second, third) for video in page.items] == made[::-1]
    assert third.next_cursor is None or services.shorts_page(limit=2, cursor=third.next_cursor).items == []


@pytest.mark.parametrize("change", [
    pytest.param(lambda video: replace(video, visibility=PRIVATE), id="made private"),
    pytest.param(lambda video: replace(video, visibility=UNLISTED), id="made unlisted"),
    pytest.param(lambda video: replace(video, hidden_at=dynamo.now()), id="hidden"),
    pytest.param(lambda video: replace(video, duration=95.0), id="longer after a re-upload"),
])
def test_a_video_that_stops_being_a_short_leaves_every_feed_in_its_own_transaction(aws, client, change):
    video = short(species="dog")
    assert entry_ids(video.id) == {repository.entry_id(feed, video.id) for feed in (repository.EVERY, "dog")}

    listings.change(video.id, change)

    assert entry_ids(video.id) == set()
    assert ids(client.get("/api/shorts/")) == [] and ids(client.get("/api/shorts/?species=dog")) == []


def test_a_deleted_video_leaves_the_feeds_and_a_restored_one_comes_back(aws, client):
    deleted, hidden = short(title="deleted"), short(title="hidden")
    videos.hide_video(video_id=hidden.id)
    videos.delete_video(video_id=deleted.id, user_id="7")
    assert ids(client.get("/api/shorts/")) == []

    videos.restore_video(video_id=hidden.id)

    assert ids(client.get("/api/shorts/")) == [hidden.id]
    assert entry_ids(deleted.id) == set()


def test_a_video_that_becomes_a_short_joins_the_feeds(aws, client):
    video = short(duration=300.0, visibility=PRIVATE)
    assert ids(client.get("/api/shorts/")) == []

    listings.change(video.id, lambda current: replace(current, visibility="public", duration=30.0))

    assert ids(client.get("/api/shorts/")) == [video.id]


@pytest.mark.parametrize("query", [
    "species=dragon", "species=Dog", "species=%0D%0ASet-Cookie:%20a=b", "species=%E2%80%8B%E2%80%8B",
    "species=" + "dog" * 3000, "cursor=nonsense", "cursor=%0D%0A", "cursor=" + "x" * 5000,
])
def test_a_bad_species_or_cursor_is_a_400_in_the_api_shape(aws, client, query):
    short()

    answer = client.get(f"/api/shorts/?{query}")

    assert answer.status_code == 400
    assert answer.json()["error"] and set(answer.json()["errors"]) <= {"species", "cursor"}
    assert answer.json()["errors"]


def test_a_cursor_of_another_list_is_a_400(aws, client):
    for number in range(3):
        short(title=f"clip {number}", species="cat")
    other_feed = services.shorts_page(limit=1).next_cursor
    of_the_video_feed = videos.feed_page(limit=1).next_cursor

    assert client.get(f"/api/shorts/?species=cat&cursor={other_feed}").status_code == 400
    assert client.get(f"/api/shorts/?cursor={of_the_video_feed}").status_code == 400
    assert client.get(f"/api/shorts/?cursor={other_feed}").status_code == 200


def test_only_get_is_answered(aws, client):
    answer = client.post("/api/shorts/", {}, content_type="application/json")

    assert answer.status_code == 405 and answer.json()["error"]


def test_the_page_starts_at_a_clip_and_goes_on_with_older_ones(aws, client):
    older, start, newer = short(title="older"), short(title="start"), short(title="newer")

    page = client.get(f"/shorts/{start.id}/")

    assert page.status_code == 200
    assert [item["id"] for item in page.context["shorts"]["items"]] == [start.id, older.id]
    assert newer.id not in page.content.decode()


def test_the_page_of_a_video_that_is_not_a_short(aws, client):
    long = short(duration=61.0)
    private = short(visibility=PRIVATE)
    cat = short(species="cat")

    assert client.get(f"/shorts/{long.id}/")["Location"] == f"/v/{long.id}/"
    assert client.get(f"/shorts/{cat.id}/?species=dog")["Location"] == f"/v/{cat.id}/"
    assert client.get(f"/shorts/{private.id}/").status_code == 404
    assert client.get("/shorts/AAAAAAAAAAA/").status_code == 404
    assert client.get("/shorts/?species=dragon").status_code == 404


def test_the_page_carries_its_first_clips_and_the_header_and_species_filter_link_to_it(aws, client):
    video = short(title="Mittens <b>naps</b>", species="cat")

    page = client.get("/shorts/?species=cat")
    feed = client.get("/?species=cat").content.decode()

    html = page.content.decode()
    assert page.status_code == 200
    assert "<b>naps" not in html and video.id in html
    assert re.search(r'<a[^>]+href="/shorts/"[^>]*>Shorts</a>', html)
    assert 'href="/shorts/?species=cat"' in feed


def calls_for(aws_calls, request) -> list[str]:
    aws_calls.clear()
    response = request()
    assert response.status_code == 200, response.content[:300]
    return sorted(aws_calls)


def test_aws_calls_per_request(aws, client, aws_calls):
    for number in range(3):
        video = short(title=f"clip {number}")
    cursor = services.shorts_page(limit=1).next_cursor
    user = get_user_model().objects.create_user(username="vic")

    signed_out = {
        "page": calls_for(aws_calls, lambda: client.get("/shorts/")),
        "page at a clip": calls_for(aws_calls, lambda: client.get(f"/shorts/{video.id}/")),
        "api": calls_for(aws_calls, lambda: client.get("/api/shorts/?species=dog")),
        "api next page": calls_for(aws_calls, lambda: client.get(f"/api/shorts/?cursor={cursor}")),
    }
    client.force_login(user)
    signed_in = calls_for(aws_calls, lambda: client.get("/shorts/"))

    assert signed_out == {
        "page": ["dynamodb.Query"],
        "page at a clip": ["dynamodb.GetItem", "dynamodb.Query"],
        "api": ["dynamodb.Query"],
        "api next page": ["dynamodb.Query"],
    }
    assert signed_in == ["dynamodb.BatchGetItem", "dynamodb.Query"]  # the header's unseen count
