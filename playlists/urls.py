from django.urls import path, register_converter

from playlists import api, views


class PlaylistIdConverter:
    regex = "[A-Za-z0-9_-]{1,40}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PlaylistIdConverter, "playlist_id")

urlpatterns = [
    path("playlists/", views.mine, name="my-playlists"),
    path("pl/<playlist_id:playlist_id>/", views.playlist, name="playlist"),
    path("api/playlists/", api.playlists, name="api-playlists"),
    path("api/playlists/watch-later/", api.watch_later, name="api-watch-later"),
    path("api/playlists/<playlist_id:playlist_id>/", api.playlist, name="api-playlist"),
    path("api/playlists/<playlist_id:playlist_id>/items/", api.items, name="api-playlist-items"),
    path("api/playlists/<playlist_id:playlist_id>/items/<video_id:video_id>/", api.item, name="api-playlist-item"),
]
