"""Popular this week: every hour, the last 7 days' public videos ranked by likes and views with
a time decay, stored as one item so the "Popular" tab is one read. A video that stops being
listed (private, hidden, deleted) leaves the stored ranking in the transaction that
unlists it (community/seams.py registers that with videos/listings.py), not an hour later."""

from dataclasses import replace
from datetime import datetime, timedelta

from django.core import signing

from community.repositories import ranking as stored
from community.repositories.ranking import Ranking
from pettube import dynamo
from videos import services as videos
from videos.domain import Page, Video

WINDOW = timedelta(days=7)
LIKE_WEIGHT = 3  # a like says more than a view
GRAVITY = 1.5  # how fast age pulls a video down (Hacker News uses 1.8)
MAX_RANKED = 100  # with descriptions left out, 100 copies stay far below DynamoDB's 400 KB item size
PAGE_SIZE = 24
ATTEMPTS = 3  # times the ranking is made when videos keep being withdrawn during it
_CURSOR_SALT = "community.ranking.cursor"


def score(video: Video, *, now: datetime) -> float:
    hours = max(0.0, (now - video.published_at).total_seconds() / 3600)
    return (LIKE_WEIGHT * video.likes + video.views) / (hours + 2) ** GRAVITY


def rank(*, now: datetime | None = None) -> Ranking:
    """Rank the videos published in the last WINDOW (a Query on the feed index: no Scan) and
    store the ranking, replacing the previous one, unless a video was withdrawn from it
    meanwhile (made private, hidden or deleted: the query may still have listed it), in which
    case the ranking is made again."""
    now = now or dynamo.now()
    attempts = 1
    while True:
        version = stored.version()
        candidates = videos.published_since(since=now - WINDOW)
        best_first = sorted(candidates, key=lambda video: (score(video, now=now), video.published_at), reverse=True)
        ranking = Ranking(
            computed_at=now,
            entries=[(replace(video, description=""), score(video, now=now)) for video in best_first[:MAX_RANKED]],
        )
        try:
            stored.put(ranking, read_version=version)
            return ranking
        except stored.Withdrawn:
            if attempts == ATTEMPTS:
                raise
            attempts += 1


def popular_page(*, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """A page of the stored ranking (one GetItem). Raises dynamo.InvalidCursor."""
    start = 0
    if cursor:
        try:
            start = int(signing.loads(cursor, salt=_CURSOR_SALT))
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise dynamo.InvalidCursor() from error
    end = start + limit
    items, more = stored.page(start, end)
    return Page(items=items, next_cursor=signing.dumps(end, salt=_CURSOR_SALT) if more else None)


def withdrawal_action(video_id: str) -> dynamo.Action:
    """Takes a video off the stored ranking, in the transaction that unlists it."""
    return stored.withdrawal_action(video_id)

