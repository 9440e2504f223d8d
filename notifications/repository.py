"""The only code that talks to DynamoDB for notifications. Their keys in the shared table
(pettube/dynamo.py):

- `activity#<random>`: something happened on a person's video (a like, a comment), for their
  daily digest. GSI `activity` (`activity_day`, `activity_at`): one partition per UTC day, so
  the digest reads one day's activity with a Query. TTL `expires_at` after a week. `of_video`
  (GSI `of-video`): it goes with the video. A new video from someone a person follows is
  activity too (`kind = "video"`, written by following's fan-out in batches, with `actor_name`
  its owner's name).
- `inbox#<user id>`: `unseen`, how many such events the person has not looked at yet, and
  `seen_at`, when they last opened My videos (new videos that were never counted in `unseen`,
  those of famous accounts, are new when published after it).
- `mail#<kind>#<event>`: one email to send, written once per event (a duplicate event finds it
  there). GSI `outbox` (`outbox`, `outbox_at`): sparse, only emails still to send carry
  `outbox = "pending"`, and `outbox_at` is when to try (again). A sender claims one with a
  conditional write that moves `outbox_at` past its lease, so two senders never send it both.
  Counters record each attempt's steps before they happen (never reset, so each difference is
  what a dead sender left): `attempts` claims, `settled` attempts that recorded how they ended,
  `failures` failed attempts (the backoff), `handed` hand-overs to SES and `answered` those SES
  answered (or surely never received). `handed - answered` is how many copies SES may have
  accepted without the outbox knowing.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pettube import dynamo
from pettube.dynamo import Action

PENDING = "pending"
SENT, SKIPPED, GAVE_UP = "sent", "skipped", "gave up"


@dataclass(frozen=True)
class Activity:
    recipient: str
    kind: str  # "like", "comment" or "video" (new from someone they follow)
    actor_name: str
    video_id: str
    video_title: str
    excerpt: str
    at: datetime


@dataclass(frozen=True)
class Mail:
    key: str  # `<kind>#<event>`
    kind: str
    user_id: str
    data: dict[str, str]
    attempts: int = 0  # this attempt's number, from 1 (0: not claimed yet)
    failures: int = 0  # earlier attempts that failed (SES refused it, or it could not be written)
    interrupted: int = 0  # earlier attempts whose sender died before recording how they ended
    unanswered: int = 0  # hand-overs to SES with no answer recorded: copies SES may have sent
    lease: str = ""  # the claim's `outbox_at`: the sender holds the email while it is unchanged


# --- activity and the unseen count ----------------------------------------------------------


def inbox_id(user_id: str) -> str:
    return f"inbox#{user_id}"


def _activity_item(activity: Activity) -> dict:
    return {
        "id": dynamo.s(f"activity#{secrets.token_urlsafe(12)}"),
        "activity_day": dynamo.s(f"{activity.at:%Y-%m-%d}"),
        "activity_at": dynamo.s(dynamo.stamp(activity.at)),
        "recipient": dynamo.s(activity.recipient),
        "kind": dynamo.s(activity.kind),
        "actor_name": dynamo.s(activity.actor_name),
        "video_id": dynamo.s(activity.video_id),
        "of_video": dynamo.s(activity.video_id),
        "video_title": dynamo.s(activity.video_title),
        "excerpt": dynamo.s(activity.excerpt),
        "expires_at": dynamo.epoch(activity.at + timedelta(days=7)),
    }


def _unseen_action(recipient: str) -> Action:
    return {
        "Update": {
            "Key": {"id": dynamo.s(inbox_id(recipient))},
            "UpdateExpression": "ADD unseen :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }


def activity_actions(activity: Activity) -> list[Action]:
    """Transaction actions recording `activity` for the digest and the recipient's unseen count."""
    return [{"Put": {"Item": _activity_item(activity)}}, _unseen_action(activity.recipient)]


def record_many(activities: list[Activity]) -> None:
    """Record each activity for the digest (BatchWriteItems) and raise each recipient's unseen
    count (one UpdateItem each: counters cannot be batched)."""
    dynamo.put_many([_activity_item(activity) for activity in activities])
    for activity in activities:
        dynamo.update_item(**_unseen_action(activity.recipient)["Update"])


def activity_of_day(day: str) -> list[Activity]:
    """Everything that happened on `day` (YYYY-MM-DD, UTC), oldest first."""
    items = dynamo.query_all("activity", "activity_day = :d", {":d": dynamo.s(day)}, newest_first=False)
    return [
        Activity(
            recipient=item["recipient"]["S"],
            kind=item["kind"]["S"],
            actor_name=item["actor_name"]["S"],
            video_id=item["video_id"]["S"],
            video_title=item["video_title"]["S"],
            excerpt=item["excerpt"]["S"],
            at=dynamo.parse_stamp(item["activity_at"]["S"]),
        )
        for item in items
    ]


@dataclass(frozen=True)
class Inbox:
    unseen: int  # events counted since the person last looked
    seen_at: str  # when they last looked (a stamp; "" if never)


def inbox_in(found: dict[str, dict], user_id: str) -> Inbox:
    """`user_id`'s inbox, from items read by id (their `inbox#` item, if among them: none until
    something happens or they look)."""
    item = found.get(inbox_id(user_id), {})
    return Inbox(unseen=int(item.get("unseen", {}).get("N", 0)), seen_at=item.get("seen_at", {}).get("S", ""))


def inbox_along(user_id: str, *, others: list[str]) -> tuple[Inbox, dict[str, dict]]:
    """For the header of every page a signed-in person opens: their inbox and those of `others`
    (other apps' items) that exist, by id, in one eventually consistent BatchGetItem."""
    found = dynamo.get_many([inbox_id(user_id), *others], consistent=False)
    return inbox_in(found, user_id), found


