"""The door to shorts' items: one entry per feed a short is in, in the shared table.

A short (shorts/services.py says which videos are) has an entry in the feed of every short,
`id = "short#*#<video id>"`, `shorts_feed = "*"`, and one per species it shows,
`id = "short#<species>#<video id>"`, `shorts_feed = <species>`. Each carries the video's card
(videos/items.py's `card`) and `published_at`, so GSI `shorts` (`shorts_feed`, `published_at`)
answers a page of a feed, newest first, with one Query. videos/listings.py writes and removes
entries in the same transaction as the video (shorts/seams.py registers them).
"""

from pettube import dynamo
from pettube.dynamo import Entry
from videos.domain import Page, Video
from videos.items import from_card

INDEX = "shorts"
EVERY = "*"


def entry_id(feed: str, video_id: str) -> str:
    return f"short#{feed}#{video_id}"


def entries(video: Video, card: dict, feeds: list[str]) -> list[Entry]:
    """The entries of a short in `feeds` (EVERY, species), each with its `card`."""
    return [Entry(id=entry_id(feed, video.id),
                  item={**card, **dynamo.key(entry_id(feed, video.id)), "shorts_feed": dynamo.s(feed)})
            for feed in feeds]


def page(feed: str, *, limit: int, cursor: str | None = None) -> Page:
    """A page of the feed's shorts, newest first (one Query). Raises dynamo.InvalidCursor, also
    for a cursor of another feed (DynamoDB would refuse to start there)."""
    if cursor and dynamo.decode_cursor(cursor, INDEX).get("shorts_feed") != dynamo.s(feed):
        raise dynamo.InvalidCursor()
    found = dynamo.query_page(INDEX, "shorts_feed = :f", {":f": dynamo.s(feed)}, limit=limit, cursor=cursor)
    return Page(items=[from_card(item) for item in found.items], next_cursor=found.next_cursor)


def cursor_after(feed: str, video: Video) -> str:
    """The cursor of the feed's shorts older than `video` (which is in it): where a feed that
    starts at that short goes on."""
    return dynamo.encode_cursor({**dynamo.key(entry_id(feed, video.id)), "shorts_feed": dynamo.s(feed),
                                 "published_at": dynamo.s(dynamo.stamp(video.published_at))}, INDEX)
