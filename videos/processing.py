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

from videos import repository, storage, transcode
from videos.repository import FAILED, PROCESSING, READY, UPLOADING, Rendition, Video

log = logging.getLogger("pettube.videos")

MAX_ATTEMPTS = 3
# What a worker keeps back from its time budget to upload outputs and record the result.
FINISHING_SECONDS = 30
# When an upload's form has expired (its first `due_at`), the sweeper looks once: an object in the
# bucket lost its S3 event and is processed; no object means it never arrives, and the video is
# removed when the upload window ends, without looking again.
MISSED_EVENT_AFTER = timedelta(seconds=storage.UPLOAD_EXPIRY_SECONDS)


# Failures that are not the upload's fault: the attempt ends and the sweeper retries. boto3's
# transfers (download, storing outputs) wrap S3's errors in their own.
RETRYABLE = (transcode.EncoderInterrupted, ClientError, BotoCoreError, *storage.TRANSFER_ERRORS, OSError)


@dataclass(frozen=True)
class SweepReport:
    expired_uploads: int = 0
    retried: int = 0
    timed_out: int = 0
    errors: int = 0


def ingest_upload(
    *, key: str, time_left: Callable[[], float] | None = None, head: storage.ObjectHead | None = None
) -> Video | None:
    """Process one uploaded object: claim the video (duplicates and late events are no-ops),
    check and transcode the file, then mark the video ready or failed. A failure that may pass
    (AWS errors, a worker running out of time, a full disk) leaves the video for the sweeper
    to retry. `time_left` gives the seconds this worker has left; `head` is the object's size and
    ETag when the caller already read them."""
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
    return _process(video, key, time_left or (lambda: float(settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS)), head)


def _skip_unclaimed(parsed: storage.UploadKey, key: str) -> None:
    current = repository.get(parsed.video_id)
    if current is None:
        log.info("removed orphan upload", extra={"video_id": parsed.video_id, "key": key})
        storage.delete(key)
    elif current.status in {READY, FAILED}:
        log.info("removed an upload re-posted after the verdict", extra={"video_id": current.id, "key": key})
        storage.delete(key)
    else:
        log.info("duplicate event ignored", extra={"video_id": current.id, "status": current.status})
    return None


def _process(video: Video, key: str, time_left: Callable[[], float], head: storage.ObjectHead | None) -> Video | None:
    workdir = Path(tempfile.mkdtemp(prefix=f"pettube-{video.id}-"))
    try:
        rendition = _transcode(video, key, workdir, time_left, head)
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
    log.info(
        "ready",
        extra={"video_id": video.id, "duration": rendition.duration, "width": rendition.width, "height": rendition.height},
    )
    return ready


def _transcode(
    video: Video, key: str, workdir: Path, time_left: Callable[[], float], head: storage.ObjectHead | None
) -> Rendition:
    head = arrived(video, key, head)
    _ensure_time(time_left)
    source = workdir / "source"
    storage.download(key, source, known=head)
    probe = transcode.probe(source)
    if probe.duration and probe.duration > settings.PETTUBE_MAX_DURATION_SECONDS:
        raise transcode.TranscodeError(
            f"The video is longer than {settings.PETTUBE_MAX_DURATION_SECONDS // 60} minutes."
        )
    if probe.width * probe.height > settings.PETTUBE_MAX_SOURCE_PIXELS:
        raise transcode.TranscodeError(f"The video's resolution ({probe.width}x{probe.height}) is too high.")
    outputs = transcode.encode(source, workdir, timeout=_ensure_time(time_left))
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
        source_size=head.size,
        video_size=outputs.video.stat().st_size,
        poster_size=outputs.poster.stat().st_size,
        video_key=video_key,
        poster_key=poster_key,
    )


def arrived(video: Video, key: str, head: storage.ObjectHead | None = None) -> storage.ObjectHead:
    """The uploaded object's head (one HeadObject unless the caller read it), its size checked
    against the limit and against the size declared when the upload started: the POST policy
    that should enforce it is not checked by every S3 (moto) nor by every upload path."""
    head = head or storage.head(key)
    if head is None:
        raise transcode.TranscodeError("The upload did not arrive.")
    size = head.size
    if size == 0:
        raise transcode.TranscodeError("The file is empty.")
    if size > settings.PETTUBE_MAX_UPLOAD_BYTES:
        raise transcode.TranscodeError(f"The file is larger than {_gigabytes(settings.PETTUBE_MAX_UPLOAD_BYTES)}.")
    if size != video.declared_size:
        raise transcode.TranscodeError(
            f"The uploaded file ({size} bytes) is not the one announced when the upload started "
            f"({video.declared_size} bytes)."
        )
    return head


