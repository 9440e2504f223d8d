"""Likes and honest view counts.

A like and the video's `likes` counter change in one conditional transaction, so however often
a like is repeated or raced, the count equals the likes. A view counts once per viewer, video
and day, only when the player reports enough playback (with a ticket the page handed out at
least PETTUBE_VIEW_SECONDS earlier), and never the owner's own.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

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


def view_ticket(*, video: Video, now: datetime | None = None) -> str:
    """What the watch page gives its player to report a view with, once it has played a while."""
    moment = now or dynamo.now()
    return signing.dumps({"v": video.id, "o": video.owner_id, "t": moment.timestamp()}, salt=_TICKET_SALT)


def count_view(*, video_id: str, viewer: str, user_id: str | None, ticket: str, now: datetime | None = None) -> bool:
    """Count a view of `video_id` by `viewer` (a signed-in person's id, or a browser's) if the
    ticket is at least PETTUBE_VIEW_SECONDS old, the viewer is not the owner, and they were
    not counted today. Returns whether it counted. Raises InvalidTicket."""
    now = now or dynamo.now()
    try:
        data = signing.loads(ticket, salt=_TICKET_SALT, max_age=TICKET_MAX_AGE_SECONDS)
    except signing.BadSignature as error:
        raise InvalidTicket("This view ticket is not valid.") from error
    if not isinstance(data, dict) or data.get("v") != video_id:
        raise InvalidTicket("This view ticket is for another video.")
    if now.timestamp() - data["t"] < settings.PETTUBE_VIEW_SECONDS or user_id == data["o"]:
        return False
    return likes.add_view(video_id, viewer, user_id=user_id, now=now,
                          also=[videos.counter_action(video_id=video_id, counter="views", delta=1)])
