"""The search page: `/search/?q=words`. Thin: read through the service, render a template."""

import functools

from django.shortcuts import render

from search import services
from search.terms import terms
from videos.presenters import render_cards
from videos.services import PAGE_SIZE


def search_page(request):
    query = request.GET.get("q", "").strip()
    words = terms(query)
    if not words:
        return render(request, "search/results.html", {"query": query, "videos": [], "searched": False})
    if len(words) > services.MAX_QUERY_WORDS:
        context = {"query": query, "videos": [], "searched": False, "error": services.TooManyWords().message}
        return render(request, "search/results.html", context, status=400)
    return render_cards(
        request, "search/results.html", functools.partial(services.search, query=query, limit=PAGE_SIZE),
        query=query, searched=True,
    )
