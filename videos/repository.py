"""The only code that talks to DynamoDB. Maps items to `Video` and guards every state change.

Its items in the shared table (pettube/dynamo.py has the table, its key scheme and indexes):
- primary key `id`: GetItem, PutItem, UpdateItem, DeleteItem for one video.
- GSI `feed` (`feed`, `published_at`): sparse; only ready public videos carry `feed = "public"`.
  Query newest first for the home page.
- GSI `owner-public` (`owner_public`, `published_at`): sparse; only ready public videos carry
  `owner_public = <owner id>`, for profile pages.
- GSI `by-owner` (`owner_id`, `created_at`): a person's videos in every status, newest first.
- GSI `pending` (`pending`, `due_at`): sparse; only `uploading` and `processing` videos carry
  `pending = <status>`, and `due_at` is when the sweeper should look at them (upload expiry,
  end of the processing lease). Ready and failed videos leave this index.
- GSI `owner-public` (`owner_public`, `published_at`): sparse; only a person's ready public
  videos carry `owner_public = <owner_id>`. Their profile page, newest first.
- upload-start counters, `id = "upload-starts#<owner_id>#<window start>"`: how many uploads the
  owner started in that window (`starts`); gone by themselves after the window (`expires_at`).
  Deleting a video does not lower them.
Every status change is an UpdateItem with a ConditionExpression on the current status, so a
duplicate or late event cannot move a video backwards; a failed condition returns None.
Changes that also move a video in or out of other listings (publishing, editing, deleting) are
actions for one transaction (`update_action`, `delete_action`), conditioned on `updated_at` as
read, which every write changes; videos/listings.py builds those transactions.

A public ready video is also copied, as a "card", onto the listing entries of other apps (its
species, its pets' pages, search terms): `card` and `from_card` are that copy's format. A card
carries no attribute of the video indexes above, so entries never show up in them.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from botocore.exceptions import ClientError
from django.conf import settings

from pettube import dynamo
from pettube.dynamo import InvalidCursor  # noqa: F401 (the views catch it from here)

UPLOADING, PROCESSING, READY, FAILED = "uploading", "processing", "ready", "failed"
STATUSES = (UPLOADING, PROCESSING, READY, FAILED)
FEED = "public"
_START_COUNTER = "upload-starts"


PUBLIC, UNLISTED, PRIVATE = "public", "unlisted", "private"
VISIBILITIES = (PUBLIC, UNLISTED, PRIVATE)


@dataclass(frozen=True)
class PetTag:
    """A pet a video is tagged with, as the video keeps it (so cards need no pet lookup)."""

    id: str
    name: str
    species: str


@dataclass(frozen=True)
class Video:
    id: str
    owner_id: str
    owner_name: str
    title: str
    description: str
    pet: str
    status: str
    created_at: datetime
    updated_at: datetime
    filename: str = ""
    declared_size: int = 0
    attempts: int = 0
    error: str = ""
    published_at: datetime | None = None
    due_at: datetime | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    source_size: int | None = None
    video_size: int | None = None
    poster_size: int | None = None
    video_key: str | None = None
    poster_key: str | None = None
    card_key: str | None = None
    thumbnails: int = 0
    visibility: str = PUBLIC
    pets: tuple[PetTag, ...] = field(default=())
    upload_id: str | None = None  # an open S3 multipart upload, until the server completes it
    part_size: int | None = None  # bytes per part of a multipart upload (the last may be smaller)
    likes: int = 0
    views: int = 0
    hidden_at: datetime | None = None  # hidden after reports, pending review: listed nowhere
    # While processing (videos/streaming.py): the ladder being encoded and how far it got.
    source_fps: float | None = None
    rungs: str | None = None  # JSON, videos.ladder.rungs_to_json
    has_audio: int | None = None
    chunk_seconds: int | None = None
    parts: int | None = None  # encoding jobs of this attempt: the video's chunks and the audio
    parts_done: int | None = None
    encoded_seconds: float | None = None
    playable_at: datetime | None = None  # the owner can watch the start (EVENT playlists)
    # JSON {"video": [seconds, ...], "audio": [...]}: the durations of the segments of the first
    # chunk (in every rung) and of the audio that a player can fetch while it is processing.
    live_segments: str | None = None

    @property
    def playable(self) -> bool:
        return self.status == READY or (self.status == PROCESSING and self.playable_at is not None)

    def live_durations(self, kind: str) -> list[float]:
        """The durations of the live segments of `kind` ("video" or "audio"), numbered from 0."""
        return json.loads(self.live_segments or "{}").get(kind, [])

    @property
    def plan(self) -> "EncodingPlan":
        """The plan of the attempt encoding it (written by start_encoding)."""
        return EncodingPlan(
            duration=self.duration,
            source_fps=self.source_fps or None,
            rungs=self.rungs,
            has_audio=bool(self.has_audio),
            chunk_seconds=self.chunk_seconds,
            parts=self.parts,
            source_size=self.source_size,
        )

    @property
    def listed(self) -> bool:
        """Whether the video is in the public listings: the feed, profiles, species, pets, search."""
        return self.status == READY and self.visibility == PUBLIC and self.hidden_at is None

    @property
    def species(self) -> list[str]:
        """What animals the video shows: its pet category and its tagged pets' species."""
        return list(dict.fromkeys([self.pet, *(tag.species for tag in self.pets)]))


