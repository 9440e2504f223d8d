"""The interface tells the truth, in a real Chromium: each check is one of the problems found when
the site was tried as a new user would (issue 10), seen as that user sees it."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import PHONE, sign_in, wait_until
from videos import api, processing
from videos.presenters import video_json

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lola():
    """A person with a ready, a failed and an interrupted large upload (made before the browser
    starts: the ORM refuses to run inside Playwright's event loop)."""
    return get_user_model().objects.create_user(username="lola")


@pytest.fixture
def lolas_videos(lola, aws, make_clip):
    owner = str(lola.pk)
    ready, key = factories.uploaded(make_clip("small"), owner, title="Lola naps")
    processing.ingest_upload(key=key)
    failed, key = factories.uploaded(make_clip("html"), owner, title="Not a video")
    processing.ingest_upload(key=key)
    interrupted = factories.start_upload(owner, title="The long walk", size=50_000_000).video
    return {"ready": ready, "failed": failed, "uploading": interrupted}


def upload(page, site: str, path, title: str = "Biscuit") -> str:
    page.goto(f"{site}/upload/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Video file").set_input_files(path)
    with page.expect_response(f"{site}/api/videos/") as started:
        page.get_by_role("button", name="Upload").click()
    return started.value.json()["id"]


def test_a_failed_upload_says_so_and_nothing_else(lola, site, page, problems, make_clip):
    sign_in(page, site, "lola")

    upload(page, site, make_clip("html"))

    expect(page.get_by_test_id("phase")).to_have_text("This video could not be processed", timeout=30_000)
    expect(page.get_by_test_id("failure")).to_contain_text("not a video")
    shown = page.locator("#progress").inner_text()
    assert "100%" not in shown and "Processing" not in shown and "MB" not in shown
    expect(page.get_by_label("Title")).to_be_enabled()
    expect(page.get_by_role("button", name="Upload")).to_be_visible()
    assert problems == []


def test_processing_shows_time_progress_and_that_one_may_leave(lola, site_without_worker, page, problems, make_clip,
                                                              monkeypatch):
    monkeypatch.setattr(api, "video_json", lambda video, **kwargs: video_json(video, **kwargs) | {"progress": 42})  # as issue 9 sends it
    site = site_without_worker
    sign_in(page, site, "lola")

    upload(page, site, make_clip("short"))

    expect(page.get_by_test_id("phase")).to_have_text("Uploaded. Processing…")
    expect(page.get_by_test_id("announcer")).to_have_text("Upload complete. The video is being processed.")
    expect(page.get_by_test_id("elapsed")).to_have_text("Processing for 2 s · 42% done", timeout=5_000)
    expect(page.locator("#processing-bar")).to_have_js_property("value", 42)
    expect(page.get_by_test_id("processing")).to_contain_text("You can leave this page")
    expect(page.get_by_test_id("processing").get_by_role("link", name="My videos")).to_be_visible()
    for field in ("Title", "Description (optional)", "Pet", "Video file"):
        expect(page.get_by_label(field)).to_be_disabled()
    expect(page.get_by_role("button", name="Upload")).to_be_hidden()
    expect(page.get_by_role("progressbar", name="Processing progress")).to_be_visible()
    assert "100%" not in page.locator("#progress").inner_text()
    assert problems == []


def test_form_errors_are_plain_next_to_their_fields_all_at_once_and_checked_here_first(
    lola, live_server, aws, settings, page, problems, make_clip, tmp_path
):
    settings.PETTUBE_MAX_UPLOAD_BYTES = 100_000
    site = live_server.url
    sign_in(page, site, "lola")
    page.goto(f"{site}/upload/")
    asked = []
    page.on("request", lambda request: "/api/videos/" in request.url and asked.append(request.url))

    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_have_accessible_description("Give your video a title.")
    expect(page.get_by_label("Video file")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#file-error")).to_have_text("Choose a video file.")
    expect(page.get_by_label("Title")).to_be_focused()

    notes = tmp_path / "notes.txt"
    notes.write_text("not a video")
    page.get_by_label("Title").fill("Biscuit")
    page.get_by_label("Video file").set_input_files(notes)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#file-error")).to_have_text(
        "“notes.txt” is not a video. Choose a video file (MP4, MOV, WebM…)."
    )
    expect(page.locator("#title-error")).to_be_hidden()
    expect(page.get_by_label("Title")).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Video file")).to_be_focused()

    page.get_by_label("Video file").set_input_files(make_clip("landscape"))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#file-error")).to_contain_text("larger than the limit of 100 KB")
    assert asked == []
    assert problems == []


def test_the_watch_page_of_an_unfinished_video_says_where_it_is(lola, lolas_videos, live_server, page, problems):
    sign_in(page, live_server.url, "lola")

    page.goto(f"{live_server.url}/v/{lolas_videos['uploading'].id}/")

    expect(page.get_by_test_id("status")).to_have_text("This video is still uploading.")
    page.goto(f"{live_server.url}/v/{lolas_videos['failed'].id}/")
    expect(page.get_by_test_id("status")).to_contain_text("This video could not be processed: ")
    assert problems == []


def test_the_phone_header_is_one_short_row_with_finger_sized_targets(lola, live_server, aws, open_page, problems):
    page = open_page(PHONE)
    sign_in(page, live_server.url, "lola")

    for path in ("/", "/upload/", "/me/"):
        page.goto(f"{live_server.url}{path}")
        header = page.locator("header.top")
        assert header.bounding_box()["height"] <= 60
        assert header.evaluate("element => getComputedStyle(element).position") != "sticky"
        for name, role in (("Upload", "link"), ("Account", "button"), ("My videos", "link"), ("Sign out", "button")):
            if name == "My videos":  # on a phone, the account links are in the Account menu
                page.get_by_role("button", name="Account").click()
            box = page.get_by_role(role, name=name, exact=True).bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, (name, box)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert problems == []


def test_screen_readers_get_names_announcements_and_heading_levels(
    lola, lolas_videos, live_server, page, problems
):
    site = live_server.url
    sign_in(page, site, "lola")

    page.goto(f"{site}/upload/")  # the progress bars' names: see the upload tests
    expect(page.locator("[data-testid=announcer]")).to_have_attribute("role", "status")
    page.goto(f"{site}/v/{lolas_videos['ready'].id}/")
    expect(page.locator("video")).to_have_accessible_name("Lola naps")
    for path in ("/", f"/u/{lola.pk}/", "/me/"):
        page.goto(f"{site}{path}")
        levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))")
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path, levels)
    assert problems == []


