from django.urls import path, register_converter
from django.urls.converters import StringConverter

from pettube.lazy import view


class PlaylistIdConverter(StringConverter):
    regex = "[A-Za-z0-9_-]{1,40}"


register_converter(PlaylistIdConverter, "playlist_id")

urlpatterns = [
    path("playlists/", view("playlists.views.mine"), name="my-playlists"),
    path("pl/<playlist_id:playlist_id>/", view("playlists.views.playlist"), name="playlist"),
    path("api/playlists/", view("playlists.api.playlists"), name="api-playlists"),
    path("api/playlists/watch-later/", view("playlists.api.watch_later"), name="api-watch-later"),
    path("api/playlists/<playlist_id:playlist_id>/", view("playlists.api.playlist"), name="api-playlist"),
    path("api/playlists/<playlist_id:playlist_id>/items/", view("playlists.api.items"), name="api-playlist-items"),
    path("api/playlists/<playlist_id:playlist_id>/items/<video_id:video_id>/", view("playlists.api.item"), name="api-playlist-item"),
]
