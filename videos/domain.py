"""What a video is: its statuses, who can watch it, and the values the rest of PetTube passes
around (`Video`, the pets it shows, what encoding made of it). Plain data: no Django, no AWS.
Other apps import it freely; how a video is stored is videos/items.py."""

import json
from dataclasses import dataclass, field
from datetime import datetime

UPLOADING, PROCESSING, READY, FAILED = "uploading", "processing", "ready", "failed"
PUBLIC, UNLISTED, PRIVATE = "public", "unlisted", "private"
VISIBILITIES = (PUBLIC, UNLISTED, PRIVATE)
# The species a video (and a pet) can be.
SPECIES = ("dog", "cat", "bird", "rabbit", "rodent", "fish", "reptile", "horse", "other")


@dataclass(frozen=True)
class PetTag:
    """A pet a video is tagged with, as the video keeps it (so cards need no pet lookup)."""

    id: str
    name: str
    species: str


@dataclass(frozen=True)
class Caption:
    """A caption file of a video, one per language (`lang`, a BCP 47 tag), WebVTT in S3."""

    lang: str
    label: str


def wide_card_name(card: str, width: int) -> str:
    """The name (or key) of the `width` px wide copy of the card named (or keyed) `card`:
    `card-<n>.webp` → `card-<n>-<width>.webp`."""
    stem, dot, extension = card.rpartition(".")
    return f"{stem}-{width}{dot}{extension}"


@dataclass(frozen=True)
class Video:
    id: str
    owner_id: str
    owner_name: str
    title: str
    description: str
    species: str  # the animal the uploader chose (the API's `pet`)
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
    # The width of each card's wider copy (wide_card_name), for wide slots and dense screens; None
    # for videos published before the encoder made them.
    wide_card_width: int | None = None
    thumbnails: int = 0
    storyboard_key: str | None = None  # the seek previews' WebVTT (videos/storyboard.py)
    captions: tuple[Caption, ...] = field(default=())
    visibility: str = PUBLIC
    pets: tuple[PetTag, ...] = field(default=())
    upload_id: str | None = None  # an open S3 multipart upload, until the server completes it
    part_size: int | None = None  # bytes per S3 part of a multipart upload (the last may be smaller)
    likes: int = 0
    views: int = 0
    hidden_at: datetime | None = None  # hidden after reports, pending review: listed nowhere
    # While processing (videos/streaming.py): the ladder being encoded and how far it got.
    source_fps: float | None = None
    rungs: str | None = None  # JSON, videos.ladder.rungs_to_json
    has_audio: int | None = None
    chunk_seconds: int | None = None
    jobs: int | None = None  # encoding jobs of this attempt: one per chunk of the video, and the audio
    jobs_done: int | None = None
    encoded_seconds: float | None = None
    playable_at: datetime | None = None  # the owner can watch the start (EVENT playlists)
    # JSON {"video": [seconds, ...], "audio": [...]}: the durations of the segments of the first
    # chunk (in every rung) and of the audio that a player can fetch while it is processing.
    live_segments: str | None = None
    # Added after it is ready (videos/av1.py): the AV1 rungs (rungs_to_json) and each one's CODECS
    # as read from its segments (JSON {name: codecs}), and the AV1 jobs of `attempts` done so far.
    av1_rungs: str | None = None
    av1_codecs: str | None = None
    av1_jobs_done: int | None = None

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
            jobs=self.jobs,
            source_size=self.source_size,
        )

    @property
    def image_suffix(self) -> str:
        """The file type of its posters and cards (".webp"; ".jpg" for videos published before)."""
        return "." + (self.poster_key or ".webp").rsplit(".", 1)[-1]

    @property
    def wide_card_key(self) -> str | None:
        """The key of its card's wider copy, or None for a video without one."""
        return wide_card_name(self.card_key, self.wide_card_width) if self.card_key and self.wide_card_width else None

    @property
    def listed(self) -> bool:
        """Whether the video is in the public listings: the feed, profiles, species, pets, search."""
        return self.status == READY and self.visibility == PUBLIC and self.hidden_at is None

    @property
    def species_shown(self) -> list[str]:
        """What animals the video shows: its species and its tagged pets' species."""
        return list(dict.fromkeys([self.species, *(tag.species for tag in self.pets)]))


@dataclass(frozen=True)
class EncodingPlan:
    """How one processing attempt encodes a video: written when it starts, read by every job."""

    duration: float
    source_fps: float | None
    rungs: str
    has_audio: bool
    chunk_seconds: int
    jobs: int
    source_size: int


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
    storyboard_key: str | None = None
    wide_card_width: int | None = None


@dataclass(frozen=True)
class Page:
    """A page of videos, and the cursor to the next (None on the last)."""

    items: list[Video]
    next_cursor: str | None
