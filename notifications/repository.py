"""The only code that talks to DynamoDB for notifications. Their keys in the shared table
(pettube/dynamo.py):

- `activity#<random>`: something happened on a person's video (a like, a comment), for their
  daily digest. GSI `activity` (`activity_day`, `activity_at`): one partition per UTC day, so
  the digest reads one day's activity with a Query. TTL `expires_at` after a week.
- `inbox#<user id>`: `unseen`, how many such events the person has not looked at yet.
- `mail#<kind>#<event>`: one email to send, written once per event (a duplicate event finds it
  there). GSI `outbox` (`outbox`, `outbox_at`): sparse, only emails still to send carry
  `outbox = "pending"`, and `outbox_at` is when to try (again). A sender claims one with a
  conditional write that moves `outbox_at` past its lease, so two senders never send it both.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from pettube import dynamo

PENDING = "pending"
SENT, SKIPPED, GAVE_UP = "sent", "skipped", "gave up"


@dataclass(frozen=True)
class Activity:
    recipient: str
    kind: str  # "like" or "comment"
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
    attempts: int


def _s(value: str) -> dict:
    return {"S": value}


def _epoch(moment: datetime) -> dict:
    return {"N": str(int(moment.timestamp()))}


# --- activity and the unseen count ----------------------------------------------------------


def inbox_id(user_id: str) -> str:
    return f"inbox#{user_id}"


def activity_actions(activity: Activity) -> list[dict]:
    """Transaction actions recording `activity` for the digest and the recipient's unseen count."""
    return [
        {
            "Put": {
                "Item": {
                    "id": _s(f"activity#{secrets.token_urlsafe(12)}"),
                    "activity_day": _s(f"{activity.at:%Y-%m-%d}"),
                    "activity_at": _s(dynamo.stamp(activity.at)),
                    "recipient": _s(activity.recipient),
                    "kind": _s(activity.kind),
                    "actor_name": _s(activity.actor_name),
                    "video_id": _s(activity.video_id),
                    "video_title": _s(activity.video_title),
                    "excerpt": _s(activity.excerpt),
                    "expires_at": _epoch(activity.at + timedelta(days=7)),
                }
            }
        },
        {
            "Update": {
                "Key": {"id": _s(inbox_id(activity.recipient))},
                "UpdateExpression": "ADD unseen :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        },
    ]


def activity_of_day(day: str) -> list[Activity]:
    """Everything that happened on `day` (YYYY-MM-DD, UTC), oldest first."""
    request = {
        "TableName": dynamo.table_name(),
        "IndexName": "activity",
        "KeyConditionExpression": "activity_day = :d",
        "ExpressionAttributeValues": {":d": _s(day)},
    }
    found = []
    while True:
        answer = dynamo.client().query(**request)
        found += [
            Activity(
                recipient=item["recipient"]["S"],
                kind=item["kind"]["S"],
                actor_name=item["actor_name"]["S"],
                video_id=item["video_id"]["S"],
                video_title=item["video_title"]["S"],
                excerpt=item["excerpt"]["S"],
                at=dynamo.parse_stamp(item["activity_at"]["S"]),
            )
            for item in answer.get("Items", [])
        ]
        if "LastEvaluatedKey" not in answer:
            return found
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def unseen_in(item: dict | None) -> int:
    """The unseen count an `inbox#` item holds (None: nothing happened yet)."""
    return int(item["unseen"]["N"]) if item and "unseen" in item else 0


def unseen(user_id: str) -> int:
    answer = dynamo.client().get_item(TableName=dynamo.table_name(), Key={"id": _s(inbox_id(user_id))})
    return unseen_in(answer.get("Item"))


def mark_seen(user_id: str) -> None:
    try:
        dynamo.client().update_item(
            TableName=dynamo.table_name(),
            Key={"id": _s(inbox_id(user_id))},
            ConditionExpression="unseen > :zero",
            UpdateExpression="SET unseen = :zero",
            ExpressionAttributeValues={":zero": {"N": "0"}},
        )
    except ClientError as error:
        if not dynamo.condition_failed(error):
            raise


# --- the outbox -----------------------------------------------------------------------------


def enqueue(mail: Mail, *, now: datetime) -> bool:
    """Add an email to send; False when this event's email is already there."""
    try:
        dynamo.client().put_item(
            TableName=dynamo.table_name(),
            Item={
                "id": _s(f"mail#{mail.key}"),
                "kind": _s(mail.kind),
                "user_id": _s(mail.user_id),
                "data": {"M": {name: _s(value) for name, value in mail.data.items()}},
                "attempts": {"N": "0"},
                "outbox": _s(PENDING),
                "outbox_at": _s(dynamo.stamp(now)),
                "expires_at": _epoch(now + timedelta(days=30)),
            },
            ConditionExpression="attribute_not_exists(id)",
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return False
        raise
    return True


def claim(key: str, *, lease: timedelta, now: datetime) -> Mail | None:
    """Take a pending email that is due, for `lease`; None when it is sent, or another sender has it."""
    try:
        answer = dynamo.client().update_item(
            TableName=dynamo.table_name(),
            Key={"id": _s(f"mail#{key}")},
            ConditionExpression="outbox = :pending AND outbox_at <= :now",
            UpdateExpression="SET outbox_at = :lease ADD attempts :one",
            ExpressionAttributeValues={
                ":pending": _s(PENDING),
                ":now": _s(dynamo.stamp(now)),
                ":lease": _s(dynamo.stamp(now + lease)),
                ":one": {"N": "1"},
            },
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return None
        raise
    item = answer["Attributes"]
    return Mail(
        key=key,
        kind=item["kind"]["S"],
        user_id=item["user_id"]["S"],
        data={name: value["S"] for name, value in item["data"]["M"].items()},
        attempts=int(item["attempts"]["N"]),
    )


def finish(key: str, *, outcome: str) -> None:
    """The email is done with (sent, skipped or given up): out of the outbox."""
    dynamo.client().update_item(
        TableName=dynamo.table_name(),
        Key={"id": _s(f"mail#{key}")},
        UpdateExpression="SET outcome = :outcome REMOVE outbox, outbox_at",
        ExpressionAttributeValues={":outcome": _s(outcome)},
    )


def retry_at(key: str, *, when: datetime, error: str) -> None:
    dynamo.client().update_item(
        TableName=dynamo.table_name(),
        Key={"id": _s(f"mail#{key}")},
        ConditionExpression="outbox = :pending",
        UpdateExpression="SET outbox_at = :when, last_error = :error",
        ExpressionAttributeValues={":pending": _s(PENDING), ":when": _s(dynamo.stamp(when)), ":error": _s(error[:500])},
    )


def due_mail(*, now: datetime, limit: int = 100) -> list[str]:
    """Keys of pending emails due by `now`, oldest first."""
    answer = dynamo.client().query(
        TableName=dynamo.table_name(),
        IndexName="outbox",
        KeyConditionExpression="outbox = :pending AND outbox_at <= :now",
        ExpressionAttributeValues={":pending": _s(PENDING), ":now": _s(dynamo.stamp(now))},
        ProjectionExpression="id",
        Limit=limit,
    )
    return [item["id"]["S"].removeprefix("mail#") for item in answer.get("Items", [])]

