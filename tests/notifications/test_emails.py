"""Emails through the embedded SES: ready and failed from the real pipeline, the daily digest,
one-click unsubscribe honoured, retries, and never twice for one event."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from notifications import events, repository, services
from pettube import dynamo
from tests import emails, factories
from videos import events as video_events
from videos import processing


@pytest.fixture
def uploader(db):
    return get_user_model().objects.create_user(username="ana", first_name="Ana", email="ana@example.com")


def ready_emails(endpoint):
    return [message for message in emails.sent(endpoint) if "is ready" in message["Subject"]]


def test_the_uploader_gets_one_ready_email_even_when_the_event_comes_twice(
    aws, moto_endpoint, uploader, make_clip, settings
):
    settings.PETTUBE_SITE_URL = "https://pettube.example.com"
    video, key = factories.uploaded(make_clip("small"), owner_id=str(uploader.pk), title="Rex & the ball")
    event = factories.s3_event(key)

    video_events.on_upload(event)
    video_events.on_upload(event)

    (message,) = emails.to(emails.sent(moto_endpoint), "ana@example.com")
    assert message["Subject"] == "Your video “Rex & the ball” is ready"
    assert message["From"] == settings.PETTUBE_EMAIL_FROM
    text = emails.text_of(message)
    assert f"https://pettube.example.com/v/{video.id}/" in text and "Hello Ana" in text
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://pettube.example.com/unsubscribe/") and unsubscribe in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_failed_video_is_emailed_with_its_reason(aws, moto_endpoint, uploader, tmp_path):
    not_a_video = tmp_path / "page.html"
    not_a_video.write_text("<html>not a video</html>")
    video, key = factories.uploaded(not_a_video, owner_id=str(uploader.pk))

    failed = processing.ingest_upload(key=key)

    (message,) = emails.sent(moto_endpoint)
    assert message["Subject"] == f"Your video “{video.title}” could not be processed"
    assert failed.error and failed.error in emails.text_of(message)


def test_one_click_unsubscribe_is_honoured(aws, moto_endpoint, uploader):
    first = factories.ready(str(uploader.pk), title="first")
    services.video_ready(video=first)
    (message,) = emails.sent(moto_endpoint)
    path = urlsplit(message["List-Unsubscribe"].strip("<>")).path

    # What a mail provider sends for RFC 8058's one-click: a POST without cookies or CSRF token.
    answer = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    assert answer.status_code == 200 and "is off" in answer.content.decode()
    services.video_ready(video=factories.ready(str(uploader.pk), title="second"))
    services.video_failed(video=factories.ready(str(uploader.pk), title="third"))  # another kind still goes
    assert [m["Subject"] for m in emails.sent(moto_endpoint)] == [
        "Your video “first” is ready", "Your video “third” could not be processed",
    ]


def test_an_unsubscribe_link_only_asks_on_get_and_a_forged_one_is_refused(aws, uploader):
    token = services.unsubscribe_token(user_id=str(uploader.pk), kind="digest")

    asked = Client().get(f"/unsubscribe/{token}/")

    assert asked.status_code == 200 and "Turn off" in asked.content.decode()
    assert services.wants(uploader, "digest")
    assert Client().post(f"/unsubscribe/{token}x/").status_code == 400
    assert Client().get("/unsubscribe/nonsense/").status_code == 400
    assert services.wants(uploader, "digest")


def test_the_settings_page_turns_each_kind_off(aws, client, uploader):
    client.force_login(uploader)

    page = client.post("/settings/notifications/", {"ready": "on", "failed": "on"})

    assert page.status_code == 200 and "Saved." in page.content.decode()
    assert [services.wants(uploader, kind) for kind in ("ready", "failed", "digest")] == [True, True, False]
    assert Client().get("/settings/notifications/").status_code == 302


def test_the_daily_digest_sums_up_likes_and_comments_once(aws, moto_endpoint, uploader, settings):
    from community import comments
    from community import services as community

    other = get_user_model().objects.create_user(username="bo", first_name="Bo", email="bo@example.com")
    video = factories.ready(str(uploader.pk), title="Naptime")
    community.like(video_id=video.id, user_id=str(other.pk), user_name="Bo")
    comments.post_comment(video_id=video.id, author_id=str(other.pk), author_name="Bo", text="<3 so sleepy")
    community.like(video_id=video.id, user_id=str(uploader.pk), user_name="Ana")  # one's own like is not news
    today = f"{dynamo.now():%Y-%m-%d}"

    assert services.send_digests(day=today) == 1
    assert services.send_digests(day=today) == 0  # the schedule ran twice: nothing sent twice

    (digest,) = emails.sent(moto_endpoint)
    assert digest["To"] == "ana@example.com" and today in digest["Subject"]
    text = emails.text_of(digest)
    assert "Bo liked “Naptime”" in text and "Bo commented on “Naptime”: <3 so sleepy" in text
    assert "Ana liked" not in text


def test_the_scheduled_digest_covers_yesterday(aws, db):  # the digest walks the people (Postgres)
    report = events.digest({"source": "aws.events"}, None)

    assert report == {"day": f"{dynamo.now() - timedelta(days=1):%Y-%m-%d}", "queued": 0}


def test_a_failed_send_is_retried_later_and_sent_once(aws, moto_endpoint, uploader, settings):
    video = factories.ready(str(uploader.pk), title="Whiskers")
    settings.PETTUBE_EMAIL_FROM = "PetTube <unverified@elsewhere.example>"  # SES refuses this sender

    services.video_ready(video=video)
    assert emails.sent(moto_endpoint) == []
    assert events.deliver_due({}, None) == {"sent": 0}  # not due yet: it waits before trying again

    settings.PETTUBE_EMAIL_FROM = "PetTube <notifications@pettube.example.com>"
    later = dynamo.now() + timedelta(minutes=3)
    assert services.deliver_due(now=later) == 1
    assert services.deliver_due(now=later + timedelta(hours=1)) == 0
    services.video_ready(video=video)  # a duplicate event
    assert [m["Subject"] for m in emails.sent(moto_endpoint)] == ["Your video “Whiskers” is ready"]


def test_a_send_cut_short_is_picked_up_after_its_lease(aws, moto_endpoint, uploader, monkeypatch):
    from notifications import mailer

    video = factories.ready(str(uploader.pk), title="Paws")
    def killed(*message):
        raise SystemExit("the worker was stopped mid-send")

    monkeypatch.setattr(mailer, "send", killed)
    with pytest.raises(SystemExit):
        services.video_ready(video=video)
    monkeypatch.undo()
    assert services.deliver_due() == 0  # claimed a moment ago: another sender may still be at it

    assert services.deliver_due(now=dynamo.now() + services.SEND_LEASE + timedelta(seconds=1)) == 1
    assert len(emails.sent(moto_endpoint)) == 1


def test_no_email_without_an_address_or_a_person(aws, moto_endpoint, db):
    nobody = get_user_model().objects.create_user(username="noaddress")
    services.video_ready(video=factories.ready(str(nobody.pk)))
    services.video_ready(video=factories.ready("424242"))

    assert emails.sent(moto_endpoint) == []


def test_without_a_site_address_an_email_waits_instead_of_linking_elsewhere(aws, moto_endpoint, uploader, settings):
    settings.PETTUBE_SITE_URL = ""  # production whose ALLOWED_HOSTS names no host, and no PETTUBE_SITE_URL
    services.video_ready(video=factories.ready(str(uploader.pk), title="Rex"))
    assert emails.sent(moto_endpoint) == []

    settings.PETTUBE_SITE_URL = "https://pettube.example.com"
    assert services.deliver_due(now=dynamo.now() + services.SEND_LEASE + timedelta(seconds=1)) == 1

    (message,) = emails.sent(moto_endpoint)
    assert "https://pettube.example.com/v/" in emails.text_of(message)


def test_an_email_that_cannot_be_written_does_not_hold_up_the_others(aws, moto_endpoint, uploader, settings):
    settings.PETTUBE_SITE_URL = "https://pettube.example.com"
    now = dynamo.now()
    broken = repository.Mail(key="ready#broken", kind="ready", user_id=str(uploader.pk), data={}, attempts=0)
    fine = repository.Mail(key="ready#fine", kind="ready", user_id=str(uploader.pk),
                           data={"title": "Biscuit", "video_id": "fineVideo01"}, attempts=0)
    assert repository.enqueue(broken, now=now - timedelta(seconds=1))  # first in the queue
    assert repository.enqueue(fine, now=now)

    assert services.deliver_due(now=now) == 1
    assert [m["Subject"] for m in emails.sent(moto_endpoint)] == ["Your video “Biscuit” is ready"]
    assert repository.due_mail(now=now + timedelta(minutes=3)) == ["ready#broken"]  # tried again later

    for attempt in range(services.MAX_SEND_ATTEMPTS):
        services.deliver_due(now=now + timedelta(days=attempt + 1))
    assert repository.due_mail(now=now + timedelta(days=30)) == []  # given up, not tried forever
    assert len(emails.sent(moto_endpoint)) == 1


def test_a_title_with_a_line_break_stays_in_its_subject_and_holds_up_no_one(aws, moto_endpoint, uploader, settings):
    settings.PETTUBE_SITE_URL = "https://pettube.example.com"
    other = get_user_model().objects.create_user(username="bo", email="bo@example.com")
    settings.PETTUBE_EMAIL_FROM = "PetTube <unverified@elsewhere.example>"  # SES refuses: Bo's email waits
    services.video_ready(video=factories.ready(str(other.pk), title="Biscuit"))
    settings.PETTUBE_EMAIL_FROM = "PetTube <notifications@pettube.example.com>"

    services.video_ready(video=factories.ready(str(uploader.pk), title="line one\nBcc: x@example.com"))
    assert services.deliver_due(now=dynamo.now() + timedelta(minutes=3)) >= 1

    messages = emails.sent(moto_endpoint)
    assert sorted(m["Subject"] for m in messages) == [
        "Your video “Biscuit” is ready", "Your video “line one Bcc: x@example.com” is ready",
    ]
    assert all(m["Bcc"] is None for m in messages)
    assert repository.due_mail(now=dynamo.now() + timedelta(days=30)) == []


def test_an_email_that_fails_in_an_unforeseen_way_fails_alone(aws, moto_endpoint, uploader, settings, monkeypatch):
    from notifications import mailer

    settings.PETTUBE_SITE_URL = "https://pettube.example.com"
    real_send = mailer.send

    def send(message, raw):
        if "Cursed" in message.subject:
            raise RuntimeError("a bug met on one email only")
        return real_send(message, raw)

    monkeypatch.setattr(mailer, "send", send)
    now = dynamo.now()
    cursed = repository.Mail(key="ready#cursed", kind="ready", user_id=str(uploader.pk),
                             data={"title": "Cursed", "video_id": "cursedVideo1"})
    fine = repository.Mail(key="ready#fine", kind="ready", user_id=str(uploader.pk),
                           data={"title": "Biscuit", "video_id": "fineVideo01"})
    assert repository.enqueue(cursed, now=now - timedelta(seconds=1))  # first in the queue
    assert repository.enqueue(fine, now=now)

    assert services.deliver_due(now=now) == 1
    for run in range(1, 10):
        services.deliver_due(now=now + run * (services.SEND_LEASE + timedelta(seconds=1)))

    assert [m["Subject"] for m in emails.sent(moto_endpoint)] == ["Your video “Biscuit” is ready"]
    assert repository.due_mail(now=now + timedelta(days=30)) == []  # given up, not tried forever
