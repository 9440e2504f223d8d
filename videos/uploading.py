"""The values of an upload: what starting one hands back (services.start_upload: the video, and
the browser's presigned POST form or the S3 multipart upload it sends parts to), the parts S3
holds of it, and the owner and video an upload's key names (the ones storage.py makes). Plain
data, apart from videos/services.py and videos/storage.py so that a page that starts no upload,
a cold start's `GET /` among them, does not compile them (pettube/lazy.py)."""

from dataclasses import dataclass

from videos.domain import Video


@dataclass(frozen=True)
class PresignedPost:
    url: str
    fields: dict[str, str]


@dataclass(frozen=True)
class MultipartUpload:
    upload_id: str
    part_size: int
    part_count: int


@dataclass(frozen=True)
class StoredPart:
    number: int
    size: int
    etag: str


@dataclass(frozen=True)
class UploadKey:
    owner_id: str
    video_id: str


@dataclass(frozen=True)
class UploadStart:
    video: Video
    upload: PresignedPost | MultipartUpload
