"""axe-core (pinned from the npm registry) on every page, in the states people meet them, at a
desktop's and a phone's width: no serious or critical violation. The same walk saves the
screenshots the README shows (docs/screenshots/)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import DESKTOP, PHONE, axe_violations, sign_in
from videos import processing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def lola(aws, make_clip):
    """A person with two ready videos, a failed one and an interrupted large upload, made before
    the browser starts (the ORM refuses to run inside Playwright's event loop)."""
    person = get_user_model().objects.create_user(username="lola")
    owner = str(person.pk)
    videos = {}
    for title, clip in (("Biscuit meets the vacuum", "landscape"), ("Lola naps in the sun", "portrait")):
        videos[title], key = factories.uploaded(make_clip(clip), owner, title=title)
        processing.ingest_upload(key=key)
    _, key = factories.uploaded(make_clip("html"), owner, title="Not a video")
    processing.ingest_upload(key=key)
    factories.start_upload(owner, title="The long walk", size=50_000_000)
    return person, videos


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_passes_axe_and_is_photographed(lola, site_without_worker, open_page, problems, axe_source,
                                                   make_clip, viewport):
    person, videos = lola
    site = site_without_worker
    device = "desktop" if viewport is DESKTOP else "phone"
    page = open_page(viewport)
    found = {}

    def check(state: str, screenshot: str | None = None) -> None:
        page.wait_for_load_state("load")
        found[state] = axe_violations(page, axe_source)
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{screenshot}-{device}.png", full_page=device == "desktop")

    page.goto(f"{site}/")
    check("feed, signed out", "feed")
    page.goto(f"{site}/login/")
    check("sign in")
    page.get_by_label("Username").fill("no spaces allowed")
    page.get_by_role("button", name="Sign in").click()
    check("sign in, refused")
    sign_in(page, site, "lola")
    page.goto(f"{site}/v/{videos['Biscuit meets the vacuum'].id}/")
    check("watch, owner", "watch")
    page.get_by_role("button", name="Delete").click()
    check("watch, delete dialog")
    page.keyboard.press("Escape")
    page.goto(f"{site}/u/{person.pk}/")
    check("profile")
    page.goto(f"{site}/me/")
    check("my videos", "my-videos")
    page.goto(f"{site}/upload/")
    check("upload", "upload")
    page.get_by_role("button", name="Upload").click()
    check("upload, errors", "upload-errors")
    page.get_by_label("Title").fill("Rex and the ball")
    page.get_by_label("Video file").set_input_files(make_clip("short"))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("phase")).to_have_text("Uploaded. Processing…")
    check("upload, processing", "upload-processing")
    page.goto(f"{site}/v/AAAAAAAAAAA/")
    check("not found")

    assert {state: rules for state, rules in found.items() if rules} == {}
    assert len(found) == 11
    assert [text for text in problems if "/accounts/dev-login/" not in text and "404" not in text] == []
