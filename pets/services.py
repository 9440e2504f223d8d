"""What people do with pets: add, edit and delete their pets, and browse pet pages and
species. Tagging videos goes through videos/services.py (a video's pets are part of the video);
this module checks ownership and builds the pet side of a video's transaction."""

import logging
import secrets
from datetime import UTC, date, datetime

from pets import repository
from pets.repository import Pet

log = logging.getLogger("pettube.pets")

# A person's pets are read in one Query: the upload and edit forms offer them all.
MAX_PETS_PER_OWNER = 100


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


class TooManyPets(Exception):
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
        raise NotFound(pet_id)
    return pet


def pets_of(*, owner_id: str) -> list[Pet]:
    return repository.of_owner(owner_id, limit=MAX_PETS_PER_OWNER)


def owned_pets(*, owner_id: str, pet_ids: list[str]) -> list[Pet]:
    """The pets `pet_ids` (one BatchGetItem), in that order. Raises Forbidden when any of them
    does not exist or belongs to someone else: people tag only their own pets."""
    if not pet_ids:
        return []
    found = repository.many(pet_ids)
    if len(found) != len(set(pet_ids)) or any(pet.owner_id != owner_id for pet in found):
        raise Forbidden("You can only tag your own pets.")
    return found


def edit_pet(*, pet_id: str, user_id: str, name: str, species: str, breed: str, born: date | None) -> Pet:
    """Change a pet's details; its videos' cards, species and search terms follow."""
    from videos import services as videos  # videos imports this module: import on use

    pet = _own(pet_id, user_id)
    changed = repository.update(Pet(**{**pet.__dict__, "name": name, "species": species, "breed": breed, "born": born}))
    if changed is None:
        raise NotFound(pet_id)
    for video_id in sorted(pet.videos):
        videos.retag_pet(video_id=video_id, pet=changed)
    return changed


def delete_pet(*, pet_id: str, user_id: str) -> None:
    """Untag every video of the pet (their pages and listings follow), then delete it."""
    from videos import services as videos

    pet = _own(pet_id, user_id)
    for video_id in sorted(pet.videos):
        videos.untag_pet(video_id=video_id, pet_id=pet.id)
    if not repository.delete(get_pet(pet_id=pet_id)):
        raise NotFound(pet_id)  # tagged again meanwhile, or gone: nothing was deleted
    log.info("pet deleted", extra={"pet_id": pet_id, "owner_id": user_id})


def forget_video(*, pet_id: str, video_id: str) -> None:
    """Drop a video that no longer exists from the pet's tagged set."""
    repository.untag(pet_id, video_id=video_id)


def _own(pet_id: str, user_id: str) -> Pet:
    pet = get_pet(pet_id=pet_id)
    if pet.owner_id != user_id:
        raise Forbidden(pet_id)
    return pet


def species_page(*, species: str, limit: int, cursor: str | None = None):
    """A page of the public ready videos of `species`, newest first (one Query)."""
    from videos import services as videos  # videos imports this module: import on use

    page = repository.species_page(species, limit=limit, cursor=cursor)
    return videos.card_page(page.cards, page.next_cursor)


def pet_page(*, pet_id: str, limit: int, cursor: str | None = None):
    """The pet and a page of its public ready videos, newest first (one Query for the first page)."""
    from videos import services as videos

    pet, page = repository.pet_page(pet_id, limit=limit, cursor=cursor)
    if pet is None:
        raise NotFound(pet_id)
    return pet, videos.card_page(page.cards, page.next_cursor)


def listing_entries(*, video_id: str, card: dict, species: list[str], pet_ids: list[str]) -> list[dict]:
    """The species and pet-page entries of a public video."""
    return [repository.species_entry(name, video_id=video_id, card=card) for name in species] + [
        repository.pet_entry(pet_id, video_id=video_id, card=card) for pet_id in pet_ids
    ]


def tagging_actions(*, video_id: str, owner_id: str, added: list[str], removed: list[str]) -> list[dict]:
    """Transaction actions recording a video's new and dropped pets on the pets; tagging holds
    only if each added pet still belongs to `owner_id`."""
    return [repository.tag_action(pet_id, video_id=video_id, owner_id=owner_id) for pet_id in added] + [
        repository.untag_action(pet_id, video_id=video_id) for pet_id in removed
    ]


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
