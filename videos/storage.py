"""The only code that talks to S3: key layout, presigned POST and GET, multipart uploads
(S3 "parts"), reads, writes, deletes.

Keys: `uploads/<owner_id>/<video_id>` is the inbox the browser posts to (a transient object,
deleted once processed); `media/<video_id>/…` holds what viewers get: `video.mp4`, the candidate
posters `poster-<n>.webp` with their card-sized copies `card-<n>.webp` and `card-<n>-480.webp`
(`.jpg` and no wider card for videos published before; videos/thumbnails.py), and the HLS ladder
under `hls/` (videos/hls.py). Behind CloudFront (videos/delivery.py), a video that everyone may
watch also has a public copy of all of it under `public/<video_id>/…`, the only prefix the
distribution serves without a signature.
The seek previews are `storyboard.vtt` with one sprite per encoding job `storyboard/v<n>.webp` (`.jpg` for videos published before)
(videos/storyboard.py), the caption files `captions/<lang>.vtt` (videos/captions.py).
"""

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from boto3.exceptions import RetriesExceededError, S3TransferFailedError, S3UploadFailedError
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from django.conf import settings

from pettube import aws, lazy
from pettube.csp import media_origin

hls = lazy.module("videos.hls")  # its MIME type, for the playlists this stores (not a page's start-up)
webvtt = lazy.module("videos.webvtt")  # the same for the caption files
# What an upload hands back (its POST form, its parts, its key's names), made by uploads only.
uploading = lazy.module("videos.uploading")

UPLOAD_PREFIX = "uploads/"
MEDIA_PREFIX = "media/"
PUBLIC_PREFIX = "public/"
# Objects that never change once written (segments, init files, posters, sprites, the MP4): any
# cache, the CDN's edges included, may keep them a year without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"
# The playlists of a public copy: a finished video's never change, but they are not content-
# addressed, so a day (withdrawing the copy invalidates them at the edge).
PUBLIC_PLAYLIST = "public, max-age=86400"
# Server-side copies in flight at once when a public copy is made.
COPIES_AT_ONCE = 16
UPLOAD_EXPIRY_SECONDS = 10 * 60
PLAYBACK_EXPIRY_SECONDS = 60 * 60
PART_URL_EXPIRY_SECONDS = 15 * 60
# S3 wants parts of at least 5 MiB (but the last) and at most 10,000 of them: 8 MiB parts carry
# up to 78 GiB, and a dropped connection costs at most one part. Smaller files go in one POST.
PART_SIZE = 8 * 1024**2
MULTIPART_THRESHOLD = 2 * PART_SIZE
# Segment URLs in the playlists a browser gets: a viewer who pauses longer reloads the page.
SEGMENT_EXPIRY_SECONDS = 30 * 60
HLS_FOLDER = "hls"
CAPTIONS_FOLDER = "captions"
# What boto3's transfers (download, upload) raise besides botocore's own errors.
TRANSFER_ERRORS = (S3UploadFailedError, S3TransferFailedError, RetriesExceededError)
# Files up to this size are stored with one PutObject: boto3's managed transfer starts a thread
# pool for every file, a tenth of a second per segment here.
SINGLE_PUT_LIMIT = 8 * 1024 * 1024
_UPLOAD_KEY = re.compile(r"^uploads/(?P<owner_id>[^/]+)/(?P<video_id>[A-Za-z0-9_-]+)$")


def _s3():
    return aws.client("s3")


def upload_key(owner_id: str, video_id: str) -> str:
    return f"{UPLOAD_PREFIX}{owner_id}/{video_id}"


def parse_upload_key(key: str) -> "uploading.UploadKey | None":
    match = _UPLOAD_KEY.match(key)
    return uploading.UploadKey(**match.groupdict()) if match else None


def media_key(video_id: str, name: str) -> str:
    return f"{MEDIA_PREFIX}{video_id}/{name}"


