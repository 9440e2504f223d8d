"""What is new to a person from the famous accounts they follow, for notifications' unseen count
and daily digest (registered from seams.py as a notifications.news `Source`).

A famous account's video is fanned out to nobody (services.fan_out), so nothing records it as
news per follower; it is found in the account's recent videos instead, and is new to a person
who follows the account when it is listed, not theirs, and every account of it they follow was
famous when it was published and followed by then (a video that reached them through an
ordinary account, or before the account was famous, was fanned out and counted at the time).
The recent videos and the videos' state are the same for every follower: each process keeps them
a few seconds (repository.Kept), so the count of a video made private may lag that long, while the
feed never shows it.
"""

from datetime import date, timedelta

from follows import repository, services
from follows.repository import Following, Recent
from pettube import dynamo
from videos import services as videos
from videos.domain import Video

_videos = repository.Kept(services.FAMOUS_PAGE_SECONDS)


def ids(user_id: str) -> list[str]:
    """The item the unseen count reads with the person's own: what they follow."""
    return [repository.following_id(user_id)]


def since(found: dict[str, dict], user_id: str, stamp: str) -> list[Video]:
    """The videos new to `user_id` (see above) published at or after `stamp`, newest first, from
    what they follow among `found`: nothing more is read unless they follow a famous account."""
    following = repository.following_in(found, user_id)
    if not following.targets:
        return []
    recent = services.recent_of(sorted(following.targets & repository.famous()))
    candidates = [video_id for item in recent.values() for published, video_id in item.entries if published >= stamp]
    return _new_to(user_id, following, recent, candidates, _current(candidates))


def of_day(day: str, user_ids: list[str]) -> dict[str, list[Video]]:
    """Each person's videos of `day` (YYYY-MM-DD) new to them (see above), by person (those with
    none left out): what they follow in one BatchGetItem per 100 people, then the famous accounts'
    recent videos (a Query for one whose recent videos do not reach back to that day: at most
    RECENT_SIZE of its videos a day) and the videos, read once for all within a few seconds."""
    if not repository.famous():
        return {}
    followings = repository.followings(user_ids)
    followed = frozenset().union(*(following.targets for following in followings.values()))
    recent = services.recent_of(sorted(followed & repository.famous()))
    until = f"{date.fromisoformat(day) + timedelta(days=1)}"
    that_day = {account: _of_day(account, item, day=day, until=until) for account, item in recent.items()}
    current = _current([video_id for listed in that_day.values() for video_id in listed])
    news = {}
    for user_id, following in followings.items():
        candidates = [video_id for account in sorted(following.targets & that_day.keys())
                      for video_id in that_day[account]]
        if new := _new_to(user_id, following, recent, candidates, current):
            news[user_id] = new
    return news


def _of_day(account: str, recent: Recent, *, day: str, until: str) -> list[str]:
    entries = (recent.entries if recent.covers <= (day, "")
               else services.famous_videos(account, before=until, limit=repository.RECENT_SIZE))
    return [video_id for published, video_id in entries if day <= published < until]


def _current(video_ids: list[str]) -> dict[str, Video]:
    return _videos.read(video_ids, lambda stale: videos.videos_by_id(video_ids=stale))


def _new_to(user_id: str, following: Following, recent: dict[str, Recent], candidates: list[str],
            current: dict[str, Video]) -> list[Video]:
    """Those of the `candidates` (ids from famous accounts' recent videos) new to `user_id`, as
    they are now, newest first, each once."""
    news = {}
    for video_id in candidates:
        video = current.get(video_id)
        if video is None or not video.listed or video.owner_id == user_id:
            continue
        published, followed = dynamo.stamp(video.published_at), following.targets & set(services.sources(video))
        if followed and all(account in recent and published >= max(recent[account].famous_since,
                                                                    following.since.get(account, ""))
                            for account in followed):
            news[video_id] = video
    return sorted(news.values(), key=lambda video: (video.published_at, video.id), reverse=True)