@dataclass(frozen=True)
class EncodingPlan:
    """How one processing attempt encodes a video: written when it starts, read by every job."""

    duration: float
    source_fps: float | None
    rungs: str
    has_audio: bool
    chunk_seconds: int
    parts: int
    source_size: int


@dataclass(frozen=True)
class Page:
    items: list[Video]
    next_cursor: str | None


@dataclass(frozen=True)
class Rendition:
    """What the encoder produced, as stored on a ready video."""

    duration: float
    width: int
    height: int
    source_size: int
    video_size: int
    poster_size: int
    video_key: str
    poster_key: str
    card_key: str
    thumbnails: int

@dataclass(frozen=True)
class StartWindow:
    """A time window in which `owner_id` may start at most `limit` uploads."""

    owner_id: str
    start: datetime
    end: datetime
    limit: int


# --- item mapping ---------------------------------------------------------------------------

_STAMPS = {"created_at", "updated_at", "published_at", "due_at", "playable_at", "hidden_at"}
_NUMBERS = {"declared_size", "attempts", "width", "height", "source_size", "video_size", "poster_size", "has_audio",
            "chunk_seconds", "parts", "parts_done", "thumbnails", "part_size", "likes", "views"}
_PART_LIFETIME = timedelta(days=7)
# What a card (a listing entry's copy of a video) leaves out: what only the owner or the worker needs.
_NOT_ON_CARDS = {"filename", "declared_size", "attempts", "error", "source_size", "due_at", "source_fps", "rungs",
                 "has_audio", "chunk_seconds", "parts", "parts_done", "encoded_seconds", "playable_at",
                 "live_segments"}


def _to_attribute(name: str, value) -> dict:
    if name in _STAMPS:
        return {"S": dynamo.stamp(value)}
    if name == "pets":
        return {"S": json.dumps([tag.__dict__ for tag in value])}
    if isinstance(value, (int, float, Decimal)):
        return {"N": str(value)}
    return {"S": str(value)}


def _to_item(video: Video) -> dict:
    """The video's item, with the attributes that place it in the indexes its state calls for."""
    item = {
        name: _to_attribute(name, value)
        for name, value in video.__dict__.items()
        if value is not None and not (name == "error" and not value)
    }
    if video.status in (UPLOADING, PROCESSING):
        item["pending"] = {"S": video.status}
    if video.listed:
        item["feed"] = {"S": FEED}
        item["owner_public"] = {"S": video.owner_id}
    return item


