"""What the worker function does with uploads: check, transcode and publish each one
(`ingest_upload`, on its S3 event), and the scheduled `sweep` that retries, expires and fails
what is stuck. Only the worker runs this; the web function never imports the encoder."""

import errno
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from notifications import services as notifications
from videos import repository, storage, transcode
from videos.repository import PROCESSING, UPLOADING, Rendition, Video

log = logging.getLogger("pettube.videos")

MAX_ATTEMPTS = 3
# What a worker keeps back from its time budget to upload outputs and record the result.
FINISHING_SECONDS = 30
# An upload whose object is in the bucket but still `uploading` this long after it started lost
# its S3 event; the sweeper processes it.
MISSED_EVENT_AFTER = timedelta(minutes=10)


# Failures that are not the upload's fault: the attempt ends and the sweeper retries.
RETRYABLE = (transcode.EncoderInterrupted, ClientError, BotoCoreError, OSError)


@dataclass(frozen=True)
class SweepReport:
    expired_uploads: int = 0
    retried: int = 0
    timed_out: int = 0


def ingest_upload(*, key: str, time_left: Callable[[], float] | None = None) -> Video | None:
    """Process one uploaded object: claim the video (duplicates and late events are no-ops),
    check and transcode the file, then mark the video ready or failed. A failure that may pass
    (AWS errors, a worker running out of time, a full disk) leaves the video for the sweeper
    to retry. `time_left` gives the seconds this worker has left."""
    parsed = storage.parse_upload_key(key)
    if parsed is None:
        log.warning("ignored object outside the upload layout", extra={"key": key})
        return None
    video = repository.claim(
        parsed.video_id, lease=timedelta(seconds=settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS)
    )
    if video is None:
        return _skip_unclaimed(parsed, key)
    if video.owner_id != parsed.owner_id:
        log.warning("upload key names another owner", extra={"video_id": video.id, "key": key})
        storage.delete(key)
        return repository.mark_failed(video.id, reason="The upload did not match this video.")
    log.info("processing", extra={"video_id": video.id, "attempt": video.attempts})
    return _process(video, key, time_left or (lambda: float(settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS)))


def _skip_unclaimed(parsed: storage.UploadKey, key: str) -> None:
    current = repository.get(parsed.video_id)
    if current is None:
        log.info("removed orphan upload", extra={"video_id": parsed.video_id, "key": key})
        storage.delete(key)
    else:
        log.info("duplicate event ignored", extra={"video_id": current.id, "status": current.status})
    return None


def _process(video: Video, key: str, time_left: Callable[[], float]) -> Video | None:
    workdir = Path(tempfile.mkdtemp(prefix=f"pettube-{video.id}-"))
    try:
        rendition = _transcode(video, key, workdir, time_left)
        ready = repository.mark_ready(video.id, rendition=rendition)
    except transcode.TranscodeError as error:
        return _reject(video, key, str(error))
    except RETRYABLE as error:
        return _release(video, error)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if ready is None:
        log.info("video deleted while processing; outputs removed", extra={"video_id": video.id})
        storage.delete_video_objects(owner_id=video.owner_id, video_id=video.id)
        return None
    storage.delete(key)
    notifications.video_ready(video=ready)
    log.info(
        "ready",
        extra={"video_id": video.id, "duration": rendition.duration, "width": rendition.width, "height": rendition.height},
    )
    return ready


