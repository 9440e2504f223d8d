"""Playlists' JSON endpoints (the contract in ../shared/DESIGN.md). Thin: parse, call a service,
answer JSON; refusals become 4xx JSON in pettube/api.py."""

from django.http import HttpResponse, JsonResponse

from pettube.api import endpoint, form_data, json_body, signed_in, text_field, user_id, valid
from pettube.exceptions import Invalid
from playlists import services
from playlists.forms import PlaylistEditForm, PlaylistForm
from playlists.repository import Playlist
from videos.presenters import video_json


def playlist_json(playlist: Playlist, *, count: int | None = None) -> dict:
    return {"id": playlist.id, "title": playlist.title, "description": playlist.description,
            "visibility": playlist.visibility, "owner": playlist.owner_name, "owner_id": playlist.owner_id,
            "count": len(playlist.videos) if count is None else count, "watch_later": playlist.watch_later}


TEXT_FIELDS = ("title", "description", "visibility")


def _fields(request) -> dict:
    """The JSON body, its text fields checked to be text (a number is not a title)."""
    body = json_body(request)
    for name in TEXT_FIELDS:
        if name in body:
            text_field(body, name)
    return body


def _with_items(playlist: Playlist, viewer: str | None) -> JsonResponse:
    shown = services.shown(playlist, viewer=viewer)
    return JsonResponse({**playlist_json(playlist, count=len(shown)), "items": [video_json(video) for video in shown]})


@endpoint("GET", "POST")
def playlists(request):
    owner = signed_in(request, "Sign in to keep playlists.")
    if request.method == "GET":
        return JsonResponse({"items": [playlist_json(playlist) for playlist in services.playlists_of(owner_id=owner, owner_name=request.user.display_name)]})
    fields = valid(PlaylistForm(form_data(_fields(request))))
    playlist = services.create(owner_id=owner, owner_name=request.user.display_name, **fields)
    return JsonResponse(playlist_json(playlist), status=201)


@endpoint("GET")
def watch_later(request):
    owner = signed_in(request, "Sign in to keep videos for later.")
    return _with_items(services.watch_later(owner_id=owner, owner_name=request.user.display_name), owner)


@endpoint("GET", "PATCH", "DELETE")
def playlist(request, playlist_id: str):
    if request.method == "GET":
        viewer = user_id(request)
        return _with_items(services.viewable(playlist_id=playlist_id, viewer=viewer), viewer)
    owner = signed_in(request, "Sign in to change your playlists.")
    if request.method == "DELETE":
        services.delete(playlist_id=playlist_id, user_id=owner)
        return HttpResponse(status=204)
    body = _fields(request)
    changes = {name: value for name, value in valid(PlaylistEditForm(form_data(body, lists=("order",)))).items()
               if name in body}
    return JsonResponse(playlist_json(services.edit(playlist_id=playlist_id, user_id=owner, **changes)))


@endpoint("POST")
def items(request, playlist_id: str):
    owner = signed_in(request, "Sign in to change your playlists.")
    video_id = text_field(json_body(request), "video")
    if not video_id:
        raise Invalid("Say which video to add.", {"video": ["This field is required."]})
    added = services.add(playlist_id=playlist_id, user_id=owner, video_id=video_id)
    return JsonResponse({"added": added, "video": video_id}, status=201 if added else 200)


@endpoint("DELETE")
def item(request, playlist_id: str, video_id: str):
    owner = signed_in(request, "Sign in to change your playlists.")
    services.remove(playlist_id=playlist_id, user_id=owner, video_id=video_id)
    return HttpResponse(status=204)
