"""The pets JSON API (`/api/pets/…`). Thin: parse, call a service, answer JSON; errors are 4xx
JSON in the shape of videos/api.py."""

from django.http import HttpResponse, JsonResponse

from pets import services
from pets.forms import PetForm
from pets.presenters import pet_json
from videos.api import allow, error, form_data, invalid, json_body


@allow("GET", "POST")
def pets(request):
    if not request.user.is_authenticated:
        return error(401, "Sign in to see and add your pets.")
    owner_id = str(request.user.pk)
    if request.method == "GET":
        return JsonResponse({"items": [pet_json(pet) for pet in services.pets_of(owner_id=owner_id)]})
    form = _form(request)
    if isinstance(form, JsonResponse):
        return form
    try:
        pet = services.add_pet(owner_id=owner_id, owner_name=request.user.display_name, **form.cleaned_data)
    except services.TooManyPets as too_many:
        return error(400, str(too_many))
    return JsonResponse(pet_json(pet), status=201)


@allow("GET", "PATCH", "DELETE")
def pet(request, pet_id: str):
    if request.method == "GET":
        try:
            return JsonResponse(pet_json(services.get_pet(pet_id=pet_id)))
        except services.NotFound:
            return error(404, "No such pet.")
    if not request.user.is_authenticated:
        return error(401, "Sign in to change your pets.")
    try:
        if request.method == "DELETE":
            services.delete_pet(pet_id=pet_id, user_id=str(request.user.pk))
            return HttpResponse(status=204)
        current = pet_json(services.get_pet(pet_id=pet_id))
        form = _form(request, current={name: current[name] for name in PetForm.base_fields})
        if isinstance(form, JsonResponse):
            return form
        changed = services.edit_pet(pet_id=pet_id, user_id=str(request.user.pk), **form.cleaned_data)
    except services.NotFound:
        return error(404, "No such pet.")
    except services.Forbidden:
        return error(403, "Only the pet's owner can change it.")
    return JsonResponse(pet_json(changed))


def _form(request, current: dict | None = None) -> PetForm | JsonResponse:
    """The body checked as a pet's details; for a change, what it leaves out stays `current`."""
    body = json_body(request)
    if isinstance(body, JsonResponse):
        return body
    form = PetForm(data=form_data((current or {}) | body))
    return form if form.is_valid() else invalid(form)
