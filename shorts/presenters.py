"""How a short looks to the outside: the API's card of a video with what the shorts player needs
(its HLS playlist, its addresses, the ticket its view is counted with, what the share dialog
offers: the short's link and the embed code of sharing/)."""

from django.urls import reverse

from community import services as community
from community import viewers
from sharing import links, oembed
from videos.domain import Video
from videos.presenters import video_json


def short_json(request, video: Video) -> dict:
    return {
        **video_json(video),
        "owner_id": video.owner_id,
        "published_at": video.published_at.isoformat() if video.published_at else None,
        "url": reverse("short", args=[video.id]),
        "watch_url": reverse("watch", args=[video.id]),
        "owner_url": reverse("profile", args=[video.owner_id]),
        "view_ticket": community.view_ticket(video=video, viewer=viewers.viewer(request)),
        "share_url": links.absolute(request, "short", video.id),
        "embed_code": oembed.iframe(links.embed_url(request, video), video.title,
                                    *oembed.frame_size(video, maxwidth=None, maxheight=None)),
    }


def page_json(request, page) -> dict:
    return {"items": [short_json(request, video) for video in page.items], "next_cursor": page.next_cursor}
