"""Notifications: what happened on a person's videos (the in-app unseen count, the daily
digest) and the emails PetTube sends (video ready, video failed, digest).

Every email is first written to the outbox, once per event (`mail#<kind>#<event>`: a duplicate
event finds it there), then sent by whoever claims it (a conditional write, so one sender), and
marked sent. A send that fails is tried again later by `deliver_due`, on a schedule; an email is
sent twice only if a sender dies between SES accepting it and marking it sent.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from notifications import mailer, repository
from notifications.models import KINDS, Preferences
from notifications.repository import Activity, Mail
from pettube import dynamo

log = logging.getLogger("pettube.notifications")

SEND_LEASE = timedelta(minutes=5)
MAX_SEND_ATTEMPTS = 5
_UNSUBSCRIBE_SALT = "notifications.unsubscribe"
SUBJECTS = {
    "ready": "Your video “{title}” is ready",
    "failed": "Your video “{title}” could not be processed",
    "digest": "New likes and comments on your videos ({day})",
}


# --- activity and the unseen count ----------------------------------------------------------


def activity_actions(
    *, recipient: str, kind: str, actor_name: str, video_id: str, video_title: str, excerpt: str = "",
    now: datetime,
) -> list[dynamo.Action]:
    """Transaction actions (for the repository that writes the like or comment) that record it on
    `recipient`'s video, for their digest and unseen count, with the write that makes it happen."""
    return repository.activity_actions(
        Activity(recipient=recipient, kind=kind, actor_name=actor_name, video_id=video_id,
                 video_title=video_title, excerpt=excerpt[:200], at=now)
    )


def unseen_count(*, user_id: str) -> int:
    return repository.unseen(user_id)


def mark_seen(*, user_id: str) -> None:
    repository.mark_seen(user_id)


# --- emails about a video -------------------------------------------------------------------


def video_ready(*, video, **_) -> None:
    """Email the uploader that `video` is ready (once, whatever happens to the event)."""
    _notify(
        Mail(key=f"ready#{video.id}", kind="ready", user_id=video.owner_id,
             data={"title": video.title, "video_id": video.id}, attempts=0)
    )


def video_failed(*, video, **_) -> None:
    """Email the uploader that `video` failed, with the reason."""
    _notify(
        Mail(key=f"failed#{video.id}", kind="failed", user_id=video.owner_id,
             data={"title": video.title, "video_id": video.id, "reason": video.error}, attempts=0)
    )


def _notify(mail: Mail) -> None:
    # Called by the worker once a video is settled: a failure here must not undo that, and the
    # scheduled `deliver_due` sends what is left pending.
    try:
        if repository.enqueue(mail, now=dynamo.now()):
            deliver(key=mail.key)
    except Exception:
        log.exception("notification left for a retry", extra={"mail": mail.key})


# --- the daily digest -----------------------------------------------------------------------


def send_digests(*, day: str) -> int:
    """Queue and send one digest per person whose videos were liked or commented on `day`
    (YYYY-MM-DD, UTC); a second run for the same day sends nothing again. Returns how many
    digests were queued."""
    by_recipient: dict[str, list[Activity]] = defaultdict(list)
    for activity in repository.activity_of_day(day):
        by_recipient[activity.recipient].append(activity)
    queued = 0
    for recipient, activities in by_recipient.items():
        mail = Mail(key=f"digest#{day}#{recipient}", kind="digest", user_id=recipient,
                    data={"day": day, "summary": _summary(activities)}, attempts=0)
        if repository.enqueue(mail, now=dynamo.now()):
            queued += 1
            deliver(key=mail.key)
    return queued


def _summary(activities: list[Activity]) -> str:
    lines = []
    for activity in activities:
        if activity.kind == "like":
            lines.append(f"{activity.actor_name} liked “{activity.video_title}”")
        else:
            lines.append(f"{activity.actor_name} commented on “{activity.video_title}”: {activity.excerpt}")
    return "\n".join(lines)


# --- sending --------------------------------------------------------------------------------