def _from_item(item: dict) -> Video:
    values = {}
    for name in Video.__dataclass_fields__:
        if name not in item:
            continue
        attribute = item[name]
        if "N" in attribute:
            number = attribute["N"]
            values[name] = int(number) if name in _NUMBERS else float(number)
        elif name in _STAMPS:
            values[name] = dynamo.parse_stamp(attribute["S"])
        elif name == "pets":
            values[name] = tuple(PetTag(**tag) for tag in json.loads(attribute["S"]))
        else:
            values[name] = attribute["S"]
    return Video(**values)


def card(video: Video) -> dict:
    """The attributes a listing entry copies from a public video, to show its card."""
    item = {name: value for name, value in _to_item(video).items() if name not in _NOT_ON_CARDS}
    for name in ("feed", "owner_public", "pending"):
        item.pop(name, None)
    item["video_id"] = item.pop("id")
    item["video_owner"] = item.pop("owner_id")
    return item


def from_card(item: dict) -> Video:
    return _from_item({**item, "id": item["video_id"], "owner_id": item["video_owner"]})


# --- reads ----------------------------------------------------------------------------------


def get(video_id: str) -> Video | None:
    item = dynamo.client().get_item(TableName=settings.PETTUBE_TABLE, Key={"id": {"S": video_id}}, ConsistentRead=True)
    return _from_item(item["Item"]) if "Item" in item else None


def get_along(video_id: str, *, others: list[str]) -> tuple[Video | None, dict[str, dict]]:
    """The video and those of the `others` (ids of other apps' items) that exist, by id, as
    raw items for their own repositories to read: one BatchGetItem."""
    found = dynamo.get_many([video_id, *others])
    video = found.pop(video_id, None)
    return (_from_item(video) if video else None), found


def snapshot(video: Video) -> dict:
    """The video as a DynamoDB map, for another item to keep a copy of (a ranking)."""
    return _to_item(video)


def from_snapshot(item: dict) -> Video:
    return _from_item(item)


def published_since(since: datetime) -> list[Video]:
    """Every public ready video published since `since`, newest first (a Query on `feed`)."""
    videos, cursor = [], None
    while True:
        page = _query(
            index="feed",
            condition="#p = :p AND #t >= :since",
            names={"#p": "feed", "#t": "published_at"},
            values={":p": {"S": FEED}, ":since": {"S": dynamo.stamp(since)}},
            limit=500,
            cursor=cursor,
        )
        videos += page.items
        if not (cursor := page.next_cursor):
            return videos


def feed(*, limit: int, cursor: str | None = None) -> Page:
    return _query(
        index="feed",
        condition="#p = :p",
        names={"#p": "feed"},
        values={":p": {"S": FEED}},
        limit=limit,
        cursor=cursor,
    )


def by_owner(owner_id: str, *, limit: int, cursor: str | None = None) -> Page:
    """`owner_id`'s videos in every status, newest first."""
    return _query(
        index="by-owner",
        condition="#o = :o",
        names={"#o": "owner_id"},
        values={":o": {"S": owner_id}},
        limit=limit,
        cursor=cursor,
    )


def public_by_owner(owner_id: str, *, limit: int, cursor: str | None = None) -> Page:
    """`owner_id`'s ready public videos, newest published first: full pages, and cursors that
    only ever name a public video."""
    return _query(
        index="owner-public",
        condition="#o = :o",
        names={"#o": "owner_public"},
        values={":o": {"S": owner_id}},
        limit=limit,
        cursor=cursor,
    )


def due(status: str, *, now: datetime, cursor: str | None = None, limit: int = 100) -> Page:
    """A page of videos in `status` (uploading or processing) whose due time has passed, oldest
    first; `next_cursor` leads to the rest."""
    return _query(
        index="pending",
        condition="#p = :p AND #d <= :now",
        names={"#p": "pending", "#d": "due_at"},
        values={":p": {"S": status}, ":now": {"S": dynamo.stamp(now)}},
        limit=limit,
        cursor=cursor,
        newest_first=False,
    )


def _query(*, index, condition, names, values, limit, cursor=None, newest_first=True) -> Page:
    page = dynamo.query_page(index, condition, values, names=names, limit=limit, cursor=cursor,
                             newest_first=newest_first)
    return Page(items=[_from_item(item) for item in page.items], next_cursor=page.next_cursor)


