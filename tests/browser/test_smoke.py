"""One real-browser smoke test: Debian's Chromium, driven by Playwright, signs in with the dev
login, uploads a generated clip through the upload page straight to the embedded S3, follows
the processing status to the watch page and plays the video. Any console error, uncaught
exception or Content Security Policy violation fails it."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import readable_size, sign_in

# The upload page polls the status with a back-off of at most 5 s; a 2 s clip is ready in about one.
READY_TIMEOUT_MS = 30_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_upload_and_watch(site, page, problems, make_clip):
    sign_in(page, site, "rex")

    page.goto(f"{site}/upload/")
    page.get_by_label("Title").fill("Rex chases the ball")
    page.get_by_label("Description").fill("A very good boy.")
    page.get_by_label("Pet").select_option("dog")
    clip = make_clip("short")
    page.get_by_label("Video file").set_input_files(clip)
    with page.expect_response(lambda response: response.url == f"{site}/api/videos/") as started:
        page.get_by_role("button", name="Upload").click()
    assert started.value.status == 201
    video_id = started.value.json()["id"]

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
