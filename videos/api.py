"""The JSON API (`/api/videos/…`). Thin: parse, call a service, answer JSON. Errors are 4xx
JSON `{"error": ..., "errors": {...}}`, never a 500."""

import functools
import json

from django.http import HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure

from community import ranking
from community import services as community
from videos import services
from videos.forms import UploadStartForm
from videos.presenters import video_json
from videos.repository import InvalidCursor


def error(status: int, message: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "errors": errors or {}}, status=status)


def allow(*methods: str):
    """Like require_http_methods, but answers 405 in the API's JSON error shape."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = error(405, f"{request.method} is not allowed here.")
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def csrf_failure(request, reason=""):
    if request.path.startswith("/api/"):
        return error(403, "CSRF check failed: send the page's CSRF token in the X-CSRFToken header.")
    return django_csrf_failure(request, reason=reason)


@allow("GET", "POST")
def videos(request):
    if request.method == "POST":
        return _start_upload(request)
    read_page = ranking.popular_page if request.GET.get("sort") == "popular" else services.feed_page
    try:
        page = read_page(cursor=request.GET.get("cursor") or None)
    except InvalidCursor as invalid:
        return error(400, str(invalid), {"cursor": [str(invalid)]})
    return JsonResponse({"items": [video_json(video) for video in page.items], "next_cursor": page.next_cursor})


def _start_upload(request):
    if not request.user.is_authenticated:
        return error(401, "Sign in to upload.")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return error(400, "The body must be JSON.")
    if not isinstance(body, dict):
        return error(400, "The body must be a JSON object.")
    form = UploadStartForm(data={name: _scalar(value) for name, value in body.items()})
    if not form.is_valid():
        return error(400, "Some fields are not valid.", {name: list(messages) for name, messages in form.errors.items()})
    try:
        start = services.start_upload(
            owner_id=str(request.user.pk), owner_name=request.user.display_name, **form.cleaned_data
        )
    except services.RateLimited as limited:
        response = error(429, str(limited))
        response["Retry-After"] = str(limited.retry_after)
        return response
    return JsonResponse(
        {
            "id": start.video.id,
            "status": start.video.status,
            "upload": {"url": start.upload.url, "fields": start.upload.fields},
        },
        status=201,
    )


def _scalar(value):
    # A form field takes text: nested JSON is invalid input, not something to stringify.
    return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


@allow("GET", "DELETE")
def video(request, video_id: str):
    user_id = str(request.user.pk) if request.user.is_authenticated else None
    if request.method == "DELETE":
        if user_id is None:
            return error(401, "Sign in to delete videos.")
        try:
            services.delete_video(video_id=video_id, user_id=user_id)
        except services.NotFound:
            return error(404, "No such video.")
        except services.Forbidden:
            return error(403, "Only the owner can delete this video.")
        return HttpResponse(status=204)
    try:
        viewing = community.viewing(video_id=video_id, user_id=user_id)
    except services.NotFound:
        return error(404, "No such video.")
    return JsonResponse(video_json(viewing.video, liked=viewing.liked if user_id else None))