# --- writes ---------------------------------------------------------------------------------


def create_action(video: Video) -> dict:
    return {"Put": {"Item": _to_item(video), "ConditionExpression": "attribute_not_exists(id)"}}


def update_action(old: Video, new: Video) -> dict:
    """Turn the item of `old` into `new`'s, only if nobody wrote it since `old` was read."""
    before, after = _to_item(old), _to_item(new)
    changed = sorted(name for name in after if before.get(name) != after[name])
    removed = sorted(name for name in before if name not in after)
    names = {f"#a{number}": name for number, name in enumerate(changed + removed)}
    aliases = {name: alias for alias, name in names.items()}
    update = " ".join(
        part
        for part in (
            "SET " + ", ".join(f"{aliases[name]} = :a{aliases[name][2:]}" for name in changed) if changed else "",
            "REMOVE " + ", ".join(aliases[name] for name in removed) if removed else "",
        )
        if part
    )
    return {
        "Update": {
            "Key": {"id": {"S": old.id}},
            "ConditionExpression": "updated_at = :was",
            "UpdateExpression": update,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":was": before["updated_at"]}
            | {f":a{aliases[name][2:]}": after[name] for name in changed},
        }
    }


def delete_action(video: Video) -> dict:
    return {
        "Delete": {
            "Key": {"id": {"S": video.id}},
            "ConditionExpression": "updated_at = :was",
            "ExpressionAttributeValues": {":was": {"S": dynamo.stamp(video.updated_at)}},
        }
    }


def create(video: Video) -> Video:
    dynamo.client().put_item(TableName=settings.PETTUBE_TABLE, **create_action(video)["Put"])
    return video


def count_start(window: StartWindow) -> dict:
    """The transaction action (for dynamo.transact) that counts one more upload start of the
    window's owner, atomically: its condition fails once the count is at the window's limit."""
    return {
        "Update": {
            "Key": {"id": {"S": f"{_START_COUNTER}#{window.owner_id}#{dynamo.stamp(window.start)}"}},
            "UpdateExpression": "ADD starts :one SET expires_at = if_not_exists(expires_at, :expires)",
            "ConditionExpression": "attribute_not_exists(starts) OR starts < :limit",
            "ExpressionAttributeValues": {
                ":one": {"N": "1"},
                ":limit": {"N": str(window.limit)},
                ":expires": {"N": str(int(window.end.timestamp()) + 3600)},
            },
        }
    }


def with_rendition(video: Video, rendition: Rendition, *, now: datetime) -> Video:
    """`video` as it is once ready with `rendition`: published now, out of the sweeper's way."""
    return replace(video, **rendition.__dict__, status=READY, published_at=now, updated_at=now, due_at=None, error="",
                   live_segments=None)


def claim(video_id: str, *, lease: timedelta, now: datetime | None = None) -> Video | None:
    """Move an uploading video, or a processing one whose lease has run out, to processing
    under a new lease. Exactly one of several concurrent callers wins; the others get None."""
    now = now or dynamo.now()
    return _transition(
        video_id,
        condition="#s = :uploading OR (#s = :processing AND #d <= :now)",
        update="SET #s = :processing, #p = :processing, #d = :lease, updated_at = :now ADD attempts :one "
        "REMOVE playable_at, encoded_seconds, live_segments",
        names={"#s": "status", "#p": "pending", "#d": "due_at"},
        values={
            ":uploading": {"S": UPLOADING},
            ":processing": {"S": PROCESSING},
            ":now": {"S": dynamo.stamp(now)},
            ":lease": {"S": dynamo.stamp(now + lease)},
            ":one": {"N": "1"},
        },
    )


def release(video_id: str, *, reason: str, now: datetime | None = None) -> Video | None:
    """End this attempt without a verdict: the lease expires now, so the sweeper retries."""
    now = now or dynamo.now()
    return _transition(
        video_id,
        condition="#s = :processing",
        update="SET #d = :now, updated_at = :now, #e = :reason",
        names={"#s": "status", "#d": "due_at", "#e": "error"},
        values={":processing": {"S": PROCESSING}, ":now": {"S": dynamo.stamp(now)}, ":reason": {"S": reason}},
    )


