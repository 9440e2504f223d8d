"""What pets adds to every change of a video (videos/listings.py, registered in pets/apps.py):
the entries of a listed video on its species' and pets' pages, and on each pet the set of videos
tagged with it (tagging holds only while the pet still belongs to the video's owner, so a pet
that changed hands fails the video's whole transaction); and the species feed (`?species=`)."""

from pets import repository, services
from pettube.dynamo import Action
from videos import feeds, listings
from videos.domain import SPECIES, Video


def tagging_actions(old: Video | None, new: Video | None) -> list[Action]:
    before = {tag.id for tag in old.pets} if old else set()
    after = {tag.id for tag in new.pets} if new else set()
    video = new or old
    return [repository.tag_action(pet_id, video_id=video.id, owner_id=video.owner_id)
            for pet_id in sorted(after - before)] + [
        repository.untag_action(pet_id, video_id=video.id) for pet_id in sorted(before - after)
    ]


def species_feed(species: str, *, cursor: str | None, limit: int):
    if species not in SPECIES:
        raise feeds.Invalid("species", f"No such species. One of: {', '.join(SPECIES)}.")
    return services.species_page(species=species, limit=limit, cursor=cursor)


LISTING = listings.Listing(name="pets", entries=repository.listing_entries, actions=tagging_actions)
FEED = feeds.Feed(parameter="species", read=species_feed, page_context=lambda species: {"species": species})
