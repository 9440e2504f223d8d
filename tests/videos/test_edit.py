"""Editing a video and changing who can watch it: every listing follows at once."""

import pytest
from django.contrib.auth import get_user_model

from pets import services as pets
from search import services as search
from tests import factories
from videos import domain, services, storage
from videos.domain import PRIVATE, PUBLIC, UNLISTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    return get_user_model().objects.create_user(username="bo")


def patch(client, video_id, body):
    return client.patch(f"/api/videos/{video_id}/", data=body, content_type="application/json")


def listings_of(video, owner_id):
    """Where `video` shows up, for a visitor: every listing it can be in."""
    return {
        "feed": video.id in [item.id for item in services.feed_page().items],
        "profile": video.id in [item.id for item in services.public_videos_of(owner_id=owner_id).items],
        "species": video.id in [item.id for item in pets.species_page(species="dog", limit=50).items],
        "pet": video.id in [item.id for item in pets.pet_page(pet_id=video.pets[0].id, limit=50)[1].items],
        "search": video.id in [item.id for item in search.search(query="frisbee", limit=50).items],
    }


@pytest.mark.parametrize("visibility", [UNLISTED, PRIVATE])
def test_hiding_a_video_takes_it_out_of_every_listing_in_the_same_request(aws, signed_in, user, visibility):
    rex = factories.pet(str(user.pk))
    video = factories.published(str(user.pk), pets=[rex.id])
    assert set(listings_of(video, str(user.pk)).values()) == {True}

    response = patch(signed_in, video.id, {"visibility": visibility})

    assert response.status_code == 200 and response.json()["visibility"] == visibility
    assert set(listings_of(video, str(user.pk)).values()) == {False}
    assert patch(signed_in, video.id, {"visibility": PUBLIC}).status_code == 200
    assert set(listings_of(video, str(user.pk)).values()) == {True}


def test_unlisted_plays_by_link_for_anyone_private_is_404_to_others(aws, client, user, other):
    unlisted = factories.published(str(user.pk), visibility=UNLISTED)
    private = factories.published(str(user.pk), visibility=PRIVATE)

    assert client.get(f"/v/{unlisted.id}/").status_code == 200
    assert client.get(f"/api/videos/{unlisted.id}/").json()["playback"]["mp4"]
    for signed_in_as in (None, other):
        if signed_in_as:
            client.force_login(signed_in_as)
        assert client.get(f"/v/{private.id}/").status_code == 404
        assert client.get(f"/api/videos/{private.id}/").status_code == 404
        assert patch(client, private.id, {"title": "mine now"}).status_code == (404 if signed_in_as else 401)
    client.force_login(user)
    assert client.get(f"/v/{private.id}/").status_code == 200


def test_owner_edits_title_description_and_pets_and_listings_follow(aws, signed_in, user):
    rex = factories.pet(str(user.pk), name="Rex")
    mimi = factories.pet(str(user.pk), name="Mimi", species="cat")
    video = factories.published(str(user.pk), title="Rex catches a frisbee", pets=[rex.id])

    response = patch(signed_in, video.id, {"title": "Mimi naps", "description": "All day long.", "pets": [mimi.id]})

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["description"]) == ("Mimi naps", "All day long.")
    assert body["pets"] == [{"id": mimi.id, "name": "Mimi", "species": "cat"}]
    assert [item.id for item in search.search(query="naps", limit=5).items] == [video.id]
    assert search.search(query="frisbee", limit=5).items == []
    assert [item.title for item in pets.species_page(species="cat", limit=5).items] == ["Mimi naps"]
    assert pets.pet_page(pet_id=rex.id, limit=5)[1].items == []
    assert pets.get_pet(pet_id=rex.id).videos == frozenset()
    assert pets.get_pet(pet_id=mimi.id).videos == {video.id}
    assert [item.title for item in services.feed_page().items] == ["Mimi naps"]
    assert "Mimi naps" in signed_in.get(f"/v/{video.id}/").content.decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"title": ""}, "title"), ({"title": "x" * 101}, "title"), ({"description": "x" * 5001}, "description"),
     ({"visibility": "friends"}, "visibility"), ({"pets": "Rex"}, "pets"), ({"pets": [1, 2]}, "pets"),
     ({"pets": ["AAAAAAAAAAA"]}, "pets"), ({"pets": [f"AAAAAAAAAA{n}" for n in range(6)]}, "pets"),
     ({"poster": 9}, "poster"), ({"poster": "first"}, "poster"), ({"title": {"a": 1}}, "title")],
)
def test_edits_are_checked_like_uploads_400_json(aws, signed_in, user, body, field):
    video = factories.published(str(user.pk))

    response = patch(signed_in, video.id, body)

    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == {field}
    assert services.visible_video(video_id=video.id, user_id=None).title == video.title


def test_only_the_owner_edits(aws, client, user, other):
    video = factories.published(str(user.pk))
    client.force_login(other)

    assert patch(client, video.id, {"title": "hacked"}).status_code == 403
    assert patch(client, "AAAAAAAAAAA", {"title": "x"}).status_code == 404
    assert client.patch(f"/api/videos/{video.id}/", data=b"{", content_type="application/json").status_code == 400
    assert services.visible_video(video_id=video.id, user_id=None).title == video.title


def test_owner_changes_visibility_from_my_videos(aws, signed_in, user):
    video = factories.published(str(user.pk))

    page = signed_in.get("/me/").content.decode()

    assert f'data-visibility="{video.id}"' in page and '<option value="public" selected>' in page
    assert f"/v/{video.id}/?edit=1#edit" in page


def test_relist_videos_gives_videos_published_before_listings_existed_their_entries(aws):
    from datetime import UTC, datetime

    from django.core.management import call_command

    from videos import repository

    now = datetime.now(UTC)
    old = domain.Video(  # as the worker wrote a ready video before: the item alone
        id="oldvideo001", owner_id="7", owner_name="user7", title="Old snowy walk", description="", species="cat",
        status=domain.READY, created_at=now, updated_at=now, published_at=now, poster_key="media/x/poster.jpg",
    )
    repository.save(None, old)
    assert search.search(query="snowy", limit=5).items == []

    call_command("relist_videos")
    call_command("relist_videos")  # idempotent

    assert [video.id for video in search.search(query="snowy", limit=5).items] == [old.id]
    assert [video.id for video in pets.species_page(species="cat", limit=5).items] == [old.id]


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u200d\u2060\ufeff", "\u3164\u3164", "\u202e"])
def test_a_title_of_invisible_characters_only_is_refused_at_upload_and_edit(aws, signed_in, user, title):
    """Outside finding 6.10: a title that shows as nothing."""
    video = factories.published(str(user.pk))
    start = {"title": title, "description": "", "pet": "dog", "filename": "a.mp4", "content_type": "video/mp4",
             "size": 1000}

    started = signed_in.post("/api/videos/", data=start, content_type="application/json")
    edited = patch(signed_in, video.id, {"title": title})

    for answer in (started, edited):
        assert answer.status_code == 400
        assert answer.json()["errors"] == {"title": ["Give your video a title."]}


def test_the_edit_form_says_shared_links_work_an_hour_after_going_private(aws, signed_in, user):
    """Outside finding 6.10: presigned file URLs already handed out live PLAYBACK_EXPIRY_SECONDS."""
    video = factories.published(str(user.pk))

    page = signed_in.get(f"/v/{video.id}/").content.decode()

    assert storage.PLAYBACK_EXPIRY_SECONDS == 60 * 60
    assert "links to its files already shared keep working for up to an hour" in page
    assert 'aria-describedby="visibility-hint"' in page
