"""HTML pages for pets: a pet's page, and "My pets" (add, delete). Thin: read through the
services, render a template."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pets import services
from pets.forms import PetForm
from pettube.dynamo import InvalidCursor
from videos.presenters import media_url, video_cards
from videos.services import PAGE_SIZE


def pet_page(request, pet_id: str):
    try:
        pet, page = services.pet_page(pet_id=pet_id, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None)
    except services.NotFound:
        raise Http404("No such pet.") from None
    except InvalidCursor:
        return HttpResponseBadRequest("This page link is not valid.")
    cards = video_cards(page.items)
    return render(
        request,
        "pets/pet.html",
        {
            "pet": pet,
            "age": services.age(pet.born),
            "picture_url": media_url(page.items[0], page.items[0].poster_key) if page.items and not request.GET.get("cursor") else None,
            "videos": cards,
            "next_cursor": page.next_cursor,
            "is_owner": request.user.is_authenticated and str(request.user.pk) == pet.owner_id,
        },
    )


@login_required
@never_cache
def my_pets(request):
    owner_id = str(request.user.pk)
    form = PetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_pet(owner_id=owner_id, owner_name=request.user.display_name, **form.cleaned_data)
        except services.TooManyPets as too_many:
            form.add_error(None, str(too_many))
        else:
            return redirect("my-pets")
    pets = services.pets_of(owner_id=owner_id)
    return render(
        request,
        "pets/mine.html",
        {"form": form, "pets": [{"pet": pet, "age": services.age(pet.born)} for pet in pets]},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete_pet(request, pet_id: str):
    try:
        services.delete_pet(pet_id=pet_id, user_id=str(request.user.pk))
    except (services.NotFound, services.Forbidden):
        raise Http404("No such pet of yours.") from None
    return redirect("my-pets")