def postpone(video_id: str, *, status: str, due_at: datetime) -> Video | None:
    """Move the sweeper's next look at a video still in `status` to `due_at`."""
    return _transition(
        video_id,
        condition="#s = :s",
        update="SET #d = :due",
        names={"#s": "status", "#d": "due_at"},
        values={":s": {"S": status}, ":due": {"S": dynamo.stamp(due_at)}},
    )


def mark_failed(video_id: str, *, reason: str, now: datetime | None = None) -> Video | None:
    now = now or dynamo.now()
    return _transition(
        video_id,
        condition="#s IN (:uploading, :processing)",
        update="SET #s = :failed, #e = :reason, updated_at = :now REMOVE #p, #d, live_segments",
        names={"#s": "status", "#e": "error", "#p": "pending", "#d": "due_at"},
        values={
            ":uploading": {"S": UPLOADING},
            ":processing": {"S": PROCESSING},
            ":failed": {"S": FAILED},
            ":reason": {"S": reason[:500]},
            ":now": {"S": dynamo.stamp(now)},
        },
    )


def upload_completed(video_id: str, *, upload_id: str) -> Video | None:
    """Forget the multipart upload `upload_id` once S3 has assembled it (the object exists now,
    so the sweeper may look for it); None when the video moved on or is gone."""
    return _transition(
        video_id,
        condition="#u = :u",
        update="REMOVE #u",
        names={"#u": "upload_id"},
        values={":u": {"S": upload_id}},
    )


def start_encoding(video_id: str, *, attempt: int, plan: EncodingPlan) -> Video | None:
    """Record the plan of `attempt` (None when the video was deleted or another attempt owns it)."""
    return _transition(
        video_id,
        condition="#s = :processing AND attempts = :attempt",
        update="SET #dur = :duration, source_fps = :fps, rungs = :rungs, has_audio = :audio, "
        "chunk_seconds = :chunk, parts = :parts, parts_done = :zero, encoded_seconds = :zero, source_size = :size",
        names={"#s": "status", "#dur": "duration"},
        values={
            ":processing": {"S": PROCESSING},
            ":attempt": {"N": str(attempt)},
            ":duration": {"N": str(plan.duration)},
            ":fps": {"N": str(plan.source_fps or 0)},
            ":rungs": {"S": plan.rungs},
            ":audio": {"N": "1" if plan.has_audio else "0"},
            ":chunk": {"N": str(plan.chunk_seconds)},
            ":parts": {"N": str(plan.parts)},
            ":zero": {"N": "0"},
            ":size": {"N": str(plan.source_size)},
        },
    )


