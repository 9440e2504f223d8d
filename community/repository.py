"""The only code that talks to DynamoDB for community items. Their keys in the shared table
(pettube/dynamo.py):

- `like#<video id>#<user id>`: one person's like of one video (`liked_at`). It is written and
  removed in one transaction with the video's `likes` counter, so the count equals the likes.
- `view#<video id>#<viewer>#<day>`: a counted view (TTL `expires_at`): one per viewer, video and
  day, written in one transaction with the video's `views` counter.
- `comment#<comment id>`: GSI `comments` (`comment_video`, `posted_at`), newest first per video.
- `rate#<action>#<user id>#<window>`: how many times a person did `action` in a window (TTL).
- `report#<target>#<user id>`: one person's report of a target (`video:<id>`, `comment:<id>`).
- `case#<target>`: the reports of a target, for review. GSI `review` (`review`, `review_at`):
  sparse, only open cases carry `review = "open"`.
- `ranking#popular`: the hourly ranking, copies of the videos it lists (one GetItem per page),
  and `withdrawn`: the ids of videos unlisted since it was computed (a hidden, private or deleted
  video joins it in the transaction that unlists it; pages skip them). `version` counts those
  withdrawals, so a new ranking is only stored if none came after its query.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from pettube import dynamo

OPEN = "open"
RANKING_ID = "ranking#popular"


@dataclass(frozen=True)
class Comment:
    id: str
    video_id: str
    video_owner_id: str
    author_id: str
    author_name: str
    text: str
    posted_at: datetime
    hidden_at: datetime | None = None


@dataclass(frozen=True)
class CommentPage:
    items: list[Comment]
    next_cursor: str | None


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


@dataclass(frozen=True)
class Ranking:
    computed_at: datetime | None  # None before the first ranking
    entries: list[tuple[dict, float]]  # (a video's snapshot, its score), best first
    withdrawn: frozenset[str] = frozenset()  # ids unlisted since: not to be shown
    version: int = 0  # withdrawals so far


def _s(value: str) -> dict:
    return {"S": value}


def _n(value: int) -> dict:
    return {"N": str(value)}


def _epoch(moment: datetime) -> dict:
    return {"N": str(int(moment.timestamp()))}


# --- likes ----------------------------------------------------------------------------------


def like_id(video_id: str, user_id: str) -> str:
    return f"like#{video_id}#{user_id}"


def put_like_action(video_id: str, user_id: str, *, now: datetime) -> dict:
    return {
        "Put": {
            "Item": {"id": _s(like_id(video_id, user_id)), "liked_at": _s(dynamo.stamp(now))},
            "ConditionExpression": "attribute_not_exists(id)",
        }
    }


def delete_like_action(video_id: str, user_id: str) -> dict:
    return {"Delete": {"Key": {"id": _s(like_id(video_id, user_id))}, "ConditionExpression": "attribute_exists(id)"}}


# --- views ----------------------------------------------------------------------------------


def put_view_action(video_id: str, viewer: str, *, now: datetime) -> dict:
    """The day's view mark of `viewer`; fails when they were already counted today."""
    return {
        "Put": {
            "Item": {
                "id": _s(f"view#{video_id}#{viewer}#{now:%Y-%m-%d}"),
                "expires_at": _epoch(now + timedelta(days=2)),
            },
            "ConditionExpression": "attribute_not_exists(id)",
        }
    }


# --- comments -------------------------------------------------------------------------------


def put_comment_action(comment: Comment) -> dict:
    return {
        "Put": {
            "Item": {
                "id": _s(f"comment#{comment.id}"),
                "comment_video": _s(comment.video_id),
                "posted_at": _s(dynamo.stamp(comment.posted_at)),
                "video_owner_id": _s(comment.video_owner_id),
                "author_id": _s(comment.author_id),
                "author_name": _s(comment.author_name),
                "text": _s(comment.text),
            },
            "ConditionExpression": "attribute_not_exists(id)",
        }
    }


