"""What a person's page of a video reads with the video, in the same DynamoDB round trip
(videos/services.py's `viewing`): whether they like it, their unseen count, whatever other apps
register (an `Along`, from their seams.py; videos imports none of them)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Along:
    """One value read along with the video for its viewer, by `name`. `ids(video_id, user_id)`:
    the items to read for a signed-in viewer; `read(found, video_id, user_id)`: the value, from
    those of them that exist (by id; the registering app's repository reads them);
    `signed_out`: the value for someone signed out."""

    name: str
    ids: Callable[[str, str], list[str]]
    read: Callable[[dict[str, dict], str, str], object]
    signed_out: object = None


_alongs: dict[str, Along] = {}


def register(along: Along) -> None:
    _alongs[along.name] = along


def registered() -> list[Along]:
    return list(_alongs.values())
