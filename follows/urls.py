from django.urls import path

from follows import api, views

urlpatterns = [
    path("following/", views.following, name="following"),
    path("api/pets/<video_id:pet_id>/follow/", api.pet, name="api-follow-pet"),
    path("api/users/<int:person_id>/follow/", api.user, name="api-follow-user"),
    path("api/me/following/", api.following, name="api-following"),
]
