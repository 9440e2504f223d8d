"""`manage.py relist_videos`: give every public ready video the listings it should have (species,
pet pages, search, the owner's profile), for videos published before those existed. Pages
through the feed index (Query, never Scan); each video is re-saved through videos/listings.py.
Idempotent."""

from dataclasses import replace

from django.core.management.base import BaseCommand

from pettube import dynamo
from videos import listings, services


class Command(BaseCommand):
    help = "Write the species, pet-page and search entries of every public ready video."

    def handle(self, *args, **options):
        relisted, cursor = 0, None
        while True:
            page = services.feed_page(cursor=cursor, limit=100)
            for video in page.items:
                listings.change(video.id, lambda current: replace(current, updated_at=dynamo.now()))
                relisted += 1
            cursor = page.next_cursor
            if not cursor:
                break
        self.stdout.write(f"relisted {relisted} videos")