def presigned_upload(*, key: str, content_type: str, max_bytes: int) -> "uploading.PresignedPost":
    """A browser form POST that can only create `key`, with a video content type, of at
    most `max_bytes`, within UPLOAD_EXPIRY_SECONDS."""
    post = _s3().generate_presigned_post(
        Bucket=settings.PETTUBE_BUCKET,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            ["content-length-range", 1, max_bytes],
            ["starts-with", "$Content-Type", "video/"],
        ],
        ExpiresIn=UPLOAD_EXPIRY_SECONDS,
    )
    return uploading.PresignedPost(url=post["url"], fields=post["fields"])


def presigned_get(key: str, *, expires_in: int = PLAYBACK_EXPIRY_SECONDS) -> str:
    """A GET URL for `key`, the one the S3 client's `generate_presigned_url("get_object")` makes
    (botocore's own SigV4 query signer, on the URL the client would sign), without an S3 client:
    a page of cards signs a dozen, and building the client (S3's model and endpoint rules) for
    them was 4% of a cold start's instructions (docs/DEPLOY.md). tests/videos/test_storage.py
    checks that the URLs are the client's, character for character."""
    request = AWSRequest(method="GET", url=object_url(key))
    S3SigV4QueryAuth(aws.credentials(), "s3", settings.AWS_REGION, expires=expires_in).add_auth(request)
    return request.url


