"""New videos from those I follow raise my unseen count and go into a daily digest of their own,
which the notification settings turn off: fanned out from ordinary accounts, read from famous
ones' recent videos, each video once."""

from datetime import timedelta

from follows import repository, services
from notifications import services as notifications
from notifications.models import Preferences
from pettube import dynamo
from tests import emails, factories
from tests.follows.conftest import fan_out, forget_kept, person
from videos import services as videos


def test_a_new_video_raises_the_unseen_count_and_is_in_the_digest(aws, moto_endpoint, owner, viewer, client):
    quiet = person("quinn")
    Preferences.objects.create(user=quiet, following=False)
    for follower in (viewer, quiet):
        services.follow(kind="user", target_id=str(owner.pk), follower=str(follower.pk))
    factories.published(str(owner.pk), title="Zoomies")
    factories.published(str(owner.pk), title="Nap")
    assert notifications.unseen_count(user_id=str(viewer.pk)) == 0
    fan_out()
    assert notifications.unseen_count(user_id=str(viewer.pk)) == 2
    client.force_login(viewer)
    assert 'data-testid="unseen" aria-label="2 new">2<' in client.get("/").content.decode()
    assert notifications.unseen_count(user_id=str(owner.pk)) == 0  # one's own videos are not news

    today = f"{dynamo.now():%Y-%m-%d}"
    assert notifications.send_digests(day=today) == 2  # queued for both; Quinn's is skipped by their setting
    assert notifications.send_digests(day=today) == 0
    (digest,) = emails.sent(moto_endpoint)
    assert digest["To"] == "vic@example.com" and "New videos from those you follow" in digest["Subject"]
    text = emails.text_of(digest)
    assert f"user{owner.pk} posted “Zoomies”" in text and f"user{owner.pk} posted “Nap”" in text
    assert "/following/" in text


def test_the_settings_page_has_the_following_switch(aws, client, viewer):
    client.force_login(viewer)
    page = client.get("/settings/notifications/").content.decode()
    assert "new videos from the pets and people I follow" in page
    client.post("/settings/notifications/", {"ready": "on", "failed": "on", "digest": "on"})
    assert not notifications.wants(viewer, "following") and notifications.wants(viewer, "digest")


def unseen(user) -> int:
    return notifications.unseen_count(user_id=str(user.pk))


def settled_famous(pet_id: str, *followers: str) -> None:
    """`followers` follow the pet, which becomes famous with the last of them, long enough ago that
    the worker fans out nothing of it any more (settings.PETTUBE_FOLLOW_FAMOUS_AT = len(followers))."""
    settled = dynamo.now() - services.FAMOUS_SETTLING - timedelta(seconds=1)
    for follower in followers:
        services.follow(kind="pet", target_id=pet_id, follower=follower, now=settled)
    assert services.account(kind="pet", target_id=pet_id, viewer=None).famous_since == settled


def test_new_videos_of_a_famous_pet_are_counted_and_in_the_digest_once(aws, moto_endpoint, owner, viewer, client,
                                                                        settings):
    settings.PETTUBE_FOLLOW_FAMOUS_AT = 2
    olga, vic = str(owner.pk), str(viewer.pk)
    star, plain = factories.pet(olga, name="Star"), factories.pet(olga, name="Plain")
    settled_famous(star.id, vic, "someone")
    services.follow(kind="pet", target_id=plain.id, follower=vic)  # ordinary: its videos are fanned out to Vic
    made = {title: factories.published(olga, title=title, pets=pets) for title, pets in
            [("Zoomies", [star.id, plain.id]), ("Solo", [star.id]), ("Nap", [star.id]), ("Gone", [star.id])]}
    assert unseen(viewer) == 0
    assert fan_out() == 4
    forget_kept()  # FAMOUS_PAGE_SECONDS later: each process keeps Star's recent videos that long
    assert notifications.unseen_count(user_id=olga) == 0  # one's own videos are not news
    assert unseen(viewer) == 4  # Zoomies through Plain's fan-out, the others through Star's recent videos: once each

    videos.edit_video(video_id=made["Nap"].id, user_id=olga, visibility="private")
    videos.delete_video(video_id=made["Gone"].id, user_id=olga)
    forget_kept()  # and the state of its videos
    assert unseen(viewer) == 2
    client.force_login(viewer)
    assert 'data-testid="unseen" aria-label="2 new">2<' in client.get("/").content.decode()
    client.get("/me/")
    assert unseen(viewer) == 0 and 'data-testid="unseen"' not in client.get("/").content.decode()

    later = person("wes")  # follows Star now that it is famous: only what comes after is new to them
    services.follow(kind="pet", target_id=star.id, follower=str(later.pk))
    made["After"] = factories.published(olga, title="After", pets=[star.id])
    assert fan_out() == 1 and services.fan_out(video_id=made["After"].id) is None
    forget_kept()
    assert unseen(viewer) == 1 and unseen(later) == 1
    assert 'data-testid="unseen" aria-label="1 new">1<' in client.get(f"/v/{made['After'].id}/").content.decode()

    assert notifications.send_digests(day=f"{dynamo.now():%Y-%m-%d}") == 2
    digests = {message["To"]: emails.text_of(message) for message in emails.sent(moto_endpoint)}
    assert set(digests) == {"vic@example.com", "wes@example.com"}
    for title in ("Zoomies", "Solo", "After"):
        assert digests["vic@example.com"].count(f"user{olga} posted “{title}”") == 1
    assert "Nap" not in digests["vic@example.com"] and "Gone" not in digests["vic@example.com"]
    assert f"user{olga} posted “After”" in digests["wes@example.com"] and "Solo" not in digests["wes@example.com"]


def test_a_video_of_an_account_that_became_famous_since_is_counted_once(aws, owner, viewer, settings):
    settings.PETTUBE_FOLLOW_FAMOUS_AT = 2
    olga = str(owner.pk)
    star = factories.pet(olga, name="Star")
    services.follow(kind="pet", target_id=star.id, follower=str(viewer.pk))
    before = factories.published(olga, title="Before", pets=[star.id])
    assert fan_out() == 1 and unseen(viewer) == 1  # fanned out: Star was not famous yet

    services.follow(kind="pet", target_id=star.id, follower="someone")  # famous now; its recent videos seeded
    assert [video.id for video in services.feed_page(user_id="someone").items] == [before.id]
    assert unseen(viewer) == 1


def test_one_person_whose_news_cannot_be_read_is_left_for_another_run(aws, moto_endpoint, owner, viewer, settings,
                                                                     monkeypatch):
    settings.PETTUBE_FOLLOW_FAMOUS_AT = 2
    olga, broken = str(owner.pk), person("bree")
    star = factories.pet(olga, name="Star")
    settled_famous(star.id, str(viewer.pk), str(broken.pk))
    factories.published(olga, title="Zoomies", pets=[star.id])
    fan_out()
    real = repository.followings
    monkeypatch.setattr(repository, "followings",
                        lambda people: real(people) if str(broken.pk) not in people else 1 / 0)
    today = f"{dynamo.now():%Y-%m-%d}"

    assert notifications.send_digests(day=today) == 1
    assert [message["To"] for message in emails.sent(moto_endpoint)] == ["vic@example.com"]
    monkeypatch.setattr(repository, "followings", real)
    assert notifications.send_digests(day=today) == 1
    assert [message["To"] for message in emails.sent(moto_endpoint)] == ["vic@example.com", "bree@example.com"]
