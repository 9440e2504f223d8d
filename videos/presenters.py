"""How a video looks to the outside: JSON for the API, and the fields templates use."""

from videos import storage
from videos.repository import FAILED, Video


def signed_url(key: str | None) -> str | None:
    """A short-lived URL for one of a video's objects, or None when the video has no such object yet."""
    return storage.presigned_get(key) if key else None


def video_json(video: Video, *, liked: bool | None = None) -> dict:
    """The API's video; `liked` is whether the person asking likes it (None: not looked up, as
    in lists)."""
    return {
        "id": video.id,
        "title": video.title,
        "description": video.description,
        "pet": video.pet,
        "owner": video.owner_name,
        "status": video.status,
        "error": video.error if video.status == FAILED else None,
        "duration": video.duration,
        "width": video.width,
        "height": video.height,
        "created_at": video.created_at.isoformat(),
        "thumbnail_url": signed_url(video.poster_key),
        "playback": {
            "mp4": signed_url(video.video_key),
            "hls": None,
        },
        "likes": video.likes,
        "views": video.views,
        "liked": liked,
    }


def video_cards(videos: list[Video]) -> list[dict]:
    """Videos with their presigned poster URLs, for the grids of the HTML pages."""
    return [
        {"video": video, "poster_url": signed_url(video.poster_key)} for video in videos
    ]