def object_url(key: str) -> str:
    """Where the S3 client addresses `key` in the media bucket: path-style on an emulated S3
    (AWS_ENDPOINT_URL), else the bucket's virtual host (pettube/csp.py's media_origin)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    origin = media_origin(bucket=settings.PETTUBE_BUCKET, region=settings.AWS_REGION, endpoint=endpoint)
    bucket = f"/{settings.PETTUBE_BUCKET}" if endpoint else ""
    return f"{origin}{bucket}/{quote(key, safe='/~')}"


def presigned_source(key: str) -> str:
    """A URL ffmpeg reads an upload from (with range requests), valid for a whole attempt."""
    return presigned_get(key, expires_in=settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS + 60)


def public_key(key: str) -> str:
    """Where the public copy of the media object `key` (`media/<id>/…`) is: `public/<id>/…`."""
    return PUBLIC_PREFIX + key.removeprefix(MEDIA_PREFIX)


def copy_to_public(video_id: str, *, texts: dict[str, str]) -> int:
    """Make the public copy of a video: every object under `media/<id>/` copied (in S3, no byte
    through here) to `public/<id>/`, playlists with PUBLIC_PLAYLIST, the rest keeping their
    headers; then `texts` (name under the video's folder: playlist or caption text) written
    beside them, last, so a player that finds them finds everything they list. Returns how many
    objects were written."""
    written = {media_key(video_id, name) for name in texts}
    keys = [key for key in keys_under(media_key(video_id, "")) if key not in written]
    copy_public(*keys)
    _put_public_texts(video_id, texts)
    return len(keys) + len(texts)


def sync_public_copy(video_id: str, *, texts: dict[str, str]) -> list[str]:
    """Bring a video's existing public copy in step with its folder after objects were added to
    or removed from it: copy what the copy lacks, write `texts` (as copy_to_public), then delete
    what is neither in the folder nor in `texts`. Returns the public keys deleted."""
    folder = media_key(video_id, "")
    made = {public_key(media_key(video_id, name)) for name in texts}
    media = {public_key(key): key for key in keys_under(folder)}
    public = set(keys_under(public_key(folder)))
    copy_public(*(key for copied, key in media.items() if copied not in public and copied not in made))
    _put_public_texts(video_id, texts)
    stale = sorted(public - set(media) - made)
    delete(*stale)
    return stale


def _put_public_texts(video_id: str, texts: dict[str, str]) -> None:
    for name, text in texts.items():
        content_type = hls.MIME_TYPE if name.endswith(".m3u8") else f"{webvtt.MIME_TYPE}; charset=utf-8"
        _s3().put_object(Bucket=settings.PETTUBE_BUCKET, Key=public_key(media_key(video_id, name)), Body=text.encode(),
                         ContentType=content_type, CacheControl=PUBLIC_PLAYLIST)


def copy_public(*keys: str) -> None:
    """Copy each of the media objects `keys` (in S3) to its public copy's key."""
    with ThreadPoolExecutor(COPIES_AT_ONCE, thread_name_prefix="copy-public") as copies:
        for copied in [copies.submit(_copy_public, key) for key in keys]:
            copied.result()


def _copy_public(key: str) -> None:
    bucket = settings.PETTUBE_BUCKET
    headers = {"MetadataDirective": "COPY"}
    if key.endswith(".m3u8"):
        headers = {"MetadataDirective": "REPLACE", "ContentType": hls.MIME_TYPE, "CacheControl": PUBLIC_PLAYLIST}
    _s3().copy_object(Bucket=bucket, Key=public_key(key), CopySource={"Bucket": bucket, "Key": key}, **headers)


def delete_public_copy(video_id: str) -> int:
    """Remove a video's public copy; returns how many objects it had (0: it had none)."""
    keys = keys_under(public_key(media_key(video_id, "")))
    delete(*keys)
    return len(keys)


def hls_key(video_id: str, name: str) -> str:
    """Where a video's HLS playlists and segments live: `media/<id>/hls/<name>`."""
    return media_key(video_id, f"{HLS_FOLDER}/{name}")


def caption_key(video_id: str, lang: str) -> str:
    return media_key(video_id, f"{CAPTIONS_FOLDER}/{lang}.vtt")


def read_text(key: str) -> str | None:
    """A small text object (a playlist), or None when there is no such object."""
    try:
        return _s3().get_object(Bucket=settings.PETTUBE_BUCKET, Key=key)["Body"].read().decode()
    except _s3().exceptions.NoSuchKey:
        return None


def put_text(key: str, text: str, *, content_type: str) -> None:
    """Store a small text object (a VOD playlist, which a later attempt may rewrite): never cached."""
    _s3().put_object(
        Bucket=settings.PETTUBE_BUCKET, Key=key, Body=text.encode(), ContentType=content_type, CacheControl="no-store"
    )


def size_of(key: str) -> int | None:
    """The object's size in bytes, or None when there is no such object."""
    try:
        return _s3().head_object(Bucket=settings.PETTUBE_BUCKET, Key=key)["ContentLength"]
    except _s3().exceptions.ClientError as error:
        if _code(error) in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise


def upload(path: Path, key: str, *, content_type: str) -> None:
    """Store a file that never changes (a segment, the MP4, a poster): one PutObject up to
    SINGLE_PUT_LIMIT (what every segment is), boto3's managed transfer in parts above it."""
    extra = {"ContentType": content_type, "CacheControl": IMMUTABLE}
    if path.stat().st_size <= SINGLE_PUT_LIMIT:
        with path.open("rb") as body:
            _s3().put_object(Bucket=settings.PETTUBE_BUCKET, Key=key, Body=body, **extra)
        return
    _s3().upload_file(str(path), settings.PETTUBE_BUCKET, key, ExtraArgs=extra)


DELETE_LIMIT = 1000  # keys per DeleteObjects


def delete(*keys: str) -> None:
    for start in range(0, len(keys), DELETE_LIMIT):
        _s3().delete_objects(
            Bucket=settings.PETTUBE_BUCKET,
            Delete={"Objects": [{"Key": key} for key in keys[start:start + DELETE_LIMIT]], "Quiet": True},
        )


def keys_under(prefix: str) -> list[str]:
    paginator = _s3().get_paginator("list_objects_v2")
    return [item["Key"] for page in paginator.paginate(Bucket=settings.PETTUBE_BUCKET, Prefix=prefix)
            for item in page.get("Contents", [])]


# --- multipart uploads (large files, resumable) ----------------------------------------------


def uses_multipart(size: int) -> bool:
    return size >= MULTIPART_THRESHOLD


def part_count(size: int, part_size: int) -> int:
    return max(1, -(-size // part_size))


def begin_multipart(*, key: str, content_type: str, size: int) -> "uploading.MultipartUpload":
    """Start a multipart upload of `key` for a file of `size` bytes, cut in PART_SIZE parts."""
    upload_id = _s3().create_multipart_upload(Bucket=settings.PETTUBE_BUCKET, Key=key, ContentType=content_type)[
        "UploadId"
    ]
    return uploading.MultipartUpload(upload_id=upload_id, part_size=PART_SIZE, part_count=part_count(size, PART_SIZE))


def presigned_part(*, key: str, upload_id: str, number: int, size: int) -> str:
    """A URL the browser PUTs part `number` of the upload to, within PART_URL_EXPIRY_SECONDS.
    Its signature covers the `Content-Length` header, `size`: S3 refuses a part of any other
    size (SignatureDoesNotMatch) instead of storing it until the upload is completed or aborted."""
    return _s3().generate_presigned_url(
        "upload_part",
        Params={"Bucket": settings.PETTUBE_BUCKET, "Key": key, "UploadId": upload_id, "PartNumber": number,
                "ContentLength": size},
        ExpiresIn=PART_URL_EXPIRY_SECONDS,
    )


def stored_parts(*, key: str, upload_id: str) -> "list[uploading.StoredPart] | None":
    """Every part stored so far, in order (ListParts, page by page); None when the upload is
    no longer open (completed or aborted)."""
    parts, marker = [], 0
    while True:
        try:
            page = _s3().list_parts(
                Bucket=settings.PETTUBE_BUCKET, Key=key, UploadId=upload_id, PartNumberMarker=marker
            )
        except _s3().exceptions.ClientError as error:
            if _code(error) == "NoSuchUpload":
                return None
            raise
        parts.extend(uploading.StoredPart(number=p["PartNumber"], size=p["Size"], etag=p["ETag"])
                     for p in page.get("Parts", []))
        if not page.get("IsTruncated"):
            return parts
        marker = page["NextPartNumberMarker"]


class PartsChanged(Exception):
    """A part was sent again between listing the parts and completing (its ETag changed): S3
    refused to assemble them; listing again gives the parts as they are now."""


def complete_multipart(*, key: str, upload_id: str, parts: "list[uploading.StoredPart]") -> bool:
    """Have S3 assemble `parts` into `key`; False when the upload was aborted meanwhile.
    Raises PartsChanged."""
    try:
        _s3().complete_multipart_upload(
            Bucket=settings.PETTUBE_BUCKET,
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": part.number, "ETag": part.etag} for part in parts]},
        )
    except _s3().exceptions.ClientError as error:
        if _code(error) == "NoSuchUpload":
            return False
        if _code(error) in {"InvalidPart", "InvalidPartOrder"}:
            raise PartsChanged() from error
        raise
    return True


def abort_multipart(*, key: str, upload_id: str) -> None:
    """Abort the upload and free its parts; one that is already gone is fine."""
    try:
        _s3().abort_multipart_upload(Bucket=settings.PETTUBE_BUCKET, Key=key, UploadId=upload_id)
    except _s3().exceptions.ClientError as error:
        if _code(error) != "NoSuchUpload":
            raise


def _code(error) -> str:
    return error.response.get("Error", {}).get("Code", "")


def delete_prefix(prefix: str) -> None:
    """Remove every object whose key starts with `prefix`."""
    paginator = _s3().get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=settings.PETTUBE_BUCKET, Prefix=prefix):
        delete(*(item["Key"] for item in page.get("Contents", [])))


def delete_video_objects(*, owner_id: str, video_id: str, upload_id: str | None = None) -> None:
    """Remove the upload (aborting its multipart upload `upload_id`, if any) and every rendition
    of one video (its public copy goes when it stops being public: videos/delivery.py)."""
    upload = upload_key(owner_id, video_id)
    if upload_id:
        abort_multipart(key=upload, upload_id=upload_id)
    delete(upload, *keys_under(media_key(video_id, "")))


def delete_uploads_of(owner_id: str) -> None:
    """Remove whatever a person's uploads left in their inbox (`uploads/<owner_id>/`), and abort
    their multipart uploads still open there (a deleted account's)."""
    prefix = upload_key(owner_id, "")
    paginator = _s3().get_paginator("list_multipart_uploads")
    for page in paginator.paginate(Bucket=settings.PETTUBE_BUCKET, Prefix=prefix):
        for upload in page.get("Uploads", []):
            abort_multipart(key=upload["Key"], upload_id=upload["UploadId"])
    delete(*keys_under(prefix))


# --- provisioning ---------------------------------------------------------------------------


def ensure_bucket(*, site_origins: list[str], distribution_arn: str | None = None, abandoned_upload_days: int = 2) -> None:
    """Create the media bucket if missing and (re)apply its settings: private, TLS only, CORS
    for browser uploads and playback from the site, uploads that never got processed expire;
    the CloudFront distribution `distribution_arn` (Origin Access Control) may read what viewers
    get, `media/` and `public/`, and no other distribution or anonymous reader may."""
    s3 = _s3()
    bucket = settings.PETTUBE_BUCKET
    _create_bucket(bucket)
    _block_public_access(bucket, allow_public_read_policy=False)
    statements = [_distribution_reads(bucket, distribution_arn)] if distribution_arn else []
    if _speaks_tls():
        statements.append(_deny_insecure_transport(bucket))
    if statements:
        s3.put_bucket_policy(Bucket=bucket, Policy=_policy(statements))
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": site_origins,
                    "AllowedMethods": ["POST", "PUT", "GET", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag", "Content-Length", "Content-Range", "Accept-Ranges"],
                    "MaxAgeSeconds": 3600,
                }
            ]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-abandoned-uploads",
                    "Filter": {"Prefix": UPLOAD_PREFIX},
                    "Status": "Enabled",
                    "Expiration": {"Days": abandoned_upload_days},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                }
            ]
        },
    )


