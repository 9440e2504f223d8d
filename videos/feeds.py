"""The lists of public videos a visitor can ask for besides the newest: a species, words,
popular this week, and those to come. The app that keeps a list registers a `Feed` from its
AppConfig.ready(); the feed page and `GET /api/videos/` choose one by its query parameter
(`?species=cat`, `?q=words`, `?sort=popular`), and videos imports none of those apps."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pettube import exceptions
from videos.domain import Page


class InvalidChoice(exceptions.Invalid):
    """The query asks for a list that cannot be made: a value a feed cannot list (a species that
    does not exist), or several feeds at once. Its `errors` name the parameters."""


@dataclass(frozen=True)
class Feed:
    """`read(value, cursor=..., limit=...)` lists the videos for the parameter's value (raising
    InvalidChoice, or another pettube.exceptions.Invalid such as a cursor's). With `value` set,
    only that value of the parameter chooses the feed (`sort=popular`); `on_feed_page` is False for a list that has a page of its
    own (search); `page_context(value)` is what the feed page's template needs to show it. A
    `personal` feed is the viewer's own (Following): `read` also gets `user_id`, and someone
    signed out is refused (NotSignedIn). `default_values` are the parameter's values that name
    the newest videos (`sort=newest`); any other value is refused."""

    parameter: str
    read: Callable[..., Page]
    value: str | None = None
    default_values: frozenset[str] = frozenset()
    on_feed_page: bool = True
    page_context: Callable[[str], dict] = lambda value: {}
    personal: bool = False


_feeds: dict[str, Feed] = {}


def register(feed: Feed) -> None:
    _feeds[feed.parameter] = feed


def chosen(parameters: Mapping[str, str], *, feed_page: bool = False) -> tuple[Feed, str] | None:
    """The feed the request's query `parameters` ask for, with the parameter's value; None for
    the newest videos. Raises InvalidChoice when they ask for more than one, or for a value a
    feed with one value does not have (`?sort=oldest`: not silently the newest)."""
    asked = [
        (feed, parameters[feed.parameter])
        for feed in _feeds.values()
        if feed.parameter in parameters and (feed.on_feed_page or not feed_page)
        and parameters[feed.parameter] not in feed.default_values
    ]
    for feed, value in asked:
        if feed.value is not None and value != feed.value:
            raise InvalidChoice(f"There is no such {feed.parameter} list.",
                                {feed.parameter: [f"The only {feed.parameter} is {feed.value}."]})
    if len(asked) > 1:
        names = sorted(feed.parameter for feed, _ in asked)
        raise InvalidChoice(f"Ask for one list at a time, not {' and '.join(names)} together.",
                            {name: [f"Not with {' or '.join(other for other in names if other != name)}."]
                             for name in names})
    return asked[0] if asked else None


def read(parameters: Mapping[str, str], *, default: Callable[..., Page], limit: int, feed_page: bool = False,
         user_id: str | None = None) -> Page:
    """The page of the feed `parameters` choose (with their `cursor`), or of `default`, for the
    viewer `user_id`. Raises InvalidChoice, pettube.dynamo.InvalidCursor, NotSignedIn."""
    cursor = parameters.get("cursor") or None
    chosen_feed = chosen(parameters, feed_page=feed_page)
    if chosen_feed is None:
        return default(cursor=cursor, limit=limit)
    feed, value = chosen_feed
    if not feed.personal:
        return feed.read(value, cursor=cursor, limit=limit)
    if user_id is None:
        raise exceptions.NotSignedIn(f"Sign in to see your {value} list.")
    return feed.read(value, cursor=cursor, limit=limit, user_id=user_id)
