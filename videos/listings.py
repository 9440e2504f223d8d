"""Where a video is listed, and the one way to change a video that keeps every listing right.

A public ready video appears in the feed and on its owner's profile (attributes of its own
item), and wherever another app lists it: entries carrying its card on its species' and pets'
pages (pets), in search (search), in the hourly Popular ranking (community). Those apps
`register` a `Listing` from their AppConfig.ready(), saying which entries a listed video has
there and what else must change with it (the ranking's withdrawals, the pets' sets of tagged
videos); this module imports none of them. `save` writes the video, adds, rewrites and removes
its entries and runs the other actions, all in one DynamoDB transaction conditioned on the video
as it was read: a video made private, hidden, edited or deleted is never left listed where it
should not be, not even for a moment. `change` reads, changes and saves, again when someone
else wrote the video meanwhile.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from pettube import dynamo, exceptions
from pettube.dynamo import Action, Entry
from videos import delivery, items, repository
from videos.domain import PROCESSING, Rendition, Video

ATTEMPTS = 5


class Conflict(exceptions.Conflict):
    """The video kept changing under us (or a pet changed hands): nothing was saved."""

    def __init__(self, message: str = "The video changed while saving; try again."):
        super().__init__(message)


def _nothing(*_) -> Iterable:
    return ()


@dataclass(frozen=True)
class Listing:
    """What one app contributes to every change of a video. `entries(video, card)`: the entries
    of a listed video (public, ready, not hidden) in that app, each carrying `card` (videos/items.py,
    made once for all of them); `actions(old, new)`: other
    transaction actions the change from `old` to `new` needs there (None: created or deleted).
    Both are built by the app's repository (its seams.py registers them); this module only
    compares entries and passes actions on."""

    name: str
    entries: Callable[[Video, dict], Iterable[Entry]] = _nothing
    actions: Callable[[Video | None, Video | None], Iterable[Action]] = _nothing


_listings: dict[str, Listing] = {}


def register(listing: Listing) -> None:
    """Add (or replace, by name) an app's listing: from its AppConfig.ready()."""
    _listings[listing.name] = listing


def entries(video: Video | None) -> dict[str, Entry]:
    """Every app's entries of `video` by id: none unless it is listed."""
    if video is None or not video.listed:
        return {}
    card = items.card(video)
    return {entry.id: entry for listing in _listings.values() for entry in listing.entries(video, card)}


def save(old: Video | None, new: Video | None, *, first: Action | None = None) -> None:
    """Move a video from `old` (None: a new video) to `new` (None: delete it) in one
    transaction, with `first` first when given (an upload start's counter). Raises
    repository.FirstRefused when `first` refuses, dynamo.ConditionFailed when the video is no
    longer `old` or another app's action refuses (a pet it is newly tagged with is not its owner's).
    Behind CloudFront the video's public copy follows (videos/delivery.py)."""
    before, after = entries(old), entries(new)
    delivery.before_save(old, new)
    repository.save(
        old,
        new,
        put=[entry for entry_id, entry in after.items() if before.get(entry_id) != entry],
        remove=[entry_id for entry_id in before if entry_id not in after],
        also=[action for listing in _listings.values() for action in listing.actions(old, new)],
        first=first,
    )
    delivery.after_save(old, new)


def change(video_id: str, edit: Callable[[Video], Video | None], *, read: Video | None = None) -> Video | None:
    """Read the video (the first time, `read` if given), `edit` it (None: leave it as it is)
    and save the result; read and edit again when another write came first. None when there is
    no such video or nothing to do."""
    for _ in range(ATTEMPTS):
        video, read = read or repository.get(video_id), None
        if video is None:
            return None
        edited = edit(video)
        if edited is None:
            return None
        try:
            save(video, edited)
        except dynamo.ConditionFailed:
            continue
        return edited
    raise Conflict()


def mark_ready(
    video_id: str, *, rendition: Rendition, now: datetime | None = None, read: Video | None = None
) -> Video | None:
    """Publish a processed video with `rendition`: ready, and listed wherever its visibility
    and pets say (`read`: the video as the caller last read it, saving a read if it is still
    so). None when it is no longer processing (deleted meanwhile, or a duplicate)."""
    return change(
        video_id,
        lambda video: repository.with_rendition(video, rendition, now=now or dynamo.now())
        if video.status == PROCESSING
        else None,
        read=read,
    )
