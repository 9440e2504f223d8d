"""What people do with pets: add, edit and delete their pets, and browse pet pages and
species. Tagging videos goes through videos/services.py (a video's pets are part of the video):
this app provides the pets a person may tag (videos/tagging.py) and its listings (pets/seams.py),
and a renamed or deleted pet reaches its videos through videos/services.py."""

import logging
import secrets
from datetime import UTC, date, datetime

from pets import repository
from pets.repository import Pet
from pettube import exceptions
from videos import services as videos
from videos.domain import Page, PetTag, Video
from videos.tagging import NotYourPet

log = logging.getLogger("pettube.pets")

# A person's pets are read in one Query: the upload and edit forms offer them all.
MAX_PETS_PER_OWNER = 100


class NotFound(exceptions.NotFound):
    def __init__(self, message: str = "No such pet."):
        super().__init__(message)


class Forbidden(exceptions.Forbidden):
    def __init__(self, message: str = "Only the pet's owner can change it."):
        super().__init__(message)


class TooManyPets(exceptions.Invalid):
    pass


def new_pet_id() -> str:
    return secrets.token_urlsafe(8)


def add_pet(*, owner_id: str, owner_name: str, name: str, species: str, breed: str, born: date | None) -> Pet:
    """Create a pet for `owner_id`. Raises TooManyPets past MAX_PETS_PER_OWNER."""
    if len(repository.of_owner(owner_id, limit=MAX_PETS_PER_OWNER)) >= MAX_PETS_PER_OWNER:
        raise TooManyPets(f"A person can have at most {MAX_PETS_PER_OWNER} pets here.")
    pet = repository.create(
        Pet(id=new_pet_id(), owner_id=owner_id, owner_name=owner_name, name=name, species=species, breed=breed,
            born=born, created_at=datetime.now(UTC))
    )
    log.info("pet added", extra={"pet_id": pet.id, "owner_id": owner_id})
    return pet


def get_pet(*, pet_id: str) -> Pet:
    pet = repository.get(pet_id)
    if pet is None:
        raise NotFound()
    return pet


def pets_by_id(*, pet_ids: list[str]) -> list[Pet]:
    """The pets that exist among `pet_ids`, in that order."""
    return repository.many(pet_ids)


def pets_of(*, owner_id: str) -> list[Pet]:
    return repository.of_owner(owner_id, limit=MAX_PETS_PER_OWNER)


def tags_of(owner_id: str) -> list[PetTag]:
    """A person's pets as videos are tagged with them (videos/tagging.py)."""
    return [tag(pet) for pet in pets_of(owner_id=owner_id)]


def owned_tags(owner_id: str, pet_ids: list[str]) -> list[PetTag]:
    """The pets `pet_ids` (one BatchGetItem), in that order, as tags. Raises NotYourPet when
    any of them does not exist or belongs to someone else: people tag only their own pets."""
    if not pet_ids:
        return []
    found = repository.many(pet_ids)
    if len(found) != len(set(pet_ids)) or any(pet.owner_id != owner_id for pet in found):
        raise NotYourPet()
    return [tag(pet) for pet in found]


def tag(pet: Pet) -> PetTag:
    return PetTag(id=pet.id, name=pet.name, species=pet.species)


def edit_pet(*, pet_id: str, user_id: str, name: str, species: str, breed: str, born: date | None) -> Pet:
    """Change a pet's details; its videos' cards, species and search terms follow."""
    pet = _own(pet_id, user_id)
    changed = repository.update(Pet(**{**pet.__dict__, "name": name, "species": species, "breed": breed, "born": born}))
    if changed is None:
        raise NotFound()
    for video_id in sorted(pet.videos):
        videos.retag_pet(video_id=video_id, tag=tag(changed))
    return changed


def delete_pet(*, pet_id: str, user_id: str) -> None:
    """Untag every video of the pet (their pages and listings follow), then delete it."""
    pet = _own(pet_id, user_id)
    for video_id in sorted(pet.videos):
        if not videos.untag_pet(video_id=video_id, pet_id=pet.id):
            repository.untag(pet.id, video_id=video_id)  # the video is gone: forget it
    if not repository.delete(get_pet(pet_id=pet_id)):
        raise NotFound()  # tagged again meanwhile, or gone: nothing was deleted
    log.info("pet deleted", extra={"pet_id": pet_id, "owner_id": user_id})


def remove_pets_of(*, user_id: str, **_) -> None:
    """Delete every pet of a person whose account is going (their videos went first)."""
    while True:
        pets = pets_of(owner_id=user_id)
        for pet in pets:
            try:
                delete_pet(pet_id=pet.id, user_id=user_id)
            except NotFound:
                pass  # gone meanwhile
        if len(pets) < MAX_PETS_PER_OWNER:
            return


def _own(pet_id: str, user_id: str) -> Pet:
    pet = get_pet(pet_id=pet_id)
    if pet.owner_id != user_id:
        raise Forbidden()
    return pet


def species_page(*, species: str, limit: int, cursor: str | None = None) -> Page:
    """A page of the public ready videos of `species`, newest first (one Query)."""
    return repository.species_page(species, limit=limit, cursor=cursor)


def pet_page(*, pet_id: str, limit: int, cursor: str | None = None) -> tuple[Pet, Page]:
    """The pet and a page of its public ready videos, newest first (one Query for the first page)."""
    pet, page = repository.pet_page(pet_id, limit=limit, cursor=cursor)
    if pet is None:
        raise NotFound()
    return pet, page


def pet_videos_before(*, pet_id: str, before: str, limit: int) -> list[Video]:
    """The pet's public ready videos published at or before the stamp `before`, newest first (one
    Query; for lists merged from several, such as the Following feed)."""
    return repository.pet_videos_before(pet_id, before=before, limit=limit)


def age(born: date | None, *, today: date | None = None) -> str:
    """A pet's age as people say it: "3 years", "5 months", "2 weeks"; "" without a birth date."""
    if born is None:
        return ""
    today = today or date.today()
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months >= 24:
        return f"{months // 12} years"
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    weeks = max(0, (today - born).days) // 7
    return f"{weeks} week{'s' if weeks != 1 else ''}" if weeks else "newborn"
