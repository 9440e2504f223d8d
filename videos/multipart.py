"""Large uploads, which the browser sends straight to S3 in parts (services.start_upload begins
them): hand out presigned part URLs a batch at a time, tell a resuming browser which parts are
stored, and complete the upload on the server once every part is there with the right size.
Cancelling is deleting the video (services.delete_video aborts the multipart upload)."""

import logging
from dataclasses import dataclass

from pettube import exceptions
from videos import repository, storage, uploading
from videos.domain import UPLOADING, Video
from videos.services import NotFound

log = logging.getLogger("pettube.videos")

MAX_URLS_PER_REQUEST = 20


class NotOpen(exceptions.Conflict):
    """The video has no multipart upload under way (a small file, or already complete)."""

    def __init__(self):
        super().__init__("This video has no upload under way: it is complete, cancelled or was sent in one piece.")


class BadParts(exceptions.Invalid):
    """What the browser asked for or sent does not fit the upload; `field` says which input."""

    def __init__(self, message: str, *, field: str = "parts"):
        super().__init__(message, {field: [message]})


class PartsMissing(exceptions.Conflict):
    """Parts have not arrived yet: `missing` are their numbers (the API answers them too)."""

    def __init__(self, missing: list[int]):
        message = f"{len(missing)} part(s) have not arrived yet."
        super().__init__(message, {"parts": [message]}, {"missing": missing})
        self.missing = missing


@dataclass(frozen=True)
class UploadState:
    video: Video
    part_count: int
    stored: list[uploading.StoredPart]


def upload_state(*, video_id: str, user_id: str) -> UploadState:
    """The parts of `video_id`'s upload already stored, for a browser that resumes it."""
    video = _open_upload(video_id, user_id)
    return UploadState(video=video, part_count=_part_count(video), stored=_stored(video))


def part_urls(*, video_id: str, user_id: str, numbers: list[int]) -> dict[int, str]:
    """Presigned UploadPart URLs (short-lived) for the parts `numbers` of the owner's upload."""
    video = _open_upload(video_id, user_id)
    count = _part_count(video)
    if not numbers or len(numbers) > MAX_URLS_PER_REQUEST:
        raise BadParts(f"Ask for 1 to {MAX_URLS_PER_REQUEST} parts at a time.", field="numbers")
    if outside := sorted({number for number in numbers if not 1 <= number <= count}):
        raise BadParts(f"This upload has parts 1 to {count}; there is no part {outside[0]}.", field="numbers")
    key = storage.upload_key(video.owner_id, video.id)
    return {
        number: storage.presigned_part(key=key, upload_id=video.upload_id, number=number,
                                       size=_expected_size(video, number, count))
        for number in numbers
    }


def complete_upload(*, video_id: str, user_id: str) -> Video:
    """Check that every part arrived with the size the declared file gives it (so the object is
    exactly the declared size, itself within the limit), then have S3 assemble the object; its
    ObjectCreated:CompleteMultipartUpload event starts processing. Completing twice is fine."""
    video = _owned(video_id, user_id)
    if video.upload_id is None and video.part_size and video.status != repository.FAILED:
        return video  # completed before: a retried request
    video = _open_upload(video_id, user_id)
    count, stored = _part_count(video), _stored(video)
    by_number = {part.number: part for part in stored}
    if missing := [number for number in range(1, count + 1) if number not in by_number]:
        raise PartsMissing(missing)
    for number in range(1, count + 1):
        expected = _expected_size(video, number, count)
        if by_number[number].size != expected:
            raise BadParts(f"Part {number} has {by_number[number].size} bytes; it should have {expected}.")
    key = storage.upload_key(video.owner_id, video.id)
    in_order = [by_number[number] for number in range(1, count + 1)]
    try:
        completed = storage.complete_multipart(key=key, upload_id=video.upload_id, parts=in_order)
    except storage.PartsChanged:
        raise exceptions.Conflict("A part was sent again while completing; complete again once it is stored.",
                                  {"parts": ["A part changed while completing."]}) from None
    if not completed:
        raise NotOpen()  # cancelled meanwhile
    log.info("multipart upload completed", extra={"video_id": video.id, "parts": count})
    return repository.upload_completed(video.id, upload_id=video.upload_id) or repository.get(video.id) or video


def _owned(video_id: str, user_id: str) -> Video:
    video = repository.get(video_id)
    if video is None:
        raise NotFound()
    if video.owner_id != user_id:
        raise exceptions.Forbidden("Only the person uploading this video can send its parts.")
    return video


def _open_upload(video_id: str, user_id: str) -> Video:
    video = _owned(video_id, user_id)
    if video.status != UPLOADING or not video.upload_id or not video.part_size:
        raise NotOpen()
    return video


def _stored(video: Video) -> list[uploading.StoredPart]:
    stored = storage.stored_parts(key=storage.upload_key(video.owner_id, video.id), upload_id=video.upload_id)
    if stored is None:
        raise NotOpen()
    return stored


def _part_count(video: Video) -> int:
    return storage.part_count(video.declared_size, video.part_size)


def _expected_size(video: Video, number: int, count: int) -> int:
    return video.part_size if number < count else video.declared_size - (count - 1) * video.part_size
