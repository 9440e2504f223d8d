"""Sharing's pages: the embed page (the only page other sites may frame), the stable media URLs
that rich links and feeds point at, and the web app manifest. Thin: read through the services,
render or redirect."""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from pettube.csp import framable_anywhere
from sharing import links
from videos import services as videos
from videos.presenters import media_url, player
from videos.domain import Video

# A redirect to a presigned URL may be kept far less long than the URL lives.
MEDIA_REDIRECT_MAX_AGE = 5 * 60
THEME_COLOUR = "#e8590c"


def _shared_video(video_id: str) -> Video:
    """A video anyone with its link may see: public or unlisted, ready, not hidden (whoever asks:
    these pages are for other sites and crawlers). Raises Http404."""
    try:
        return videos.ready_video(video_id=video_id, user_id=None)
    except videos.NotFound:
        raise Http404("No such video.") from None


@framable_anywhere
def embed(request, video_id: str):
    video = _shared_video(video_id)
    return render(request, "sharing/embed.html",
                  {"video": video, "watch_url": links.watch_url(request, video), **player(video)})


@cache_control(public=True, max_age=MEDIA_REDIRECT_MAX_AGE)
def media(request, video_id: str, kind: str, extension: str):
    """`/v/<id>/poster.<jpg or webp>`, `card.<jpg or webp>`, `video.mp4`: a redirect to a fresh
    URL of the object (presigned, or its public copy's on the media domain), so that a link kept
    for days still works; 404 for a private video, or an extension the object does not have."""
    video = _shared_video(video_id)
    key = {"poster": video.poster_key, "card": video.card_key, "video": video.video_key}[kind]
    if key is None or links.extension(key) != extension:
        raise Http404("This video has no such file.")
    return redirect(media_url(video, key))


@cache_control(public=True, max_age=24 * 60 * 60)
def manifest(request):
    """The web app manifest: "Add to home screen" gives PetTube its own icon and window."""
    icons = [
        {"src": static(f"icons/{name}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
        for name, size, purpose in (("icon-192", 192, "any"), ("icon-512", 512, "any"),
                                    ("maskable-512", 512, "maskable"))
    ]
    answer = {
        "name": "PetTube",
        "short_name": "PetTube",
        "description": "Videos of the animals we love.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    return JsonResponse(answer, content_type="application/manifest+json")