def _ensure_time(time_left: Callable[[], float]) -> float:
    """The seconds this worker may still spend before finishing; EncoderInterrupted when none."""
    budget = time_left() - FINISHING_SECONDS
    if budget <= 0:
        raise transcode.EncoderInterrupted("no time left in this worker")
    return budget


def _reject(video: Video, key: str, reason: str) -> Video | None:
    failed = repository.mark_failed(video.id, reason=reason)
    storage.delete(key)
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
    """Look once at uploads whose form expired (catching up a lost S3 event), remove those that
    never arrived when the upload window ends, retry processing whose lease ran out (up to
    MAX_ATTEMPTS) and fail what still does not finish. Pages through everything due while time
    is left; one video's failure is logged and never stops the others."""
    now = now or datetime.now(UTC)
    started = time.monotonic()
    time_left = time_left or (lambda: settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS - (time.monotonic() - started))
    tally = {"expired_uploads": 0, "retried": 0, "timed_out": 0, "errors": 0}
    for page in _due_pages(UPLOADING, now, time_left):
        _guarded(tally, None, _expire_uploads, [video for video in page if video.created_at + _upload_window() <= now])
        for video in page:
            if video.created_at + _upload_window() > now and time_left() > FINISHING_SECONDS * 2:
                _guarded(tally, video, _look_for_upload, video, time_left)
    for page in _due_pages(PROCESSING, now, time_left):
        for video in page:
            if video.attempts >= MAX_ATTEMPTS:
                _guarded(tally, video, _fail_after_retries, video)
            elif time_left() > FINISHING_SECONDS * 2:
                _guarded(tally, video, _retry, video, time_left)
    return SweepReport(**tally)


def _due_pages(status: str, now: datetime, time_left: Callable[[], float]):
    """Pages of what is due in `status`, oldest first, for as long as time is left."""
    cursor = None
    while time_left() > FINISHING_SECONDS:
        page = repository.due(status, now=now, cursor=cursor)
        yield page.items
        cursor = page.next_cursor
        if cursor is None:
            return


def _guarded(tally: dict, video: Video | None, step: Callable, *args) -> None:
    """Run one step of the sweep and count its outcome; a failure is logged and counted, and
    never stops the sweep for the other videos."""
    try:
        for outcome, count in step(*args).items():
            tally[outcome] += count
    except Exception:
        log.exception("sweep step failed", extra={"step": step.__name__, "video_id": video.id if video else None})
        tally["errors"] += 1


def _expire_uploads(videos: list[Video]) -> dict:
    """Remove uploads that never arrived, without looking for them again: each item only if it
    is still uploading, and all their upload keys in one request (no media exist before
    processing)."""
    gone = [video for video in videos if repository.delete_if(video.id, status=UPLOADING)]
    storage.delete(*(storage.upload_key(video.owner_id, video.id) for video in gone))
    for video in gone:
        log.info("expired upload removed", extra={"video_id": video.id})
    return {"expired_uploads": len(gone)}


def _look_for_upload(video: Video, time_left: Callable[[], float]) -> dict:
    """The one look at an upload whose form expired: process it if it arrived (its S3 event was
    lost), else leave it until the upload window ends."""
    key = storage.upload_key(video.owner_id, video.id)
    head = storage.head(key)
    if head is None:
        repository.postpone(video.id, status=UPLOADING, due_at=video.created_at + _upload_window())
        return {}
    log.warning("upload event missed; processing now", extra={"video_id": video.id})
    ingest_upload(key=key, time_left=time_left, head=head)
    return {"retried": 1}


def _fail_after_retries(video: Video) -> dict:
    if not repository.mark_failed(video.id, reason=_final_reason(video)):
        return {}
    storage.delete(storage.upload_key(video.owner_id, video.id))
    log.warning("failed after retries", extra={"video_id": video.id, "attempts": video.attempts})
    return {"timed_out": 1}


def _retry(video: Video, time_left: Callable[[], float]) -> dict:
    ingest_upload(key=storage.upload_key(video.owner_id, video.id), time_left=time_left)
    return {"retried": 1}


def _upload_window() -> timedelta:
    return timedelta(hours=settings.PETTUBE_UPLOAD_EXPIRY_HOURS)


def _final_reason(video: Video) -> str:
    if video.error:
        return f"Processing failed after {video.attempts} attempts ({video.error})."
    return "Processing timed out."
