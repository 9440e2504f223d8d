"""`manage.py relist_videos`: give every public ready video the listings it should have (species,
pet pages, search, the owner's profile), for videos published before those existed. Pages
through the feed index (Query, never Scan); each video is re-saved through videos/listings.py.
Idempotent; a video that cannot be saved is reported and the others go on."""

import logging
from dataclasses import replace

from django.core.management.base import BaseCommand

from pettube import dynamo
from videos import listings, services

log = logging.getLogger("pettube.videos")


class Command(BaseCommand):
    help = "Write the species, pet-page and search entries of every public ready video."

    def handle(self, *args, **options):
        relisted, failed, cursor = 0, 0, None
        while True:
            page = services.feed_page(cursor=cursor, limit=100)
            for video in page.items:
                try:
                    listings.change(video.id, lambda current: replace(current, updated_at=dynamo.now()))
                except Exception:
                    log.exception("could not relist", extra={"video_id": video.id})
                    failed += 1
                else:
                    relisted += 1
            cursor = page.next_cursor
            if not cursor:
                break
        self.stdout.write(f"relisted {relisted} videos" + (f", {failed} failed (see the log)" if failed else ""))
