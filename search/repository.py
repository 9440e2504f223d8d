"""The only code that talks to DynamoDB about search: term entries in the shared table.

A public ready video has one entry per distinct term of its title, description and pets' names
(search/terms.py): `id = "term#<term>#<video id>"`, `term = <term>`, `terms` = the set of all the
video's terms, its `published_at` and its card (videos/repository.py's `card`). GSI `search`
(`term`, `published_at`) answers a one-word search, newest first, with one Query; more words
query one term's entries and keep those whose `terms` hold the others (a FilterExpression, in
the same Query). videos/listings.py writes and removes entries in the video's transaction.
"""

from dataclasses import dataclass

from pettube import dynamo

INDEX = "search"


@dataclass(frozen=True)
class CardPage:
    cards: list[dict]
    next_cursor: str | None


def term_entry(term: str, *, video_id: str, terms: list[str], card: dict) -> dict:
    return {**card, "id": {"S": f"term#{term}#{video_id}"}, "term": {"S": term}, "terms": {"SS": sorted(set(terms))}}


def find(term: str, *, also: list[str], limit: int, cursor: str | None = None) -> CardPage:
    """Entries of `term` whose video also has every term of `also`, newest first. With `also`,
    a page may hold fewer than `limit` cards and still have a next cursor."""
    values = {":t": {"S": term}} | {f":also{number}": {"S": word} for number, word in enumerate(also)}
    page = dynamo.query_page(
        INDEX, "#t = :t", values, names={"#t": "term"}, limit=limit, cursor=cursor,
        filter=" AND ".join(f"contains(terms, :also{number})" for number in range(len(also))) or None,
    )
    return CardPage(cards=page.items, next_cursor=page.next_cursor)
