from django.urls import path

from pettube.lazy import view

# `video_id` is the converter videos/urls.py registers (pettube/urls.py includes it first).
urlpatterns = [
    path("shorts/", view("shorts.views.shorts"), name="shorts"),
    path("shorts/<video_id:video_id>/", view("shorts.views.shorts"), name="short"),
    path("api/shorts/", view("shorts.api.shorts"), name="api-shorts"),
]