def count_action(action: str, user_id: str, *, window: str, limit: int, expires: datetime) -> dict:
    """One more `action` by `user_id` in `window`; its condition fails past `limit`."""
    return {
        "Update": {
            "Key": {"id": _s(f"rate#{action}#{user_id}#{window}")},
            "ConditionExpression": "attribute_not_exists(#n) OR #n < :limit",
            "UpdateExpression": "ADD #n :one SET expires_at = :expires",
            "ExpressionAttributeNames": {"#n": "n"},
            "ExpressionAttributeValues": {":limit": {"N": str(limit)}, ":one": {"N": "1"}, ":expires": _epoch(expires)},
        }
    }


def get_comment(comment_id: str) -> Comment | None:
    answer = dynamo.client().get_item(
        TableName=dynamo.table_name(), Key={"id": _s(f"comment#{comment_id}")}, ConsistentRead=True
    )
    return _comment(answer["Item"]) if "Item" in answer else None


def comments_of(video_id: str, *, limit: int, cursor: str | None) -> CommentPage:
    """A video's visible comments, newest first (a page may hold fewer than `limit` when some
    are hidden, and still have a next cursor)."""
    page = dynamo.query_page(
        "comments", "comment_video = :v", {":v": _s(video_id)}, filter="attribute_not_exists(hidden_at)",
        limit=limit, cursor=cursor,
    )
    return CommentPage(items=[_comment(item) for item in page.items], next_cursor=page.next_cursor)


