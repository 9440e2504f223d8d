"""How a pet looks to the outside: JSON for the API."""

from pets.repository import Pet
from pets.services import age


def pet_json(pet: Pet) -> dict:
    return {
        "id": pet.id,
        "name": pet.name,
        "species": pet.species,
        "breed": pet.breed,
        "born": pet.born.isoformat() if pet.born else None,
        "age": age(pet.born),
        "owner": pet.owner_name,
    }
