from django.urls import path, re_path, register_converter
from django.urls.converters import StringConverter

from pettube.lazy import view


class VideoIdConverter(StringConverter):
    regex = "[A-Za-z0-9_-]{11}"


register_converter(VideoIdConverter, "video_id")

urlpatterns = [
    path("", view("videos.views.feed"), name="feed"),
    path("v/<video_id:video_id>/", view("videos.views.watch"), name="watch"),
    path("v/<video_id:video_id>/hls/master.m3u8", view("videos.views.playlist"), {"name": "master"}, name="hls-master"),
    re_path(r"^v/(?P<video_id>[A-Za-z0-9_-]{11})/hls/(?P<name>(?:av1-)?[0-9]{2,4}p|audio)\.m3u8$", view("videos.views.playlist"),
            name="hls-media"),
    path("v/<video_id:video_id>/storyboard.vtt", view("videos.views.seek_previews"), name="storyboard"),
    re_path(r"^v/(?P<video_id>[A-Za-z0-9_-]{11})/hls/(?P<name>subtitles-[A-Za-z0-9-]{2,35})\.m3u8$",
            view("videos.views.playlist"), name="hls-subtitles"),
    re_path(r"^v/(?P<video_id>[A-Za-z0-9_-]{11})/captions/(?P<lang>[A-Za-z0-9-]{2,35})\.vtt$",
            view("videos.views.caption_file"), name="caption"),
    path("upload/", view("videos.views.upload"), name="upload"),
    path("me/", view("videos.views.my_videos"), name="my-videos"),
    path("api/videos/", view("videos.api.videos"), name="api-videos"),
    path("api/videos/<video_id:video_id>/", view("videos.api.video"), name="api-video"),
    path("api/videos/<video_id:video_id>/captions/", view("videos.api.captions"), name="api-video-captions"),
    path("api/videos/<video_id:video_id>/captions/<str:lang>/", view("videos.api.caption"), name="api-video-caption"),
    path("api/videos/<video_id:video_id>/parts/", view("videos.multipart_api.parts"), name="api-video-parts"),
    path("api/videos/<video_id:video_id>/complete/", view("videos.multipart_api.complete"), name="api-video-complete"),
]
