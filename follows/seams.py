"""What following plugs into videos' seams (`register`, from follows/apps.py): its `Listing` (a
video that becomes listed gets its fan-out to do in the same transaction, one that stops being
listed has it cancelled there; the read-time check does the rest), the worker's fan-out as soon
as a video is published and forgetting a deleted account's follows (videos/signals.py), and the
`?feed=following` list."""

import logging

from pettube import lazy
from videos import feeds, listings, signals

services = lazy.module("follows.services")

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
