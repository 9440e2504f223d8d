"""A real-browser journey through playlists: make one from a video's Save menu (opened before its
script had run), save another video to it (and to Watch later), reorder it from the keyboard, and
play it through: the next video starts when one ends. axe-core on the playlist pages at a
desktop's and a phone's width."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import DESKTOP, PHONE, axe_violations, sign_in, wait_until
from videos import processing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_clips(aws, make_clip):
    """Ana and two short videos encoded for real, made before the browser starts."""
    ana = get_user_model().objects.create_user(username="ana")
    made = []
    for title, clip in (("First stop", "short"), ("Second stop", "no_audio")):
        video, key = factories.uploaded(make_clip(clip), str(ana.pk), title=title)
        processing.ingest_upload(key=key)
        made.append(video)
    return made


def save_menu(page):
    page.get_by_text("Save to playlist", exact=True).click()
    return page.get_by_test_id("save-menu")


def test_make_a_playlist_reorder_it_by_keyboard_and_play_it_through(two_clips, site_without_worker, page, problems):
    first, second = two_clips
    site = site_without_worker
    sign_in(page, site, "ana")
    # On a slow line the menu is opened before its script has run (its opening goes unheard):
    # the script, once it runs, fills the menu already open.
    held = []
    page.route("**/js/save.js", lambda route: held.append(route))
    page.goto(f"{site}/v/{first.id}/", wait_until="commit")
    menu = save_menu(page)
    wait_until(page, lambda: held, after=None, what="the page asking for save.js")
    page.wait_for_timeout(300)
    expect(menu.get_by_role("button", name="Watch later")).to_have_count(0)
    page.unroute("**/js/save.js")  # lets it through
    expect(menu.get_by_role("button", name="Watch later")).to_be_visible()
    menu.get_by_label("New playlist").fill("Road trip")
    menu.get_by_role("button", name="Make and save").click()
    expect(menu.get_by_role("status")).to_have_text("Saved to “Road trip”.")

    page.goto(f"{site}/v/{second.id}/")
    menu = save_menu(page)
    menu.get_by_role("button", name="Road trip").click()
    expect(menu.get_by_role("status")).to_have_text("Saved to “Road trip”.")
    menu.get_by_role("button", name="Watch later").click()
    expect(menu.get_by_role("status")).to_have_text("Saved to “Watch later”.")

    page.get_by_role("link", name="Playlists").click()
    page.get_by_role("link", name="Road trip").click()
    items = page.get_by_test_id("playlist-items").locator("li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("First stop")
    up = page.get_by_role("button", name="Move “Second stop” up")
    up.focus()
    with page.expect_response(lambda response: response.request.method == "PATCH") as saved:
        page.keyboard.press("Enter")
    assert saved.value.status == 200
    expect(items.first).to_contain_text("Second stop")
    page.reload()
    expect(items.first).to_contain_text("Second stop")
    expect(page.get_by_test_id("now-playing")).to_have_text("Second stop")

    page.locator("#player").evaluate("player => { player.muted = true; return player.play(); }")
    expect(items.nth(1)).to_have_attribute("aria-current", "true", timeout=20_000)
    expect(page.get_by_test_id("now-playing")).to_have_text("First stop")
    page.wait_for_function("() => { const p = document.getElementById('player'); return !p.paused && p.currentTime > 0; }",
                           timeout=20_000)
    assert problems == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_playlist_pages_pass_axe(two_clips, site_without_worker, open_page, problems, axe_source, viewport):
    site = site_without_worker
    page = open_page(viewport)
    sign_in(page, site, "ana")
    found = {}
    page.goto(f"{site}/playlists/")
    found["my playlists"] = axe_violations(page, axe_source)
    page.get_by_label("Title").fill("Favourites")
    page.get_by_role("button", name="Make playlist").click()
    found["an empty playlist"] = axe_violations(page, axe_source)
    page.goto(f"{site}/v/{two_clips[0].id}/")
    page.wait_for_function("() => document.getElementById('player').player")  # Plyr's controls, which axe checks too
    menu = save_menu(page)
    menu.get_by_role("button", name="Favourites").click()
    expect(menu.get_by_role("status")).to_have_text("Saved to “Favourites”.")
    found["watch page, save menu"] = axe_violations(page, axe_source)
    page.goto(f"{site}/playlists/")
    page.get_by_role("link", name="Favourites").click()
    expect(page.get_by_test_id("playlist-items").locator("li")).to_have_count(1)
    found["a playlist"] = axe_violations(page, axe_source)
    assert found == {state: [] for state in found}
    assert problems == []
