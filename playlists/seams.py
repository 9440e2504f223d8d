"""What playlists plugs into videos' seams (`register`, from playlists/apps.py): forgetting a
deleted account's playlists (videos/signals.py). A deleted or private video needs nothing here:
playlists keep ids and show each video as it is now."""

from pettube import lazy
from videos import signals

services = lazy.module("playlists.services")


def _forget_person(**arguments) -> None:
    services.forget_person(**arguments)


def register() -> None:
    signals.account_deleted.connect(_forget_person, dispatch_uid="playlists.forget_person")
