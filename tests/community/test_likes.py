"""Likes: one per person per video, the count always equal to the likes, however the requests
are repeated or raced."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from community import services
from community.repositories import likes
from pettube import dynamo
from tests.community.conftest import person
from videos import repository as videos


def like_ids_present(video_id: str, user_ids: list[str]) -> int:
    return len(dynamo.get_many([likes.like_id(video_id, user_id) for user_id in user_ids]))


def test_like_and_unlike_through_the_api_are_idempotent(as_viewer, video):
    url = f"/api/videos/{video.id}/like/"

    assert as_viewer.post(url).json() == {"liked": True, "likes": 1}
    assert as_viewer.post(url).json() == {"liked": True, "likes": 1}
    assert as_viewer.get(f"/api/videos/{video.id}/").json()["liked"] is True
    assert as_viewer.delete(url).json() == {"liked": False, "likes": 0}
    assert as_viewer.delete(url).json() == {"liked": False, "likes": 0}
    assert videos.get(video.id).likes == 0


def test_liking_needs_a_signed_in_person_a_csrf_token_and_a_ready_video(aws, client, viewer, video):
    assert client.post(f"/api/videos/{video.id}/like/").status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(viewer)
    refused = strict.post(f"/api/videos/{video.id}/like/")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    client.force_login(viewer)
    missing = client.post("/api/videos/AAAAAAAAAAA/like/")
    assert missing.status_code == 404 and missing.json()["error"] == "No such video."
    assert client.get(f"/api/videos/{video.id}/like/").status_code == 405
    assert videos.get(video.id).likes == 0


def test_twenty_concurrent_toggles_by_one_person_leave_the_count_equal_to_the_likes(aws, viewer, video):
    user_id = str(viewer.pk)

    def toggle(turn: int):
        if turn % 2:
            return services.unlike(video_id=video.id, user_id=user_id)
        return services.like(video_id=video.id, user_id=user_id, user_name="Vic")

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(toggle, range(20)))

    likes = videos.get(video.id).likes
    assert likes in (0, 1)
    assert likes == like_ids_present(video.id, [user_id])


def test_twenty_people_liking_at_once_make_twenty_likes(aws, video):
    people = [str(person(f"fan{n}").pk) for n in range(20)]

    def like_twice(user_id: str):
        services.like(video_id=video.id, user_id=user_id, user_name="fan")
        return services.like(video_id=video.id, user_id=user_id, user_name="fan")

    with ThreadPoolExecutor(20) as pool:
        states = list(pool.map(like_twice, people))

    assert all(state.liked for state in states)
    assert videos.get(video.id).likes == 20 == like_ids_present(video.id, people)


@pytest.mark.parametrize("status", ["uploading", "failed"])
def test_a_video_that_is_not_ready_cannot_be_liked_even_by_its_owner(aws, client, owner, status):
    from tests import factories

    video = factories.start_upload(str(owner.pk)).video
    if status == "failed":
        videos.mark_failed(video.id, reason="The file is empty.")
    client.force_login(owner)

    assert client.post(f"/api/videos/{video.id}/like/").status_code == 404


def test_likes_and_views_survive_an_edit_through_the_listings(aws, as_viewer, owner, video):
    from videos import services as video_services

    assert as_viewer.post(f"/api/videos/{video.id}/like/").json() == {"liked": True, "likes": 1}

    video_services.edit_video(video_id=video.id, user_id=str(owner.pk), title="Renamed", visibility="unlisted")
    video_services.edit_video(video_id=video.id, user_id=str(owner.pk), visibility="public")

    assert (videos.get(video.id).title, videos.get(video.id).likes) == ("Renamed", 1)
    assert as_viewer.get(f"/api/videos/{video.id}/").json()["likes"] == 1


def test_liking_and_unliking_twenty_times_tells_the_owner_once(aws, owner, as_viewer, video):
    """Outside finding 6.6: each like after an unlike raised the owner's unseen count and wrote
    a digest line again: 20 of each for one person's one like."""
    from notifications import repository as inbox
    from notifications import services as notifications

    url = f"/api/videos/{video.id}/like/"
    for _ in range(20):
        assert as_viewer.post(url).json()["liked"] is True
        assert as_viewer.delete(url).json()["liked"] is False
    assert as_viewer.post(url).json() == {"liked": True, "likes": 1}

    assert notifications.unseen_count(user_id=str(owner.pk)) == 1
    lines = [line for line in inbox.activity_of_day(f"{dynamo.now():%Y-%m-%d}") if line.video_id == video.id]
    assert [(line.kind, line.actor_name) for line in lines] == [("like", "Vic")]
    assert videos.get(video.id).likes == 1 == like_ids_present(video.id, [as_viewer.session["_auth_user_id"]])
