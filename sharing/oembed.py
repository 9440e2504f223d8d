"""oEmbed 1.0 (https://oembed.com/, section 2): what a site given a watch page's URL embeds, the
`video` type, whose `html` is an iframe of the embed page. Only the JSON format is offered."""

import math
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.html import format_html

from pettube.exceptions import NotFound, Refused
from sharing import links
from videos import services as videos
from videos.domain import Video

VERSION = "1.0"
PROVIDER_NAME = "PetTube"
# The frame's width when the consumer sets no maximum (the video's own size when smaller).
DEFAULT_WIDTH = 640
EMBEDDABLE = {"watch", "embed"}  # the pages whose URL names a video to embed
CACHE_AGE_SECONDS = 24 * 60 * 60


class UnsupportedFormat(Refused):
    """The spec's answer for a format the provider does not serve (xml)."""

    status = 501


class Query(forms.Form):
    url = forms.CharField(max_length=2000)
    format = forms.CharField(required=False, max_length=20)
    maxwidth = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    maxheight = forms.IntegerField(required=False, min_value=1, max_value=100_000)


def answer(request, *, url: str, format: str, maxwidth: int | None, maxheight: int | None) -> dict:
    """The oEmbed answer for the video at `url` (a watch or embed page of this site), sized within
    `maxwidth` × `maxheight`. Raises UnsupportedFormat for any format but json, NotFound for a URL
    of another site, a page that is not a video's, or a video that is not public or unlisted and
    ready."""
    if format not in ("", "json"):
        raise UnsupportedFormat(f"Only the json format is offered, not {format!r}.", {"format": ["Use json."]})
    video = videos.ready_video(video_id=video_id_of(request, url), user_id=None)
    width, height = frame_size(video, maxwidth=maxwidth, maxheight=maxheight)
    author_url = links.absolute(request, "profile", video.owner_id)
    return {
        "version": VERSION,
        "type": "video",
        "title": video.title,
        "author_name": video.owner_name,
        "author_url": author_url,
        "provider_name": PROVIDER_NAME,
        "provider_url": request.build_absolute_uri("/"),
        "cache_age": CACHE_AGE_SECONDS,
        "html": iframe(links.embed_url(request, video), video.title, width, height),
        "width": width,
        "height": height,
        **thumbnail(request, video, maxwidth=maxwidth, maxheight=maxheight),
    }


def video_id_of(request, url: str) -> str:
    """The id of the video a URL of this site's watch or embed page names. Raises NotFound."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a malformed host ("http://[::1")
        raise NotFound("This URL is not a PetTube video.") from None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in _own_hosts(request):
        raise NotFound("PetTube embeds only its own videos' URLs.")
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        match = None
    if match is None or match.url_name not in EMBEDDABLE:
        raise NotFound("This URL is not a PetTube video.")
    return match.kwargs["video_id"]


def _own_hosts(request) -> set[str]:
    hosts = {request.get_host().lower()}
    if settings.PETTUBE_SITE_URL:
        hosts.add(urlsplit(settings.PETTUBE_SITE_URL).netloc.lower())
    return hosts


def frame_size(video: Video, *, maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """The video's size scaled down (never up) to fit DEFAULT_WIDTH, `maxwidth` and `maxheight`,
    keeping its aspect ratio; rounded down, so it always fits."""
    width, height = video.width or 16, video.height or 9
    scale = min(1, DEFAULT_WIDTH / width, (maxwidth or width) / width, (maxheight or height) / height)
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def iframe(src: str, title: str, width: int, height: int) -> str:
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" frameborder="0" '
        'allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>',
        src, width, height, title,
    )


def thumbnail(request, video: Video, *, maxwidth: int | None, maxheight: int | None) -> dict:
    """The largest of the video's pictures within the maximum sizes (the spec asks thumbnails to
    respect them too); none when neither fits."""
    for picture in (links.poster(request, video), links.card(request, video)):
        if picture and picture.width <= (maxwidth or picture.width) and picture.height <= (maxheight or picture.height):
            return {"thumbnail_url": picture.url, "thumbnail_width": picture.width,
                    "thumbnail_height": picture.height}
    return {}