def test_delete_asks_in_a_dialog_and_confirms(lola, lolas_videos, live_server, page, problems):
    site = live_server.url
    sign_in(page, site, "lola")
    browser_dialogs = []
    page.on("dialog", lambda dialog: browser_dialogs.append(dialog.type))
    page.goto(f"{site}/me/")
    row = page.locator(f"tr[data-video-id='{lolas_videos['failed'].id}']")

    row.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog", name="Delete this video?")
    expect(dialog).to_contain_text("“Not a video” and its files will be deleted for good.")
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_be_hidden()
    expect(row).to_be_visible()
    row.get_by_role("button", name="Delete").click()
    dialog.get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
    expect(page.get_by_test_id("flash")).to_have_text("“Not a video” was deleted.")

    page.goto(f"{site}/v/{lolas_videos['ready'].id}/")
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    page.wait_for_url(f"{site}/me/")
    expect(page.get_by_test_id("flash")).to_have_text("“Lola naps” was deleted.")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_test_id("flash")).to_have_text("You are signed out.")
    assert browser_dialogs == []
    assert problems == []


def test_a_video_deleted_while_its_player_starts_is_asked_for_no_more(lola, lolas_videos, live_server, page, problems):
    """On a slow line (CI, under load) the owner can delete a video while its player is still
    reading the master playlist. The player is then built without asking for the video's other
    files: deleted, each came back 404 (and Plyr threw on the missing storyboard)."""
    site = live_server.url
    video_id = lolas_videos["ready"].id
    sign_in(page, site, "lola")
    late = {}  # the answers of the master playlist and of the delete, held back
    page.route(f"**/v/{video_id}/hls/master.m3u8", lambda route: late.setdefault("master", (route, route.fetch())))
    page.route(f"**/api/videos/{video_id}/", lambda route: late.setdefault("delete", (route, route.fetch()))
               if route.request.method == "DELETE" else route.continue_())
    page.goto(f"{site}/v/{video_id}/")
    wait_until(page, lambda: "master" in late, after=None, what="the master playlist held")
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    wait_until(page, lambda: "delete" in late, after=None, what="the delete held")  # the video is gone

    asked = []
    page.on("request", lambda request: f"/v/{video_id}/" in request.url and asked.append(request.url))
    route, answer = late["master"]
    route.fulfill(response=answer)
    page.wait_for_function("() => document.getElementById('player').player")  # built
    page.wait_for_timeout(500)
    route, answer = late["delete"]
    route.fulfill(response=answer)
    page.wait_for_url(f"{site}/me/")
    assert asked == []
    assert problems == []


