from django.urls import path, re_path, register_converter

from videos import api, multipart_api, views


class VideoIdConverter:
    regex = "[A-Za-z0-9_-]{11}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(VideoIdConverter, "video_id")

urlpatterns = [
    path("", views.feed, name="feed"),
    path("v/<video_id:video_id>/", views.watch, name="watch"),
    path("v/<video_id:video_id>/hls/master.m3u8", views.playlist, {"name": "master"}, name="hls-master"),
    re_path(r"^v/(?P<video_id>[A-Za-z0-9_-]{11})/hls/(?P<name>(?:av1-)?[0-9]{2,4}p|audio)\.m3u8$", views.playlist, name="hls-media"),
    path("upload/", views.upload, name="upload"),
    path("me/", views.my_videos, name="my-videos"),
    path("api/videos/", api.videos, name="api-videos"),
    path("api/videos/<video_id:video_id>/", api.video, name="api-video"),
    path("api/videos/<video_id:video_id>/parts/", multipart_api.parts, name="api-video-parts"),
    path("api/videos/<video_id:video_id>/complete/", multipart_api.complete, name="api-video-complete"),
]
