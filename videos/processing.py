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

from videos import repository, signals, storage, streaming, transcode, uploading
from videos.domain import FAILED, PROCESSING, READY, UPLOADING, Video

log = logging.getLogger("pettube.videos")

MAX_ATTEMPTS = 3
FINISHING_SECONDS = streaming.FINISHING_SECONDS
# When an upload's form has expired (its first `due_at`), the sweeper looks once: an object in the
# bucket lost its S3 event and is processed; no object means it never arrives, and the video is
# removed when the upload window ends, without looking again.
MISSED_EVENT_AFTER = timedelta(seconds=storage.UPLOAD_EXPIRY_SECONDS)


# Failures that are not the upload's fault: the attempt ends and the sweeper retries. boto3's
# transfers (storing outputs) wrap S3's errors in their own. Of the operating system's errors only
# those a later attempt may not meet, by what they say of the worker (PASSING_OS_ERRORS). Anything
# else (a file the code expected and did not find, a TypeError) is a bug in PetTube: retrying
# cannot help, so the video fails at once, saying so, and the error is raised to be reported.
RETRYABLE = (transcode.EncoderInterrupted, ClientError, BotoCoreError, *storage.TRANSFER_ERRORS, ConnectionError,
             TimeoutError)
PASSING_OS_ERRORS = {
    errno.ENOSPC: "the processing worker ran out of disk space",
    errno.EDQUOT: "the processing worker ran out of disk space",
    errno.EIO: "the processing worker had a disk error",
    errno.ENOMEM: "the processing worker ran out of memory",
    errno.EMFILE: "the processing worker ran out of file handles",
    errno.ENFILE: "the processing worker ran out of file handles",
    errno.EAGAIN: "the processing worker was overloaded",
}
OUR_ERROR = "Something went wrong on our side while processing this video (we have been told). Please upload it again."


@dataclass(frozen=True)
class SweepReport:
    expired_uploads: int = 0
    retried: int = 0
    timed_out: int = 0
    errors: int = 0


def ingest_upload(*, key: str, time_left: Callable[[], float] | None = None, size: int | None = None) -> Video | None:
    """Process one uploaded object: claim the video (duplicates and late events are no-ops),
    check and transcode the file, then mark the video ready or failed. A failure that may pass
    (AWS errors, a worker running out of time, a full disk) leaves the video for the sweeper
    to retry. `time_left` gives the seconds this worker has left; `size` is the object's size
    when the caller already read it."""
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
    return _process(video, key, time_left or (lambda: float(settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS)), size)


def _skip_unclaimed(parsed: uploading.UploadKey, key: str) -> None:
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


def _process(video: Video, key: str, time_left: Callable[[], float], size: int | None) -> Video | None:
    def attempt() -> None:
        source_size = _arrived_size(video, key, size)
        _ensure_time(time_left)
        source = storage.presigned_source(key)
        probe = transcode.probe(source, sample=True)
        _check_limits(probe)
        streaming.encode(
            video, streaming.plan(probe, source_size=source_size), source=source, time_left=time_left,
            run_chunk=lambda index: encode_chunk(video_id=video.id, attempt=video.attempts, index=index),
        )

    finished, stopped = _with_verdict(video, attempt)
    return repository.get(video.id) if finished else stopped


def encode_chunk(*, video_id: str, attempt: int, index: int, time_left: Callable[[], float] | None = None) -> None:
    """Encode one chunk of a long video's attempt (started by the attempt's first job, here or
    as another Lambda invocation), with the same verdicts as `ingest_upload`."""
    video = repository.get(video_id)
    if video is None or video.status != PROCESSING or video.attempts != attempt:
        log.info("chunk of a finished or newer attempt ignored", extra={"video_id": video_id, "attempt": attempt})
        return
    budget = time_left or (lambda: float(settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS))
    _with_verdict(video, lambda: streaming.encode_chunk(video, index=index, time_left=budget))


