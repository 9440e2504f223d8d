"""Comments and how many a person posted in an hour. Keys in the shared table:

- `comment#<comment id>`: GSI `comments` (`comment_video`, `posted_at`), newest first per video;
  `of_video` and `of_user` (its author): it goes with either (community/repositories/owned.py).
- `rate#<action>#<user id>#<window>`: how many times a person did `action` in a window (TTL).
"""

from dataclasses import dataclass
from datetime import datetime

from pettube import dynamo
from pettube.dynamo import Action


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


class TooMany(Exception):
    """The author is at the window's limit: nothing was stored."""


def add(comment: Comment, *, window: str, limit: int, expires: datetime, also: list[Action]) -> bool:
    """Store the comment, count it against its author's `limit` in `window`, and run `also` (the
    owner's activity), in one transaction. Raises TooMany past the limit; False when the comment
    exists already."""
    try:
        dynamo.transact(
            {
                "Put": {
                    "Item": {
                        **dynamo.key(_id(comment.id)),
                        "comment_video": dynamo.s(comment.video_id),
                        "of_video": dynamo.s(comment.video_id),
                        "of_user": dynamo.s(comment.author_id),
                        "posted_at": dynamo.s(dynamo.stamp(comment.posted_at)),
                        "video_owner_id": dynamo.s(comment.video_owner_id),
                        "author_id": dynamo.s(comment.author_id),
                        "author_name": dynamo.s(comment.author_name),
                        "text": dynamo.s(comment.text),
                    },
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            },
            dynamo.count_below(f"rate#comment#{comment.author_id}#{window}", limit=limit, expires=expires),
            *also,
        )
    except dynamo.ConditionFailed as failed:
        if 1 in failed.failed_actions:
            raise TooMany() from failed
        return False
    return True


def get(comment_id: str) -> Comment | None:
    item = dynamo.get(_id(comment_id))
    return _comment(item) if item else None


def of_video(video_id: str, *, limit: int, cursor: str | None) -> CommentPage:
    """A video's visible comments, newest first (a page may hold fewer than `limit` when some
    are hidden, and still have a next cursor)."""
    page = dynamo.query_page(
        "comments", "comment_video = :v", {":v": dynamo.s(video_id)}, filter="attribute_not_exists(hidden_at)",
        limit=limit, cursor=cursor,
    )
    return CommentPage(items=[_comment(item) for item in page.items], next_cursor=page.next_cursor)


def delete(comment_id: str, *, video_id: str, by: str) -> bool:
    """Delete the comment if it is on `video_id` and `by` wrote it or owns the video."""
    return dynamo.delete_item(
        Key=dynamo.key(_id(comment_id)),
        ConditionExpression="comment_video = :v AND (author_id = :by OR video_owner_id = :by)",
        ExpressionAttributeValues={":v": dynamo.s(video_id), ":by": dynamo.s(by)},
    )


def remove(comment_id: str) -> None:
    dynamo.delete_item(Key=dynamo.key(_id(comment_id)))


def set_hidden(comment_id: str, *, hidden_at: datetime | None) -> None:
    """Hide the comment (or show it again, with None); nothing when it is gone."""
    update = {"UpdateExpression": "REMOVE hidden_at"}
    if hidden_at:
        update = {"UpdateExpression": "SET hidden_at = :h",
                  "ExpressionAttributeValues": {":h": dynamo.s(dynamo.stamp(hidden_at))}}
    dynamo.update_item(Key=dynamo.key(_id(comment_id)), ConditionExpression="attribute_exists(id)", **update)


def _id(comment_id: str) -> str:
    return f"comment#{comment_id}"


def comment_of(item_id: str) -> str | None:
    """The comment id of a comment's item id; None for another kind of item."""
    return item_id.removeprefix("comment#") if item_id.startswith("comment#") else None


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
