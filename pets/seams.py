"""What pets plugs into videos' seams (`register`, from pets/apps.py): its `Listing` (a listed
video's entries on its species' and pets' pages, and on each pet the set of videos tagged with
it: tagging holds only while the pet still belongs to the video's owner, so a pet that changed
hands fails the video's whole transaction), the `?species=` feed, the pets people may tag, and
a deleted account's pets going with it."""

from pettube import lazy
from pettube.dynamo import Action
from videos import feeds, listings, signals, tagging
from videos.domain import SPECIES, Page, Video

repository = lazy.module("pets.repository")
services = lazy.module("pets.services")


def tagging_actions(old: Video | None, new: Video | None) -> list[Action]:
    before = {tag.id for tag in old.pets} if old else set()
    after = {tag.id for tag in new.pets} if new else set()
    video = new or old
    return [repository.tag_action(pet_id, video_id=video.id, owner_id=video.owner_id)
            for pet_id in sorted(after - before)] + [
        repository.untag_action(pet_id, video_id=video.id) for pet_id in sorted(before - after)
    ]


def species_feed(species: str, *, cursor: str | None, limit: int) -> Page:
    if species not in SPECIES:
        raise feeds.InvalidChoice("No such species.", {"species": [f"One of: {', '.join(SPECIES)}."]})
    return services.species_page(species=species, limit=limit, cursor=cursor)


def _remove_pets_of(**arguments) -> None:
    services.remove_pets_of(**arguments)


def register() -> None:
    listings.register(listings.Listing(name="pets", entries=lambda *args: repository.listing_entries(*args),
                                       actions=tagging_actions))
    feeds.register(feeds.Feed(parameter="species", read=species_feed,
                              page_context=lambda species: {"species": species}))
    tagging.provide(tagging.Pets(of_owner=lambda *args, **kwargs: services.tags_of(*args, **kwargs),
                                 owned=lambda *args, **kwargs: services.owned_tags(*args, **kwargs)))
    signals.account_deleted.connect(_remove_pets_of, dispatch_uid="pets.remove_pets_of")
