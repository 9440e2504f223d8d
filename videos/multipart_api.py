"""The JSON API of multipart uploads (videos/multipart.py): `GET`/`POST /api/videos/<id>/parts/`
and `POST /api/videos/<id>/complete/`. Cancelling is `DELETE /api/videos/<id>/`."""

import functools
import json

from django.http import JsonResponse

from videos import multipart, services
from videos.api import allow, error
from videos.presenters import video_json


def owner_only(view):
    """Signed-in owners only; the use cases' refusals become 4xx JSON answers."""

    @functools.wraps(view)
    def wrapper(request, video_id: str):
        if not request.user.is_authenticated:
            return error(401, "Sign in to upload.")
        try:
            return view(request, video_id, str(request.user.pk))
        except services.NotFound:
            return error(404, "No such video.")
        except services.Forbidden:
            return error(403, "Only the person uploading this video can send its parts.")
        except multipart.NotOpen:
            return error(409, "This video has no upload under way: it is complete, cancelled or was sent in one piece.")
        except multipart.BadParts as bad:
            return error(400, str(bad), {bad.field: [str(bad)]})
        except multipart.PartsMissing as missing:
            body = {"error": str(missing), "errors": {"parts": [str(missing)]}, "missing": missing.missing}
            return JsonResponse(body, status=409)

    return wrapper


@allow("GET", "POST")
@owner_only
def parts(request, video_id: str, user_id: str):
    if request.method == "GET":
        state = multipart.upload_state(video_id=video_id, user_id=user_id)
        return JsonResponse(
            {
                "id": state.video.id,
                "size": state.video.declared_size,
                "filename": state.video.filename,
                "part_size": state.video.part_size,
                "part_count": state.part_count,
                "parts": [{"number": part.number, "size": part.size} for part in state.stored],
            }
        )
    numbers = _numbers(request.body)
    if numbers is None:
        return error(400, 'Send {"numbers": [part numbers]}.', {"numbers": ["A list of part numbers is needed."]})
    urls = multipart.part_urls(video_id=video_id, user_id=user_id, numbers=numbers)
    return JsonResponse({"urls": {str(number): url for number, url in urls.items()}})


@allow("POST")
@owner_only
def complete(request, video_id: str, user_id: str):
    return JsonResponse(video_json(multipart.complete_upload(video_id=video_id, user_id=user_id)))


def _numbers(body: bytes) -> list[int] | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    numbers = data.get("numbers") if isinstance(data, dict) else None
    if not isinstance(numbers, list) or not all(type(number) is int for number in numbers):
        return None
    return numbers
