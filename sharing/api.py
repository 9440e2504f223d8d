"""Sharing's JSON endpoints: up next (`/api/videos/<id>/related/`) and oEmbed (`/oembed`). Thin:
parse, call, answer JSON; refusals become 4xx JSON (501 for an oEmbed format we do not offer) in
pettube/api.py, never a 500."""

from django.http import JsonResponse

from pettube.api import endpoint, user_id, valid
from sharing import oembed, related
from videos.presenters import video_json


@endpoint("GET")
def related_videos(request, video_id: str):
    found = related.related(video_id=video_id, user_id=user_id(request))
    return JsonResponse({"items": [video_json(video) for video in found]})


@endpoint("GET")
def oembed_answer(request):
    query = valid(oembed.Query(request.GET))
    response = JsonResponse(oembed.answer(request, **query))
    response["Access-Control-Allow-Origin"] = "*"  # consumers may ask from a browser
    return response
