"""What people do through the site: start an upload, delete a video, and read the feed, a
person's videos and a video. The web views and the JSON API call these; what happens to an
upload once it arrives is videos/processing.py, in the worker."""

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings

from videos import hls, ladder, repository, storage
from videos.repository import READY, UPLOADING, Video

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
    Raises RateLimited past PETTUBE_UPLOADS_PER_HOUR upload starts in the last hour."""
    now = datetime.now(UTC)
    _check_upload_rate(owner_id, now)
    video = repository.create(
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
            due_at=now + timedelta(hours=settings.PETTUBE_UPLOAD_EXPIRY_HOURS),
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


def _check_upload_rate(owner_id: str, now: datetime) -> None:
    limit, window = settings.PETTUBE_UPLOADS_PER_HOUR, timedelta(hours=1)
    recent = repository.started_since(owner_id, since=now - window, limit=limit)
    if len(recent) >= limit:
        retry_after = max(1, int((recent[-1] + window - now).total_seconds()) + 1)
        log.warning("upload rate limited", extra={"owner_id": owner_id, "retry_after": retry_after})
        raise RateLimited(retry_after)


def delete_video(*, video_id: str, user_id: str) -> None:
    """Delete a video and every object it has. Only its owner may. A worker still processing
    it notices at the end (its conditional write fails) and removes what it wrote."""
    video = repository.get(video_id)
    if video is None:
        raise NotFound(video_id)
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
    return repository.by_owner(owner_id, limit=limit, cursor=cursor, status=READY)


def visible_video(*, video_id: str, user_id: str | None) -> Video:
    """A video as `user_id` may see it: ready ones for everybody, others for their owner;
    a video hidden after reports only for its owner."""
    return _visible(repository.get(video_id), video_id=video_id, user_id=user_id)


def visible_video_along(*, video_id: str, user_id: str | None, others: list[str]) -> tuple[Video, dict[str, dict]]:
    """`visible_video`, and those of the `others` (ids of other apps' items) that exist, in one
    DynamoDB round trip (the watch page: the video, whether its viewer likes it, their unseen count)."""
    video, present = repository.get_along(video_id, others=others)
    return _visible(video, video_id=video_id, user_id=user_id), present


def _visible(video: Video | None, *, video_id: str, user_id: str | None) -> Video:
    if video is None or (video.owner_id != user_id and (video.status != READY or video.hidden_at)):
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


# --- for the other apps (community: likes, views, the ranking, reports) ---------------------


def counter_action(*, video_id: str, counter: str, delta: int) -> dict:
    """A transaction action adding `delta` to a ready video's `likes` or `views`, for another
    app's pettube.dynamo.transact (its condition fails when the video is gone or not ready)."""
    return repository.counter_action(video_id, counter=counter, delta=delta)


def published_since(*, since: datetime) -> list[Video]:
    return repository.published_since(since)


def snapshot(video: Video) -> dict:
    return repository.snapshot(video)


def from_snapshot(item: dict) -> Video:
    return repository.from_snapshot(item)


def hide_video(*, video_id: str) -> Video | None:
    """Hide a video pending review (reports): out of the feed, profiles and its page."""
    hidden = repository.hide(video_id)
    if hidden:
        log.info("hidden pending review", extra={"video_id": video_id})
    return hidden


def restore_video(*, video_id: str) -> Video | None:
    video = repository.get(video_id)
    return repository.restore(video) if video and video.hidden_at else None


def remove_video(*, video_id: str) -> None:
    """Delete a video and its objects whoever owns it (staff, after reviewing reports)."""
    video = repository.get(video_id)
    if video is None:
        return
    repository.delete(video_id)
    storage.delete_video_objects(owner_id=video.owner_id, video_id=video.id)
    log.info("removed after review", extra={"video_id": video.id})
