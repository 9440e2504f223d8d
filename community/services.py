"""Likes and honest view counts.

A like and the video's `likes` counter change in one conditional transaction, so however often
a like is repeated or raced, the count equals the likes. A view counts once per viewer, video
and day, only when the player reports enough playback (with a ticket the page handed out at
least PETTUBE_VIEW_SECONDS earlier, to that viewer only: community/viewers.py), never the
owner's own, never once the video is private or hidden, and at most PETTUBE_VIEWS_PER_HOUR
counted views an hour come from one network address.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing

from community.repositories import likes
from notifications import services as notifications
from pettube import dynamo, exceptions
from videos import services as videos
from videos.domain import Video

log = logging.getLogger("pettube.community")

_TICKET_SALT = "community.view-ticket"
TICKET_MAX_AGE_SECONDS = 24 * 60 * 60


class InvalidTicket(exceptions.Invalid):
    def __init__(self, message: str):
        super().__init__(message, {"ticket": [message]})


@dataclass(frozen=True)
class LikeState:
    liked: bool
    likes: int


def like(*, video_id: str, user_id: str, user_name: str) -> LikeState:
    """`user_id` likes a ready video (again: no change). Its owner is told once per person and
    video, however often it is liked and unliked. Raises videos.services.NotFound."""
    video = videos.ready_video(video_id=video_id, user_id=user_id)
    now = dynamo.now()
    notice = []
    if video.owner_id != user_id:
        notice = notifications.activity_actions(
            recipient=video.owner_id, kind="like", actor_name=user_name, video_id=video_id, video_title=video.title,
            now=now,
        )
    also = [videos.counter_action(video_id=video_id, counter="likes", delta=1)]
    likes.add_like(video_id, user_id, now=now, also=also, notice=notice)  # liked already, or the video went
    return like_state(video_id=video_id, user_id=user_id)


def unlike(*, video_id: str, user_id: str) -> LikeState:
    """`user_id` takes their like back (none: no change). Raises videos.services.NotFound."""
    videos.ready_video(video_id=video_id, user_id=user_id)
    likes.remove_like(video_id, user_id, also=[videos.counter_action(video_id=video_id, counter="likes", delta=-1)])
    return like_state(video_id=video_id, user_id=user_id)


def like_state(*, video_id: str, user_id: str) -> LikeState:
    viewed = videos.viewing(video_id=video_id, user_id=user_id)
    return LikeState(liked=bool(viewed.along.get("liked")), likes=viewed.video.likes)


# --- views ----------------------------------------------------------------------------------


class ViewsRateLimited(exceptions.RateLimited):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many views from here; try again in {retry_after} s.", retry_after=retry_after)


def view_ticket(*, video: Video, viewer: str, now: datetime | None = None) -> str:
    """What a video's page gives `viewer` (community/viewers.py) to report a view with, once
    it has played a while."""
    moment = now or dynamo.now()
    return signing.dumps({"v": video.id, "o": video.owner_id, "w": viewer, "t": moment.timestamp()},
                         salt=_TICKET_SALT)


def count_view(*, video_id: str, viewers: tuple[str, ...], user_id: str | None, address: str, ticket: str,
               now: datetime | None = None) -> bool:
    """Count a view of `video_id` by the viewer the ticket was handed to, if that is one of
    `viewers` (who is asking, from `address`, hashed: community/viewers.py), at least
    PETTUBE_VIEW_SECONDS ago, the viewer is not the owner, the video is still public or
    unlisted, and this viewer was not counted on the ticket's day (so a ticket counts once).
    Returns whether it counted. Raises InvalidTicket, ViewsRateLimited."""
    now = now or dynamo.now()
    try:
        data = signing.loads(ticket, salt=_TICKET_SALT, max_age=TICKET_MAX_AGE_SECONDS)
    except signing.BadSignature as error:
        raise InvalidTicket("This view ticket is not valid.") from error
    if not isinstance(data, dict) or data.get("v") != video_id:
        raise InvalidTicket("This view ticket is for another video.")
    viewer = data.get("w")
    if viewer not in viewers:
        raise InvalidTicket("This view ticket was handed to another viewer.")
    if now.timestamp() - data["t"] < settings.PETTUBE_VIEW_SECONDS or user_id == data["o"]:
        return False
    hour = now.replace(minute=0, second=0, microsecond=0)
    try:
        return likes.add_view(
            video_id, viewer, user_id=user_id, day=f"{datetime.fromtimestamp(data['t'], UTC):%Y-%m-%d}", now=now,
            also=[videos.counter_action(video_id=video_id, counter="views", delta=1, watchable=True)],
            rate=likes.Rate(key=f"{address}#{hour:%Y%m%d%H}", limit=settings.PETTUBE_VIEWS_PER_HOUR,
                            expires=hour + timedelta(hours=2)),
        )
    except likes.TooMany:
        raise ViewsRateLimited(int((hour + timedelta(hours=1) - now).total_seconds()) + 1) from None
