"""The Following feed: order, each video once, paging, privacy reflected at once, the famous and
the ordinary paths giving the same feed, and its cost in Queries."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest

from follows import repository, services
from pets import services as pets
from pettube import dynamo
from tests import factories
from tests.aws_calls import counted
from tests.follows.conftest import fan_out, forget_kept
from videos import listings
from videos import services as videos


def feed_ids(user_id: str, **page) -> list[str]:
    return [video.id for video in services.feed_page(user_id=user_id, **page).items]


def follow(follower: str, kind: str, target_id: str, **when):
    return services.follow(kind=kind, target_id=str(target_id), follower=follower, **when)


def test_newest_first_each_once_and_paged(aws, owner, viewer, client):
    me, olga = str(viewer.pk), str(owner.pk)
    mittens = factories.pet(olga, name="Mittens")
    follow(me, "user", olga)
    follow(me, "pet", mittens.id)
    published = [factories.published(olga, title=f"clip {n}", pets=[mittens.id] if n % 2 else []) for n in range(5)]
    factories.published("99", title="someone else's")
    assert fan_out() == 6
    newest_first = [video.id for video in reversed(published)]
    assert feed_ids(me) == newest_first  # a video of Olga starring Mittens is there once

    first = services.feed_page(user_id=me, limit=2)
    second = services.feed_page(user_id=me, limit=2, cursor=first.next_cursor)
    third = services.feed_page(user_id=me, limit=2, cursor=second.next_cursor)
    assert [video.id for page in (first, second, third) for video in page.items] == newest_first
    assert third.next_cursor is None

    client.force_login(viewer)
    api = client.get("/api/videos/?feed=following").json()
    assert [item["id"] for item in api["items"]] == newest_first
    assert client.get("/api/videos/?feed=following&cursor=forged").status_code == 400
    page = client.get("/following/").content.decode()
    assert all(f"/v/{video_id}/" in page for video_id in newest_first)


def test_a_video_leaves_the_feed_at_once(aws, owner, viewer):
    me, olga = str(viewer.pk), str(owner.pk)
    mittens = factories.pet(olga, name="Mittens")
    rex = factories.pet(olga, name="Rex")
    follow(me, "pet", mittens.id)
    follow(me, "pet", rex.id)
    made = {name: factories.published(olga, title=name, pets=[mittens.id]) for name in
            ("private", "unlisted", "hidden", "deleted", "untagged", "pet deleted", "stays")}
    fan_out()
    assert set(feed_ids(me)) == {video.id for video in made.values()}

    for visibility in ("private", "unlisted"):
        videos.edit_video(video_id=made[visibility].id, user_id=olga, visibility=visibility)
    videos.hide_video(video_id=made["hidden"].id)
    videos.delete_video(video_id=made["deleted"].id, user_id=olga)
    videos.edit_video(video_id=made["untagged"].id, user_id=olga, pets=[rex.id])  # still followed via Rex...
    videos.edit_video(video_id=made["untagged"].id, user_id=olga, pets=[])  # ...and then via nothing
    lonely = pets.add_pet(owner_id=olga, owner_name="Olga", name="Lonely", species="cat", breed="", born=None)
    follow(me, "pet", lonely.id)
    videos.edit_video(video_id=made["pet deleted"].id, user_id=olga, pets=[lonely.id])
    fan_out()
    assert made["pet deleted"].id in feed_ids(me)
    videos.edit_video(video_id=made["pet deleted"].id, user_id=olga, pets=[])
    pets.delete_pet(pet_id=lonely.id, user_id=olga)
    assert feed_ids(me) == [made["stays"].id]  # at once: no fan-out ran since

    services.unfollow(kind="pet", target_id=mittens.id, follower=me)
    assert feed_ids(me) == []


def test_a_video_listed_again_by_an_edit_is_fanned_out_again(aws, owner, viewer):
    me, olga = str(viewer.pk), str(owner.pk)
    follow(me, "user", olga)
    video = factories.published(olga, visibility="private")
    assert fan_out() == 0 and feed_ids(me) == []
    videos.edit_video(video_id=video.id, user_id=olga, visibility="public")
    assert fan_out() == 1 and feed_ids(me) == [video.id]


def test_the_famous_and_the_ordinary_paths_give_the_same_feed(aws, owner, viewer, settings):
    settings.PETTUBE_FOLLOW_FAMOUS_AT = 4
    me, olga = str(viewer.pk), str(owner.pk)
    famous, ordinary = factories.pet(olga, name="Famous"), factories.pet(olga, name="Ordinary")
    settled = dynamo.now() - services.FAMOUS_SETTLING - timedelta(seconds=1)
    for follower in (me, "a", "b"):
        follow(follower, "pet", famous.id, now=settled)
        follow(follower, "pet", ordinary.id)
    follow("c", "pet", famous.id, now=settled)
    assert services.account(kind="pet", target_id=famous.id, viewer=None).famous_since == settled
    assert services.account(kind="pet", target_id=ordinary.id, viewer=None).famous_since is None
    clips = [factories.published(olga, title=f"clip {n}", pets=[[famous.id], [ordinary.id], [famous.id, ordinary.id]][n % 3])
             for n in range(6)]
    reached = {video.id: services.fan_out(video_id=video.id) for video in clips}
    for video in clips:
        expected = [] if [tag.id for tag in video.pets] == [famous.id] else ["a", "b", me]
        assert sorted(reached[video.id].followers) == sorted(expected)
    newest_first = [video.id for video in reversed(clips)]
    assert feed_ids(me) == newest_first
    first = services.feed_page(user_id=me, limit=4)
    assert [video.id for video in first.items] + feed_ids(me, cursor=first.next_cursor) == newest_first
    # the same videos through the inbox alone: someone who follows Famous from before it was famous reads it there too
    videos.edit_video(video_id=clips[0].id, user_id=olga, visibility="private")
    assert feed_ids(me) == newest_first[:-1]


def test_an_account_that_becomes_famous_keeps_its_videos_in_every_feed_and_deep_pages_query(
        aws, owner, viewer, settings, monkeypatch):
    settings.PETTUBE_FOLLOW_FAMOUS_AT = 3
    monkeypatch.setattr(repository, "RECENT_SIZE", 2)  # so that the recent videos cover only the newest
    me, olga = str(viewer.pk), str(owner.pk)
    star = factories.pet(olga, name="Star")
    follow(me, "pet", star.id)  # while it is ordinary: its first videos are fanned out to me
    clips = [factories.published(olga, title=f"clip {n}", pets=[star.id]) for n in range(3)]
    assert fan_out() == 3
    settled = dynamo.now() - services.FAMOUS_SETTLING - timedelta(seconds=1)
    follow("a", "pet", star.id, now=settled)
    follow("b", "pet", star.id, now=settled)  # famous: its newest videos are copied to its recent ones
    follow("late", "pet", star.id)  # its follows are not indexed any more: nothing is fanned out to them
    with counted() as calls:
        assert feed_ids("late", limit=1) == [clips[-1].id]
    assert calls.count("dynamodb.Query") == 1  # the (empty) inbox: Star's newest are in its recent videos
    clips += [factories.published(olga, title=f"clip {n}", pets=[star.id]) for n in range(3, 6)]
    reached = [services.fan_out(video_id=video.id) for video in clips[3:]]
    assert [fanned.followers for fanned in reached] == [[], [], []]
    newest_first = [video.id for video in reversed(clips)]
    forget_kept()
    for follower in (me, "late"):
        assert feed_ids(follower) == newest_first
        pages, cursor = [], None
        for _ in range(6):
            with counted() as calls:
                page = services.feed_page(user_id=follower, limit=1, cursor=cursor)
            pages.append((page.items[0].id, calls.count("dynamodb.Query")))
            cursor = page.next_cursor
        assert cursor is None or services.feed_page(user_id=follower, limit=1, cursor=cursor).items == []
        # the inbox; Star's own Query once fewer than a page and one of its recent videos are left
        assert pages == list(zip(newest_first, [1, 2, 2, 2, 2, 2], strict=True))


def test_workers_adding_a_famous_accounts_videos_at_once_lose_none(aws, owner, viewer, settings, monkeypatch):
    settings.PETTUBE_FOLLOW_FAMOUS_AT = 2
    monkeypatch.setattr(repository, "RECENT_SIZE", 5)
    me, olga = str(viewer.pk), str(owner.pk)
    star = factories.pet(olga, name="Star")
    settled = dynamo.now() - services.FAMOUS_SETTLING - timedelta(seconds=1)
    follow(me, "pet", star.id, now=settled)
    follow("a", "pet", star.id, now=settled)
    clips = [factories.published(olga, title=f"clip {n}", pets=[star.id]) for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(fanned is not None for fanned in pool.map(lambda video: services.fan_out(video_id=video.id), clips))
    (recent,) = repository.recent([services.target("pet", star.id)]).values()
    assert recent.covers in recent.entries  # trimmed to RECENT_SIZE at least once
    # every video from the oldest the item covers on is there, whichever worker added it
    listed = sorted(((dynamo.stamp(video.published_at), video.id) for video in clips), reverse=True)
    assert [entry for entry in recent.entries if entry >= recent.covers] == [
        entry for entry in listed if entry >= recent.covers]
    assert len([entry for entry in recent.entries if entry >= recent.covers]) >= 5
    forget_kept()
    assert feed_ids(me) == [video_id for _, video_id in listed]


@pytest.mark.parametrize("famous_accounts", [1, 3])
def test_the_following_page_reads_one_query_whatever_the_famous_accounts_followed(
        aws, owner, viewer, client, aws_calls, settings, famous_accounts):
    settings.PETTUBE_FOLLOW_FAMOUS_AT = 2
    me, olga = str(viewer.pk), str(owner.pk)
    settled = dynamo.now() - services.FAMOUS_SETTLING - timedelta(seconds=1)
    stars = [factories.pet(olga, name=f"Star {n}") for n in range(famous_accounts)]
    plain = factories.pet(olga, name="Plain")
    for star in stars:
        follow(me, "pet", star.id, now=settled)
        follow("someone", "pet", star.id, now=settled)
    follow(me, "pet", plain.id)
    for pet in [*stars, plain]:
        factories.published(olga, pets=[pet.id])
    fan_out()
    assert feed_ids("someone") and services.feed_page(user_id=me).items  # the stars' videos: not in my inbox
    assert len(repository.inbox(me, before=services.FIRST_PAGE, limit=10)) == 1
    client.force_login(viewer)
    forget_kept()
    aws_calls.clear()
    page = client.get("/following/")
    assert page.status_code == 200 and page.content.decode().count('class="card"') == famous_accounts + 1
    assert aws_calls.count("dynamodb.Query") == 1
    # what I follow; the famous accounts' recent videos, all in one; the videos as they are now; the header's
    # unseen count (my inbox and what I follow, then the famous videos new to me as they are); the famous
    # set, read once per process and minute, may have been read already
    others = sorted(call for call in aws_calls if call != "dynamodb.Query")
    assert others in (["dynamodb.BatchGetItem"] * 4 + ["dynamodb.GetItem"] * count for count in (1, 2))
    aws_calls.clear()
    assert client.get("/following/").content.decode().count('class="card"') == famous_accounts + 1
    # the famous accounts' recent videos and their state are kept a few seconds
    assert sorted(aws_calls) == ["dynamodb.BatchGetItem", "dynamodb.BatchGetItem", "dynamodb.GetItem",
                                 "dynamodb.Query"]


def test_the_feed_api_is_for_people_signed_in(aws, client):
    answer = client.get("/api/videos/?feed=following")
    assert answer.status_code == 401 and answer.json()["error"]
    assert client.get("/following/").status_code == 302