def deliver(*, key: str, now: datetime | None = None) -> str | None:
    """Send the outbox's email `key` if it is due and nobody else is sending it. Returns what
    became of it (sent, skipped, gave up), or None when it was not ours to send or must wait."""
    now = now or dynamo.now()
    mail = repository.claim(key, lease=SEND_LEASE, now=now)
    if mail is None:
        return None
    try:
        message = _compose(mail)
    except ImproperlyConfigured:
        raise  # no email can be written yet: each waits in the outbox (its lease runs out)
    except Exception as error:  # this email's data or template: it alone fails, the others go on
        log.exception("email could not be written", extra={"mail": key})
        return _failed(mail, now=now, error=error)
    if message is None:
        repository.finish(key, outcome=repository.SKIPPED)
        return repository.SKIPPED
    try:
        mailer.send(message)
    except (ClientError, BotoCoreError) as error:
        return _failed(mail, now=now, error=error)
    repository.finish(key, outcome=repository.SENT)
    log.info("email sent", extra={"mail": key})
    return repository.SENT


def _failed(mail: Mail, *, now: datetime, error: Exception) -> str | None:
    """Try the email again later, waiting twice as long each time, until MAX_SEND_ATTEMPTS."""
    if mail.attempts >= MAX_SEND_ATTEMPTS:
        log.error("email given up", extra={"mail": mail.key, "reason": str(error)})
        repository.finish(mail.key, outcome=repository.GAVE_UP)
        return repository.GAVE_UP
    log.warning("email failed; will retry", extra={"mail": mail.key, "attempt": mail.attempts, "reason": str(error)})
    repository.retry_at(mail.key, when=now + timedelta(minutes=2**mail.attempts), error=str(error))
    return None


def deliver_due(*, now: datetime | None = None) -> int:
    """Send every pending email whose time has come (retries, and those a crash left behind)."""
    now = now or dynamo.now()
    return sum(deliver(key=key, now=now) == repository.SENT for key in repository.due_mail(now=now))


def _compose(mail: Mail) -> EmailMessage | None:
    """The email for `mail`, or None when its person is gone, has no address, or turned it off."""
    user = get_user_model().objects.filter(pk=mail.user_id, is_active=True).first()
    if user is None or not user.email or not wants(user, mail.kind):
        return None
    unsubscribe = _absolute(reverse("unsubscribe", args=[unsubscribe_token(user_id=str(user.pk), kind=mail.kind)]))
    context = {
        **mail.data,
        "name": user.display_name,
        "site": _absolute("/"),
        "watch_url": _absolute(reverse("watch", args=[mail.data["video_id"]])) if "video_id" in mail.data else "",
        "unsubscribe_url": unsubscribe,
        "about": KINDS[mail.kind],
        "settings_url": _absolute(reverse("notification-settings")),
    }
    return EmailMessage(
        subject=SUBJECTS[mail.kind].format(**mail.data),
        body=render_to_string(f"notifications/email/{mail.kind}.txt", context),
        from_email=settings.PETTUBE_EMAIL_FROM,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _absolute(path: str) -> str:
    if not settings.PETTUBE_SITE_URL:  # the email stays in the outbox, sent once this is set
        raise ImproperlyConfigured("PETTUBE_SITE_URL must be set for emails to link to the site")
    return settings.PETTUBE_SITE_URL + path


# --- preferences ----------------------------------------------------------------------------


def preferences_of(user) -> Preferences:
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


def wants(user, kind: str) -> bool:
    return preferences_of(user).wants(kind)


def unsubscribe_token(*, user_id: str, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_kind(*, token: str) -> str:
    """The kind of email a signed unsubscribe `token` is for; signing.BadSignature when PetTube
    did not make it."""
    data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("k") not in KINDS or not isinstance(data.get("u"), str):
        raise signing.BadSignature("not an unsubscribe token")
    return data["k"]


def unsubscribe(*, token: str) -> str:
    """Turn off the kind of email the signed `token` names, for its person; returns the kind."""
    kind = unsubscribe_kind(token=token)
    user_id = signing.loads(token, salt=_UNSUBSCRIBE_SALT)["u"]
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise signing.BadSignature("no such person")
    preferences = preferences_of(user)
    setattr(preferences, kind, False)
    preferences.save()
    log.info("unsubscribed", extra={"user_id": user_id, "kind": kind})
    return kind
