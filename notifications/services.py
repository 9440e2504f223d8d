"""Notifications: what happened on a person's videos (the in-app unseen count, the daily
digest) and the emails PetTube sends (video ready, video failed, digest).

Every email is first written to the outbox, once per event (`mail#<kind>#<event>`: a duplicate
event finds it there), then sent by whoever claims it (a conditional write, so one sender), and
marked sent. A send that fails is tried again later by `deliver_due`, on a schedule.

Each step of an attempt is recorded before it is taken (`deliver`), so whatever point a sender
dies at, the email is tried again after its lease, and never in a loop. SES's SendEmail has no
idempotency token and no way to ask whether it took a message: a sender that dies between
handing the email to SES and recording the answer leaves it in doubt, and it is handed over once
more after the lease; a second hand-over left without an answer gives it up. So an email goes
out at most twice, and twice only when a sender died within that window.
"""

import itertools
import logging
from collections import defaultdict
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from notifications import mailer, news, repository
from notifications.models import KINDS, Preferences
from notifications.repository import Activity, Inbox, Mail
from pettube import dynamo
from videos import services as videos
from videos.domain import Video

log = logging.getLogger("pettube.notifications")

SEND_LEASE = timedelta(minutes=5)  # far longer than one SendEmail can take (botocore gives up after 2 × 60 s)
MAX_SEND_ATTEMPTS = 5
MAX_INTERRUPTIONS = 3  # attempts cut short (the sender died) before an email is given up
_UNSUBSCRIBE_SALT = "notifications.unsubscribe"
SUBJECTS = {
    "ready": "Your video “{title}” is ready",
    "failed": "Your video “{title}” could not be processed",
    "digest": "New likes and comments on your videos ({day})",
    "following": "New videos from those you follow ({day})",
}
# Which digest an activity goes in: likes and comments on my videos, or new videos I follow.
DIGEST_OF = {"like": "digest", "comment": "digest", "video": "following"}
PEOPLE_PER_READ = 100  # people whose new videos of the day a news source reads at once


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


def new_video(*, video: Video, recipients: list[str], now: datetime | None = None) -> None:
    """`video` is new for `recipients` (they follow its owner or its pets): it raises their unseen
    counts and goes into their daily digest of new videos."""
    now = now or dynamo.now()
    repository.record_many([_posted(video, recipient=recipient, at=now) for recipient in recipients])


def _posted(video: Video, *, recipient: str, at: datetime) -> Activity:
    return Activity(recipient=recipient, kind="video", actor_name=video.owner_name, video_id=video.id,
                    video_title=video.title, excerpt="", at=at)


def unseen_count(*, user_id: str) -> int:
    """What is new to the person since they last opened My videos: the events counted in their
    inbox, and the new videos the registered news sources find (those of famous accounts they
    follow). One BatchGetItem, and what a source reads for someone who follows a famous account."""
    inbox, found = repository.inbox_along(user_id, others=_news_ids(user_id))
    return _unseen(inbox, found, user_id)


def unseen_ids(user_id: str) -> list[str]:
    """The items `unseen_along` reads (for a page that reads them with others)."""
    return [repository.inbox_id(user_id), *_news_ids(user_id)]


def unseen_along(found: dict[str, dict], video_id: str, user_id: str) -> int:
    """`user_id`'s unseen count, from the items `unseen_ids` named read along with a video's."""
    return _unseen(repository.inbox_in(found, user_id), found, user_id)


def _news_ids(user_id: str) -> list[str]:
    return [item_id for source in news.registered() for item_id in source.ids(user_id)]


def _unseen(inbox: Inbox, found: dict[str, dict], user_id: str) -> int:
    return inbox.unseen + sum(len(source.since(found, user_id, inbox.seen_at)) for source in news.registered())


def mark_seen(*, user_id: str) -> None:
    """The person opened My videos: nothing is new to them any more."""
    repository.mark_seen(user_id, now=dynamo.now())


def forget_video(*, video, **_) -> None:
    repository.forget_video(video.id)


def forget_person(*, user_id: str, **_) -> None:
    """A deleted account's unseen count goes; its emails stop by themselves: an email whose
    person is gone is skipped, not sent (`_compose`), and its preferences go with its row."""
    repository.forget_inbox(user_id)


# --- emails about a video -------------------------------------------------------------------


