"""The JSON API of multipart uploads (videos/multipart.py): `GET`/`POST /api/videos/<id>/parts/`
and `POST /api/videos/<id>/complete/`. Cancelling is `DELETE /api/videos/<id>/`."""

from django.http import JsonResponse

from pettube.api import BodyTooLarge, UnsupportedBody, endpoint, json_body, signed_in
from pettube.exceptions import Invalid
from videos import multipart
from videos.presenters import video_json

SIGN_IN = "Sign in to upload."


@endpoint("GET", "POST")
def parts(request, video_id: str):
    user_id = signed_in(request, SIGN_IN)
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
    urls = multipart.part_urls(video_id=video_id, user_id=user_id, numbers=_numbers(request))
    return JsonResponse({"urls": {str(number): url for number, url in urls.items()}})


@endpoint("POST")
def complete(request, video_id: str):
    user_id = signed_in(request, SIGN_IN)
    return JsonResponse(video_json(multipart.complete_upload(video_id=video_id, user_id=user_id)))


def _numbers(request) -> list[int]:
    try:
        data = json_body(request)  # another declared Content-Type is a 415, as everywhere in the API
    except (UnsupportedBody, BodyTooLarge):
        raise
    except Invalid:
        data = None
    numbers = data.get("numbers") if isinstance(data, dict) else None
    if not isinstance(numbers, list) or not all(type(number) is int for number in numbers):
        raise Invalid('Send {"numbers": [part numbers]}.', {"numbers": ["A list of part numbers is needed."]})
    return numbers
