"""What starting an upload hands back (services.start_upload): apart from videos/services.py so
that a page that starts no upload, a cold start's `GET /` among them, does not compile it."""

from dataclasses import dataclass

from videos import storage
from videos.domain import Video


@dataclass(frozen=True)
class UploadStart:
    video: Video
    upload: storage.PresignedPost | storage.MultipartUpload
