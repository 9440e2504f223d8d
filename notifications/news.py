"""New videos that reach people without a write for each of them: those of the famous accounts
they follow, which are fanned out to nobody (docs/FOLLOWING.md). The app that knows them
registers a `Source` from its AppConfig.ready(); the unseen count and the daily digest read them
through it, and notifications imports none of those apps."""

from collections.abc import Callable
from dataclasses import dataclass

from videos.domain import Video


@dataclass(frozen=True)
class Source:
    """`ids(user_id)`: the items the unseen count reads with the person's own (in the same
    BatchGetItem); `since(found, user_id, stamp)`: the videos new to them published at or after
    `stamp`, from those of the items that exist (by id); `of_day(day, user_ids)`: each person's
    new videos of `day` (YYYY-MM-DD, UTC) for the digest, by person."""

    name: str
    ids: Callable[[str], list[str]]
    since: Callable[[dict[str, dict], str, str], list[Video]]
    of_day: Callable[[str, list[str]], dict[str, list[Video]]]


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.name] = source


def registered() -> list[Source]:
    return list(_sources.values())
