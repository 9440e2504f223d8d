"""Playlists' pages: mine (make one), and a playlist that plays its videos in order with the list
beside the player. Thin: read through the services, render a template."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from pettube.api import user_id as _user_id
from playlists import services
from playlists.forms import PlaylistForm
from videos.domain import VISIBILITIES
from videos.presenters import master_playlist_url, media_url, player, with_media_cookies


@login_required
@never_cache
def mine(request):
    owner = str(request.user.pk)
    form = PlaylistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = services.create(owner_id=owner, owner_name=request.user.display_name, **form.cleaned_data)
        return redirect("playlist", made.id)
    playlists = services.playlists_of(owner_id=owner, owner_name=request.user.display_name)
    return render(request, "playlists/mine.html", {"form": form, "playlists": playlists, "visibilities": VISIBILITIES},
                  status=400 if form.errors else 200)


@never_cache
def playlist(request, playlist_id: str):
    viewer = _user_id(request)
    try:
        found = services.viewable(playlist_id=playlist_id, viewer=viewer)
    except services.NotFound:
        raise Http404("No such playlist.") from None
    shown = services.shown(found, viewer=viewer)
    current = next((video for video in shown if video.id == request.GET.get("v")), shown[0] if shown else None)
    entries = [{"video": video, "hls": master_playlist_url(video), "mp4": media_url(video, video.video_key),
                "poster": media_url(video, video.poster_key), "current": video is current} for video in shown]
    response = render(request, "playlists/playlist.html", {
        "playlist": found, "entries": entries, "video": current, **(player(current, viewer) if current else {}),
        "is_owner": viewer == found.owner_id, "visibilities": VISIBILITIES,
    })
    return with_media_cookies(response, current, viewer) if current else response
