"""What following plugs into videos' seams (`register`, from follows/apps.py): its `Listing` (a
video that becomes listed gets its fan-out to do in the same transaction, one that stops being
listed has it cancelled there; the read-time check does the rest), the worker's fan-out as soon
as a video is published and forgetting a deleted account's follows (videos/signals.py), the
`?feed=following` list, and, for notifications' unseen count and digest, the new videos of the
famous accounts a person follows (news.py)."""

import logging

from notifications import news
from pettube import lazy
from videos import feeds, listings, signals

services = lazy.module("follows.services")
famous_news = lazy.module("follows.news")

log = logging.getLogger("pettube.follows")


def _published(video, **_) -> None:
    # The worker publishes first: a fan-out that fails here is left due, for the schedule.
    try:
        services.fan_out(video_id=video.id)
    except Exception:
        log.exception("fan-out left for the schedule", extra={"video_id": video.id})


def _forget_person(**arguments) -> None:
    services.forget_person(**arguments)


def register() -> None:
    listings.register(listings.Listing(name="follows", actions=lambda *args: services.fan_out_actions(*args)))
    signals.video_ready.connect(_published, dispatch_uid="follows.fan_out")
    signals.account_deleted.connect(_forget_person, dispatch_uid="follows.forget_person")
    feeds.register(feeds.Feed(parameter="feed", value="following", on_feed_page=False, personal=True,
                              read=lambda value, **page: services.feed_page(**page)))
    news.register(news.Source(name="follows", ids=lambda user_id: famous_news.ids(user_id),
                              since=lambda *args: famous_news.since(*args),
                              of_day=lambda *args: famous_news.of_day(*args)))
