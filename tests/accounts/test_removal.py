"""Deleting an account (`manage.py delete_account`, or any deletion of the row, as Django's admin
does) removes everything PetTube keeps of the person: videos with their objects and whatever
others left on them, pets, comments and likes on other people's videos (their counts drop), the
unseen count, and no email goes to them any more. Counted in the table and the bucket."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from notifications import services as notifications
from pettube import dynamo
from tests import emails, factories, leftovers
from tests.community.test_views import played_ticket
from videos import repository, services, storage

pytestmark = pytest.mark.django_db


def person(username: str):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.com")
    client = Client()
    client.force_login(user)
    return user, client


def post(client, path: str, body: dict | None = None):
    return client.post(path, body or {}, content_type="application/json")


def test_deleting_an_account_leaves_nothing_of_theirs(aws, moto_endpoint, settings, make_clip):
    ana, as_ana = person("ana")
    bob, as_bob = person("bob")
    ana_id = str(ana.pk)
    rex = factories.pet(ana_id, name="Rex")
    factories.pet(ana_id, name="Untagged")
    hers = factories.published(ana_id, title="Rex digs", pets=[rex.id])
    storage.put_text(storage.media_key(hers.id, "video.mp4"), "bytes", content_type="video/mp4")
    uploading, key = factories.uploaded(make_clip("small"), owner_id=ana_id)  # not processed yet
    large = services.start_upload(owner_id=ana_id, owner_name="ana", title="Long", description="", species="dog",
                                  filename="long.mp4", content_type="video/mp4", size=40 * 1024**2).video
    his = factories.published(str(bob.pk), title="Bob's cat")
    post(as_ana, f"/api/videos/{his.id}/like/")
    post(as_ana, f"/api/videos/{his.id}/comments/", {"text": "Lovely cat"})
    post(as_ana, f"/api/videos/{his.id}/views/", {"ticket": played_ticket(his, as_ana)})
    post(as_bob, f"/api/videos/{hers.id}/like/")
    post(as_bob, f"/api/videos/{hers.id}/comments/", {"text": "Good dog"})
    settings.PETTUBE_SITE_URL = ""
    notifications.video_ready(video=hers)  # no PETTUBE_SITE_URL: the email waits in the outbox
    assert repository.get(his.id).likes == 1
    assert len(leftovers.items_mentioning(ana_id)) >= 8

    call_command("delete_account", "ana")

    assert not get_user_model().objects.filter(pk=ana.pk).exists()
    assert leftovers.items_mentioning(ana_id, lasting_only=True) == []  # only TTL'd items (her views) remain
    for video in (hers, uploading, large):
        assert leftovers.items_mentioning(video.id, lasting_only=True) == []
    assert [key for key in leftovers.bucket_keys() if ana_id in key.split("/") or hers.id in key] == []
    assert leftovers.open_multipart_uploads() == []
    assert repository.get(his.id).likes == 0
    assert as_bob.get(f"/api/videos/{his.id}/comments/").json()["items"] == []
    settings.PETTUBE_SITE_URL = "https://pettube.example.com"
    notifications.deliver_due(now=dynamo.now() + timedelta(hours=1))
    assert notifications.send_digests(day=f"{dynamo.now():%Y-%m-%d}") == 1  # Bob's: Ana liked his video
    assert emails.to(emails.sent(moto_endpoint), "ana@example.com") == []
    assert len(emails.to(emails.sent(moto_endpoint), "bob@example.com")) == 1
    assert bob.pk and get_user_model().objects.filter(pk=bob.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_any_deletion_of_the_row_removes_the_data_and_a_failure_keeps_the_account(aws, monkeypatch):
    ana, _ = person("ana")
    video = factories.published(str(ana.pk))

    def broken(*_, **__):
        raise RuntimeError("S3 is down")

    monkeypatch.setattr(storage, "delete_uploads_of", broken)
    with pytest.raises(RuntimeError):
        get_user_model().objects.filter(pk=ana.pk).delete()  # what Django's admin does
    assert get_user_model().objects.filter(pk=ana.pk).exists()  # nothing half done is lost: try again

    monkeypatch.undo()
    get_user_model().objects.filter(pk=ana.pk).delete()

    assert repository.get(video.id) is None
    assert leftovers.items_mentioning(str(ana.pk), lasting_only=True) == []


def test_the_command_names_who_it_could_not_find(db):
    with pytest.raises(CommandError, match="No account 'nobody'"):
        call_command("delete_account", "nobody")
