from django.urls import path

from pets import api, views

urlpatterns = [
    path("p/<video_id:pet_id>/", views.pet_page, name="pet"),
    path("pets/", views.my_pets, name="my-pets"),
    path("pets/<video_id:pet_id>/delete/", views.delete_pet, name="delete-pet"),
    path("api/pets/", api.pets, name="api-pets"),
    path("api/pets/<video_id:pet_id>/", api.pet, name="api-pet"),
]