def _with_verdict(video: Video, attempt: Callable[[], None]) -> tuple[bool, Video | None]:
    """Run one job of an attempt: (True, None) when it ran to its end; else what stopped it
    decides the video, returned as it is then: a file that cannot become a video fails it, a
    deleted or taken-over video is left, a passing failure releases it for the sweeper to retry;
    anything else is a bug in PetTube: the video fails at once, saying so, and the error is raised."""
    try:
        attempt()
    except transcode.TranscodeError as error:
        return False, _reject(video, str(error))
    except transcode.EncoderStopped:
        return False, _abandon(video)
    except RETRYABLE as error:
        return False, _release(video, error)
    except Exception as error:
        if isinstance(error, OSError) and error.errno in PASSING_OS_ERRORS:
            return False, _release(video, error)
        _reject(video, OUR_ERROR)
        raise
    return True, None


def _arrived_size(video: Video, key: str, size: int | None = None) -> int:
    """The uploaded object's size (one HeadObject unless the caller read it), checked against the
    limit and against the size declared when the upload started: the POST policy that should
    enforce it is not checked by every S3 (moto) nor by every upload path."""
    size = storage.size_of(key) if size is None else size
    if size is None:
        raise transcode.TranscodeError("The upload did not arrive.")
    if size == 0:
        raise transcode.TranscodeError("The file is empty.")
    if size > settings.PETTUBE_MAX_UPLOAD_BYTES:
        raise transcode.TranscodeError(f"The file is larger than {_gigabytes(settings.PETTUBE_MAX_UPLOAD_BYTES)}.")
    if size != video.declared_size:
        raise transcode.TranscodeError(
            f"The uploaded file ({size} bytes) is not the one announced when the upload started "
            f"({video.declared_size} bytes)."
        )
    return size


def _ensure_time(time_left: Callable[[], float]) -> None:
    """Start no step of an attempt that this worker has no time left to finish."""
    if time_left() - FINISHING_SECONDS <= 0:
        raise transcode.EncoderInterrupted("no time left in this worker")


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
        signals.video_failed.send(sender=_reject, video=failed)
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
    except (*RETRYABLE, OSError):
        log.exception("could not release; the lease will expire", extra={"video_id": video.id})
        return None


def _readable(error: Exception) -> str:
    if isinstance(error, transcode.EncoderInterrupted):
        return "processing was interrupted"
    if isinstance(error, OSError) and error.errno in PASSING_OS_ERRORS:
        return PASSING_OS_ERRORS[error.errno]
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
    for video in gone:
        if video.upload_id:  # free the parts of its unfinished multipart upload
            storage.abort_multipart(key=storage.upload_key(video.owner_id, video.id), upload_id=video.upload_id)
    storage.delete(*(storage.upload_key(video.owner_id, video.id) for video in gone))
    for video in gone:
        log.info("expired upload removed", extra={"video_id": video.id})
    return {"expired_uploads": len(gone)}


def _look_for_upload(video: Video, time_left: Callable[[], float]) -> dict:
    """The one look at an upload whose form expired: process it if it arrived (its S3 event was
    lost), else leave it until the upload window ends."""
    key = storage.upload_key(video.owner_id, video.id)
    size = None if video.upload_id else storage.size_of(key)  # an open multipart upload has no object yet
    if size is None:
        repository.postpone(video.id, status=UPLOADING, due_at=video.created_at + _upload_window())
        return {}
    log.warning("upload event missed; processing now", extra={"video_id": video.id})
    ingest_upload(key=key, time_left=time_left, size=size)
    return {"retried": 1}


def _fail_after_retries(video: Video) -> dict:
    if not (failed := repository.mark_failed(video.id, reason=_final_reason(video))):
        return {}
    storage.delete(storage.upload_key(video.owner_id, video.id))
    signals.video_failed.send(sender=_fail_after_retries, video=failed)
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