def test_small_things(lola, lolas_videos, live_server, page, problems):
    site = live_server.url
    page.goto(f"{site}/login/")
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_have_count(0)
    page.get_by_label("Username").fill("<no spaces>")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("username-error")).to_contain_text("Enter a valid username")
    assert page.locator("ul.errorlist").count() == 0

    sign_in(page, site, "lola")
    page.goto(f"{site}/me/")
    failed_row = page.locator(f"tr[data-video-id='{lolas_videos['failed'].id}']")
    ready_row = page.locator(f"tr[data-video-id='{lolas_videos['ready'].id}']")
    uploaded = ready_row.locator("time")
    expect(uploaded).not_to_contain_text("UTC")  # the viewer's local time
    expect(uploaded).to_have_attribute("title", lolas_videos["ready"].created_at.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    placeholder, poster = failed_row.locator(".mini > *"), ready_row.locator(".mini img")
    assert placeholder.bounding_box()["width"] == poster.bounding_box()["width"]  # no layout shift
    assert [text for text in problems if "/accounts/dev-login/" not in text] == []  # its 400 is the refusal


def test_the_empty_feed_links_to_sign_in(live_server, aws, page, problems):
    page.goto(f"{live_server.url}/")

    page.locator(".empty").get_by_role("link", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/login/?next=/upload/")
    assert problems == []


def test_the_keyboard_goes_through_the_upload_page_in_reading_order(lola, live_server, aws, page, problems):
    sign_in(page, live_server.url, "lola")
    page.goto(f"{live_server.url}/upload/")

    order = []
    for _ in range(16):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => document.activeElement.getAttribute('aria-label') || "
                                   "document.activeElement.labels?.[0]?.textContent.trim() || "
                                   "document.activeElement.textContent.trim()"))

    assert order == ["PetTube", "Search", "Shorts", "Upload", "Following", "My videos", "My pets", "Playlists", "Sign out",
                     "Title", "Description (optional)", "Pet", "Who can watch", "Add your pets", "Video file", "Upload"]
    assert problems == []


def test_a_form_sent_before_the_page_script_has_run_waits_and_keeps_what_was_typed(
        lola, lolas_videos, live_server, page, problems):
    """The forms sent by the page's script (no method or address of their own): on a slow line the
    form can be there before its script, and sent then it would have put its fields in the address
    bar, losing them. Its button waits disabled (so does Enter), and comes alive with the script."""
    site = live_server.url
    sign_in(page, site, "lola")
    watch = f"{site}/v/{lolas_videos['ready'].id}/?edit=1"
    # Each page's forms without a method, by their buttons: the Save menu's, the editor's two, comments.
    for address, buttons in ((watch, ["Make and save", "Save", "Add captions", "Comment"]),
                             (f"{site}/upload/", ["Upload"])):
        held = []
        page.route("**/static/js/**", lambda route: held.append(route))
        page.goto(address, wait_until="commit")
        senders = page.locator("form:not([method]) button:not([type=button])")
        expect(senders).to_have_text(buttons)
        for number in range(len(buttons)):
            expect(senders.nth(number)).to_be_disabled()
        title = page.get_by_label("Title")
        title.fill("Lola naps again")
        title.press("Enter")
        page.wait_for_timeout(300)
        assert page.url == address and title.input_value() == "Lola naps again"
        assert held

        page.unroute("**/static/js/**")  # lets the held scripts through
        for number in range(len(buttons)):
            expect(senders.nth(number)).to_be_enabled()
    assert problems == []
