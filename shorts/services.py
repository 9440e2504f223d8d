"""Shorts: public ready videos of at most MAX_SECONDS, one per screen, newest first (all of them,
or those showing one species). A video is in the shorts feeds exactly while it is a short: the
listing shorts/seams.py registers with videos/listings.py writes and removes its entries in the
transaction that publishes, edits, hides or deletes it."""

from pettube import exceptions
from pettube.dynamo import Entry
from shorts import repository
from videos import services as videos
from videos.domain import SPECIES, Page, Video

MAX_SECONDS = 60
# Clips per page: a phone's viewer reaches the end of one in half a minute or so, and the
# next page is asked for a few clips before that.
PAGE_SIZE = 8


class InvalidSpecies(exceptions.Invalid):
    def __init__(self):
        message = f"One of: {', '.join(SPECIES)}."
        super().__init__("No such species.", {"species": [message]})


class NotAShort(exceptions.NotFound):
    """The video can be watched, but it is not a short (too long, unlisted, not in the species)."""

    def __init__(self, video: Video):
        super().__init__("This video is not a short.")
        self.video = video


def is_short(video: Video) -> bool:
    return video.listed and video.duration is not None and video.duration <= MAX_SECONDS


def entries(video: Video, card: dict) -> list[Entry]:
    """The entries of a listed video in the shorts feeds (none unless it is a short)."""
    if not is_short(video):
        return []
    return repository.entries(video, card, [repository.EVERY, *video.species_shown])


def feed_of(species: str | None) -> str:
    """The feed `species` asks for (None or "": every short). Raises InvalidSpecies."""
    if not species:
        return repository.EVERY
    if species not in SPECIES:
        raise InvalidSpecies()
    return species


def shorts_page(*, species: str | None = None, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """A page of shorts, newest first: one Query. Raises InvalidSpecies, dynamo.InvalidCursor."""
    return repository.page(feed_of(species), limit=limit, cursor=cursor)


def starting_at(*, video_id: str, user_id: str | None, species: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """The feed from the short `video_id` on: that clip, then the feed's clips older than it (a
    GetItem and a Query). Raises videos.services.NotFound (no video the viewer may see),
    NotAShort (a video the viewer may watch, but not here), InvalidSpecies."""
    feed = feed_of(species)
    video = videos.visible_video(video_id=video_id, user_id=user_id)
    if not is_short(video) or (feed != repository.EVERY and feed not in video.species_shown):
        raise NotAShort(video)
    rest = repository.page(feed, limit=limit - 1, cursor=repository.cursor_after(feed, video))
    return Page(items=[video, *rest.items], next_cursor=rest.next_cursor)
