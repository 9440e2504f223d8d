"""The door to search's items: term entries in the shared table.

A public ready video has one entry per distinct term of its title, description and pets' names
(search/terms.py): `id = "term#<term>#<video id>"`, `term = <term>`, `terms` = the set of all the
video's terms, its `published_at` and its card (videos/items.py's `card`). GSI `search`
(`term`, `published_at`) answers a one-word search, newest first, with one Query; more words
query one term's entries and keep those whose `terms` hold the others (a FilterExpression, in
the same Query). videos/listings.py writes and removes entries in the video's transaction.
"""

from pettube import dynamo
from pettube.dynamo import Entry
from videos.domain import Page, Video
from videos.items import from_card

INDEX = "search"


def term_entries(video: Video, card: dict, terms: list[str]) -> list[Entry]:
    """The entries of a listed video found by `terms`, each with its `card`."""
    every = {"SS": sorted(set(terms))}
    return [
        Entry(id=f"term#{term}#{video.id}",
              item={**card, **dynamo.key(f"term#{term}#{video.id}"), "term": dynamo.s(term), "terms": every})
        for term in terms
    ]


def find(term: str, *, also: list[str], limit: int, cursor: str | None = None) -> Page:
    """Videos with `term` that also have every term of `also`, newest first. With `also`, a page
    may hold fewer than `limit` videos and still have a next cursor."""
    values = {":t": dynamo.s(term)} | {f":also{number}": dynamo.s(word) for number, word in enumerate(also)}
    page = dynamo.query_page(
        INDEX, "#t = :t", values, names={"#t": "term"}, limit=limit, cursor=cursor,
        filter=" AND ".join(f"contains(terms, :also{number})" for number in range(len(also))) or None,
    )
    return Page(items=[from_card(item) for item in page.items], next_cursor=page.next_cursor)
