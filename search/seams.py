"""What search plugs into videos' seams (`register`, from search/apps.py): its `Listing` (a
listed video's term entries, written and removed in the video's transaction) and the `?q=` feed
of `GET /api/videos/` (the site's search page is search/views.py)."""

from pettube import lazy
from videos import feeds, listings

services = lazy.module("search.services")


def register() -> None:
    listings.register(listings.Listing(name="search", entries=lambda *args: services.entries(*args)))
    feeds.register(feeds.Feed(parameter="q", read=lambda query, **page: services.search(query=query, **page),
                              on_feed_page=False))
