"""Reports and their review cases. Keys in the shared table:

- `report#<target>#<user id>`: one person's report of a target (`video:<id>`, `comment:<id>`).
- `case#<target>`: the reports of a target, for review. GSI `review` (`review`, `review_at`):
  sparse, only open cases carry `review = "open"`.
Both carry `of_video`, the video reported or commented on: they go with it.
"""

from dataclasses import dataclass
from datetime import datetime

from pettube import dynamo

OPEN = "open"


@dataclass(frozen=True)
class Case:
    target: str  # "video:<id>" or "comment:<id>"
    video_id: str
    summary: str
    reports: int
    reasons: list[str]
    opened_at: datetime
    hidden: bool

    @property
    def kind(self) -> str:
        return self.target.split(":", 1)[0]

    @property
    def target_id(self) -> str:
        return self.target.split(":", 1)[1]


def add(*, target: str, video_id: str, summary: str, reporter: str, reason: str, now: datetime) -> bool:
    """Record `reporter`'s report and count it on the target's case (opening it for review).
    False when this person already reported the target."""
    return dynamo.try_transact(
        {
            "Put": {
                "Item": {
                    **dynamo.key(f"report#{target}#{reporter}"),
                    "of_video": dynamo.s(video_id),
                    "reason": dynamo.s(reason),
                    "reported_at": dynamo.s(dynamo.stamp(now)),
                },
                "ConditionExpression": "attribute_not_exists(id)",
            }
        },
        {
            "Update": {
                "Key": dynamo.key(_id(target)),
                "UpdateExpression": "ADD reports :one SET review = :open, "
                "review_at = if_not_exists(review_at, :now), video_id = :video, of_video = :video, summary = :summary, "
                "reasons = list_append(if_not_exists(reasons, :none), :reason)",
                "ExpressionAttributeValues": {
                    ":one": dynamo.n(1),
                    ":open": dynamo.s(OPEN),
                    ":now": dynamo.s(dynamo.stamp(now)),
                    ":video": dynamo.s(video_id),
                    ":summary": dynamo.s(summary),
                    ":none": {"L": []},
                    ":reason": {"L": [dynamo.s(reason)]},
                },
            }
        },
    )


def mark_hidden(target: str, *, threshold: int, now: datetime) -> bool:
    """True for the one caller that finds the open case at `threshold` reports and not hidden
    yet: that caller hides the target."""
    return dynamo.update_item(
        Key=dynamo.key(_id(target)),
        ConditionExpression="review = :open AND reports >= :threshold AND attribute_not_exists(hidden_at)",
        UpdateExpression="SET hidden_at = :now",
        ExpressionAttributeValues={
            ":open": dynamo.s(OPEN), ":threshold": dynamo.n(threshold), ":now": dynamo.s(dynamo.stamp(now))
        },
    ) is not None


def open_cases() -> list[Case]:
    """Every open case, oldest first."""
    items = dynamo.query_all("review", "review = :open", {":open": dynamo.s(OPEN)}, newest_first=False)
    return [_case(item) for item in items]


def get(target: str) -> Case | None:
    item = dynamo.get(_id(target))
    return _case(item) if item else None


def close(target: str) -> bool:
    """Close an open case; its count starts again from zero (reporters stay counted once)."""
    return dynamo.update_item(
        Key=dynamo.key(_id(target)),
        ConditionExpression="review = :open",
        UpdateExpression="REMOVE review, review_at, hidden_at, reasons SET reports = :zero",
        ExpressionAttributeValues={":open": dynamo.s(OPEN), ":zero": dynamo.n(0)},
    ) is not None


def _id(target: str) -> str:
    return f"case#{target}"


def delete_case(target: str) -> None:
    dynamo.delete_item(Key=dynamo.key(_id(target)))


def _case(item: dict) -> Case:
    return Case(
        target=item["id"]["S"].removeprefix("case#"),
        video_id=item["video_id"]["S"],
        summary=item["summary"]["S"],
        reports=int(item["reports"]["N"]),
        reasons=[reason["S"] for reason in item.get("reasons", {}).get("L", [])],
        opened_at=dynamo.parse_stamp(item["review_at"]["S"]),
        hidden="hidden_at" in item,
    )
