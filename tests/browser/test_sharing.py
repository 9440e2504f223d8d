"""Watching and sharing in Chromium: up next and "autoplay next", the embed page framed by another
origin (and the watch page refused there), the Share dialog, the phone header; axe-core on each
new page and dialog at a desktop's and a phone's width."""

import functools
import http.server
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import DESKTOP, PHONE, axe_violations, sign_in
from videos import processing, services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def nina(aws, make_clip):
    """Nina's pet Rex in two ready videos (the older one is the newer one's first "up next"), and
    someone else's dog video. Made before the browser starts (the ORM refuses Playwright's loop)."""
    person = get_user_model().objects.create_user(username="nina")
    owner = str(person.pk)
    rex = factories.pet(owner, name="Rex", species="dog")
    made = {}
    for owner_id, title in ((owner, "Rex at the beach"), ("99", "Another dog"), (owner, "Rex and the ball")):
        video, key = factories.uploaded(make_clip("short"), owner_id, title=title)
        processing.ingest_upload(key=key)
        if title.startswith("Rex"):
            services.edit_video(video_id=video.id, user_id=owner, pets=[rex.id])
        made[title] = video
    return made


@pytest.fixture
def other_origin(tmp_path):
    """A second local web server (another origin) serving the pages `host(name, html)` writes."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def host(name: str, html: str) -> str:
        (tmp_path / name).write_text(html)
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield host
    server.shutdown()
    server.server_close()


def play_to_the_end(page) -> None:
    page.locator("video#player").evaluate(
        """video => new Promise(resolve => {
             const start = () => { video.muted = true; video.currentTime = Math.max(0, video.duration - 0.4);
                                   video.play(); };
             video.addEventListener("ended", resolve, {once: true});
             if (video.readyState >= 1) start(); else video.addEventListener("loadedmetadata", start, {once: true});
           })"""
    )


def test_up_next_lists_related_videos_and_autoplay_next_goes_to_the_first(nina, site_without_worker, page,
                                                                          problems, axe_source):
    site = site_without_worker
    beach, ball = nina["Rex at the beach"], nina["Rex and the ball"]
    page.goto(f"{site}/v/{ball.id}/")

    up_next = page.get_by_role("region", name="Up next")
    links = up_next.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.first).to_have_attribute("href", f"/v/{beach.id}/")  # the same pet first
    expect(links.first).to_contain_text("Rex at the beach")
    expect(links.nth(1)).to_contain_text("Another dog")  # then the same species
    switch = up_next.get_by_role("switch", name="Autoplay next")
    expect(switch).not_to_be_checked()  # off by default

    play_to_the_end(page)  # off: the page stays
    assert page.url == f"{site}/v/{ball.id}/"

    switch.check()
    page.reload()
    expect(page.get_by_role("switch", name="Autoplay next")).to_be_checked()  # remembered
    assert axe_violations(page, axe_source) == []
    play_to_the_end(page)
    page.wait_for_url(f"{site}/v/{beach.id}/")
    expect(page.get_by_role("heading", name="Rex at the beach", level=1)).to_be_visible()
    assert problems == []


def test_the_embed_page_plays_in_another_sites_frame_and_the_watch_page_is_refused(
    nina, site_without_worker, open_page, other_origin, problems, axe_source, settings
):
    site, video = site_without_worker, nina["Rex and the ball"]
    settings.PETTUBE_VIEW_SECONDS = 1
    host = other_origin("host.html", f"""<!doctype html><html lang="en"><head><title>A blog</title><link rel="icon" href="data:,"></head><body>
      <h1>My blog</h1>
      <iframe id="embed" title="Embedded video" src="{site}/embed/{video.id}/" width="640" height="360"></iframe>
      <iframe id="watch" title="Framed watch page" src="{site}/v/{video.id}/" width="640" height="360"></iframe>
      </body></html>""")
    page = open_page(DESKTOP)  # a fresh context: no cookie of the site
    with page.expect_response(f"{site}/v/{video.id}/") as watch:
        page.goto(host)
    assert watch.value.headers["x-frame-options"] == "DENY"

    embed = page.frame_locator("#embed")
    expect(embed.get_by_role("link", name="Rex and the ball")).to_have_attribute("href", f"{site}/v/{video.id}/")
    with page.expect_response(f"{site}/api/videos/{video.id}/views/") as view:
        embed.locator("video#player").evaluate("video => { video.muted = true; return video.play(); }")
    assert view.value.json() == {"counted": True}  # counted from a frame of another site, without cookies
    embedded = page.locator("#embed").element_handle().content_frame()
    assert embedded.evaluate("() => document.cookie") == ""
    refused = page.locator("#watch").element_handle().content_frame()
    assert refused.url == "chrome-error://chromewebdata/"  # Chromium showed its error page instead
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box = embedded.locator("video#player").bounding_box()
    assert (box["width"], box["height"]) == (640, 360)  # the player fills the frame
    embedded.locator("video#player").evaluate("video => { video.pause(); video.currentTime = 1; }")
    page.locator("#embed").screenshot(path=SCREENSHOTS / "embed-desktop.png")

    refusals = [text for text in problems if "frame-ancestors 'none'" in text]
    assert len(refusals) == 1  # the watch page's, not the embed page's
    assert [text for text in problems if text not in refusals] == []

    for viewport in (DESKTOP, PHONE):
        alone = open_page(viewport)
        alone.goto(f"{site}/embed/{video.id}/")
        assert axe_violations(alone, axe_source) == [], viewport


def test_the_share_dialog_copies_the_link_from_the_current_time_and_the_embed_code(
    nina, site_without_worker, open_page, problems, axe_source
):
    site, video = site_without_worker, nina["Rex and the ball"]
    for viewport, device in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = open_page(viewport)
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
        page.goto(f"{site}/v/{video.id}/")
        share = page.get_by_role("button", name="Share")
        share.click()
        dialog = page.get_by_role("dialog", name="Share “Rex and the ball”")
        expect(dialog).to_be_visible()
        link = dialog.get_by_label("Link")
        expect(link).to_have_value(f"{site}/v/{video.id}/")
        expect(dialog.get_by_label("Start at 0:00")).to_be_disabled()  # nothing played yet
        assert axe_violations(page, axe_source) == [], device
        if device == "desktop":
            page.screenshot(path=SCREENSHOTS / "share-dialog-desktop.png")

        dialog.get_by_role("button", name="Copy link").click()
        expect(dialog.get_by_test_id("share-status")).to_have_text("Link copied.")
        assert page.evaluate("() => navigator.clipboard.readText()") == f"{site}/v/{video.id}/"
        dialog.get_by_role("button", name="Copy embed code").click()
        expect(dialog.get_by_test_id("share-status")).to_have_text("Embed code copied.")
        assert page.evaluate("() => navigator.clipboard.readText()").startswith(
            f'<iframe src="{site}/embed/{video.id}/" width="640" height="360"')
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(share).to_be_focused()  # back where the viewer was

        page.locator("video#player").evaluate(
            """video => new Promise(resolve => { const go = () => { video.currentTime = 1.2;
                 video.addEventListener("seeked", resolve, {once: true}); };
                 video.readyState >= 1 ? go() : video.addEventListener("loadedmetadata", go, {once: true}); })""")
        share.click()
        start = dialog.get_by_label("Start at 0:01")
        expect(start).to_be_enabled()
        start.check()
        expect(link).to_have_value(f"{site}/v/{video.id}/?t=1")
        dialog.get_by_role("button", name="Copy link").click()
        expect(dialog.get_by_test_id("share-status")).to_have_text("Link copied.")
        assert page.evaluate("() => navigator.clipboard.readText()") == f"{site}/v/{video.id}/?t=1"
        start.uncheck()
        expect(link).to_have_value(f"{site}/v/{video.id}/")
        dialog.get_by_role("button", name="Close").click()
        expect(dialog).to_be_hidden()
    assert problems == []


def test_the_phone_header_opens_search_and_the_account_menu(nina, site_without_worker, open_page, problems,
                                                           axe_source):
    site = site_without_worker
    page = open_page(PHONE)
    sign_in(page, site, "nina")
    page.goto(f"{site}/")
    header = page.locator("header.top")
    assert header.bounding_box()["height"] <= 60
    search_button = header.get_by_role("button", name="Search")
    menu_button = header.get_by_role("button", name="Account")
    field = header.get_by_role("searchbox", name="Search")
    for target in (search_button, menu_button, header.get_by_role("link", name="Upload")):
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    expect(field).to_be_hidden()
    expect(header.get_by_role("link", name="My videos")).to_be_hidden()

    search_button.click()
    expect(search_button).to_have_attribute("aria-expanded", "true")
    expect(field).to_be_focused()
    assert field.bounding_box()["width"] >= 300  # the whole width, not three letters
    assert axe_violations(page, axe_source) == []
    page.keyboard.press("Escape")
    expect(field).to_be_hidden()
    expect(search_button).to_be_focused()

    page.keyboard.press("Tab")  # Shorts
    page.keyboard.press("Tab")  # Upload
    page.keyboard.press("Tab")
    expect(menu_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(header.get_by_role("link", name="Following")).to_be_focused()  # the menu's first link
    my_videos = header.get_by_role("link", name="My videos")
    for name, role in (("Following", "link"), ("My videos", "link"), ("My pets", "link"), ("Sign out", "button")):
        box = header.get_by_role(role, name=name, exact=True).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 150, (name, box)
    expect(header.get_by_test_id("signed-in-as")).to_be_visible()
    assert axe_violations(page, axe_source) == []
    page.keyboard.press("Escape")
    expect(my_videos).to_be_hidden()
    expect(menu_button).to_be_focused()

    menu_button.click()
    page.mouse.click(20, 700)  # a click elsewhere closes it
    expect(my_videos).to_be_hidden()
    menu_button.click()
    header.get_by_role("link", name="My pets").click()
    page.wait_for_url(f"{site}/pets/")

    search_button.click()
    field.fill("beach")
    field.press("Enter")
    page.wait_for_url(f"{site}/search/?q=beach")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    desktop = open_page(DESKTOP)
    sign_in(desktop, site, "nina")
    desktop_header = desktop.locator("header.top")
    expect(desktop_header.get_by_role("button", name="Account")).to_be_hidden()
    expect(desktop_header.get_by_role("button", name="Search")).to_be_hidden()
    expect(desktop_header.get_by_role("link", name="My videos")).to_be_visible()
    expect(desktop_header.get_by_role("searchbox", name="Search")).to_be_visible()
    assert problems == []
