"""The feed's first screen weighs at most 150 KB with its images, on a phone and on a desktop
(issue 23): everything the browser fetches for `/` until the network is idle, without scrolling
(the page, its style sheet and scripts, and each card picture it chooses from the `srcset`),
counted as transferred: each response's headers and body.

Twelve cards, each its own objects: one clip with the detail of a phone's video goes through the
real worker, and eleven more videos get copies of its pictures under their own keys (so each card
is a URL of its own, fetched once more).

Measured 2026-12-02 (Debian's Chromium; docs/STREAMING.md, "Posters and cards"): the phone
(390x844, DPR 3) 125.2 KB: the page 23.8 KB, site.css 20.1 KB, site.js 3.8 KB and 7 of the 480 px
cards (12.3 KB each: lazy images start 1250 px below the screen); the desktop (1280x800) 133.8 KB:
the same page and all 12 of the 320 px cards (6.6 KB each). When the cards offered the poster, the
phone took 466.0 KB; with a 640 px copy, 174.7 KB."""

import logging
import re
from datetime import timedelta

import pytest
from django.conf import settings

from pettube import aws as aws_clients
from tests import factories
from tests.browser.conftest import REPORT_CSP_VIOLATIONS
from tests.browser.helpers import DESKTOP, PHONE
from tests.browser.test_streaming import wait_until_processed
from videos import listings, repository, storage
from videos.domain import Rendition, Video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

log = logging.getLogger(__name__)

BUDGET = 150_000  # bytes: 150 KB
CARDS = 12
PHONE_SCREEN = {"viewport": PHONE, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DESKTOP_SCREEN = {"viewport": DESKTOP}


def test_the_feeds_first_screen_weighs_at_most_150_kb_on_a_phone_and_a_desktop(site, browser, make_clip):
    original, _ = factories.uploaded(make_clip("detailed"), title="Rex in the garden")
    processed = wait_until_processed(original.id)
    assert processed.status == "ready" and processed.wide_card_key
    for number in range(1, CARDS):
        copy_of(processed, title=f"Rex in the garden, take {number + 1}")

    phone = first_screen(browser, f"{site}/", **PHONE_SCREEN)
    desktop = first_screen(browser, f"{site}/", **DESKTOP_SCREEN)

    for name, loaded, wide in (("phone", phone, True), ("desktop", desktop, False)):
        log.warning("first screen, %s: %s", name, summary(loaded))
        print(f"first screen, {name}: {summary(loaded)}")
        pictures = [url for url, kind, _ in loaded if kind == "image" and "/media/" in url]
        card = rf"/card-\d-{processed.wide_card_width}\.webp\?" if wide else r"/card-\d\.webp\?"
        assert pictures and all(re.search(card, url) for url in pictures), (name, pictures)
        assert sum(size for _, _, size in loaded) <= BUDGET, (name, summary(loaded))


def first_screen(browser, url: str, **screen) -> list[tuple[str, str, int]]:
    """What a new browser context of `screen` fetches for `url` until the network is idle, having
    scrolled nothing: (URL, resource type, bytes transferred: the response's headers and body)
    of each request. Fails on a console error, and unless every picture on the screen is shown."""
    context = browser.new_context(**screen)
    try:
        page = context.new_page()
        problems, finished = [], []
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda failure: problems.append(f"uncaught: {failure}"))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.on("requestfinished", lambda request: finished.append(request))
        page.add_init_script(REPORT_CSP_VIOLATIONS)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        on_screen = page.evaluate("""() => [...document.querySelectorAll('.thumb img')]
            .filter(img => img.getBoundingClientRect().top < innerHeight)
            .map(img => img.complete && img.naturalWidth > 0)""")
        assert on_screen and all(on_screen), on_screen
        assert problems == []
        loaded = []
        for request in finished:
            sizes = request.sizes()
            transferred = sizes["responseHeadersSize"] + sizes["responseBodySize"]  # 0 from the memory cache
            loaded.append((request.url, request.resource_type, max(0, transferred)))
        return loaded
    finally:
        context.close()


def summary(loaded: list[tuple[str, str, int]]) -> str:
    """The total and each resource type's share, e.g. `total 98.2 KB: document 1 (20.1 KB), ...`."""
    kinds: dict[str, list[int]] = {}
    for _, kind, size in loaded:
        kinds.setdefault(kind, []).append(size)
    shares = ", ".join(f"{kind} {len(sizes)} ({sum(sizes) / 1000:.1f} KB)" for kind, sizes in sorted(kinds.items()))
    return f"total {sum(size for _, _, size in loaded) / 1000:.1f} KB: {shares}"


def copy_of(original: Video, *, title: str) -> Video:
    """A public ready video whose pictures are copies (in S3) of `original`'s, under its own keys."""
    video = factories.start_upload(original.owner_id, title=title).video
    repository.claim(video.id, lease=timedelta(minutes=5))
    copied = {}
    for key in (original.poster_key, original.card_key, original.wide_card_key):
        copied[key] = storage.media_key(video.id, key.rsplit("/", 1)[-1])
        aws_clients.client("s3").copy_object(Bucket=settings.PETTUBE_BUCKET, Key=copied[key],
                                             CopySource={"Bucket": settings.PETTUBE_BUCKET, "Key": key})
    return listings.mark_ready(video.id, rendition=Rendition(
        duration=original.duration, width=original.width, height=original.height, source_size=original.source_size,
        video_size=original.video_size, poster_size=original.poster_size,
        video_key=storage.media_key(video.id, "video.mp4"), poster_key=copied[original.poster_key],
        card_key=copied[original.card_key], thumbnails=original.thumbnails, wide_card_width=original.wide_card_width,
    ))
