"""HTML pages. Thin: read through the services, render a template."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from community import ranking
from community import services as community
from notifications import services as notifications
from pets import services as pets
from pettube import dynamo
from videos import hls, repository, services, storage
from videos.forms import PETS, UploadStartForm
from videos.presenters import master_playlist_url, progress, signed_url, thumbnail_keys, video_cards
from videos.repository import VISIBILITIES, InvalidCursor


def render_cards(request, template: str, read_page, **context):
    """A page of video cards: `read_page(cursor=...)` with the `?cursor=` of the link (400 for a
    cursor that was tampered with), rendered as `videos` and `next_cursor`."""
    try:
        page = read_page(cursor=request.GET.get("cursor") or None)
    except InvalidCursor:
        return HttpResponseBadRequest("This page link is not valid.")
    return render(request, template, {"videos": video_cards(page.items), "next_cursor": page.next_cursor, **context})


def feed(request):
    if request.GET.get("sort") == "popular":
        return render_cards(request, "videos/feed.html", ranking.popular_page, popular=True)
    species = request.GET.get("species")
    if species is None:
        return render_cards(request, "videos/feed.html", services.feed_page, species_list=PETS)
    if species not in PETS:
        raise Http404("No such species.")
    return render_cards(
        request, "videos/feed.html", functools.partial(pets.species_page, species=species, limit=services.PAGE_SIZE),
        species_list=PETS, species=species,
    )


def watch(request, video_id: str):
    user_id = _user_id(request)
    try:
        viewing = community.viewing(video_id=video_id, user_id=user_id)
    except services.NotFound:
        raise Http404("No such video.") from None
    video = viewing.video
    is_owner = video.owner_id == user_id
    context = {
        "video": video,
        "is_owner": is_owner,
        "video_url": signed_url(video.video_key),
        "poster_url": signed_url(video.poster_key),
        "hls_url": master_playlist_url(video),
        "progress": progress(video),
        "liked": viewing.liked,
        "unseen_count": viewing.unseen,
        "view_ticket": community.view_ticket(video=video),
        "view_seconds": f"{settings.PETTUBE_VIEW_SECONDS:g}",
    }
    if is_owner:
        context["editor"] = _editor(video, user_id)
    return render(request, "videos/watch.html", context)


def _editor(video, owner_id: str) -> dict:
    """What the owner's edit form offers: their pets, the visibilities, the thumbnails."""
    tagged = {tag.id for tag in video.pets}
    return {
        "pets": [{"pet": pet, "tagged": pet.id in tagged} for pet in pets.pets_of(owner_id=owner_id)],
        "visibilities": VISIBILITIES,
        "thumbnails": [
            {"number": number, "url": signed_url(key), "chosen": key == video.poster_key}
            for number, key in enumerate(thumbnail_keys(video))
        ],
    }


def playlist(request, video_id: str, name: str):
    """An HLS playlist of a video the viewer may see (`master`, a rung or `audio`), with its
    segment URLs presigned. Players reload it while the video is still encoding."""
    video = _visible(request, video_id)
    text = services.playlist(video, name)
    if text is None:
        raise Http404("No such playlist.")
    response = HttpResponse(text, content_type=hls.MIME_TYPE)
    # A finished playlist may be kept a minute (its segment URLs expire); a growing one never.
    response["Cache-Control"] = "private, max-age=60" if video.status == repository.READY else "no-store"
    return response


def _user_id(request) -> str | None:
    return str(request.user.pk) if request.user.is_authenticated else None


def _visible(request, video_id: str):
    try:
        return services.visible_video(video_id=video_id, user_id=_user_id(request))
    except services.NotFound:
        raise Http404("No such video.") from None


@login_required
def upload(request):
    return render(
        request,
        "videos/upload.html",
        {
            "form": UploadStartForm(),
            "pets": PETS,
            "my_pets": pets.pets_of(owner_id=str(request.user.pk)),
            "visibilities": VISIBILITIES,
            "max_bytes": settings.PETTUBE_MAX_UPLOAD_BYTES,
            "max_gb": f"{settings.PETTUBE_MAX_UPLOAD_BYTES / 1024**3:g}",
        },
    )


@login_required
@never_cache
def my_videos(request):
    notifications.mark_seen(user_id=str(request.user.pk))
    return render_cards(
        request, "videos/mine.html", functools.partial(services.videos_of, owner_id=str(request.user.pk)),
        visibilities=VISIBILITIES, unseen_count=0,
    )


def healthz(request):
    checks = {}
    for name, ping in (("database", lambda: connection.ensure_connection()), ("table", dynamo.ping), ("bucket", storage.ping)):
        try:
            ping()
            checks[name] = "ok"
        except Exception as failure:  # a health check reports, it does not raise
            checks[name] = type(failure).__name__
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503)
