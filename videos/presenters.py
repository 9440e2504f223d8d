"""How a video looks to the outside: JSON for the API, and the fields templates use."""

from videos import storage
from videos.repository import FAILED, Video


def video_json(video: Video) -> dict:
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
        "thumbnail_url": storage.presigned_get(video.poster_key) if video.poster_key else None,
        "playback": {
            "mp4": storage.presigned_get(video.video_key) if video.video_key else None,
            "hls": None,
        },
    }


def video_cards(videos: list[Video]) -> list[dict]:
    """Videos with their presigned poster URLs, for the grids of the HTML pages."""
    return [
        {"video": video, "poster_url": storage.presigned_get(video.poster_key) if video.poster_key else None}
        for video in videos
    ]
