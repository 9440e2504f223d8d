"""Popular this week: a fixed set of activity ranks as the formula says, the job reads the week
with a Query (never a Scan), and the Popular tab is one read."""

from datetime import timedelta

import pytest

from community import events, ranking, services
from pettube import dynamo
from tests import factories
from tests.waiting import eventually
from videos import repository as videos
from videos import services as video_services


def like_by(video_id: str, people: int, *, prefix: str) -> None:
    for n in range(people):
        services.like(video_id=video_id, user_id=f"{prefix}{n}", user_name=f"{prefix}{n}")


def view_by(video, viewers: int) -> None:
    for n in range(viewers):
        viewer = f"b{video.id}{n}"
        ticket = services.view_ticket(video=video, viewer=viewer, now=dynamo.now() - timedelta(minutes=1))
        assert services.count_view(video_id=video.id, viewers=(viewer,), user_id=None, address=viewer, ticket=ticket)


def test_the_week_ranks_by_likes_and_views_with_a_time_decay(aws, aws_calls):
    now = dynamo.now()
    fresh_hit = factories.ready("1", title="fresh hit", published_at=now - timedelta(hours=2))
    old_hit = factories.ready("2", title="old hit", published_at=now - timedelta(days=5))
    factories.ready("3", title="quiet", published_at=now - timedelta(hours=1))
    too_old = factories.ready("4", title="last month", published_at=now - timedelta(days=8))
    like_by(fresh_hit.id, 3, prefix="a")  # score (3*3 + 2) / 4^1.5 ≈ 1.4
    view_by(fresh_hit, 2)
    like_by(old_hit.id, 10, prefix="b")  # (3*10 + 5) / 122^1.5 ≈ 0.026
    view_by(old_hit, 5)
    like_by(too_old.id, 10, prefix="c")
    aws_calls.clear()

    report = events.rank({"source": "aws.events"}, None)

    assert report == {"ranked": 3}
    assert aws_calls == ["dynamodb.GetItem", "dynamodb.Query", "dynamodb.PutItem"]
    page = ranking.popular_page()
    assert [video.title for video in page.items] == ["fresh hit", "old hit", "quiet"]
    assert [video.likes for video in page.items] == [3, 10, 0]
    assert page.items[0].views == 2 and page.items[0].description == ""
    assert ranking.score(videos.get(fresh_hit.id), now=now) > ranking.score(videos.get(old_hit.id), now=now)


def test_the_popular_tab_is_one_read_and_pages_through_the_ranking(aws, client, aws_calls, settings):
    now = dynamo.now()
    made = [factories.ready("5", title=f"video {n}", published_at=now - timedelta(hours=n + 1)) for n in range(30)]
    ranking.rank()
    aws_calls.clear()

    first = client.get("/api/videos/", {"sort": "popular"}).json()

    assert [call for call in aws_calls if call.startswith("dynamodb")] == ["dynamodb.GetItem"]
    second = client.get("/api/videos/", {"sort": "popular", "cursor": first["next_cursor"]}).json()
    titles = [item["title"] for item in first["items"] + second["items"]]
    assert titles == [video.title for video in made]  # no likes or views: the newest first
    assert second["next_cursor"] is None
    assert client.get("/api/videos/", {"sort": "popular", "cursor": "nope"}).status_code == 400
    page = client.get("/?sort=popular").content.decode()
    assert "Popular this week" in page and "video 0" in page and 'aria-current="page">Popular' in page


@pytest.mark.parametrize(
    "unlist",
    [
        lambda video: video_services.edit_video(video_id=video.id, user_id=video.owner_id, visibility="private"),
        lambda video: video_services.edit_video(video_id=video.id, user_id=video.owner_id, visibility="unlisted"),
        lambda video: video_services.hide_video(video_id=video.id),
        lambda video: video_services.delete_video(video_id=video.id, user_id=video.owner_id),
    ],
    ids=["made private", "made unlisted", "hidden by reports", "deleted"],
)
def test_a_video_unlisted_leaves_the_popular_tab_at_once(aws, client, unlist):
    now = dynamo.now()
    made = [factories.ready("8", title=f"video {n}", published_at=now - timedelta(hours=n + 1)) for n in range(3)]
    ranking.rank()

    unlist(made[1])

    assert [video.title for video in ranking.popular_page().items] == ["video 0", "video 2"]
    assert [item["title"] for item in client.get("/api/videos/", {"sort": "popular"}).json()["items"]] == [
        "video 0", "video 2"
    ]
    assert "video 1" not in client.get("/?sort=popular").content.decode()
    ranking.rank()
    assert [video.title for video in ranking.popular_page().items] == ["video 0", "video 2"]


def test_a_video_unlisted_while_the_ranking_is_made_is_not_stored_in_it(aws, monkeypatch):
    now = dynamo.now()
    kept = factories.ready("9", title="kept", published_at=now - timedelta(hours=1))
    withdrawn = factories.ready("9", title="made private meanwhile", published_at=now - timedelta(hours=2))
    query = video_services.published_since
    queries = []

    def query_then_unlist(*, since):
        found = query(since=since)
        if not queries:  # the first query still lists the video; then its owner makes it private
            video_services.edit_video(video_id=withdrawn.id, user_id=withdrawn.owner_id, visibility="private")
        queries.append([video.title for video in found])
        return found

    monkeypatch.setattr(video_services, "published_since", query_then_unlist)

    stored = ranking.rank()

    assert queries == [["kept", "made private meanwhile"], ["kept"]]  # made again after the withdrawal
    assert [video.title for video, _ in stored.entries] == ["kept"]
    assert [video.id for video in ranking.popular_page().items] == [kept.id]


def test_before_the_first_ranking_the_popular_tab_is_empty(aws, client):
    assert client.get("/api/videos/", {"sort": "popular"}).json() == {"items": [], "next_cursor": None}


def test_the_local_event_pump_runs_the_ranking_like_the_schedule(aws):
    from pettube import local_aws

    video = factories.ready("6", title="ranked by the pump")
    pump = local_aws.EventPump(aws)
    pump.start()
    try:
        eventually(lambda: ranking.popular_page().items, timeout=30)
    finally:
        pump.stop()

    assert [item.id for item in ranking.popular_page().items] == [video.id]
