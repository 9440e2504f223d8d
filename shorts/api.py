"""`GET /api/shorts/?cursor=&species=`: a page of shorts. Thin: parse, call a service, answer
JSON; a bad species or cursor is a 400 in the API's error shape (pettube/api.py)."""

from django.http import JsonResponse

from pettube.api import endpoint
from shorts import services
from shorts.presenters import page_json


@endpoint("GET")
def shorts(request):
    page = services.shorts_page(species=request.GET.get("species"), cursor=request.GET.get("cursor") or None)
    return JsonResponse(page_json(request, page))
