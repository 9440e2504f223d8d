"""Reports and their review cases. Keys in the shared table:

- `report#<target>#<user id>`: one person's report of a target (`video:<id>`, `comment:<id>`),
  with its `weight` (community/reports.py says how much a report counts).
- `case#<target>`: the reports of a target, for review: how many (`reports`), their summed
  `weight`, and the `threshold` of weight that hides the target (it doubles each time staff
  restore it). GSI `review` (`review`, `review_at`): sparse, only open cases carry
  `review = "open"`; `review_at` is `0#<when hidden>` for a hidden target and `1#<when opened>`
  for the others, so one Query, in order, pages through hidden targets first, oldest first.
- `rate#report#<user id>#<hour>`: how many reports a person made in an hour (TTL), counted in
  the report's transaction.
Reports and cases carry `of_video`, the video reported or commented on: they go with it.
"""

from dataclasses import dataclass
from datetime import datetime

from pettube import dynamo

OPEN = "open"
INDEX = "review"
_HIDDEN_FIRST, _THEN_OTHERS = "0#", "1#"


@dataclass(frozen=True)
class Case:
    target: str  # "video:<id>" or "comment:<id>"
    video_id: str
    summary: str
    reports: int
    weight: int
    threshold: int
    reasons: list[str]
    opened_at: datetime
    hidden: bool

    @property
    def kind(self) -> str:
        return self.target.split(":", 1)[0]

    @property
    def target_id(self) -> str:
        return self.target.split(":", 1)[1]


@dataclass(frozen=True)
class CasePage:
    items: list[Case]
    next_cursor: str | None


class TooMany(Exception):
    """The reporter is at the hour's limit: nothing was stored."""


@dataclass(frozen=True)
class Report:
    target: str
    video_id: str
    summary: str
    reporter: str
    reason: str
    weight: int


def add(report: Report, *, threshold: int, now: datetime, window: str, limit: int, expires: datetime) -> bool:
    """Record the report, count it and its weight on the target's case (opening it for review,
    at `threshold` unless the case has its own), and count it against the reporter's `limit`
    in `window`, in one transaction. False when this person already reported the target;
    raises TooMany past the limit."""
    try:
        dynamo.transact(
            {
                "Put": {
                    "Item": {
                        **dynamo.key(f"report#{report.target}#{report.reporter}"),
                        "of_video": dynamo.s(report.video_id),
                        "reason": dynamo.s(report.reason),
                        "weight": dynamo.n(report.weight),
                        "reported_at": dynamo.s(dynamo.stamp(now)),
                    },
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            },
            {
                "Update": {
                    "Key": dynamo.key(_id(report.target)),
                    "UpdateExpression": "ADD reports :one, weight :weight SET review = :open, "
                    "review_at = if_not_exists(review_at, :queued), opened_at = if_not_exists(opened_at, :now), "
                    "threshold = if_not_exists(threshold, :threshold), video_id = :video, of_video = :video, "
                    "summary = :summary, reasons = list_append(if_not_exists(reasons, :none), :reason)",
                    "ExpressionAttributeValues": {
                        ":one": dynamo.n(1),
                        ":weight": dynamo.n(report.weight),
                        ":open": dynamo.s(OPEN),
                        ":queued": dynamo.s(_THEN_OTHERS + dynamo.stamp(now)),
                        ":now": dynamo.s(dynamo.stamp(now)),
                        ":threshold": dynamo.n(threshold),
                        ":video": dynamo.s(report.video_id),
                        ":summary": dynamo.s(report.summary),
                        ":none": {"L": []},
                        ":reason": {"L": [dynamo.s(report.reason)]},
                    },
                }
            },
            dynamo.count_below(f"rate#report#{report.reporter}#{window}", limit=limit, expires=expires),
        )
    except dynamo.ConditionFailed as failed:
        if failed.failed_actions == [2]:
            raise TooMany() from failed
        return False
    return True


def mark_hidden(target: str, *, now: datetime) -> bool:
    """True for the one caller that finds the open case's weight at its threshold and the target
    not hidden yet: that caller hides the target. The case moves to the front of the review."""
    return dynamo.update_item(
        Key=dynamo.key(_id(target)),
        ConditionExpression="review = :open AND weight >= threshold AND attribute_not_exists(hidden_at)",
        UpdateExpression="SET hidden_at = :now, review_at = :first",
        ExpressionAttributeValues={":open": dynamo.s(OPEN), ":now": dynamo.s(dynamo.stamp(now)),
                                   ":first": dynamo.s(_HIDDEN_FIRST + dynamo.stamp(now))},
    ) is not None


def open_cases(*, limit: int, cursor: str | None = None) -> CasePage:
    """A page of open cases: hidden targets first, then the others, each oldest first. Raises
    dynamo.InvalidCursor."""
    page = dynamo.query_page(INDEX, "review = :open", {":open": dynamo.s(OPEN)}, limit=limit, cursor=cursor,
                             newest_first=False)
    return CasePage(items=[_case(item) for item in page.items], next_cursor=page.next_cursor)


def get(target: str) -> Case | None:
    item = dynamo.get(_id(target))
    return _case(item) if item else None


def close(target: str, *, threshold: int) -> bool:
    """Close an open case: its count and weight start again from zero (reporters stay counted
    once), and hiding it again takes `threshold`."""
    return dynamo.update_item(
        Key=dynamo.key(_id(target)),
        ConditionExpression="review = :open",
        UpdateExpression="REMOVE review, review_at, hidden_at, reasons, opened_at "
        "SET reports = :zero, weight = :zero, threshold = :threshold",
        ExpressionAttributeValues={":open": dynamo.s(OPEN), ":zero": dynamo.n(0), ":threshold": dynamo.n(threshold)},
    ) is not None


def _id(target: str) -> str:
    return f"case#{target}"


def delete_case(target: str) -> None:
    dynamo.delete_item(Key=dynamo.key(_id(target)))


def _case(item: dict) -> Case:
    opened = item.get("opened_at", item["review_at"])["S"]
    return Case(
        target=item["id"]["S"].removeprefix("case#"),
        video_id=item["video_id"]["S"],
        summary=item["summary"]["S"],
        reports=int(item["reports"]["N"]),
        weight=int(item.get("weight", {"N": "0"})["N"]),
        threshold=int(item.get("threshold", {"N": "0"})["N"]),
        reasons=[reason["S"] for reason in item.get("reasons", {}).get("L", [])],
        opened_at=dynamo.parse_stamp(opened.split("#")[-1]),
        hidden="hidden_at" in item,
    )
