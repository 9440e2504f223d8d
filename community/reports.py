"""Reports: anyone signed in reports a video or a comment with a reason, once per target; at
PETTUBE_REPORTS_TO_HIDE reports from different people the target is hidden pending review, and
staff restore it or delete it."""

import logging

from django.conf import settings

from community.repositories import comments, reports
from community.repositories.reports import Case
from pettube import dynamo, exceptions
from videos import services as videos
from videos.domain import READY

log = logging.getLogger("pettube.community")

MAX_REASON = 500


class InvalidReport(exceptions.Invalid):
    def __init__(self, message: str):
        super().__init__(message, {"reason": [message]})


def report_video(*, video_id: str, reporter_id: str, reason: str) -> bool:
    """Report a video; returns whether it is now hidden. Raises InvalidReport, videos.services.NotFound."""
    reason = _reason(reason)
    video = videos.visible_video(video_id=video_id, user_id=reporter_id)
    if video.status != READY:
        raise videos.NotFound()
    target = f"video:{video_id}"
    if _count(target, video_id=video_id, summary=video.title, reporter_id=reporter_id, reason=reason):
        videos.hide_video(video_id=video_id)
        return True
    return video.hidden_at is not None


def report_comment(*, video_id: str, comment_id: str, reporter_id: str, reason: str) -> bool:
    """Report a comment on a video the reporter can watch (a private, hidden or deleted video's
    comments are not there to report, nor to learn the ids of); returns whether it is now
    hidden. Raises InvalidReport, videos.services.NotFound."""
    reason = _reason(reason)
    videos.visible_video(video_id=video_id, user_id=reporter_id)
    comment = comments.get(comment_id)
    if comment is None or comment.video_id != video_id:
        raise videos.NotFound()
    target = f"comment:{comment_id}"
    summary = f"{comment.author_name}: {comment.text[:200]}"
    if _count(target, video_id=video_id, summary=summary, reporter_id=reporter_id, reason=reason):
        comments.set_hidden(comment_id, hidden_at=dynamo.now())
        return True
    return comment.hidden_at is not None


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidReport("Say what is wrong with it.")
    if len(reason) > MAX_REASON:
        raise InvalidReport(f"A reason has at most {MAX_REASON} characters.")
    return reason


def _count(target: str, *, video_id: str, summary: str, reporter_id: str, reason: str) -> bool:
    """Count the report (a person's second report of a target changes nothing); True for the
    one report that reaches the threshold."""
    now = dynamo.now()
    if not reports.add(target=target, video_id=video_id, summary=summary, reporter=reporter_id, reason=reason,
                       now=now):
        return False
    hide = reports.mark_hidden(target, threshold=settings.PETTUBE_REPORTS_TO_HIDE, now=now)
    if hide:
        log.warning("hidden pending review", extra={"target": target})
    return hide


# --- review (staff) -------------------------------------------------------------------------


def open_cases() -> list[Case]:
    return reports.open_cases()


def restore(*, target: str) -> None:
    """The reports were wrong: show the target again and close its case."""
    case = reports.get(target)
    if case is None or not reports.close(target):
        return
    if case.kind == "video":
        videos.restore_video(video_id=case.target_id)
    else:
        comments.set_hidden(case.target_id, hidden_at=None)
    log.info("restored after review", extra={"target": target})


def remove(*, target: str) -> None:
    """The reports were right: delete the target and close its case."""
    case = reports.get(target)
    if case is None or not reports.close(target):
        return
    if case.kind == "video":
        videos.remove_video(video_id=case.target_id)
    else:
        comments.remove(case.target_id)
    log.info("deleted after review", extra={"target": target})
