"""Helpers that put videos and objects where the app expects them, through the app's own doors."""

import json
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote_plus

from videos import domain, repository, services, storage

EVENTS = Path(__file__).parent / "events"


def event(name: str) -> dict:
    """A recorded event from tests/events/, e.g. "scheduled.json"."""
    return json.loads((EVENTS / name).read_text())


def s3_event(key: str, *, name: str = "s3_put.json", bucket: str | None = None) -> dict:
    """A recorded S3 event with our key in it, URL-encoded as S3 sends keys (and `bucket`'s
    name and ARN, if given)."""
    recorded = event(name)
    for record in recorded.get("Records", []):
        record["s3"]["object"]["key"] = quote_plus(key)
        if bucket:
            record["s3"]["bucket"].update(name=bucket, arn=f"arn:aws:s3:::{bucket}")
    return recorded


def start_upload(owner_id: str = "7", *, title: str = "Rex catches a frisbee", size: int = 1000,
                 description: str = "Good boy."):
    return services.start_upload(
        owner_id=owner_id,
        owner_name=f"user{owner_id}",
        title=title,
        description=description,
        species="dog",
        filename="rex.mp4",
        content_type="video/mp4",
        size=size,
    )


def uploaded(path: Path, owner_id: str = "7", **kwargs) -> tuple[domain.Video, str]:
    """Start an upload and put the file where the browser would have posted it."""
    video = start_upload(owner_id, **{"size": path.stat().st_size} | kwargs).video
    key = storage.upload_key(owner_id, video.id)
    storage.upload(path, key, content_type="video/mp4")
    return video, key


def ready(
    owner_id: str = "7", *, title: str = "Rex catches a frisbee", published_at: datetime | None = None
) -> domain.Video:
    """A video that went through the worker's state changes to `ready`, without encoding (for
    tests about what people do with ready videos; its media objects are not in the bucket)."""
    video = start_upload(owner_id, title=title).video
    repository.claim(video.id, lease=timedelta(minutes=5), now=published_at)
    from videos import listings

    return listings.mark_ready(
        video.id,
        now=published_at,
        rendition=domain.Rendition(
            duration=2.0, width=320, height=240, source_size=1000, video_size=900, poster_size=100,
            video_key=storage.media_key(video.id, "video.mp4"), poster_key=storage.media_key(video.id, "poster.jpg"),
            card_key=None, thumbnails=0,
        ),
    )
def published(owner_id: str = "7", *, title: str = "Rex catches a frisbee", description: str = "Good boy.",
              species: str = "dog", pets: list[str] = (), visibility: str = "public",
              duration: float = 2.0) -> domain.Video:
    """A ready video without running the encoder: the upload is claimed and published with the
    rendition the worker would record (its objects are not in the bucket). For tests of what
    is listed where, which do not need the pictures."""
    from videos import listings

    video = services.start_upload(
        owner_id=owner_id, owner_name=f"user{owner_id}", title=title, description=description, species=species,
        filename="rex.mp4", content_type="video/mp4", size=1000, pets=list(pets), visibility=visibility,
    ).video
    repository.claim(video.id, lease=timedelta(minutes=5))
    return listings.mark_ready(video.id, rendition=domain.Rendition(
        duration=duration, width=640, height=360, source_size=1000, video_size=900, poster_size=100,
        video_key=storage.media_key(video.id, "video.mp4"), poster_key=storage.media_key(video.id, "poster-1.jpg"),
        card_key=storage.media_key(video.id, "card-1.jpg"), thumbnails=4,
    ))


def pet(owner_id: str = "7", *, name: str = "Rex", species: str = "dog", breed: str = "", born=None):
    from pets import services as pets

    return pets.add_pet(owner_id=owner_id, owner_name=f"user{owner_id}", name=name, species=species, breed=breed,
                        born=born)
