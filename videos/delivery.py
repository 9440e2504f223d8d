"""How viewers reach a video's objects: the one place that turns a stored key into the URL a
viewer gets, decides who gets CloudFront's signed cookies, and keeps a video's public copy in
step with who may watch it. Whatever stores a new kind of object (renditions, sprites,
captions) asks here for its URL, and calls `republish` when it changes what a published video
offers.

Without PETTUBE_MEDIA_DOMAIN (locally, and on AWS until `bootstrap_aws` made the distribution):
every URL is an S3 GET presigned for one viewer, and the web function serves the playlists with
each segment presigned.

With PETTUBE_MEDIA_DOMAIN (CloudFront in front of the bucket, videos/cdn.py):
- A video everyone may watch (`shared`: ready, public or unlisted, not hidden) has a public copy
  under `public/<id>/` (storage.copy_to_public, with its master playlist), and every URL of it is
  a plain `https://<domain>/public/<id>/…`, the same for every viewer: the edge serves it after the
  first request, and the player fetches the playlists there too, without the web function.
- Any other video (private, hidden, still encoding) is only its owner's: its playlists come from
  the web function with plain `https://<domain>/media/<id>/hls/…` lines, which CloudFront serves
  only with the signed cookies `cookies` gives the owner (its folder only, COOKIE_SECONDS). Single
  objects of it (a poster on the owner's pages, the MP4) stay presigned S3 GETs.
- A video that stops being shared (made private, hidden, deleted) loses its public copy in the
  same request, and `/public/<id>/*` is invalidated at every edge (`after_save`): an edge may serve
  what it kept until the invalidation completes (CloudFront: usually within a minute or two), then
  the copy is gone from the origin too. A browser keeps the segments it already fetched (they are
  immutable), like a file it downloaded.
"""

import datetime
import json
from collections.abc import Callable

from django.conf import settings

from pettube import lazy
from videos import storage
from videos.domain import PUBLIC, READY, UNLISTED, Video

# CloudFront's signer and the playlists: imported by the first request that needs them (pettube/lazy.py),
# not by a page that only asks for a poster's URL.
cdn = lazy.module("videos.cdn")
hls = lazy.module("videos.hls")
ladder = lazy.module("videos.ladder")

MASTER = "master"
# The owner's signed cookies: as long as the presigned segment URLs they replace (a viewer who
# pauses longer reloads the page; every playlist a player loads renews them).
COOKIE_SECONDS = storage.SEGMENT_EXPIRY_SECONDS


def through_cdn() -> bool:
    return bool(settings.PETTUBE_MEDIA_DOMAIN)


def shared(video: Video) -> bool:
    """Whether everyone with the link may watch the video: then its objects have one URL for all."""
    return video.status == READY and video.visibility in (PUBLIC, UNLISTED) and video.hidden_at is None


def url(video: Video, key: str | None) -> str | None:
    """The URL of one of the video's objects (a poster, the MP4), or None when it has none yet."""
    if not key:
        return None
    if through_cdn() and shared(video):
        return _on_media_domain(storage.public_key(key))
    return storage.presigned_get(key)


def segment_urls(video: Video) -> Callable[[str], str]:
    """How a playlist the web function serves names a segment (`uri`, relative to `hls/`)."""
    if not through_cdn():
        return lambda uri: storage.presigned_get(storage.hls_key(video.id, uri), expires_in=storage.SEGMENT_EXPIRY_SECONDS)
    if shared(video):
        return lambda uri: _on_media_domain(storage.public_key(storage.hls_key(video.id, uri)))
    return lambda uri: _on_media_domain(storage.hls_key(video.id, uri))


def public_master_url(video: Video) -> str | None:
    """The master playlist in the video's public copy, when it has one; else None (the web function serves it)."""
    if through_cdn() and shared(video):
        return _on_media_domain(storage.public_key(storage.hls_key(video.id, f"{MASTER}.m3u8")))
    return None


def master_playlist(video: Video) -> str:
    """The master playlist, made from the video's ladder, and its AV1 rungs once a ready video
    has them (each with the CODECS read from its segments, videos/av1.py)."""
    codecs = json.loads(video.av1_codecs or "{}")
    av1 = [(rung, codecs[rung.name]) for rung in ladder.rungs_from_json(video.av1_rungs)] if video.status == READY else []
    return hls.master_playlist(ladder.rungs_from_json(video.rungs), has_audio=bool(video.has_audio), av1=av1,
                               subtitles=[(caption.lang, caption.label) for caption in video.captions])


