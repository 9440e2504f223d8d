"""Where a video can be found from outside PetTube: absolute, stable URLs on the site (crawlers,
chat apps and feed readers fetch them long after the page was made, so they never expire: each
answers a redirect to a fresh presigned URL), and the sizes of its pictures."""

from dataclasses import dataclass

from django.urls import reverse

from videos.domain import Video

# How videos/thumbnails.py sizes the pictures it makes (the web side never imports the encoder;
# tests/sharing/test_links.py checks they agree): the poster's short side at most
# POSTER_SHORT_SIDE, the card CARD_WIDTH wide, both keeping the aspect ratio in even numbers.
POSTER_SHORT_SIDE = 720
CARD_WIDTH = 320


# The pictures' formats, by their keys' extensions: JPEG, and WebP for videos published since
# the encoder makes WebP. A stable URL carries its object's extension.
_TYPES = {"jpg": "image/jpeg", "webp": "image/webp"}


@dataclass(frozen=True)
class Picture:
    url: str
    width: int
    height: int
    type: str


def absolute(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def watch_url(request, video: Video) -> str:
    return absolute(request, "watch", video.id)


def embed_url(request, video: Video) -> str:
    return absolute(request, "embed", video.id)


def mp4_url(request, video: Video) -> str:
    return absolute(request, "video-mp4", video.id)


def poster(request, video: Video) -> Picture | None:
    """The video's poster at its stable URL, with its size (None before the video has one)."""
    if not (video.poster_key and video.width and video.height):
        return None
    return _picture(request, "video-poster", video.id, video.poster_key, *poster_size(video.width, video.height))


def card(request, video: Video) -> Picture | None:
    """The small copy of the poster (None for a video without one)."""
    if not (video.card_key and video.width and video.height):
        return None
    return _picture(request, "video-card", video.id, video.card_key, CARD_WIDTH,
                    _even(CARD_WIDTH * video.height / video.width))


def extension(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def _picture(request, name: str, video_id: str, key: str, width: int, height: int) -> Picture:
    kind = extension(key)
    return Picture(absolute(request, name, video_id, kind), width, height, _TYPES.get(kind, f"image/{kind}"))


def poster_size(width: int, height: int) -> tuple[int, int]:
    """The poster's size for a video of `width` × `height`, as ffmpeg's `scale` with -2 makes it."""
    if width >= height:
        short = min(POSTER_SHORT_SIDE, height)
        return _even(short * width / height), short
    short = min(POSTER_SHORT_SIDE, width)
    return short, _even(short * height / width)


def _even(size: float) -> int:
    return max(2, round(size / 2) * 2)