def video_ready(*, video, **_) -> None:
    """Email the uploader that `video` is ready (once, whatever happens to the event)."""
    _notify(
        Mail(key=f"ready#{video.id}", kind="ready", user_id=video.owner_id,
             data={"title": video.title, "video_id": video.id})
    )


def video_failed(*, video, **_) -> None:
    """Email the uploader that `video` failed, with the reason."""
    _notify(
        Mail(key=f"failed#{video.id}", kind="failed", user_id=video.owner_id,
             data={"title": video.title, "video_id": video.id, "reason": video.error})
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
    """Queue and send the digests of `day` (YYYY-MM-DD, UTC): one per person whose videos were
    liked or commented on, one per person who got new videos from those they follow (fanned out
    to them, and those of the famous accounts they follow: `_followed_news`), each video once and
    only while it is listed. A second run for the same day sends nothing again; one person whose
    digest fails is left for another run and the others go on. Returns how many were queued."""
    by_recipient: dict[tuple[str, str], list[Activity]] = defaultdict(list)
    for activity in repository.activity_of_day(day):
        by_recipient[(activity.recipient, DIGEST_OF[activity.kind])].append(activity)
    followed, left = _followed_news(day)
    for recipient, new in followed.items():
        by_recipient[(recipient, "following")] += [_posted(video, recipient=recipient, at=video.published_at)
                                                   for video in new]
    listed = _listed([activity.video_id for (_, kind), activities in by_recipient.items() if kind == "following"
                      for activity in activities])
    queued = 0
    for (recipient, kind), activities in by_recipient.items():
        if kind == "following":
            if recipient in left:
                continue
            activities = list({activity.video_id: activity for activity in activities
                               if activity.video_id in listed}.values())
        if activities:
            queued += _queue_digest(Mail(key=f"{kind}#{day}#{recipient}", kind=kind, user_id=recipient,
                                         data={"day": day, "summary": _summary(activities)}))
    return queued


def _queue_digest(mail: Mail) -> bool:
    """Queue the digest and send it; False when it was queued before, or could not be."""
    try:
        if not repository.enqueue(mail, now=dynamo.now()):
            return False
    except (ClientError, BotoCoreError):
        log.exception("digest left for another run", extra={"mail": mail.key})
        return False
    _deliver_alone(mail.key, now=dynamo.now())
    return True


def _listed(video_ids: list[str]) -> set[str]:
    """Those of the videos that are listed now (BatchGetItems of 100)."""
    return {video.id for video in videos.videos_by_id(video_ids=video_ids).values() if video.listed}


def _followed_news(day: str) -> tuple[dict[str, list[Video]], set[str]]:
    """The new videos of `day` the news sources find for each person who wants the "following"
    digest (Postgres, PEOPLE_PER_READ at a time, by id), and the people whose news could not be
    read (their digest waits for another run)."""
    people = (get_user_model().objects.filter(is_active=True).exclude(email="")
              .exclude(email_preferences__following=False).order_by("pk").values_list("pk", flat=True))
    found: dict[str, list[Video]] = defaultdict(list)
    left: set[str] = set()
    for chunk in itertools.batched((str(pk) for pk in people.iterator(chunk_size=PEOPLE_PER_READ)), PEOPLE_PER_READ):
        for source in news.registered():
            new, failed = _news_of_day(source, day, list(chunk))
            for person, new_to_them in new.items():
                found[person] += new_to_them
            left |= failed
    return found, left


def _news_of_day(source: news.Source, day: str, people: list[str]) -> tuple[dict[str, list[Video]], set[str]]:
    """What `source` finds for `people`; when that fails, person by person, so that one person's
    failure leaves only them out."""
    try:
        return source.of_day(day, people), set()
    except Exception:
        if len(people) == 1:
            log.exception("new videos left for another run", extra={"user_id": people[0], "day": day})
            return {}, set(people)
    found, failed = {}, set()
    for person in people:
        new, lost = _news_of_day(source, day, [person])
        found |= new
        failed |= lost
    return found, failed


def _summary(activities: list[Activity]) -> str:
    lines = []
    for activity in activities:
        if activity.kind == "like":
            lines.append(f"{activity.actor_name} liked “{activity.video_title}”")
        elif activity.kind == "video":
            lines.append(f"{activity.actor_name} posted “{activity.video_title}”")
        else:
            lines.append(f"{activity.actor_name} commented on “{activity.video_title}”: {activity.excerpt}")
    return "\n".join(lines)


# --- sending --------------------------------------------------------------------------------


def deliver(*, key: str, now: datetime | None = None) -> str | None:
    """Send the outbox's email `key` if it is due and nobody else is sending it. Returns what
    became of it (sent, skipped, gave up), or None when it was not ours to send or must wait.

    The steps, each recorded before the next: claim (the attempt is counted, with a lease), write
    the email, hand it over (recorded while the lease is still ours), SES, the outcome."""
    now = now or dynamo.now()
    mail = repository.claim(key, lease=SEND_LEASE, now=now)
    if mail is None:
        return None
    if reason := _why_give_up(mail):
        return _give_up(mail, reason=reason)
    try:
        message = _compose(mail)
        raw = message and mailer.mime(message)
    except ImproperlyConfigured as error:
        # No email can be written yet: each waits in the outbox, without counting as a failure.
        repository.retry_at(key, when=now + SEND_LEASE, error=str(error), failed=False)
        raise
    except Exception as error:  # this email's data or template: it alone fails, the others go on
        log.exception("email could not be written", extra={"mail": key})
        return _failed(mail, now=now, error=error)
    if message is None:
        repository.finish(key, outcome=repository.SKIPPED)
        return repository.SKIPPED
    if not repository.hand_over(mail):
        return None  # the lease ran out meanwhile: another sender may be sending it
    try:
        message_id = mailer.send(message, raw)
    except HTTPClientError as error:  # no answer (a timeout, a dropped connection): SES may have it
        return _failed(mail, now=now, error=error, answered=False)
    except (ClientError, BotoCoreError) as error:  # SES refused it, or it never left
        return _failed(mail, now=now, error=error, answered=True)
    repository.finish(key, outcome=repository.SENT, answered=True, message_id=message_id)
    log.info("email sent", extra={"mail": key})
    return repository.SENT


def _why_give_up(mail: Mail) -> str:
    """Why `mail` must not be tried again ("" when it may): SES may have it twice already, or
    its senders keep dying (then trying again would only loop)."""
    if mail.unanswered > 1:
        return "handed to SES twice without an answer: it may have gone out"
    if mail.interrupted >= MAX_INTERRUPTIONS:
        return f"{mail.interrupted} attempts were cut short"
    return ""


def _give_up(mail: Mail, *, reason: str, answered: bool = False) -> str:
    log.error("email given up", extra={"mail": mail.key, "reason": reason})
    repository.finish(mail.key, outcome=repository.GAVE_UP, answered=answered)
    return repository.GAVE_UP


def _failed(mail: Mail, *, now: datetime, error: Exception, answered: bool = False) -> str | None:
    """Try the email again later, waiting twice as long each time, until MAX_SEND_ATTEMPTS
    attempts failed. `answered`: SES answered the hand-over (refused it)."""
    failures = mail.failures + 1
    if failures >= MAX_SEND_ATTEMPTS:
        return _give_up(mail, reason=str(error), answered=answered)
    log.warning("email failed; will retry", extra={"mail": mail.key, "attempt": failures, "reason": str(error)})
    repository.retry_at(mail.key, when=now + timedelta(minutes=2**failures), error=str(error), answered=answered)
    return None


def deliver_due(*, now: datetime | None = None) -> int:
    """Send every pending email whose time has come (retries, and those a crash left behind).
    One email that fails in an unforeseen way fails alone: it is retried after its lease, and
    given up once that happened MAX_INTERRUPTIONS times."""
    now = now or dynamo.now()
    return sum(_deliver_alone(key, now=now) == repository.SENT for key in repository.due_mail(now=now))


def _deliver_alone(key: str, *, now: datetime) -> str | None:
    try:
        return deliver(key=key, now=now)
    except ImproperlyConfigured:
        raise  # no email can be written: the run stops, loudly
    except Exception:
        log.exception("email attempt cut short; tried again after its lease", extra={"mail": key})
        return None


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
        subject=_one_line(SUBJECTS[mail.kind].format(**mail.data)),
        body=render_to_string(f"notifications/email/{mail.kind}.txt", context),
        from_email=_one_line(settings.PETTUBE_EMAIL_FROM),
        to=[_one_line(user.email)],
        headers={"List-Unsubscribe": _one_line(f"<{unsubscribe}>"),
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _one_line(value: str) -> str:
    """A header value without line breaks (a title is free text: "line one\nBcc: …" must stay
    one subject line, not become a header, nor make Django refuse the whole email)."""
    return " ".join(value.splitlines())


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
