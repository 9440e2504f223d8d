"""How a video is stored: its item in the shared table, and the copies of it that other items
keep. A leaf module (the domain and pettube/dynamo.py only): videos/repository.py stores videos
with it, and the repositories of the apps that list videos (pets, search, community's ranking)
copy and read videos with it.

- `to_item` / `from_item`: the video's own item. Attributes that place it in an index are added
  here, from its state (`pending`, `feed`, `owner_public`; pettube/dynamo.py lists the indexes).
- `card` / `from_card`: what a listing entry (a species or pet page, a search term) copies of a
  public video to show it. A card carries no attribute of the video indexes, so entries never
  show up in them.
- `snapshot` / `from_snapshot`: the whole item as a map, for an item that keeps copies (the ranking).
Stored names: a few fields keep the attribute names they had before their Python names changed,
so that items, cards and snapshots written before read the same, and an attempt encoding while a
deploy lands finishes: `species` is stored as `pet`, `jobs` as `parts`, `jobs_done` as `parts_done`.
"""

import json
from decimal import Decimal

from pettube import dynamo
from videos.domain import PROCESSING, UPLOADING, Caption, PetTag, Video

FEED = "public"
_STORED_AS = {"species": "pet", "jobs": "parts", "jobs_done": "parts_done"}
_FIELD_OF = {stored: name for name, stored in _STORED_AS.items()}
_STAMPS = {"created_at", "updated_at", "published_at", "due_at", "playable_at", "hidden_at"}
_NUMBERS = {"declared_size", "attempts", "width", "height", "source_size", "video_size", "poster_size", "has_audio",
            "chunk_seconds", "jobs", "jobs_done", "thumbnails", "wide_card_width", "part_size", "likes", "views",
            "av1_jobs_done"}
# Tuples of plain values, stored as JSON lists of objects.
_LISTS = {"pets": PetTag, "captions": Caption}
# Attributes written by the repository's own update expressions, by their stored names.
JOBS, JOBS_DONE = _STORED_AS["jobs"], _STORED_AS["jobs_done"]
# What a card leaves out: what only the owner or the worker needs, and the index attributes.
_NOT_ON_CARDS = {"filename", "declared_size", "attempts", "error", "source_size", "due_at", "source_fps", "rungs",
                 "has_audio", "chunk_seconds", JOBS, JOBS_DONE, "encoded_seconds", "playable_at",
                 "live_segments", "storyboard_key", "captions", "feed", "owner_public", "pending", "av1_rungs", "av1_codecs",
                 "av1_jobs_done"}


def to_item(video: Video) -> dict:
    """The video's item, with the attributes that place it in the indexes its state calls for."""
    item = {
        _STORED_AS.get(name, name): _to_attribute(name, value)
        for name, value in video.__dict__.items()
        if value is not None and not (name == "error" and not value)
    }
    if video.status in (UPLOADING, PROCESSING):
        item["pending"] = dynamo.s(video.status)
    if video.listed:
        item["feed"] = dynamo.s(FEED)
        item["owner_public"] = dynamo.s(video.owner_id)
    return item


def from_item(item: dict) -> Video:
    values = {}
    for stored, attribute in item.items():
        name = _FIELD_OF.get(stored, stored)
        if name not in Video.__dataclass_fields__:
            continue
        if "N" in attribute:
            number = attribute["N"]
            values[name] = int(number) if name in _NUMBERS else float(number)
        elif name in _STAMPS:
            values[name] = dynamo.parse_stamp(attribute["S"])
        elif name in _LISTS:
            values[name] = tuple(_LISTS[name](**value) for value in json.loads(attribute["S"]))
        else:
            values[name] = attribute["S"]
    return Video(**values)


def card(video: Video) -> dict:
    """The attributes a listing entry copies from a public video, to show its card."""
    item = {name: value for name, value in to_item(video).items() if name not in _NOT_ON_CARDS}
    item["video_id"] = item.pop("id")
    item["video_owner"] = item.pop("owner_id")
    return item


def from_card(item: dict) -> Video:
    return from_item({**item, "id": item["video_id"], "owner_id": item["video_owner"]})


def snapshot(video: Video) -> dict:
    """The video as a DynamoDB map, for another item to keep a copy of."""
    return {"M": to_item(video)}


def from_snapshot(value: dict) -> Video:
    return from_item(value["M"])


def _to_attribute(name: str, value) -> dict:
    if name in _STAMPS:
        return dynamo.s(dynamo.stamp(value))
    if name in _LISTS:
        return dynamo.s(json.dumps([one.__dict__ for one in value]))
    if isinstance(value, (int, float, Decimal)):
        return dynamo.n(value)
    return dynamo.s(str(value))
