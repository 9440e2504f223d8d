"""HTML pages. Thin: read through the services, render a template."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from videos import repository, services, storage
from videos.forms import PETS, UploadStartForm
from videos.presenters import signed_url, video_cards
from videos.repository import InvalidCursor


def feed(request):
    try:
        page = services.feed_page(cursor=request.GET.get("cursor") or None)
    except InvalidCursor:
        return HttpResponseBadRequest("This page link is not valid.")
    return render(request, "videos/feed.html", {"videos": video_cards(page.items), "next_cursor": page.next_cursor})


def watch(request, video_id: str):
    user_id = str(request.user.pk) if request.user.is_authenticated else None
    try:
        video = services.visible_video(video_id=video_id, user_id=user_id)
    except services.NotFound:
        raise Http404("No such video.") from None
    return render(
        request,
        "videos/watch.html",
        {
            "video": video,
            "is_owner": video.owner_id == user_id,
            "video_url": signed_url(video.video_key),
            "poster_url": signed_url(video.poster_key),
        },
    )


@login_required
def upload(request):
    return render(
        request,
        "videos/upload.html",
        {"form": UploadStartForm(), "pets": PETS, "max_gb": f"{settings.PETTUBE_MAX_UPLOAD_BYTES / 1024**3:g}"},
    )


@login_required
@never_cache
def my_videos(request):
    try:
        page = services.videos_of(owner_id=str(request.user.pk), cursor=request.GET.get("cursor") or None)
    except InvalidCursor:
        return HttpResponseBadRequest("This page link is not valid.")
    return render(request, "videos/mine.html", {"videos": video_cards(page.items), "next_cursor": page.next_cursor})


def healthz(request):
    checks = {}
    for name, ping in (("database", lambda: connection.ensure_connection()), ("table", repository.ping), ("bucket", storage.ping)):
        try:
            ping()
            checks[name] = "ok"
        except Exception as failure:  # a health check reports, it does not raise
            checks[name] = type(failure).__name__
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503)
