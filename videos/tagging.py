"""Which pets a person may tag their videos with. The pets app provides them (`provide`, from
its AppConfig.ready()); videos asks here without importing it. Without a provider nobody has
pets to tag."""

from collections.abc import Callable
from dataclasses import dataclass

from pettube.exceptions import Invalid
from videos.domain import PetTag


class NotYourPet(Invalid):
    def __init__(self, message: str = "You can only tag your own pets."):
        super().__init__(message, {"pets": [message]})


@dataclass(frozen=True)
class Pets:
    """`of_owner(owner_id)`: a person's pets; `owned(owner_id, pet_ids)`: those pets, in that
    order, raising NotYourPet when one does not exist or is someone else's."""

    of_owner: Callable[[str], list[PetTag]]
    owned: Callable[[str, list[str]], list[PetTag]]


def _no_pets(owner_id: str, pet_ids: list[str] = ()) -> list[PetTag]:
    if pet_ids:
        raise NotYourPet()
    return []


_pets = Pets(of_owner=_no_pets, owned=_no_pets)


def provide(pets: Pets) -> None:
    global _pets
    _pets = pets


def pets_of(owner_id: str) -> list[PetTag]:
    return _pets.of_owner(owner_id)


def owned(owner_id: str, pet_ids: list[str]) -> tuple[PetTag, ...]:
    """The owner's pets `pet_ids` as tags. Raises NotYourPet."""
    return tuple(_pets.owned(owner_id, list(pet_ids)))
