"""The only code that talks to DynamoDB about pets, species and pet pages.

Its items in the shared table (pettube/dynamo.py has the key scheme and the indexes):
- a pet: `id = "pet#<pet id>"`, with `pet_owner`, `owner_name`, `name`, `species`, `breed`,
  `born`, `created_at` and `videos`, the set of every video tagged with it (any status or
  visibility: deleting the pet untags them). GSI `pets-of` (`pet_owner`, `created_at`) lists a
  person's pets. The pet also carries `pet_feed = <pet id>` and `published_at = "~"`, which sorts
  after every time stamp: it is the first item of its own pet page's Query, newest first.
- a species entry: `id = "species#<species>#<video id>"`, `species_feed = <species>`;
- a pet entry: `id = "pet-video#<pet id>#<video id>"`, `pet_feed = <pet id>`.
Entries exist only for public ready videos and carry the video's card (videos/items.py's
`card`) and `published_at`, so GSI `species` (`species_feed`, `published_at`) and GSI
`pet-videos` (`pet_feed`, `published_at`) each answer a page with one Query. videos/listings.py
writes and removes entries in the same transaction as the video (pets/seams.py registers them).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from pettube import dynamo
from pettube.dynamo import Action, Entry
from videos.domain import Page, Video
from videos.items import from_card

PROFILE_FIRST = "~"
LAST_STAMP = "9999"  # sorts after every time stamp, before PROFILE_FIRST


@dataclass(frozen=True)
class Pet:
    id: str
    owner_id: str
    owner_name: str
    name: str
    species: str
    created_at: datetime
    breed: str = ""
    born: date | None = None
    videos: frozenset[str] = field(default=frozenset())


def _key(pet_id: str) -> dict:
    return dynamo.key(f"pet#{pet_id}")


def _to_item(pet: Pet) -> dict:
    item = {
        **_key(pet.id),
        "pet_owner": {"S": pet.owner_id},
        "owner_name": {"S": pet.owner_name},
        "name": {"S": pet.name},
        "species": {"S": pet.species},
        "breed": {"S": pet.breed},
        "created_at": {"S": dynamo.stamp(pet.created_at)},
        "pet_feed": {"S": pet.id},
        "published_at": {"S": PROFILE_FIRST},
    }
    if pet.born:
        item["born"] = {"S": pet.born.isoformat()}
    if pet.videos:
        item["videos"] = {"SS": sorted(pet.videos)}
    return item


def _from_item(item: dict) -> Pet:
    return Pet(
        id=item["id"]["S"].removeprefix("pet#"),
        owner_id=item["pet_owner"]["S"],
        owner_name=item["owner_name"]["S"],
        name=item["name"]["S"],
        species=item["species"]["S"],
        breed=item.get("breed", {}).get("S", ""),
        born=date.fromisoformat(item["born"]["S"]) if "born" in item else None,
        created_at=dynamo.parse_stamp(item["created_at"]["S"]),
        videos=frozenset(item.get("videos", {}).get("SS", [])),
    )


def _is_pet(item: dict) -> bool:
    return item["id"]["S"].startswith("pet#")


# --- reads ----------------------------------------------------------------------------------


def get(pet_id: str) -> Pet | None:
    item = dynamo.get(f"pet#{pet_id}")
    return _from_item(item) if item else None


def many(pet_ids: list[str]) -> list[Pet]:
    """The pets that exist among `pet_ids`, in that order (one BatchGetItem per 100)."""
    found = dynamo.get_many([f"pet#{pet_id}" for pet_id in pet_ids])
    return [_from_item(found[f"pet#{pet_id}"]) for pet_id in dict.fromkeys(pet_ids) if f"pet#{pet_id}" in found]


def of_owner(owner_id: str, *, limit: int) -> list[Pet]:
    """`owner_id`'s pets, oldest first (at most `limit`: one Query)."""
    page = dynamo.query_page("pets-of", "pet_owner = :o", {":o": dynamo.s(owner_id)}, limit=limit, newest_first=False)
    return [_from_item(item) for item in page.items]


def species_page(species: str, *, limit: int, cursor: str | None = None) -> Page:
    page = _query("species", "species_feed", species, limit=limit, cursor=cursor)
    return Page(items=[from_card(item) for item in page.items], next_cursor=page.next_cursor)


