"""Up next: what to offer after a video, from the lists PetTube already keeps (this app has no
items of its own): the same pets' videos first, then the same species', then the owner's. Only
public ready videos have entries in those lists; each is offered once, never the video itself."""

from collections.abc import Callable, Iterator

from pets import services as pets
from videos import services as videos
from videos.domain import Video

COUNT = 8
# A video tagged with many pets reads the pages of the first few: one Query each, while the
# list is not full.
MAX_PETS = 3
MAX_SPECIES = 2


def related(*, video_id: str, user_id: str | None) -> list[Video]:
    """Up to COUNT videos to watch after `video_id`, best first. Raises videos.services.NotFound
    for a video `user_id` may not see. Stops reading as soon as the list is full."""
    video = videos.visible_video(video_id=video_id, user_id=user_id)
    found: dict[str, Video] = {}
    for read in _sources(video):
        for candidate in read():
            if candidate.id != video.id:
                found.setdefault(candidate.id, candidate)
        if len(found) >= COUNT:
            break
    return list(found.values())[:COUNT]


def _sources(video: Video) -> Iterator[Callable[[], list[Video]]]:
    """The lists to read, in order of relevance, each a page of newest first."""
    limit = COUNT + 1  # the video itself may be among them
    for tag in video.pets[:MAX_PETS]:
        yield lambda pet_id=tag.id: _pet_videos(pet_id, limit)
    for species in video.species_shown[:MAX_SPECIES]:
        yield lambda species=species: pets.species_page(species=species, limit=limit).items
    yield lambda: videos.public_videos_of(owner_id=video.owner_id, limit=limit).items


def _pet_videos(pet_id: str, limit: int) -> list[Video]:
    try:
        return pets.pet_page(pet_id=pet_id, limit=limit)[1].items
    except pets.NotFound:  # deleted since the video was read
        return []
