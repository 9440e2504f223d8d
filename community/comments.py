"""Comments: signed-in people comment on videos they can watch (plain text, at most
MAX_LENGTH characters, at most PETTUBE_COMMENTS_PER_HOUR each per hour); newest first; the
author deletes their own, the video's owner any on their video."""

import secrets
from datetime import timedelta

from django.conf import settings

from community.repositories import comments
from community.repositories.comments import Comment, CommentPage
from notifications import services as notifications
from pettube import dynamo, exceptions
from pettube.text import has_control_characters, visible
from videos import services as videos

MAX_LENGTH = 2000
PAGE_SIZE = 20


class InvalidComment(exceptions.Invalid):
    def __init__(self, message: str):
        super().__init__(message, {"text": [message]})


class RateLimited(exceptions.RateLimited):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many comments; try again in {retry_after} s.", retry_after=retry_after)


def post_comment(*, video_id: str, author_id: str, author_name: str, text: str) -> Comment:
    """Add a comment to a ready video the author can watch. Raises InvalidComment,
    RateLimited, videos.services.NotFound."""
    text = text.strip()
    if not visible(text):
        raise InvalidComment("Write something first.")
    if has_control_characters(text):
        raise InvalidComment("A comment cannot hold control characters (such as NUL).")
    if len(text) > MAX_LENGTH:
        raise InvalidComment(f"A comment has at most {MAX_LENGTH} characters.")
    video = videos.ready_video(video_id=video_id, user_id=author_id)
    now = dynamo.now()
    comment = Comment(
        id=secrets.token_urlsafe(9), video_id=video_id, video_owner_id=video.owner_id, author_id=author_id,
        author_name=author_name, text=text, posted_at=now,
    )
    hour = now.replace(minute=0, second=0, microsecond=0)
    also = []
    if video.owner_id != author_id:
        also = notifications.activity_actions(
            recipient=video.owner_id, kind="comment", actor_name=author_name, video_id=video_id,
            video_title=video.title, excerpt=text, now=now,
        )
    try:
        stored = comments.add(comment, window=f"{hour:%Y%m%d%H}", limit=settings.PETTUBE_COMMENTS_PER_HOUR,
                              expires=hour + timedelta(hours=2), also=also)
    except comments.TooMany:
        raise RateLimited(int((hour + timedelta(hours=1) - now).total_seconds()) + 1) from None
    if not stored:
        raise exceptions.Conflict("The comment could not be saved; try again.")
    return comment


def comments_on(
    *, video_id: str, user_id: str | None, cursor: str | None = None, limit: int = PAGE_SIZE
) -> CommentPage:
    """A page of the comments on a video `user_id` can watch, newest first. Raises
    videos.services.NotFound, pettube.dynamo.InvalidCursor."""
    videos.visible_video(video_id=video_id, user_id=user_id)
    return comments.of_video(video_id, limit=limit, cursor=cursor)


def delete_comment(*, video_id: str, comment_id: str, user_id: str) -> None:
    """Delete a comment: its author or the video's owner may. Raises NotFound, Forbidden."""
    if comments.delete(comment_id, video_id=video_id, by=user_id):
        return
    comment = comments.get(comment_id)
    if comment is None or comment.video_id != video_id:
        raise exceptions.NotFound("No such comment.")
    raise exceptions.Forbidden("Only the comment's author or the video's owner can delete it.")
