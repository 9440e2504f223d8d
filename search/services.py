"""Search: which terms a video is found by, and finding public videos by words. Videos are
indexed by videos/listings.py (through `entries`) when they are published or edited, and
unindexed when they are hidden or deleted."""

from search import repository
from search.terms import terms

# A video's entries go into one transaction with the video (at most 100 actions, a delete and
# a put per changed entry): the first this many distinct words of its title, its pets' names
# and its description make it findable.
MAX_TERMS_PER_VIDEO = 32
# A search of several words reads at most this many Query pages to fill one page of results.
MAX_READS = 4


class EmptyQuery(ValueError):
    pass


def entries(*, video_id: str, card: dict, title: str, pet_names: list[str], description: str) -> list[dict]:
    """The term entries of a public video (its card on each)."""
    found = terms(title, *pet_names, description)[:MAX_TERMS_PER_VIDEO]
    return [repository.term_entry(term, video_id=video_id, terms=found, card=card) for term in found]


def search(*, query: str, limit: int, cursor: str | None = None):
    """Public ready videos whose title, description or pets' names hold every word of `query`
    (case, accents and simple plurals aside), newest first. One word is one Query. More words
    query the longest one's entries (a long word is likely the rarest) and keep those holding
    the rest; to fill a page that takes up to MAX_READS Queries. Raises EmptyQuery when
    `query` has no word."""
    from videos import services as videos  # videos imports this module: import on use

    words = terms(query)
    if not words:
        raise EmptyQuery("Type a word to search for.")
    first = max(words, key=len)
    also = [word for word in words if word != first]
    cards: list[dict] = []
    for _ in range(MAX_READS):
        page = repository.find(first, also=also, limit=limit - len(cards), cursor=cursor)
        cards.extend(page.cards)
        cursor = page.next_cursor
        if not also or not cursor or len(cards) >= limit:
            break
    return videos.card_page(cards, cursor)
