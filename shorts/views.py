"""The shorts page: `/shorts/` (every short, or `?species=`), `/shorts/<id>/` starting at one.
Its first page comes inside the HTML (the player starts without asking the API); static/js/shorts.js
plays it and asks `GET /api/shorts/` for the next pages."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render

from pettube.api import user_id
from shorts import services
from shorts.presenters import page_json
from videos import services as videos
from videos.domain import SPECIES


def shorts(request, video_id: str | None = None):
    species = request.GET.get("species") or None
    try:
        if video_id:
            page = services.starting_at(video_id=video_id, user_id=user_id(request), species=species)
        else:
            page = services.shorts_page(species=species)
    except services.NotAShort as not_a_short:
        return redirect("watch", not_a_short.video.id)
    except (services.InvalidSpecies, videos.NotFound):
        raise Http404("No such shorts.") from None
    return render(request, "shorts/shorts.html", {
        "shorts": page_json(request, page),
        "species": species,
        "species_list": SPECIES,
        "view_seconds": f"{settings.PETTUBE_VIEW_SECONDS:g}",
    })
