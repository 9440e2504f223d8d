"""The JSON API (`/api/videos/…`). Thin: parse, call a service, answer JSON. Errors are 4xx
JSON `{"error": ..., "errors": {...}}`, never a 500."""

import functools

from django.http import HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure

from community import ranking
from community import services as community
from pettube.json_body import InvalidBody, json_object
from pets import services as pets
from pets.species import SPECIES
from search import services as search
from videos import services, storage
from videos.forms import UploadStartForm, VideoEditForm
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
    query, species, cursor = request.GET.get("q"), request.GET.get("species"), request.GET.get("cursor") or None
    popular = request.GET.get("sort") == "popular"
    if query is not None and species is not None:
        return error(400, "Search by words or by species, not both at once.", {"q": ["Not with species."]})
    if popular and (query is not None or species is not None):
        return error(400, "Popular videos are not searched or filtered.", {"sort": ["Not with q or species."]})
    if species is not None and species not in SPECIES:
        return error(400, "No such species.", {"species": [f"One of: {', '.join(SPECIES)}."]})
    try:
        if popular:
            page = ranking.popular_page(cursor=cursor)
        elif query is not None:
            page = search.search(query=query, cursor=cursor, limit=services.PAGE_SIZE)
        elif species is not None:
            page = pets.species_page(species=species, cursor=cursor, limit=services.PAGE_SIZE)
        else:
            page = services.feed_page(cursor=cursor)
    except InvalidCursor as invalid:
        return error(400, str(invalid), {"cursor": [str(invalid)]})
    except search.EmptyQuery as empty:
        return error(400, str(empty), {"q": [str(empty)]})
    return JsonResponse({"items": [video_json(video) for video in page.items], "next_cursor": page.next_cursor})


def json_body(request) -> dict | JsonResponse:
    """The request's JSON object, or the 400 answer to send instead."""
    try:
        return json_object(request)
    except InvalidBody as problem:
        return error(problem.status, str(problem))


def form_data(body: dict) -> dict:
    """A JSON object as form data: scalars as they are, `pets` as its list."""
    return {name: value if name == "pets" else _scalar(value) for name, value in body.items()}


def invalid(form) -> JsonResponse:
    return error(400, "Some fields are not valid.", {name: list(messages) for name, messages in form.errors.items()})


def _start_upload(request):
    if not request.user.is_authenticated:
        return error(401, "Sign in to upload.")
    body = json_body(request)
    if isinstance(body, JsonResponse):
        return body
    form = UploadStartForm(data=form_data(body))
    if not form.is_valid():
        return invalid(form)
    try:
        start = services.start_upload(
            owner_id=str(request.user.pk), owner_name=request.user.display_name, **form.cleaned_data
        )
    except services.RateLimited as limited:
        response = error(429, str(limited))
        response["Retry-After"] = str(limited.retry_after)
        return response
    except services.NotYourPet as not_yours:
        return error(400, str(not_yours), {"pets": [str(not_yours)]})
    return JsonResponse(
        {
            "id": start.video.id,
            "status": start.video.status,
            "upload": upload_json(start.upload),
        },
        status=201,
    )


def upload_json(upload) -> dict:
    """How the browser sends the file: one presigned POST, or S3 parts (`/parts/`, `/complete/`)."""
    if isinstance(upload, storage.MultipartUpload):
        return {"kind": "multipart", "part_size": upload.part_size, "part_count": upload.part_count}
    return {"kind": "post", "url": upload.url, "fields": upload.fields}


def _scalar(value):
    # A form field takes text: nested JSON is invalid input, not something to stringify.
    return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


@allow("GET", "PATCH", "DELETE")
def video(request, video_id: str):
    user_id = str(request.user.pk) if request.user.is_authenticated else None
    if request.method == "PATCH":
        return _edit(request, video_id, user_id)
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
    found = viewing.video
    liked = viewing.liked if user_id else None
    return JsonResponse(video_json(found, liked=liked, for_owner=found.owner_id == user_id))


def _edit(request, video_id: str, user_id: str | None):
    if user_id is None:
        return error(401, "Sign in to edit videos.")
    body = json_body(request)
    if isinstance(body, JsonResponse):
        return body
    form = VideoEditForm(form_data(body))
    if not form.is_valid():
        return invalid(form)
    try:
        edited = services.edit_video(video_id=video_id, user_id=user_id, **form.cleaned_data)
    except services.NotFound:
        return error(404, "No such video.")
    except services.Forbidden:
        # Someone else's video: as if it did not exist when they may not see it.
        try:
            services.visible_video(video_id=video_id, user_id=user_id)
        except services.NotFound:
            return error(404, "No such video.")
        return error(403, "Only the owner can edit this video.")
    except services.NotYourPet as not_yours:
        return error(400, str(not_yours), {"pets": [str(not_yours)]})
    except ValueError as bad_poster:
        return error(400, str(bad_poster), {"poster": [str(bad_poster)]})
    except services.Conflict:
        return error(409, "The video changed while saving; try again.")
    return JsonResponse(video_json(edited, for_owner=True))
