from django.urls import path

from pettube.lazy import view

urlpatterns = [
    path("following/", view("follows.views.following"), name="following"),
    path("api/pets/<video_id:pet_id>/follow/", view("follows.api.pet"), name="api-follow-pet"),
    path("api/users/<int:person_id>/follow/", view("follows.api.user"), name="api-follow-user"),
    path("api/me/following/", view("follows.api.following"), name="api-following"),
]
