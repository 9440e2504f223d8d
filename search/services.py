"""Search: which terms a video is found by, and finding public videos by words. Videos are
indexed through the listing search/seams.py registers with videos/listings.py when they are
published or edited, and unindexed when they are hidden or deleted."""

from pettube import exceptions
from pettube.dynamo import Entry
from search import repository
from search.terms import terms
from videos.domain import Page, Video

# A video's entries go into one transaction with the video (at most 100 actions, a delete and
# a put per changed entry): the first this many distinct words of its title, its pets' names
# and its description make it findable.
MAX_TERMS_PER_VIDEO = 32
# A search of several words reads at most this many Query pages to fill one page of results.
MAX_READS = 4
# Words of one search: each is a `contains` in the Query's filter, and a DynamoDB expression
# holds at most 4 KB.
MAX_QUERY_WORDS = 10


class EmptyQuery(exceptions.Invalid):
    def __init__(self, message: str = "Type a word to search for."):
        super().__init__(message, {"q": [message]})


class TooManyWords(exceptions.Invalid):
    def __init__(self):
        message = f"Search for at most {MAX_QUERY_WORDS} words."
        super().__init__(message, {"q": [message]})


def entries(video: Video, card: dict) -> list[Entry]:
    """The term entries of a listed video, each with its `card`."""
    found = terms(video.title, *(tag.name for tag in video.pets), video.description)[:MAX_TERMS_PER_VIDEO]
    return repository.term_entries(video, card, found)


def search(*, query: str, limit: int, cursor: str | None = None) -> Page:
    """Public ready videos whose title, description or pets' names hold every word of `query`
    (case, accents and simple plurals aside), newest first. One word is one Query. More words
    query the longest one's entries (a long word is likely the rarest) and keep those holding
    the rest; to fill a page that takes up to MAX_READS Queries. Raises EmptyQuery when
    `query` has no word, TooManyWords past MAX_QUERY_WORDS."""
    words = terms(query)
    if not words:
        raise EmptyQuery()
    if len(words) > MAX_QUERY_WORDS:
        raise TooManyWords()
    first = max(words, key=len)
    also = [word for word in words if word != first]
    found = []
    for _ in range(MAX_READS):
        page = repository.find(first, also=also, limit=limit - len(found), cursor=cursor)
        found.extend(page.items)
        cursor = page.next_cursor
        if not also or not cursor or len(found) >= limit:
            break
    return Page(items=found, next_cursor=cursor)
