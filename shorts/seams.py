"""What shorts plugs into videos' seams (`register`, from shorts/apps.py): its `Listing`, the
entries of a short in the shorts feeds, written and removed in the video's own transaction."""

from pettube import lazy
from videos import listings

services = lazy.module("shorts.services")


def register() -> None:
    listings.register(listings.Listing(name="shorts", entries=lambda *args: services.entries(*args)))
