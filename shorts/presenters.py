"""How a short looks to the outside: the API's card of a video with what the shorts player needs
(its HLS playlist, its addresses, the ticket its view is counted with)."""

from django.urls import reverse

from community import services as community
from videos.domain import Video
from videos.presenters import video_json


def short_json(video: Video) -> dict:
    return {
        **video_json(video),
        "owner_id": video.owner_id,
        "published_at": video.published_at.isoformat() if video.published_at else None,
        "url": reverse("short", args=[video.id]),
        "watch_url": reverse("watch", args=[video.id]),
        "owner_url": reverse("profile", args=[video.owner_id]),
        "view_ticket": community.view_ticket(video=video),
    }


def page_json(page) -> dict:
    return {"items": [short_json(video) for video in page.items], "next_cursor": page.next_cursor}
