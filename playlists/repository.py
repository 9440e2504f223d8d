"""The only code that talks to DynamoDB about playlists. Their items in the shared table
(pettube/dynamo.py has the key scheme and the indexes):

- `playlist#<playlist id>`: one playlist, whole: `playlist_owner`, `title`, `description`,
  `visibility`, `created_at`, `updated_at` and `videos`, the list of its video ids in order (at
  most 200: about 2.5 KB, so a playlist is one GetItem and every change one conditional write).
  GSI `playlists-of` (`playlist_owner`, `created_at`) lists a person's playlists.
- Watch later is a playlist like the others, private, with the id `wl-<user id>` (made the first
  time it is used) and `watch_later = 1`.
Adding is one UpdateItem whose condition refuses a full list, a video already there and anyone
but the owner; removing and reordering are conditioned on `updated_at` as read, which every write
changes, so two edits never lose one another. Videos are not copied: a playlist shows them as
they are now (a video made private or deleted leaves other people's view at once).
"""

from dataclasses import dataclass, field
from datetime import datetime

from pettube import dynamo

MAX_VIDEOS = 200


@dataclass(frozen=True)
class Playlist:
    id: str
    owner_id: str
    owner_name: str
    title: str
    description: str
    visibility: str
    created_at: datetime
    updated_at: datetime
    videos: tuple[str, ...] = field(default=())
    watch_later: bool = False


def _key(playlist_id: str) -> dict:
    return dynamo.key(f"playlist#{playlist_id}")


def _to_item(playlist: Playlist) -> dict:
    item = {
        **_key(playlist.id),
        "playlist_owner": dynamo.s(playlist.owner_id),
        "owner_name": dynamo.s(playlist.owner_name),
        "title": dynamo.s(playlist.title),
        "description": dynamo.s(playlist.description),
        "visibility": dynamo.s(playlist.visibility),
        "created_at": dynamo.s(dynamo.stamp(playlist.created_at)),
        "updated_at": dynamo.s(dynamo.stamp(playlist.updated_at)),
        "videos": {"L": [dynamo.s(video_id) for video_id in playlist.videos]},
    }
    if playlist.watch_later:
        item["watch_later"] = dynamo.n(1)
    return item


def _from_item(item: dict) -> Playlist:
    return Playlist(
        id=item["id"]["S"].removeprefix("playlist#"),
        owner_id=item["playlist_owner"]["S"],
        owner_name=item["owner_name"]["S"],
        title=item["title"]["S"],
        description=item["description"]["S"],
        visibility=item["visibility"]["S"],
        created_at=dynamo.parse_stamp(item["created_at"]["S"]),
        updated_at=dynamo.parse_stamp(item["updated_at"]["S"]),
        videos=tuple(value["S"] for value in item.get("videos", {}).get("L", [])),
        watch_later="watch_later" in item,
    )


def get(playlist_id: str) -> Playlist | None:
    item = dynamo.get(f"playlist#{playlist_id}")
    return _from_item(item) if item else None


def of_owner(owner_id: str) -> list[Playlist]:
    """`owner_id`'s playlists, oldest first (every page)."""
    items = dynamo.query_all("playlists-of", "playlist_owner = :o", {":o": dynamo.s(owner_id)}, newest_first=False)
    return [_from_item(item) for item in items]


def create(playlist: Playlist) -> bool:
    """Write a new playlist; False when one with its id exists (Watch later, made already)."""
    return dynamo.put_item(Item=_to_item(playlist), ConditionExpression="attribute_not_exists(id)")


def save(old: Playlist, new: Playlist) -> bool:
    """Replace `old` with `new` if nobody changed it since `old` was read; False otherwise."""
    return dynamo.put_item(Item=_to_item(new), ConditionExpression="updated_at = :was",
                           ExpressionAttributeValues={":was": dynamo.s(dynamo.stamp(old.updated_at))})


def add_video(playlist_id: str, *, owner_id: str, video_id: str, now: datetime) -> bool:
    """Append `video_id` if the playlist is `owner_id`'s, not full and without it; False otherwise."""
    return dynamo.update_item(
        Key=_key(playlist_id),
        ConditionExpression="playlist_owner = :o AND size(videos) < :max AND NOT contains(videos, :v)",
        UpdateExpression="SET videos = list_append(videos, :list), updated_at = :now",
        ExpressionAttributeValues={":o": dynamo.s(owner_id), ":max": dynamo.n(MAX_VIDEOS), ":v": dynamo.s(video_id),
                                   ":list": {"L": [dynamo.s(video_id)]}, ":now": dynamo.s(dynamo.stamp(now))},
    ) is not None


def delete(playlist: Playlist) -> bool:
    return dynamo.delete_item(Key=_key(playlist.id), ConditionExpression="playlist_owner = :o",
                              ExpressionAttributeValues={":o": dynamo.s(playlist.owner_id)})


def delete_all_of(owner_id: str) -> None:
    items = dynamo.query_all("playlists-of", "playlist_owner = :o", {":o": dynamo.s(owner_id)}, projection="id")
    dynamo.delete_many([item["id"]["S"] for item in items])
