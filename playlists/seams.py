"""What playlists plugs into videos' seams (`register`, from playlists/apps.py): forgetting a
deleted account's playlists (videos/signals.py). A deleted or private video needs nothing here:
playlists keep ids and show each video as it is now."""

from playlists import services
from videos import signals


def register() -> None:
    signals.account_deleted.connect(services.forget_person, dispatch_uid="playlists.forget_person")
