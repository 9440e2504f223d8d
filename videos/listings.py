"""Where a video is listed, and the one way to change a video that keeps every listing right.

A public ready video appears in the feed and on its owner's profile (attributes of its own item),
as entries carrying its card on its species' and pets' pages (pets/) and in search (search/),
and in the hourly Popular ranking (community/ranking.py), which it leaves when it is unlisted.
`save` writes the video, adds, rewrites and removes its entries, withdraws it from the ranking
and records its pets on the pets, all in one DynamoDB transaction conditioned on the video as it
was read: a video made private, hidden, edited or deleted is never left listed where it should
not be, not even for a moment. `change` reads, changes and saves, again when someone else wrote the video meanwhile.
"""

from collections.abc import Callable
from datetime import datetime

from community import repository as community
from pets import services as pets
from pettube import dynamo
from search import services as search
from videos import repository
from videos.repository import PROCESSING, Rendition, Video

ATTEMPTS = 5


class Conflict(Exception):
    """The video kept changing under us (or a pet changed hands): nothing was saved."""


def entries(video: Video | None) -> dict[str, dict]:
    """The listing entries of `video` by their key: none unless it is public and ready."""
    if video is None or not video.listed:
        return {}
    card = repository.card(video)
    items = pets.listing_entries(
        video_id=video.id, card=card, species=video.species, pet_ids=[tag.id for tag in video.pets]
    ) + search.entries(
        video_id=video.id,
        card=card,
        title=video.title,
        pet_names=[tag.name for tag in video.pets],
        description=video.description,
    )
    return {item["id"]["S"]: item for item in items}


def save(old: Video | None, new: Video | None, *, counting: dict | None = None) -> None:
    """Move a video from `old` (None: a new video) to `new` (None: delete it) in one
    transaction, with `counting` first when given (an upload start's counter). Raises
    dynamo.ConditionFailed when the video is no longer `old`, when a pet it is newly tagged with
    is not its owner's, or when `counting` refuses (its `failed_actions` is then [0])."""
    actions = [counting] if counting else []
    if old is None:
        actions += [repository.create_action(new)]
    elif new is None:
        actions += [repository.delete_action(old)]
    else:
        actions += [repository.update_action(old, new)]
    before, after = entries(old), entries(new)
    actions += [{"Delete": {"Key": {"id": item["id"]}}} for key, item in before.items() if key not in after]
    actions += [{"Put": {"Item": item}} for key, item in after.items() if before.get(key) != item]
    if old is not None and old.listed and not (new is not None and new.listed):
        actions += [community.withdrawal_action(old.id)]
    pets_before = {tag.id for tag in old.pets} if old else set()
    pets_after = {tag.id for tag in new.pets} if new else set()
    actions += pets.tagging_actions(
        video_id=(new or old).id,
        owner_id=(new or old).owner_id,
        added=sorted(pets_after - pets_before),
        removed=sorted(pets_before - pets_after),
    )
    dynamo.transact(*actions)


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
    raise Conflict(video_id)


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
