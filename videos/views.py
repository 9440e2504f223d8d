"""HTML pages. Thin: read through the services, render a template."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pettube import lazy
from pettube.api import user_id as _user_id
from videos import feeds, services, signals
from videos.domain import READY, SPECIES, VISIBILITIES

# Only the watch, upload and player-file pages need these (pettube/lazy.py): the feed, a cold
# start's usual first page, does not import them.
delivery = lazy.module("videos.delivery")
forms = lazy.module("videos.forms")
hls = lazy.module("videos.hls")
tagging = lazy.module("videos.tagging")
webvtt = lazy.module("videos.webvtt")
from videos.presenters import media_url, player, progress, render_cards, thumbnail_keys, with_media_cookies

# How long any cache may keep a finished playlist that is the same for everyone.
PUBLIC_PLAYLIST_SECONDS = 3600


def feed(request):
    """The newest videos, or the list a registered feed's parameter chooses (videos/feeds.py);
    a list that cannot be made (two at once, a species that does not exist) is no page: 404."""
    try:
        chosen = feeds.chosen(request.GET, feed_page=True)
        if chosen is None:
            return render_cards(request, "videos/feed.html", services.feed_page, species_list=SPECIES)
        feed, value = chosen
        return render_cards(
            request, "videos/feed.html", functools.partial(feed.read, value, limit=services.PAGE_SIZE),
            species_list=SPECIES, **feed.page_context(value),
        )
    except feeds.InvalidChoice as invalid:
        raise Http404(str(invalid)) from None


def watch(request, video_id: str):
    user_id = _user_id(request)
    try:
        viewing = services.viewing(video_id=video_id, user_id=user_id)
    except services.NotFound:
        raise Http404("No such video.") from None
    video = viewing.video
    is_owner = video.owner_id == user_id
    context = {
        **viewing.along,
        "video": video,
        "is_owner": is_owner,
        **player(video, user_id, start=request.GET.get("t")),
        "progress": progress(video),
    }
    if is_owner:
        context["editor"] = _editor(video, user_id)
    return with_media_cookies(render(request, "videos/watch.html", context), video, user_id)


def _editor(video, owner_id: str) -> dict:
    """What the owner's edit form offers: their pets, the visibilities, the thumbnails."""
    tagged = {tag.id for tag in video.pets}
    return {
        "pets": [{"pet": pet, "tagged": pet.id in tagged} for pet in tagging.pets_of(owner_id)],
        "visibilities": VISIBILITIES,
        "thumbnails": [
            {"number": number, "url": media_url(video, key), "chosen": key == video.poster_key}
            for number, key in enumerate(thumbnail_keys(video))
        ],
    }


def playlist(request, video_id: str, name: str):
    """An HLS playlist of a video the viewer may see (`master`, a rung or `audio`), its segment
    URLs as videos/delivery.py says. Players reload it while the video is still encoding, which
    also renews the owner's signed cookies."""
    user_id = _user_id(request)
    video = _visible_or_404(video_id, user_id)
    text = services.playlist(video, name)
    if text is None:
        raise Http404("No such playlist.")
    response = HttpResponse(text, content_type=hls.MIME_TYPE)
    response["Cache-Control"] = _playlist_lifetime(video)
    return with_media_cookies(response, video, user_id)


def _visible_or_404(video_id: str, user_id: str | None):
    try:
        return services.visible_video(video_id=video_id, user_id=user_id)
    except services.NotFound:
        raise Http404("No such video.") from None


def _playlist_lifetime(video) -> str:
    """A growing playlist is never kept; a finished one that is the same for everyone (plain URLs
    on the media domain) may be kept by any cache for an hour; one with presigned or owner-only
    URLs a minute, by the browser only (its segment URLs expire)."""
    if video.status != READY:
        return "no-store"
    if delivery.through_cdn() and delivery.shared(video):
        return f"public, max-age={PUBLIC_PLAYLIST_SECONDS}"
    return "private, max-age=60"


def seek_previews(request, video_id: str):
    """The storyboard's WebVTT of a video the viewer may see, its sprites' URLs presigned."""
    video = _visible_or_404(video_id, _user_id(request))
    text = services.seek_previews(video)
    if text is None:
        raise Http404("This video has no seek previews.")
    response = HttpResponse(text, content_type=f"{webvtt.MIME_TYPE}; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"  # the sprites' URLs expire
    return response


def caption_file(request, video_id: str, lang: str):
    """A video's captions in `lang` (WebVTT), for its player's <track> and subtitles playlist."""
    video = _visible_or_404(video_id, _user_id(request))
    text = services.caption_file(video, lang)
    if text is None:
        raise Http404("No such captions.")
    response = HttpResponse(text, content_type=f"{webvtt.MIME_TYPE}; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"  # the owner may replace them at any time
    return response


@login_required
def upload(request):
    return render(
        request,
        "videos/upload.html",
        {
            "form": forms.UploadStartForm(),
            "pets": SPECIES,
            "my_pets": tagging.pets_of(str(request.user.pk)),
            "visibilities": VISIBILITIES,
            "max_bytes": settings.PETTUBE_MAX_UPLOAD_BYTES,
            "max_gb": f"{settings.PETTUBE_MAX_UPLOAD_BYTES / 1024**3:g}",
        },
    )


@login_required
@never_cache
def my_videos(request):
    signals.own_videos_seen.send(sender=my_videos, user_id=str(request.user.pk))
    return render_cards(
        request, "videos/mine.html", functools.partial(services.videos_of, owner_id=str(request.user.pk)),
        visibilities=VISIBILITIES, unseen_count=0,
    )