def republish(video: Video) -> None:
    """After objects were added to or removed from a published video (AV1 renditions, captions
    added, replaced or removed): its public copy, if it has one, gets what it lacks, its master
    and subtitles playlists and caption files made again, and loses what the video no longer
    has; every edge then fetches the rewritten and removed paths again."""
    if not (through_cdn() and shared(video)):
        return
    texts = _public_texts(video)
    removed = storage.sync_public_copy(video.id, texts=texts)
    rewritten = [storage.public_key(storage.media_key(video.id, name)) for name in texts]
    cdn.invalidate(*(f"/{key}" for key in [*rewritten, *removed]))


def _public_texts(video: Video) -> dict[str, str]:
    """What the public copy holds that is made, not copied (name under the video's folder: text):
    the master playlist, and each caption's subtitles playlist and file (with HLS's timestamp map)."""
    texts = {f"{storage.HLS_FOLDER}/{MASTER}.m3u8": master_playlist(video)}
    for caption in video.captions:
        texts[f"{storage.HLS_FOLDER}/{hls.subtitles_name(caption.lang)}.m3u8"] = subtitles_playlist(video, caption.lang)
        if (vtt := storage.read_text(storage.caption_key(video.id, caption.lang))) is not None:
            texts[f"{storage.CAPTIONS_FOLDER}/{caption.lang}.vtt"] = hls.timestamp_map(vtt)
    return texts


def subtitles_playlist(video: Video, lang: str) -> str:
    """The subtitles playlist of the video's captions in `lang`: their one file, as long as the video."""
    return hls.subtitles_playlist(f"../{storage.CAPTIONS_FOLDER}/{lang}.vtt", duration=video.duration or 0)


def cookies(video: Video, user_id: str | None) -> "list[cdn.MediaCookie]":
    """The signed cookies that let the owner of a video nobody else may watch fetch its folder on
    the media domain for COOKIE_SECONDS; nobody else gets any, and without CloudFront nobody needs them."""
    if not needs_cookies(video, user_id):
        return []
    folder = f"/{storage.media_key(video.id, '')}"
    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=COOKIE_SECONDS)
    signed = cdn.signed_cookies(f"https://{settings.PETTUBE_MEDIA_DOMAIN}{folder}*", expires=expires)
    return [cdn.MediaCookie(name=name, value=value, max_age=COOKIE_SECONDS, domain=cookie_domain(), path=folder)
            for name, value in signed.items()]


def needs_cookies(video: Video, user_id: str | None) -> bool:
    """Whether this viewer plays the video through the media domain with signed cookies (the
    player then sends its requests there with credentials)."""
    return through_cdn() and not shared(video) and user_id is not None and video.owner_id == user_id


def cookie_domain() -> str:
    """The media domain's parent (`media.pettube.example.com` → `pettube.example.com`), which the
    site's own domain must be within for a browser to take the cookies."""
    return settings.PETTUBE_MEDIA_DOMAIN.split(".", 1)[-1]


def before_save(old: Video | None, new: Video | None) -> None:
    """Before a video becomes shared: make its public copy, so nobody is shown a video whose
    objects are not there yet (a copy left by a save that then failed is removed by the next save)."""
    if through_cdn() and new is not None and shared(new) and not (old is not None and shared(old)):
        storage.copy_to_public(new.id, texts=_public_texts(new))


def after_save(old: Video | None, new: Video | None) -> None:
    """Once a ready video is saved as not shared (or deleted): remove any public copy and
    invalidate its paths at every edge. It looks whether there is a copy rather than trusting the
    change, so a withdrawal that failed halfway is finished by the next save."""
    video = new or old
    if not through_cdn() or video is None or video.status != READY or (new is not None and shared(new)):
        return
    if storage.delete_public_copy(video.id):
        cdn.invalidate(f"/{storage.public_key(storage.media_key(video.id, ''))}*")


def _on_media_domain(key: str) -> str:
    return f"https://{settings.PETTUBE_MEDIA_DOMAIN}/{key}"
