"""The JSON API (`/api/videos/…`). Thin: parse, call a service, answer JSON. Refusals become
4xx JSON in one place (pettube/api.py's `endpoint`), never a 500."""

from django.http import HttpResponse, JsonResponse

from pettube.api import endpoint, form_data, json_body, signed_in, text_field, user_id, valid
from videos import captions as video_captions
from videos import feeds, services, uploading
from videos.forms import UploadStartForm, VideoEditForm
from videos.presenters import caption_json, video_json


@endpoint("GET", "POST")
def videos(request):
    if request.method == "POST":
        return _start_upload(request)
    page = feeds.read(request.GET, default=services.feed_page, limit=services.PAGE_SIZE, user_id=user_id(request))
    return JsonResponse({"items": [video_json(video) for video in page.items], "next_cursor": page.next_cursor})


def _start_upload(request):
    owner_id = signed_in(request, "Sign in to upload.")
    fields = valid(UploadStartForm(data=form_data(json_body(request), lists=("pets",))))
    fields["species"] = fields.pop("pet")
    start = services.start_upload(owner_id=owner_id, owner_name=request.user.display_name, **fields)
    return JsonResponse({"id": start.video.id, "status": start.video.status, "upload": upload_json(start.upload)},
                        status=201)


def upload_json(upload) -> dict:
    """How the browser sends the file: one presigned POST, or S3 parts (`/parts/`, `/complete/`)."""
    if isinstance(upload, uploading.MultipartUpload):
        return {"kind": "multipart", "part_size": upload.part_size, "part_count": upload.part_count}
    return {"kind": "post", "url": upload.url, "fields": upload.fields}


@endpoint("GET", "PATCH", "DELETE")
def video(request, video_id: str):
    if request.method == "PATCH":
        owner_id = signed_in(request, "Sign in to edit videos.")
        changes = valid(VideoEditForm(form_data(json_body(request), lists=("pets",))))
        return JsonResponse(video_json(services.edit_video(video_id=video_id, user_id=owner_id, **changes),
                                       for_owner=True))
    if request.method == "DELETE":
        services.delete_video(video_id=video_id, user_id=signed_in(request, "Sign in to delete videos."))
        return HttpResponse(status=204)
    viewer = user_id(request)
    viewing = services.viewing(video_id=video_id, user_id=viewer)
    found = viewing.video
    liked = viewing.along.get("liked") if viewer else None
    return JsonResponse(video_json(found, liked=liked, for_owner=found.owner_id == viewer))


@endpoint("POST")
def captions(request, video_id: str):
    owner_id = signed_in(request, "Sign in to add captions.")
    body = json_body(request)
    caption = video_captions.add(video_id=video_id, user_id=owner_id, lang=text_field(body, "lang"),
                                 label=text_field(body, "label"), text=text_field(body, "text"))
    return JsonResponse(caption_json(video_id, caption), status=201)


@endpoint("DELETE")
def caption(request, video_id: str, lang: str):
    video_captions.remove(video_id=video_id, user_id=signed_in(request, "Sign in to remove captions."), lang=lang)
    return HttpResponse(status=204)
