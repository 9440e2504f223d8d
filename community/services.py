"""Likes and honest view counts, and what a viewer's page needs of them.

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

from community import repository
from notifications import services as notifications
from pettube import dynamo
from videos import services as videos
from videos.repository import READY, Video

log = logging.getLogger("pettube.community")

_TICKET_SALT = "community.view-ticket"
TICKET_MAX_AGE_SECONDS = 24 * 60 * 60


class InvalidTicket(ValueError):
    pass


@dataclass(frozen=True)
class Viewing:
    """A video as one person sees it on its page: whether they like it, their unseen count."""

    video: Video
    liked: bool
    unseen: int | None  # None for someone signed out


@dataclass(frozen=True)
class LikeState:
    liked: bool
    likes: int


def viewing(*, video_id: str, user_id: str | None) -> Viewing:
    """The video `user_id` may see, whether they like it and their unseen count: one DynamoDB
    round trip (a BatchGetItem). Raises videos.services.NotFound."""
    if user_id is None:
        return Viewing(video=videos.visible_video(video_id=video_id, user_id=None), liked=False, unseen=None)
    like, inbox = repository.like_id(video_id, user_id), notifications.inbox_key(user_id)
    video, found = videos.visible_video_along(video_id=video_id, user_id=user_id, others=[like, inbox])
    return Viewing(video=video, liked=like in found, unseen=notifications.unseen_in(found.get(inbox)))


def like(*, video_id: str, user_id: str, user_name: str) -> LikeState:
    """`user_id` likes a ready video (again: no change). Raises videos.services.NotFound."""
    video = _ready(video_id, user_id)
    now = dynamo.now()
    actions = [
        repository.put_like_action(video_id, user_id, now=now),
        videos.counter_action(video_id=video_id, counter="likes", delta=1),
    ]
    if video.owner_id != user_id:
        actions += notifications.activity_actions(
            recipient=video.owner_id, kind="like", actor_name=user_name, video_id=video_id, video_title=video.title,
            now=now,
        )
    try:
        dynamo.transact(*actions)
    except dynamo.ConditionFailed:
        pass  # liked already (or the video went away: the state below tells)
    return like_state(video_id=video_id, user_id=user_id)


def unlike(*, video_id: str, user_id: str) -> LikeState:
    """`user_id` takes their like back (none: no change). Raises videos.services.NotFound."""
    _ready(video_id, user_id)
    try:
        dynamo.transact(
            repository.delete_like_action(video_id, user_id),
            videos.counter_action(video_id=video_id, counter="likes", delta=-1),
        )
    except dynamo.ConditionFailed:
        pass
    return like_state(video_id=video_id, user_id=user_id)


def like_state(*, video_id: str, user_id: str) -> LikeState:
    viewed = viewing(video_id=video_id, user_id=user_id)
    return LikeState(liked=viewed.liked, likes=viewed.video.likes)


def _ready(video_id: str, user_id: str | None) -> Video:
    video = videos.visible_video(video_id=video_id, user_id=user_id)
    if video.status != READY or video.hidden_at:
        raise videos.NotFound(video_id)
    return video


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
    try:
        dynamo.transact(
            repository.put_view_action(video_id, viewer, now=now),
            videos.counter_action(video_id=video_id, counter="views", delta=1),
        )
    except dynamo.ConditionFailed:
        return False
    return True
