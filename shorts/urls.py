from django.urls import path

from shorts import api, views

# `video_id` is the converter videos/urls.py registers (pettube/urls.py includes it first).
urlpatterns = [
    path("shorts/", views.shorts, name="shorts"),
    path("shorts/<video_id:video_id>/", views.shorts, name="short"),
    path("api/shorts/", api.shorts, name="api-shorts"),
]
