"""What the worker function does with uploads: check, transcode and publish each one
(`ingest_upload`, on its S3 event), and the scheduled `sweep` that retries, expires and fails
what is stuck. Only the worker runs this; the web function never imports the encoder."""

import errno
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from notifications import services as notifications
from videos import repository, storage, streaming, transcode
from videos.repository import FAILED, PROCESSING, UPLOADING, Video

log = logging.getLogger("pettube.videos")

MAX_ATTEMPTS = 3
FINISHING_SECONDS = streaming.FINISHING_SECONDS
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
    try:
        size = _arrived_size(key)
        source = storage.presigned_source(key)
        probe = transcode.probe(source)
        _check_limits(probe)
        streaming.encode(video, streaming.plan(probe, source_size=size), source=source, time_left=time_left)
    except transcode.TranscodeError as error:
        return _reject(video, str(error))
    except transcode.EncoderStopped:
        return _abandon(video)
    except RETRYABLE as error:
        return _release(video, error)
    return repository.get(video.id)


def encode_chunk(*, video_id: str, attempt: int, index: int, time_left: Callable[[], float] | None = None) -> None:
    """Encode one chunk of a long video's attempt (started by the attempt's first job, here or
    as another Lambda invocation), with the same verdicts as `ingest_upload`."""
    video = repository.get(video_id)
    if video is None or video.status != PROCESSING or video.attempts != attempt:
        log.info("chunk of a finished or newer attempt ignored", extra={"video_id": video_id, "attempt": attempt})
        return
    try:
        streaming.encode_chunk(
            video, index=index, time_left=time_left or (lambda: float(settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS))
        )
    except transcode.TranscodeError as error:
        _reject(video, str(error))
    except transcode.EncoderStopped:
        _abandon(video)
    except RETRYABLE as error:
        _release(video, error)


def _arrived_size(key: str) -> int:
    size = storage.size_of(key)
    if size is None:
        raise transcode.TranscodeError("The upload did not arrive.")
    if size == 0:
        raise transcode.TranscodeError("The file is empty.")
    if size > settings.PETTUBE_MAX_UPLOAD_BYTES:
        raise transcode.TranscodeError(f"The file is larger than {_gigabytes(settings.PETTUBE_MAX_UPLOAD_BYTES)}.")
    return size


def _check_limits(probe: transcode.Probe) -> None:
    """What the header says. The encoder enforces the same limits on what it decodes: it stops
    past the longest duration, caps every frame's size and the frame rate."""
    if probe.duration is None:
        raise transcode.TranscodeError("We could not tell how long this video is (its file gives no duration).")
    if probe.duration > settings.PETTUBE_MAX_DURATION_SECONDS:
        raise streaming.too_long()
    if probe.width * probe.height > settings.PETTUBE_MAX_SOURCE_PIXELS:
        raise transcode.TranscodeError(f"The video's resolution ({probe.width}x{probe.height}) is too high.")


def _reject(video: Video, reason: str) -> Video | None:
    """The upload cannot become a video: failed with the reason, its file and anything already
    published (segments of a playable start) removed."""
    failed = repository.mark_failed(video.id, reason=reason)
    storage.delete_video_objects(owner_id=video.owner_id, video_id=video.id)
    if failed:
        notifications.video_failed(video=failed)
    log.warning("failed", extra={"video_id": video.id, "reason": reason})
    return failed


def _abandon(video: Video) -> Video | None:
    """This job stopped because the video was deleted or failed in another job (remove what it
    wrote, maybe after that job cleaned up) or is no longer this attempt's (leave it to the one
    that owns it)."""
    current = repository.get(video.id)
    if current is None or current.status == FAILED:
        storage.delete_video_objects(owner_id=video.owner_id, video_id=video.id)
        log.info("encoding stopped; outputs removed", extra={"video_id": video.id, "deleted": current is None})
    return current


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
