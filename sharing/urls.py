from django.urls import path

from pettube.lazy import view

# `video_id` is the converter videos/urls.py registers (pettube/urls.py includes it first).
urlpatterns = [
    path("embed/<video_id:video_id>/", view("sharing.views.embed"), name="embed"),
    path("v/<video_id:video_id>/poster.<slug:extension>", view("sharing.views.media"), {"kind": "poster"},
         name="video-poster"),
    path("v/<video_id:video_id>/card.<slug:extension>", view("sharing.views.media"), {"kind": "card"},
         name="video-card"),
    path("v/<video_id:video_id>/video.mp4", view("sharing.views.media"), {"kind": "video", "extension": "mp4"},
         name="video-mp4"),
    path("api/videos/<video_id:video_id>/related/", view("sharing.api.related_videos"), name="api-related"),
    path("oembed", view("sharing.api.oembed_answer"), name="oembed"),
    path("manifest.webmanifest", view("sharing.views.manifest"), name="manifest"),
    path("feeds/videos.rss", view("sharing.syndication.NewestVideos"), name="rss-newest"),
    path("feeds/species/<slug:species>.rss", view("sharing.syndication.SpeciesVideos"), name="rss-species"),
    path("feeds/u/<int:user_id>.rss", view("sharing.syndication.PersonsVideos"), name="rss-person"),
    path("feeds/p/<video_id:pet_id>.rss", view("sharing.syndication.PetsVideos"), name="rss-pet"),
]
