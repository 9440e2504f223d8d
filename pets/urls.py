from django.urls import path

from pettube.lazy import view

urlpatterns = [
    path("p/<video_id:pet_id>/", view("pets.views.pet_page"), name="pet"),
    path("pets/", view("pets.views.my_pets"), name="my-pets"),
    path("pets/<video_id:pet_id>/delete/", view("pets.views.delete_pet"), name="delete-pet"),
    path("api/pets/", view("pets.api.pets"), name="api-pets"),
    path("api/pets/<video_id:pet_id>/", view("pets.api.pet"), name="api-pet"),
]
