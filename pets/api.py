"""The pets JSON API (`/api/pets/…`). Thin: parse, call a service, answer JSON; refusals become
4xx JSON in pettube/api.py."""

from django.http import HttpResponse, JsonResponse

from pets import services
from pets.forms import PetForm
from pets.presenters import pet_json
from pettube.api import endpoint, form_data, json_body, signed_in, valid


@endpoint("GET", "POST")
def pets(request):
    owner_id = signed_in(request, "Sign in to see and add your pets.")
    if request.method == "GET":
        return JsonResponse({"items": [pet_json(pet) for pet in services.pets_of(owner_id=owner_id)]})
    pet = services.add_pet(owner_id=owner_id, owner_name=request.user.display_name, **_details(request))
    return JsonResponse(pet_json(pet), status=201)


@endpoint("GET", "PATCH", "DELETE")
def pet(request, pet_id: str):
    if request.method == "GET":
        return JsonResponse(pet_json(services.get_pet(pet_id=pet_id)))
    owner_id = signed_in(request, "Sign in to change your pets.")
    if request.method == "DELETE":
        services.delete_pet(pet_id=pet_id, user_id=owner_id)
        return HttpResponse(status=204)
    current = pet_json(services.get_pet(pet_id=pet_id))
    details = _details(request, current={name: current[name] for name in PetForm.base_fields})
    return JsonResponse(pet_json(services.edit_pet(pet_id=pet_id, user_id=owner_id, **details)))


def _details(request, current: dict | None = None) -> dict:
    """The body checked as a pet's details; for a change, what it leaves out stays `current`."""
    return valid(PetForm(data=form_data((current or {}) | json_body(request))))
