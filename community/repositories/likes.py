"""Likes and counted views. Keys in the shared table:

- `like#<video id>#<user id>`: one person's like of one video (`liked_at`). It is written and
  removed in one transaction with the video's `likes` counter, so the count equals the likes.
- `like-noticed#<video id>#<user id>`: the owner was told of this person's like of this video
  (the unseen count, the digest line), once: it stays when the like is taken back, so liking
  and unliking again and again tells nobody anything more.
- `view#<video id>#<viewer>#<day>`: a counted view (TTL `expires_at`): one per viewer, video and
  day (the day its ticket was handed out: a ticket counts once), written in one transaction with
  the video's `views` counter and `rate#view#<hashed address>#<hour>` (TTL), the address's count.
Both carry `of_video` (and a like, and a signed-in person's view, `of_user`): they go with the
video or the person (community/repositories/owned.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from pettube import dynamo
from pettube.dynamo import Action


def like_id(video_id: str, user_id: str) -> str:
    return f"like#{video_id}#{user_id}"


def likes(found: dict[str, dict], video_id: str, user_id: str) -> bool:
    """Whether `user_id` likes the video, from items read along with it (by id)."""
    return like_id(video_id, user_id) in found


def add_like(video_id: str, user_id: str, *, now: datetime, also: list[Action], notice: list[Action]) -> bool:
    """Record the like with `also` (the video's counter) in one transaction, and with `notice`
    (the owner's activity) only the first time this person likes this video; False when it is
    there already or an action of `also` refused. A first like is one transaction, a like
    after an unlike two."""
    like = {"Put": {"Item": {**dynamo.key(like_id(video_id, user_id)), "liked_at": dynamo.s(dynamo.stamp(now)),
                             **_belongs(video_id, user_id)},
                    "ConditionExpression": "attribute_not_exists(id)"}}
    noticed = {"Put": {"Item": {**dynamo.key(f"like-noticed#{video_id}#{user_id}"), **_belongs(video_id, user_id)},
                       "ConditionExpression": "attribute_not_exists(id)"}}
    try:
        dynamo.transact(like, *also, noticed, *notice)
        return True
    except dynamo.ConditionFailed as failed:
        if failed.failed_actions != [1 + len(also)]:
            return False  # liked already, or the video cannot be liked
    return dynamo.try_transact(like, *also)  # liked before: the owner heard of it then


def _belongs(video_id: str, user_id: str) -> dict:
    return {"of_video": dynamo.s(video_id), "of_user": dynamo.s(user_id)}


def remove_like(video_id: str, user_id: str, *, also: list[Action]) -> bool:
    """Take the like back with `also`, in one transaction; False when there was none."""
    return dynamo.try_transact(
        {"Delete": {"Key": dynamo.key(like_id(video_id, user_id)), "ConditionExpression": "attribute_exists(id)"}},
        *also,
    )


@dataclass(frozen=True)
class Rate:
    """A limit on counted views: at most `limit` under `key` (an address and an hour)."""

    key: str
    limit: int
    expires: datetime


class TooMany(Exception):
    """The rate's limit is reached: nothing was counted."""


def add_view(video_id: str, viewer: str, *, user_id: str | None, day: str, now: datetime, also: list[Action],
             rate: Rate) -> bool:
    """Mark `viewer`'s view of `day` (`user_id`: the person, if signed in) with `also` (the
    video's counter) and count it on `rate` (`rate#view#<key>`, TTL), in one transaction; False
    when they were already counted that day (or `also` refused). Raises TooMany."""
    item = {**dynamo.key(f"view#{video_id}#{viewer}#{day}"), "of_video": dynamo.s(video_id),
            dynamo.TTL_ATTRIBUTE: dynamo.epoch(now + timedelta(days=2))}
    if user_id:
        item["of_user"] = dynamo.s(user_id)
    try:
        dynamo.transact(
            {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(id)"}},
            *also,
            dynamo.count_below(f"rate#view#{rate.key}", limit=rate.limit, expires=rate.expires),
        )
    except dynamo.ConditionFailed as failed:
        if failed.failed_actions == [1 + len(also)]:
            raise TooMany() from failed
        return False
    return True


def like_of(item_id: str) -> tuple[str, str] | None:
    """The video and the person of a like's id; None for another kind of item."""
    kind, _, rest = item_id.partition("#")
    video_id, _, user_id = rest.partition("#")
    return (video_id, user_id) if kind == "like" else None