def record_progress(video_id: str, *, attempt: int, encoded_seconds: float, playable: bool,
                    live_segments: dict[str, list[float]] | None = None) -> bool:
    """Add `encoded_seconds` to the attempt's progress, mark it playable, and replace the live
    segments (`{"video": [seconds, ...], "audio": [...]}`) when given. False when the video was
    deleted or another attempt owns it: the caller stops encoding."""
    sets = []
    values = {
        ":processing": {"S": PROCESSING},
        ":attempt": {"N": str(attempt)},
        ":seconds": {"N": f"{encoded_seconds:.3f}"},
    }
    if playable:
        sets.append("playable_at = if_not_exists(playable_at, :now)")
        values[":now"] = {"S": dynamo.stamp(dynamo.now())}
    if live_segments is not None:
        sets.append("live_segments = :live")
        values[":live"] = {"S": json.dumps(live_segments, separators=(",", ":"))}
    update = "ADD encoded_seconds :seconds" + (" SET " + ", ".join(sets) if sets else "")
    try:
        dynamo.client().update_item(
            TableName=settings.PETTUBE_TABLE,
            Key={"id": {"S": video_id}},
            ConditionExpression="attribute_exists(id) AND #s = :processing AND attempts = :attempt",
            UpdateExpression=update,
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=values,
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return False
        raise
    return True


def finish_part(video_id: str, *, attempt: int, part: str, segments: list[tuple[int, float]]) -> Video | None:
    """Store what one encoding job of `attempt` made (`segments`: number and duration of each)
    and count it done. The video as it is then (the job that sees `parts_done == parts` finished
    last and publishes it), None when the video was deleted or another attempt owns it."""
    dynamo.client().put_item(
        TableName=settings.PETTUBE_TABLE,
        Item={
            "id": {"S": _part_id(video_id, attempt, part)},
            "segments": {"S": json.dumps(segments)},
            dynamo.TTL_ATTRIBUTE: {"N": str(int((dynamo.now() + _PART_LIFETIME).timestamp()))},
        },
    )
    try:
        answer = dynamo.client().update_item(
            TableName=settings.PETTUBE_TABLE,
            Key={"id": {"S": video_id}},
            ConditionExpression="attribute_exists(id) AND #s = :processing AND attempts = :attempt",
            UpdateExpression="ADD parts_done :one",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":processing": {"S": PROCESSING}, ":attempt": {"N": str(attempt)},
                                       ":one": {"N": "1"}},
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return None
        raise
    return _from_item(answer["Attributes"])


def parts(video_id: str, *, attempt: int, names: list[str]) -> dict[str, list[tuple[int, float]]]:
    """The segments each finished job of `attempt` stored, by part name (one BatchGetItem)."""
    keys = [{"id": {"S": _part_id(video_id, attempt, name)}} for name in names]
    found: dict[str, list[tuple[int, float]]] = {}
    while keys:
        answer = dynamo.client().batch_get_item(
            RequestItems={settings.PETTUBE_TABLE: {"Keys": keys[:100], "ConsistentRead": True}}
        )
        for item in answer["Responses"].get(settings.PETTUBE_TABLE, []):
            name = item["id"]["S"].rsplit("#", 1)[1]
            found[name] = [(int(number), float(duration)) for number, duration in json.loads(item["segments"]["S"])]
        keys = keys[100:] + answer.get("UnprocessedKeys", {}).get(settings.PETTUBE_TABLE, {}).get("Keys", [])
    return found


def _part_id(video_id: str, attempt: int, part: str) -> str:
    return f"part#{video_id}#{attempt}#{part}"


def counter_action(video_id: str, *, counter: str, delta: int) -> dict:
    """A transaction action (pettube/dynamo.py's `transact`) adding `delta` to the ready
    video's `counter` (likes, views); its condition fails when the video is gone or not ready."""
    return {
        "Update": {
            "Key": {"id": {"S": video_id}},
            "ConditionExpression": "attribute_exists(id) AND #s = :ready",
            "UpdateExpression": "ADD #c :delta",
            "ExpressionAttributeNames": {"#s": "status", "#c": counter},
            "ExpressionAttributeValues": {":ready": {"S": READY}, ":delta": {"N": str(delta)}},
        }
    }


def delete(video_id: str) -> None:
    dynamo.client().delete_item(TableName=settings.PETTUBE_TABLE, Key={"id": {"S": video_id}})
def delete_if(video_id: str, *, status: str) -> bool:
    """Delete the video only while it is still in `status`; False when it moved on."""
    try:
        dynamo.client().delete_item(
            TableName=settings.PETTUBE_TABLE,
            Key={"id": {"S": video_id}},
            ConditionExpression="#s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": status}},
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return False
        raise
    return True


def _transition(video_id: str, *, condition: str, update: str, names: dict, values: dict) -> Video | None:
    try:
        answer = dynamo.client().update_item(
            TableName=settings.PETTUBE_TABLE,
            Key={"id": {"S": video_id}},
            ConditionExpression=f"attribute_exists(id) AND ({condition})",
            UpdateExpression=update,
            ExpressionAttributeNames=names,
            **({"ExpressionAttributeValues": values} if values else {}),
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if dynamo.condition_failed(error):
            return None
        raise
    return _from_item(answer["Attributes"])
