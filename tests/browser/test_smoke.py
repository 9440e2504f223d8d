"""One real-browser smoke test: Debian's Chromium, driven by Playwright, signs in with the dev
login, uploads a generated clip through the upload page straight to the embedded S3, follows
the processing status to the watch page and plays the video. Any console error, uncaught
exception or Content Security Policy violation fails it."""

import logging
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import readable_size, sign_in
from tests.waiting import eventually
from videos import repository, thumbnails

log = logging.getLogger(__name__)

# The upload page polls the status with a back-off of at most 5 s; a 2 s clip is ready in about one.
READY_TIMEOUT_MS = 30_000


def upload(page, site: str, clip, title: str) -> str:
    """Send `clip` through the upload page; the new video's id."""
    page.goto(f"{site}/upload/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("A very good boy.")
    page.get_by_label("Pet").select_option("dog")
    page.get_by_label("Video file").set_input_files(clip)
    with page.expect_response(lambda response: response.url == f"{site}/api/videos/") as started:
        page.get_by_role("button", name="Upload").click()
    assert started.value.status == 201
    return started.value.json()["id"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_upload_and_watch(site, page, problems, make_clip):
    sign_in(page, site, "rex")

    clip = make_clip("short")
    video_id = upload(page, site, clip, "Rex chases the ball")

    expect(page.locator("#upload-bar")).to_have_js_property("value", 100)
    expect(page.get_by_test_id("percent")).to_have_text("100%")
    size = readable_size(clip.stat().st_size)
    expect(page.get_by_test_id("megabytes")).to_have_text(f"{size} of {size}")
    page.wait_for_url(f"{site}/v/{video_id}/", timeout=READY_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Rex chases the ball")).to_be_visible()
    # Said on arrival, or once the encode ends when the page opened on the start of the video.
    expect(page.get_by_test_id("flash")).to_have_text("“Rex chases the ball” is ready and on the feed.",
                                                      timeout=READY_TIMEOUT_MS)

    player = page.locator("video#player")
    player.evaluate("video => { video.muted = true; return video.play(); }")
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.3")
    assert player.evaluate("video => !video.paused && video.error === null")

    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_video_ready_before_its_watch_page_loads_is_still_announced(site, page, problems, make_clip,
                                                                      monkeypatch):
    # The upload page leaves for the watch page once the start is playable. Publishing is held
    # back longer than the page's longest wait between polls, and the watch page's request is
    # held until the video is ready: the page the uploader lands on was never "processing".
    real_candidates = thumbnails.candidates
    monkeypatch.setattr(thumbnails, "candidates", lambda *args, **kwargs: time.sleep(6) or real_candidates(*args, **kwargs))
    left_while, held_in_vain = [], []

    def once_ready(route):
        video_id = route.request.url.rstrip("/").rsplit("/", 1)[1]
        left_while.append(repository.get(video_id).status)
        try:
            eventually(lambda: repository.get(video_id).status == "ready", timeout=READY_TIMEOUT_MS / 1000)
        except AssertionError as late:  # let the page go on; the test fails below, saying why
            log.warning("held the watch page in vain: %s", late)  # shown with the failure of any later step
            held_in_vain.append(str(late))
        route.continue_()

    page.route(re.compile(r".*/v/[A-Za-z0-9_-]{11}/$"), once_ready)
    sign_in(page, site, "rex")

    upload(page, site, make_clip("short"), "Rex naps")

    expect(page.get_by_test_id("flash")).to_have_text("“Rex naps” is ready and on the feed.", timeout=READY_TIMEOUT_MS)
    assert left_while[0] == "processing"
    assert held_in_vain == []
    assert problems == []
