"""Popular this week: every hour, the last 7 days' public videos ranked by likes and views with
a time decay, stored as one item so the "Popular" tab is one read."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.core import signing

from community import repository
from community.repository import Ranking
from pettube import dynamo
from videos import services as videos
from videos.repository import Video

WINDOW = timedelta(days=7)
LIKE_WEIGHT = 3  # a like says more than a view
GRAVITY = 1.5  # how fast age pulls a video down (Hacker News uses 1.8)
MAX_RANKED = 100  # with descriptions left out, 100 copies stay far below DynamoDB's 400 KB item size
PAGE_SIZE = 24
_CURSOR_SALT = "community.ranking.cursor"


@dataclass(frozen=True)
class PopularPage:
    items: list[Video]
    next_cursor: str | None


def score(video: Video, *, now: datetime) -> float:
    hours = max(0.0, (now - video.published_at).total_seconds() / 3600)
    return (LIKE_WEIGHT * video.likes + video.views) / (hours + 2) ** GRAVITY


def rank(*, now: datetime | None = None) -> Ranking:
    """Rank the videos published in the last WINDOW (a Query on the feed index: no Scan) and
    store the ranking, replacing the previous one."""
    now = now or dynamo.now()
    candidates = videos.published_since(since=now - WINDOW)
    best_first = sorted(candidates, key=lambda video: (score(video, now=now), video.published_at), reverse=True)
    ranked = best_first[:MAX_RANKED]
    ranking = Ranking(
        computed_at=now,
        entries=[(videos.snapshot(replace(video, description="")), score(video, now=now)) for video in ranked],
    )
    repository.put_ranking(ranking)
    return ranking


def popular_page(*, cursor: str | None = None, limit: int = PAGE_SIZE) -> PopularPage:
    """A page of the stored ranking (one GetItem). Raises dynamo.InvalidCursor."""
    start = 0
    if cursor:
        try:
            start = int(signing.loads(cursor, salt=_CURSOR_SALT))
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise dynamo.InvalidCursor("This cursor is not valid.") from error
    ranking = repository.get_ranking()
    entries = ranking.entries if ranking else []
    end = start + limit
    return PopularPage(
        items=[videos.from_snapshot(video) for video, _ in entries[start:end]],
        next_cursor=signing.dumps(end, salt=_CURSOR_SALT) if end < len(entries) else None,
    )
