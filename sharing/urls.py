from django.urls import path

from sharing import api, syndication, views

# `video_id` is the converter videos/urls.py registers (pettube/urls.py includes it first).
urlpatterns = [
    path("embed/<video_id:video_id>/", views.embed, name="embed"),
    path("v/<video_id:video_id>/poster.jpg", views.media, {"kind": "poster"}, name="video-poster"),
    path("v/<video_id:video_id>/card.jpg", views.media, {"kind": "card"}, name="video-card"),
    path("v/<video_id:video_id>/video.mp4", views.media, {"kind": "video"}, name="video-mp4"),
    path("api/videos/<video_id:video_id>/related/", api.related_videos, name="api-related"),
    path("oembed", api.oembed_answer, name="oembed"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("feeds/videos.rss", syndication.NewestVideos(), name="rss-newest"),
    path("feeds/species/<slug:species>.rss", syndication.SpeciesVideos(), name="rss-species"),
    path("feeds/u/<int:user_id>.rss", syndication.PersonsVideos(), name="rss-person"),
    path("feeds/p/<video_id:pet_id>.rss", syndication.PetsVideos(), name="rss-pet"),
]
