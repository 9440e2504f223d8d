"""What people do through the site: start an upload, delete a video, and read the feed, a
person's videos and a video. The web views and the JSON API call these; what happens to an
upload once it arrives is videos/processing.py, in the worker."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from pettube import dynamo
from videos import hls, ladder, repository, storage
from videos.repository import READY, UPLOADING, StartWindow, Video

log = logging.getLogger("pettube.videos")

PAGE_SIZE = 24
MASTER_PLAYLIST = "master"


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many uploads; try again in {retry_after} s.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class UploadStart:
    video: Video
    upload: storage.PresignedPost


def new_video_id() -> str:
    return secrets.token_urlsafe(8)


def start_upload(
    *, owner_id: str, owner_name: str, title: str, description: str, pet: str, filename: str,
    content_type: str, size: int,
) -> UploadStart:
    """Record a new video as `uploading` and return the presigned POST the browser sends the
    file with. The key is ours (`uploads/<owner>/<id>`); the filename is only kept as metadata.
    Raises RateLimited past PETTUBE_UPLOADS_PER_HOUR upload starts in this hour (see
    `counted_start`)."""
    now = dynamo.now()
    video = counted_start(
        Video(
            id=new_video_id(),
            owner_id=owner_id,
            owner_name=owner_name,
            title=title,
            description=description,
            pet=pet,
            status=UPLOADING,
            created_at=now,
            updated_at=now,
            due_at=now + timedelta(seconds=storage.UPLOAD_EXPIRY_SECONDS),  # the sweeper looks once the form expired
            filename=filename,
            declared_size=size,
        )
    )
    upload = storage.presigned_upload(
        key=storage.upload_key(owner_id, video.id),
        content_type=content_type,
        max_bytes=size,  # the declared size, itself at most PETTUBE_MAX_UPLOAD_BYTES
    )
    log.info("upload started", extra={"video_id": video.id, "owner_id": owner_id, "size": size})
    return UploadStart(video=video, upload=upload)


def counted_start(video: Video) -> Video:
    """Store a new video and count its start against its owner's PETTUBE_UPLOADS_PER_HOUR in
    the clock hour of `video.created_at`, in one DynamoDB transaction: concurrent starts cannot
    both take the last place, and deleting videos gives no start back. Raises RateLimited, with
    the seconds until the hour ends, when the hour's starts are used up."""
    window = upload_window(owner_id=video.owner_id, moment=video.created_at)
    try:
        return repository.create(video, counted_in=window)
    except repository.StartLimitReached:
        retry_after = max(1, int((window.end - video.created_at).total_seconds()) + 1)
        log.warning("upload rate limited", extra={"owner_id": video.owner_id, "retry_after": retry_after})
        raise RateLimited(retry_after) from None


def upload_window(*, owner_id: str, moment: datetime) -> StartWindow:
    start = moment.replace(minute=0, second=0, microsecond=0)
    return StartWindow(
        owner_id=owner_id, start=start, end=start + timedelta(hours=1), limit=settings.PETTUBE_UPLOADS_PER_HOUR
    )


def delete_video(*, video_id: str, user_id: str) -> None:
    """Delete a video and every object it has. Only its owner may; to anybody else a video they
    cannot see does not exist (NotFound, as when reading it). A worker still processing it
    notices at the end (its conditional write fails) and removes what it wrote."""
    video = visible_video(video_id=video_id, user_id=user_id)
    if video.owner_id != user_id:
        raise Forbidden(video_id)
    repository.delete(video_id)
    storage.delete_video_objects(owner_id=video.owner_id, video_id=video.id)
    log.info("deleted", extra={"video_id": video.id, "owner_id": user_id})


def feed_page(*, cursor: str | None = None, limit: int = PAGE_SIZE) -> repository.Page:
    return repository.feed(limit=limit, cursor=cursor)


def videos_of(*, owner_id: str, cursor: str | None = None, limit: int = PAGE_SIZE) -> repository.Page:
    return repository.by_owner(owner_id, limit=limit, cursor=cursor)


def public_videos_of(*, owner_id: str, cursor: str | None = None, limit: int = PAGE_SIZE) -> repository.Page:
    return repository.public_by_owner(owner_id, limit=limit, cursor=cursor)


def visible_video(*, video_id: str, user_id: str | None) -> Video:
    """A video as `user_id` may see it: ready ones for everybody, others for their owner."""
    video = repository.get(video_id)
    if video is None or (video.status != READY and video.owner_id != user_id):
        raise NotFound(video_id)
    return video


def playlist(video: Video, name: str) -> str | None:
    """A playable video's HLS playlist `name` as a browser gets it: the master playlist, made
    from the video's ladder, or a rung's (or the audio's) stored playlist with every segment URI
    presigned for SEGMENT_EXPIRY_SECONDS. None when the video has no such playlist (yet)."""
    if not video.playable:
        return None
    rungs = ladder.rungs_from_json(video.rungs)
    if name == MASTER_PLAYLIST:
        return hls.master_playlist(rungs, has_audio=bool(video.has_audio))
    if name not in {rung.name for rung in rungs} | ({hls.AUDIO} if video.has_audio else set()):
        return None
    stored = storage.read_text(storage.hls_key(video.id, f"{name}.m3u8"))
    if stored is None:
        return None
    return hls.signed(
        stored,
        lambda uri: storage.presigned_get(storage.hls_key(video.id, uri), expires_in=storage.SEGMENT_EXPIRY_SECONDS),
    )