def forget_video(video_id: str) -> None:
    """The activity on a deleted video leaves the digest."""
    dynamo.delete_many([item_id for item_id in dynamo.ids_in("of-video", video_id) if item_id.startswith("activity#")])


def forget_inbox(user_id: str) -> None:
    dynamo.delete_item(Key=dynamo.key(inbox_id(user_id)))


def mark_seen(user_id: str, *, now: datetime) -> None:
    dynamo.update_item(
        Key=dynamo.key(inbox_id(user_id)),
        UpdateExpression="SET unseen = :zero, seen_at = :now",
        ExpressionAttributeValues={":zero": dynamo.n(0), ":now": dynamo.s(dynamo.stamp(now))},
    )


# --- the outbox -----------------------------------------------------------------------------


def enqueue(mail: Mail, *, now: datetime) -> bool:
    """Add an email to send; False when this event's email is already there."""
    return dynamo.put_item(
        Item={
            **dynamo.key(f"mail#{mail.key}"),
            "kind": dynamo.s(mail.kind),
            "user_id": dynamo.s(mail.user_id),
            "data": {"M": {name: dynamo.s(value) for name, value in mail.data.items()}},
            **{counter: dynamo.n(0) for counter in _COUNTERS},
            "outbox": dynamo.s(PENDING),
            "outbox_at": dynamo.s(dynamo.stamp(now)),
            dynamo.TTL_ATTRIBUTE: dynamo.epoch(now + timedelta(days=30)),
        },
        ConditionExpression="attribute_not_exists(id)",
    )


_COUNTERS = ("attempts", "settled", "failures", "handed", "answered")


def claim(key: str, *, lease: timedelta, now: datetime) -> Mail | None:
    """Take a pending email that is due, for `lease`, counting the attempt before anything else
    happens; None when it is sent, or another sender has it."""
    lease_end = dynamo.stamp(now + lease)
    answer = dynamo.update_item(
        Key=dynamo.key(f"mail#{key}"),
        ConditionExpression="outbox = :pending AND outbox_at <= :now",
        UpdateExpression="SET outbox_at = :lease ADD attempts :one",
        ExpressionAttributeValues={
            ":pending": dynamo.s(PENDING),
            ":now": dynamo.s(dynamo.stamp(now)),
            ":lease": dynamo.s(lease_end),
            ":one": dynamo.n(1),
        },
        ReturnValues="ALL_NEW",
    )
    if answer is None:
        return None
    item = answer["Attributes"]
    count = {counter: int(item.get(counter, {"N": "0"})["N"]) for counter in _COUNTERS}
    return Mail(
        key=key,
        kind=item["kind"]["S"],
        user_id=item["user_id"]["S"],
        data={name: value["S"] for name, value in item["data"]["M"].items()},
        attempts=count["attempts"],
        failures=count["failures"],
        interrupted=count["attempts"] - 1 - count["settled"],
        unanswered=count["handed"] - count["answered"],
        lease=lease_end,
    )


def hand_over(mail: Mail) -> bool:
    """Record that `mail` is about to go to SES, while its sender still holds the claim; False
    when the lease ran out and another sender may have it (then this one must not send)."""
    return dynamo.update_item(
        Key=dynamo.key(f"mail#{mail.key}"),
        ConditionExpression="outbox = :pending AND outbox_at = :lease",
        UpdateExpression="ADD handed :one",
        ExpressionAttributeValues={":pending": dynamo.s(PENDING), ":lease": dynamo.s(mail.lease),
                                   ":one": dynamo.n(1)},
    ) is not None


def finish(key: str, *, outcome: str, answered: bool = False, message_id: str = "") -> None:
    """The email is done with (sent, skipped or given up): out of the outbox. `answered`: SES
    answered its hand-over (with `message_id` when it took it)."""
    dynamo.update_item(
        Key=dynamo.key(f"mail#{key}"),
        UpdateExpression="SET outcome = :outcome, message_id = :message_id REMOVE outbox, outbox_at "
                         "ADD settled :one, answered :answered",
        ExpressionAttributeValues={":outcome": dynamo.s(outcome), ":message_id": dynamo.s(message_id),
                                   ":one": dynamo.n(1), ":answered": dynamo.n(int(answered))},
    )


def retry_at(key: str, *, when: datetime, error: str, failed: bool = True, answered: bool = False) -> None:
    """Try the email again at `when` (nothing if another sender finished it meanwhile). `failed`:
    the attempt counts toward giving up; `answered`: SES answered its hand-over (refused it)."""
    dynamo.update_item(
        Key=dynamo.key(f"mail#{key}"),
        ConditionExpression="outbox = :pending",
        UpdateExpression="SET outbox_at = :when, last_error = :error "
                         "ADD settled :one, failures :failed, answered :answered",
        ExpressionAttributeValues={":pending": dynamo.s(PENDING), ":when": dynamo.s(dynamo.stamp(when)),
                                   ":error": dynamo.s(error[:500]), ":one": dynamo.n(1),
                                   ":failed": dynamo.n(int(failed)), ":answered": dynamo.n(int(answered))},
    )


def due_mail(*, now: datetime) -> list[str]:
    """Keys of every pending email due by `now`, oldest first (page after page)."""
    items = dynamo.query_all(
        "outbox", "outbox = :pending AND outbox_at <= :now",
        {":pending": dynamo.s(PENDING), ":now": dynamo.s(dynamo.stamp(now))}, projection="id", newest_first=False,
    )
    return [item["id"]["S"].removeprefix("mail#") for item in items]
