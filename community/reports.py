"""Reports: anyone signed in reports a video or a comment with a reason, once per target, at
most PETTUBE_REPORTS_PER_HOUR an hour, never their own. A report weighs 1 from an established
account (signed in with Google, whose address Google verified, or older than
PETTUBE_REPORTER_MIN_AGE_HOURS) and 0 from a new one (it still opens a case for staff); at
PETTUBE_REPORTS_TO_HIDE of weight the target is hidden pending review, and staff restore it or
delete it. A restored target needs twice the weight to be hidden again, each time."""

import logging
from datetime import datetime, timedelta

from django.conf import settings

from community.repositories import comments, reports
from community.repositories.reports import CasePage, Report
from pettube import dynamo, exceptions
from videos import services as videos
from videos.domain import READY

log = logging.getLogger("pettube.community")

MAX_REASON = 500
PAGE_SIZE = 50


class InvalidReport(exceptions.Invalid):
    def __init__(self, message: str):
        super().__init__(message, {"reason": [message]})


class RateLimited(exceptions.RateLimited):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many reports; try again in {retry_after} s.", retry_after=retry_after)


def weight(*, joined: datetime, verified_email: bool, now: datetime | None = None) -> int:
    """How much a person's report counts toward hiding: three new accounts made for the purpose
    hide nothing."""
    established = (now or dynamo.now()) - joined >= timedelta(hours=settings.PETTUBE_REPORTER_MIN_AGE_HOURS)
    return 1 if verified_email or established else 0


def report_video(*, video_id: str, reporter_id: str, reason: str, weight: int) -> bool:
    """Report a video; returns whether it is now hidden. Raises InvalidReport,
    videos.services.NotFound, Forbidden (one's own video), RateLimited."""
    reason = _reason(reason)
    video = videos.visible_video(video_id=video_id, user_id=reporter_id)
    if video.status != READY:
        raise videos.NotFound()
    if video.owner_id == reporter_id:
        raise exceptions.Forbidden("You cannot report your own video.")
    target = f"video:{video_id}"
    report = Report(target=target, video_id=video_id, summary=video.title, reporter=reporter_id, reason=reason,
                    weight=weight)
    if _count(report):
        videos.hide_video(video_id=video_id)
        return True
    return video.hidden_at is not None


def report_comment(*, video_id: str, comment_id: str, reporter_id: str, reason: str, weight: int) -> bool:
    """Report a comment on a video the reporter can watch (a private, hidden or deleted video's
    comments are not there to report, nor to learn the ids of); returns whether it is now
    hidden. Raises InvalidReport, videos.services.NotFound, Forbidden (one's own comment), RateLimited."""
    reason = _reason(reason)
    videos.visible_video(video_id=video_id, user_id=reporter_id)
    comment = comments.get(comment_id)
    if comment is None or comment.video_id != video_id:
        raise videos.NotFound()
    if comment.author_id == reporter_id:
        raise exceptions.Forbidden("You cannot report your own comment.")
    report = Report(target=f"comment:{comment_id}", video_id=video_id,
                    summary=f"{comment.author_name}: {comment.text[:200]}", reporter=reporter_id, reason=reason,
                    weight=weight)
    if _count(report):
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


def _count(report: Report) -> bool:
    """Count the report (a person's second report of a target changes nothing); True for the
    one report that brings the weight to the threshold."""
    now = dynamo.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    try:
        counted = reports.add(report, threshold=settings.PETTUBE_REPORTS_TO_HIDE, now=now, window=f"{hour:%Y%m%d%H}",
                              limit=settings.PETTUBE_REPORTS_PER_HOUR, expires=hour + timedelta(hours=2))
    except reports.TooMany:
        raise RateLimited(int((hour + timedelta(hours=1) - now).total_seconds()) + 1) from None
    if not counted:
        return False
    hide = reports.mark_hidden(report.target, now=now)
    if hide:
        log.warning("hidden pending review", extra={"target": report.target})
    return hide


# --- review (staff) -------------------------------------------------------------------------


def open_cases(*, cursor: str | None = None, limit: int = PAGE_SIZE) -> CasePage:
    """A page of the cases to review: hidden targets first. Raises dynamo.InvalidCursor."""
    return reports.open_cases(limit=limit, cursor=cursor)


def restore(*, target: str) -> None:
    """The reports were wrong: show the target again and close its case; hiding it again takes
    twice the weight it took this time."""
    case = reports.get(target)
    if case is None or not reports.close(target, threshold=2 * max(case.threshold, settings.PETTUBE_REPORTS_TO_HIDE)):
        return
    if case.kind == "video":
        videos.restore_video(video_id=case.target_id)
    else:
        comments.set_hidden(case.target_id, hidden_at=None)
    log.info("restored after review", extra={"target": target})


def remove(*, target: str) -> None:
    """The reports were right: delete the target and close its case."""
    case = reports.get(target)
    if case is None or not reports.close(target, threshold=case.threshold):
        return
    if case.kind == "video":
        videos.remove_video(video_id=case.target_id)
    else:
        comments.remove(case.target_id)
    log.info("deleted after review", extra={"target": target})
