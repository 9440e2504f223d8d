"""What shorts plugs into videos' seams (`register`, from shorts/apps.py): its `Listing`, the
entries of a short in the shorts feeds, written and removed in the video's own transaction."""

from shorts import services
from videos import listings


def register() -> None:
    listings.register(listings.Listing(name="shorts", entries=services.entries))