def _transcode(video: Video, key: str, workdir: Path, time_left: Callable[[], float]) -> Rendition:
    size = storage.size_of(key)
    if size is None:
        raise transcode.TranscodeError("The upload did not arrive.")
    if size == 0:
        raise transcode.TranscodeError("The file is empty.")
    if size > settings.PETTUBE_MAX_UPLOAD_BYTES:
        raise transcode.TranscodeError(f"The file is larger than {_gigabytes(settings.PETTUBE_MAX_UPLOAD_BYTES)}.")
    source = workdir / "source"
    storage.download(key, source)
    probe = transcode.probe(source)
    if probe.duration and probe.duration > settings.PETTUBE_MAX_DURATION_SECONDS:
        raise transcode.TranscodeError(
            f"The video is longer than {settings.PETTUBE_MAX_DURATION_SECONDS // 60} minutes."
        )
    if probe.width * probe.height > settings.PETTUBE_MAX_SOURCE_PIXELS:
        raise transcode.TranscodeError(f"The video's resolution ({probe.width}x{probe.height}) is too high.")
    budget = time_left() - FINISHING_SECONDS
    if budget <= 0:
        raise transcode.EncoderInterrupted("no time left in this worker")
    outputs = transcode.encode(source, workdir, timeout=budget)
    if probe.duration and outputs.duration < 0.5 * probe.duration:
        raise transcode.TranscodeError("The file seems to be incomplete: part of the video is missing.")
    video_key = storage.media_key(video.id, "video.mp4")
    poster_key = storage.media_key(video.id, "poster.jpg")
    storage.upload(outputs.video, video_key, content_type="video/mp4")
    storage.upload(outputs.poster, poster_key, content_type="image/jpeg")
    return Rendition(
        duration=round(outputs.duration, 3),
        width=outputs.width,
        height=outputs.height,
        source_size=size,
        video_size=outputs.video.stat().st_size,
        poster_size=outputs.poster.stat().st_size,
        video_key=video_key,
        poster_key=poster_key,
    )


def _reject(video: Video, key: str, reason: str) -> Video | None:
    failed = repository.mark_failed(video.id, reason=reason)
    storage.delete(key)
    if failed:
        notifications.video_failed(video=failed)
    log.warning("failed", extra={"video_id": video.id, "reason": reason})
    return failed


def _release(video: Video, error: Exception) -> Video | None:
    reason = _readable(error)
    log.warning(
        "attempt interrupted; will retry",
        extra={"video_id": video.id, "attempt": video.attempts, "reason": reason, "detail": repr(error)},
    )
    try:
        return repository.release(video.id, reason=reason)
    except RETRYABLE:
        log.exception("could not release; the lease will expire", extra={"video_id": video.id})
        return None


def _readable(error: Exception) -> str:
    if isinstance(error, transcode.EncoderInterrupted):
        return "processing was interrupted"
    if isinstance(error, OSError):
        return "the processing worker ran out of disk space" if error.errno == errno.ENOSPC else "a file error"
    return "the storage service was unavailable"


def _gigabytes(size: int) -> str:
    return f"{size / 1024**3:g} GB"


def sweep(*, now: datetime | None = None, time_left: Callable[[], float] | None = None) -> SweepReport:
    """Remove uploads that never arrived, retry processing whose lease ran out (up to
    MAX_ATTEMPTS), and fail what still does not finish."""
    now = now or datetime.now(UTC)
    started = time.monotonic()
    time_left = time_left or (lambda: settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS - (time.monotonic() - started))
    expired = retried = timed_out = 0
    for video in repository.due(UPLOADING, now=now + _upload_window() - MISSED_EVENT_AFTER):
        key = storage.upload_key(video.owner_id, video.id)
        if storage.size_of(key) is not None:
            log.warning("upload event missed; processing now", extra={"video_id": video.id})
            retried += 1
            ingest_upload(key=key, time_left=time_left)
        elif video.due_at <= now and repository.delete_if(video.id, status=UPLOADING):
            storage.delete_video_objects(owner_id=video.owner_id, video_id=video.id)
            log.info("expired upload removed", extra={"video_id": video.id})
            expired += 1
    for video in repository.due(PROCESSING, now=now):
        if video.attempts >= MAX_ATTEMPTS:
            if failed := repository.mark_failed(video.id, reason=_final_reason(video)):
                storage.delete(storage.upload_key(video.owner_id, video.id))
                notifications.video_failed(video=failed)
                log.warning("failed after retries", extra={"video_id": video.id, "attempts": video.attempts})
                timed_out += 1
        elif time_left() > FINISHING_SECONDS * 2:
            retried += 1
            ingest_upload(key=storage.upload_key(video.owner_id, video.id), time_left=time_left)
    return SweepReport(expired_uploads=expired, retried=retried, timed_out=timed_out)


def _upload_window() -> timedelta:
    return timedelta(hours=settings.PETTUBE_UPLOAD_EXPIRY_HOURS)


def _final_reason(video: Video) -> str:
    if video.error:
        return f"Processing failed after {video.attempts} attempts ({video.error})."
    return "Processing timed out."