def delete_comment(comment_id: str, *, video_id: str, by: str) -> bool:
    """Delete the comment if it is on `video_id` and `by` wrote it or owns the video."""
    try:
        dynamo.client().delete_item(
            TableName=dynamo.table_name(),
            Key={"id": _s(f"comment#{comment_id}")},
            ConditionExpression="comment_video = :v AND (author_id = :by OR video_owner_id = :by)",
            ExpressionAttributeValues={":v": _s(video_id), ":by": _s(by)},
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return False
        raise
    return True


def remove_comment(comment_id: str) -> None:
    dynamo.client().delete_item(TableName=dynamo.table_name(), Key={"id": _s(f"comment#{comment_id}")})


def set_comment_hidden(comment_id: str, *, hidden_at: datetime | None) -> None:
    update = {"UpdateExpression": "REMOVE hidden_at"}
    if hidden_at:
        update = {
            "UpdateExpression": "SET hidden_at = :h",
            "ExpressionAttributeValues": {":h": _s(dynamo.stamp(hidden_at))},
        }
    try:
        dynamo.client().update_item(
            TableName=dynamo.table_name(),
            Key={"id": _s(f"comment#{comment_id}")},
            ConditionExpression="attribute_exists(id)",
            **update,
        )
    except ClientError as error:
        if not dynamo.condition_failed(error):
            raise


def _comment(item: dict) -> Comment:
    return Comment(
        id=item["id"]["S"].removeprefix("comment#"),
        video_id=item["comment_video"]["S"],
        video_owner_id=item["video_owner_id"]["S"],
        author_id=item["author_id"]["S"],
        author_name=item["author_name"]["S"],
        text=item["text"]["S"],
        posted_at=dynamo.parse_stamp(item["posted_at"]["S"]),
        hidden_at=dynamo.parse_stamp(item["hidden_at"]["S"]) if "hidden_at" in item else None,
    )


# --- reports --------------------------------------------------------------------------------


def add_report(*, target: str, video_id: str, summary: str, reporter: str, reason: str, now: datetime) -> None:
    """Record `reporter`'s report and count it on the target's case (opening it for review).
    Raises dynamo.ConditionFailed when this person already reported the target."""
    dynamo.transact(
        {
            "Put": {
                "Item": {
                    "id": _s(f"report#{target}#{reporter}"),
                    "reason": _s(reason),
                    "reported_at": _s(dynamo.stamp(now)),
                },
                "ConditionExpression": "attribute_not_exists(id)",
            }
        },
        {
            "Update": {
                "Key": {"id": _s(f"case#{target}")},
                "UpdateExpression": "ADD reports :one SET review = :open, review_at = if_not_exists(review_at, :now), "
                "video_id = :video, summary = :summary, reasons = list_append(if_not_exists(reasons, :none), :reason)",
                "ExpressionAttributeValues": {
                    ":one": {"N": "1"},
                    ":open": _s(OPEN),
                    ":now": _s(dynamo.stamp(now)),
                    ":video": _s(video_id),
                    ":summary": _s(summary),
                    ":none": {"L": []},
                    ":reason": {"L": [_s(reason)]},
                },
            }
        },
    )


def mark_case_hidden(target: str, *, threshold: int, now: datetime) -> bool:
    """True for the one caller that finds the open case at `threshold` reports and not hidden
    yet: that caller hides the target."""
    try:
        dynamo.client().update_item(
            TableName=dynamo.table_name(),
            Key={"id": _s(f"case#{target}")},
            ConditionExpression="review = :open AND reports >= :threshold AND attribute_not_exists(hidden_at)",
            UpdateExpression="SET hidden_at = :now",
            ExpressionAttributeValues={
                ":open": _s(OPEN), ":threshold": {"N": str(threshold)}, ":now": _s(dynamo.stamp(now))
            },
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return False
        raise
    return True


def open_cases(*, limit: int = 100) -> list[Case]:
    """Open cases, oldest first."""
    answer = dynamo.client().query(
        TableName=dynamo.table_name(),
        IndexName="review",
        KeyConditionExpression="review = :open",
        ExpressionAttributeValues={":open": _s(OPEN)},
        Limit=limit,
    )
    return [_case(item) for item in answer.get("Items", [])]


def get_case(target: str) -> Case | None:
    answer = dynamo.client().get_item(
        TableName=dynamo.table_name(), Key={"id": _s(f"case#{target}")}, ConsistentRead=True
    )
    return _case(answer["Item"]) if "Item" in answer else None


def close_case(target: str) -> bool:
    """Close an open case; its count starts again from zero (reporters stay counted once)."""
    try:
        dynamo.client().update_item(
            TableName=dynamo.table_name(),
            Key={"id": _s(f"case#{target}")},
            ConditionExpression="review = :open",
            UpdateExpression="REMOVE review, review_at, hidden_at, reasons SET reports = :zero",
            ExpressionAttributeValues={":open": _s(OPEN), ":zero": {"N": "0"}},
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return False
        raise
    return True


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


# --- the ranking ----------------------------------------------------------------------------


def put_ranking(ranking: Ranking, *, read: Ranking | None) -> None:
    """Store `ranking` in place of `read` (None: there was none), with no withdrawals. Raises
    dynamo.ConditionFailed if a video was withdrawn since `read` was read."""
    expected = {"ConditionExpression": "attribute_not_exists(id)"}
    if read is not None:
        expected = {"ConditionExpression": "version = :read", "ExpressionAttributeValues": {":read": _n(read.version)}}
    try:
        dynamo.client().put_item(
            TableName=dynamo.table_name(),
            Item={
                "id": _s(RANKING_ID),
                "computed_at": _s(dynamo.stamp(ranking.computed_at)),
                "version": _n((read.version if read else 0) + 1),
                "entries": {
                    "L": [{"M": {"video": {"M": video}, "score": {"N": f"{score:.6g}"}}}
                          for video, score in ranking.entries]
                },
            },
            **expected,
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            raise dynamo.ConditionFailed(str(error), [0]) from error
        raise


def get_ranking() -> Ranking | None:
    answer = dynamo.client().get_item(TableName=dynamo.table_name(), Key={"id": _s(RANKING_ID)}, ConsistentRead=True)
    if "Item" not in answer:
        return None
    item = answer["Item"]
    return Ranking(
        computed_at=dynamo.parse_stamp(item["computed_at"]["S"]) if "computed_at" in item else None,
        entries=[
            (entry["M"]["video"]["M"], float(entry["M"]["score"]["N"]))
            for entry in item.get("entries", {}).get("L", [])
        ],
        withdrawn=frozenset(item.get("withdrawn", {}).get("SS", [])),
        version=int(item.get("version", {}).get("N", "0")),
    )


def withdrawal_action(video_id: str) -> dict:
    """The transaction action that takes a video off the stored ranking at once (for
    videos/listings.py, in the transaction that unlists it)."""
    return {
        "Update": {
            "Key": {"id": _s(RANKING_ID)},
            "UpdateExpression": "ADD withdrawn :video, version :one",
            "ExpressionAttributeValues": {":video": {"SS": [video_id]}, ":one": _n(1)},
        }
    }
