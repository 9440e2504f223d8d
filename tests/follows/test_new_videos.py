"""New videos from those I follow raise my unseen count and go into a daily digest of their own,
which the notification settings turn off."""

from follows import services
from notifications import services as notifications
from notifications.models import Preferences
from pettube import dynamo
from tests import emails, factories
from tests.follows.conftest import fan_out, person


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
