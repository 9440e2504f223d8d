"""Playlists and Watch later: make, rename, describe, delete; add, remove and reorder videos; who
may see them. A playlist keeps video ids, not copies: it shows each video as it is now, to each
viewer as they may see it (a video made private or deleted leaves other people's view at once)."""

import secrets
from dataclasses import replace

from playlists import repository
from playlists.repository import MAX_VIDEOS, Playlist
from pettube import dynamo, exceptions
from videos import services as videos
from videos.domain import PRIVATE, Video

WATCH_LATER_TITLE = "Watch later"


class NotFound(exceptions.NotFound):
    def __init__(self, message: str = "No such playlist."):
        super().__init__(message)


class Forbidden(exceptions.Forbidden):
    def __init__(self, message: str = "Only the playlist's owner can change it."):
        super().__init__(message)


class Full(exceptions.Conflict):
    def __init__(self):
        super().__init__(f"This playlist is full: it holds {MAX_VIDEOS} videos at most.")


class Changed(exceptions.Conflict):
    def __init__(self):
        super().__init__("The playlist changed meanwhile; reload it and try again.")


class Invalid(exceptions.Invalid):
    def __init__(self, field: str, message: str):
        super().__init__(message, {field: [message]})


def watch_later_id(owner_id: str) -> str:
    return f"wl-{owner_id}"


# --- reading ----------------------------------------------------------------------------------


def playlists_of(*, owner_id: str, owner_name: str) -> list[Playlist]:
    """My playlists, Watch later first (made the first time they are listed)."""
    found = repository.of_owner(owner_id)
    if not any(playlist.watch_later for playlist in found):
        found.append(watch_later(owner_id=owner_id, owner_name=owner_name))
    return sorted(found, key=lambda playlist: not playlist.watch_later)


def viewable(*, playlist_id: str, viewer: str | None) -> Playlist:
    """A playlist `viewer` may see: their own, or a public or unlisted one. Raises NotFound."""
    playlist = repository.get(playlist_id)
    if playlist is None or (playlist.visibility == PRIVATE and playlist.owner_id != viewer):
        raise NotFound()
    return playlist


def watch_later(*, owner_id: str, owner_name: str) -> Playlist:
    """My Watch later (made the first time it is asked for)."""
    now = dynamo.now()
    made = Playlist(id=watch_later_id(owner_id), owner_id=owner_id, owner_name=owner_name, title=WATCH_LATER_TITLE,
                    description="", visibility=PRIVATE, created_at=now, updated_at=now, watch_later=True)
    return made if repository.create(made) else repository.get(made.id)


def shown(playlist: Playlist, *, viewer: str | None) -> list[Video]:
    """The playlist's videos that `viewer` may see, in order (consistent BatchGetItems)."""
    found = videos.videos_by_id(video_ids=list(playlist.videos)) if playlist.videos else {}
    return [found[video_id] for video_id in playlist.videos
            if video_id in found and videos.may_see(found[video_id], user_id=viewer)]


# --- changing ---------------------------------------------------------------------------------


def create(*, owner_id: str, owner_name: str, title: str, description: str, visibility: str) -> Playlist:
    now = dynamo.now()
    playlist = Playlist(id=secrets.token_urlsafe(8), owner_id=owner_id, owner_name=owner_name, title=title,
                        description=description, visibility=visibility, created_at=now, updated_at=now)
    repository.create(playlist)
    return playlist


def _own(playlist_id: str, user_id: str) -> Playlist:
    """The playlist if it is `user_id`'s; Forbidden if they may only see it, NotFound otherwise."""
    if playlist_id == watch_later_id(user_id):
        return repository.get(playlist_id) or watch_later(owner_id=user_id, owner_name="")
    playlist = viewable(playlist_id=playlist_id, viewer=user_id)
    if playlist.owner_id != user_id:
        raise Forbidden()
    return playlist


def edit(*, playlist_id: str, user_id: str, order: list[str] | None = None, **fields) -> Playlist:
    """Change any of title, description, visibility, and the order of the videos (`order`: the
    playlist's video ids, each once, in their new order). Raises NotFound, Forbidden, Invalid,
    Changed."""
    playlist = _own(playlist_id, user_id)
    if playlist.watch_later and fields:
        raise Invalid(next(iter(fields)), "Watch later keeps its name and stays private.")
    videos_now = playlist.videos if order is None else _reordered(playlist, order, user_id)
    changed = replace(playlist, **fields, videos=videos_now, updated_at=dynamo.now())
    if not repository.save(playlist, changed):
        raise Changed()
    return changed


def _reordered(playlist: Playlist, order: list[str], owner_id: str) -> tuple[str, ...]:
    """`order` (every video of the playlist its owner can see, once), followed by those they cannot
    see any more (made private by their owners, or deleted), which keep their places at the end.
    Raises Invalid."""
    given = set(order)
    left = [video_id for video_id in playlist.videos if video_id not in given]
    if len(given) != len(order) or not given <= set(playlist.videos) or (
            left and shown(replace(playlist, videos=tuple(left)), viewer=owner_id)):
        raise Invalid("order", "Give each of the playlist's videos once, in their new order.")
    return (*order, *left)


def delete(*, playlist_id: str, user_id: str) -> None:
    playlist = _own(playlist_id, user_id)
    if playlist.watch_later:
        raise Invalid("playlist", "Watch later cannot be deleted; empty it instead.")
    repository.delete(playlist)


def add(*, playlist_id: str, user_id: str, video_id: str) -> bool:
    """Add a video the person may see to the end of their playlist; False when it was there
    already. Raises NotFound (the playlist, or the video), Forbidden, Full."""
    playlist = _own(playlist_id, user_id)
    try:
        videos.visible_video(video_id=video_id, user_id=user_id)
    except videos.NotFound:
        raise videos.NotFound() from None
    if repository.add_video(playlist.id, owner_id=user_id, video_id=video_id, now=dynamo.now()):
        return True
    now = repository.get(playlist.id)
    if now is None:
        raise NotFound()
    if video_id in now.videos:
        return False
    raise Full()


def remove(*, playlist_id: str, user_id: str, video_id: str) -> None:
    """Take a video out of the playlist (not there: nothing to do)."""
    for _ in range(3):
        playlist = _own(playlist_id, user_id)
        if video_id not in playlist.videos:
            return
        without = tuple(kept for kept in playlist.videos if kept != video_id)
        if repository.save(playlist, replace(playlist, videos=without, updated_at=dynamo.now())):
            return
    raise Changed()


def forget_person(*, user_id: str, **_) -> None:
    """A deleted account's playlists go (Watch later too)."""
    repository.delete_all_of(user_id)