def ensure_static_bucket(*, site_origins: list[str]) -> str:
    """Create the static-files bucket (on AWS) if missing and (re)apply its settings: anybody
    may GET objects, over TLS only; nobody may list or write without credentials; the site's
    pages may fetch from it (CORS, for module scripts). Returns the bucket's name."""
    s3 = _s3()
    bucket = settings.PETTUBE_STATIC_BUCKET
    _create_bucket(bucket)
    _block_public_access(bucket, allow_public_read_policy=True)
    statements = [
        {
            "Sid": "PublicReadObjects",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
        }
    ]
    if _speaks_tls():
        statements.append(_deny_insecure_transport(bucket))
    s3.put_bucket_policy(Bucket=bucket, Policy=_policy(statements))
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": site_origins,
                    "AllowedMethods": ["GET", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "MaxAgeSeconds": 86400,
                }
            ]
        },
    )
    return bucket


def _create_bucket(bucket: str) -> None:
    s3 = _s3()
    try:
        s3.head_bucket(Bucket=bucket)
    except s3.exceptions.ClientError:
        if settings.AWS_REGION == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.AWS_REGION})


def _block_public_access(bucket: str, *, allow_public_read_policy: bool) -> None:
    """ACLs never make anything public; a bucket policy may, only where we say so."""
    _s3().put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": not allow_public_read_policy,
            "RestrictPublicBuckets": not allow_public_read_policy,
        },
    )


def _speaks_tls() -> bool:
    # The embedded local AWS only speaks HTTP, and moto applies bucket policies: a TLS-only
    # policy there would deny everything.
    return _s3().meta.endpoint_url.startswith("https://")


def _deny_insecure_transport(bucket: str) -> dict:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _distribution_reads(bucket: str, distribution_arn: str) -> dict:
    return {
        "Sid": "CloudFrontReadsMedia",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": [f"arn:aws:s3:::{bucket}/{MEDIA_PREFIX}*", f"arn:aws:s3:::{bucket}/{PUBLIC_PREFIX}*"],
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
    }


def _policy(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def notify_queue(queue_arn: str) -> None:
    """Send the bucket's ObjectCreated events for uploads to an SQS queue (the local AWS)."""
    _s3().put_bucket_notification_configuration(
        Bucket=settings.PETTUBE_BUCKET,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": queue_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": UPLOAD_PREFIX}]}},
                }
            ]
        },
    )


def ping() -> None:
    _s3().head_bucket(Bucket=settings.PETTUBE_BUCKET)