def pet_page(pet_id: str, *, limit: int, cursor: str | None = None) -> tuple[Pet | None, Page]:
    """The pet and a page of its public videos, newest first. The first page comes with the pet
    in the same Query; a later page (`cursor`) reads the pet with one GetItem."""
    page = _query("pet-videos", "pet_feed", pet_id, limit=limit + (0 if cursor else 1), cursor=cursor)
    cards = page.items
    if cards and _is_pet(cards[0]):
        pet, cards = _from_item(cards[0]), cards[1:]
    else:
        pet = get(pet_id) if cursor else None
    return pet, Page(items=[from_card(item) for item in cards], next_cursor=page.next_cursor)


def pet_videos_before(pet_id: str, *, before: str, limit: int) -> list[Video]:
    """The pet's public videos published before the stamp `before` (or at it), newest first: one
    Query of `pet-videos` (the pet's own item sorts after every stamp, so it is never among them)."""
    page = dynamo.query_page("pet-videos", "#p = :p AND #t <= :before",
                             {":p": dynamo.s(pet_id), ":before": dynamo.s(min(before, LAST_STAMP))},
                             names={"#p": "pet_feed", "#t": "published_at"}, limit=limit)
    return [from_card(item) for item in page.items if not _is_pet(item)]


def _query(index: str, partition: str, value: str, *, limit: int, cursor: str | None) -> dynamo.ItemPage:
    return dynamo.query_page(index, "#p = :p", {":p": {"S": value}}, names={"#p": partition}, limit=limit,
                             cursor=cursor)


# --- writes ---------------------------------------------------------------------------------


def create(pet: Pet) -> Pet:
    dynamo.put_item(Item=_to_item(pet), ConditionExpression="attribute_not_exists(id)")
    return pet


def update(pet: Pet) -> Pet | None:
    """Save `pet`'s own fields (not its videos); None when it is gone or changed hands."""
    item = _to_item(pet)
    fields = ["name", "species", "breed", "owner_name"]
    answer = dynamo.update_item(
        Key=_key(pet.id),
        ConditionExpression="pet_owner = :o",
        UpdateExpression="SET " + ", ".join(f"#{name} = :{name}" for name in fields)
        + (", born = :born" if pet.born else " REMOVE born"),
        ExpressionAttributeNames={f"#{name}": name for name in fields},
        ExpressionAttributeValues={":o": dynamo.s(pet.owner_id)}
        | {f":{name}": item[name] for name in fields}
        | ({":born": item["born"]} if pet.born else {}),
    )
    return pet if answer is not None else None


def delete(pet: Pet) -> bool:
    """Delete the pet if it still belongs to its owner and no video is tagged with it."""
    return dynamo.delete_item(
        Key=_key(pet.id),
        ConditionExpression="pet_owner = :o AND attribute_not_exists(videos)",
        ExpressionAttributeValues={":o": dynamo.s(pet.owner_id)},
    )


def tag_action(pet_id: str, *, video_id: str, owner_id: str) -> Action:
    """Record `video_id` on the pet, only if the pet exists and belongs to `owner_id`."""
    return {
        "Update": {
            "Key": _key(pet_id),
            "ConditionExpression": "pet_owner = :o",
            "UpdateExpression": "ADD videos :v",
            "ExpressionAttributeValues": {":o": dynamo.s(owner_id), ":v": {"SS": [video_id]}},
        }
    }


def untag_action(pet_id: str, *, video_id: str) -> Action:
    return {
        "Update": {
            "Key": _key(pet_id),
            "ConditionExpression": "attribute_exists(id)",
            "UpdateExpression": "DELETE videos :v",
            "ExpressionAttributeValues": {":v": {"SS": [video_id]}},
        }
    }


def listing_entries(video: Video, card: dict) -> list[Entry]:
    """The entries of a listed video, each with its `card`: one per species it shows, one per pet
    tagged in it."""
    return [
        _entry(f"species#{species}#{video.id}", card, species_feed=species) for species in video.species_shown
    ] + [_entry(f"pet-video#{tag.id}#{video.id}", card, pet_feed=tag.id) for tag in video.pets]


def _entry(entry_id: str, card: dict, **partition: str) -> Entry:
    return Entry(id=entry_id, item={**card, **dynamo.key(entry_id),
                                    **{name: dynamo.s(value) for name, value in partition.items()}})


def untag(pet_id: str, *, video_id: str) -> None:
    """Drop `video_id` from the pet's tagged videos (nothing when the pet is gone)."""
    dynamo.update_item(**untag_action(pet_id, video_id=video_id)["Update"])
