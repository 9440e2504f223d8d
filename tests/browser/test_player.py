"""The player (Plyr over HLS, static/js/player.js) in a real Chromium: the quality menu pins a
rung (and that rung plays), speed, the keyboard, the seek previews' tile for the time under the
pointer, captions added on the edit form showing at their time, chapters that seek, `?t=`, and
axe-core on the watch page at both widths. Any console error or CSP violation fails it."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import DESKTOP, PHONE, axe_violations, sign_in
from tests.browser.test_streaming import wait_until_processed
from videos import webvtt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHAPTERS = "Rex at the park.\n0:00 Intro\n0:02 The jump\n0:04 Landing"
CAPTIONS = "1\n00:00:03,000 --> 00:00:04,500\nWoof at three seconds!\n"
TIME = "() => document.getElementById('player').currentTime"


@pytest.fixture
def ready_video(site, make_clip):
    """A 6 s 1080p clip with sound (rungs 360p, 720p, 1080p), its description giving chapters."""
    def make(owner_id: str = "7"):
        video, _ = factories.uploaded(make_clip("landscape"), owner_id=owner_id, description=CHAPTERS)
        assert wait_until_processed(video.id).status == "ready"
        return video
    return make


def playing(page) -> None:
    page.locator("video#player").evaluate("video => { video.muted = true; video.loop = true; return video.play(); }")
    page.wait_for_function(f"{TIME} > 0.3")


def open_settings(page, item: str):
    """Opens the settings menu's `item` panel (clicks dispatched to the controls: they hide while
    the video plays, and the menu may rise above the window's top)."""
    settings = page.get_by_role("button", name="Settings")
    if settings.get_attribute("aria-expanded") != "true":
        settings.dispatch_event("click")
    page.get_by_role("menuitem", name=re.compile(item)).dispatch_event("click")


def choose(page, name):
    page.get_by_role("menuitemradio", name=name).dispatch_event("click")


def test_the_player(site, ready_video, page, open_page, problems, axe_source, client):
    """One processed video (encoding it is the slow part), every feature in turn."""
    video = ready_video()
    quality_speed_and_the_keyboard(site, video, page)
    the_seek_bar_shows_the_tile_for_the_time_under_the_pointer(site, video, page, client)
    chapters_seek_and_t_starts_there(site, video, page)
    for viewport in (DESKTOP, PHONE):
        the_watch_page_passes_axe(site, video, open_page(viewport), axe_source)
    assert problems == []


def quality_speed_and_the_keyboard(site, video, page):
    page.goto(f"{site}/v/{video.id}/")
    player = page.locator("video#player")
    page.wait_for_function("() => document.getElementById('player').player?.ready")
    playing(page)

    open_settings(page, "Quality")
    choose(page, re.compile("^1080"))
    page.wait_for_function("() => document.getElementById('player').dataset.rendition === '1920x1080'")
    page.wait_for_function("() => document.getElementById('player').videoHeight === 1080")  # what plays
    assert player.evaluate("video => video.hls.autoLevelEnabled") is False
    open_settings(page, "Quality")
    choose(page, re.compile("^360"))
    page.wait_for_function("() => document.getElementById('player').videoHeight === 360")
    open_settings(page, "Quality")
    choose(page, "Auto")
    assert player.evaluate("video => video.hls.autoLevelEnabled") is True

    open_settings(page, "Speed")
    choose(page, "1.5×")
    assert player.evaluate("video => video.playbackRate") == 1.5
    page.keyboard.press("Escape")  # the menu closes, focus back on its button
    page.wait_for_function("() => document.activeElement.dataset.plyr === 'settings'")

    container = page.get_by_role("region", name="Video player: Rex catches a frisbee")
    container.focus()
    player.evaluate("video => { video.loop = false; video.pause(); video.currentTime = 3; }")
    page.wait_for_function("() => !document.getElementById('player').seeking")
    for key, change in (("j", -10), ("l", 10), ("ArrowLeft", -5), ("ArrowRight", 5)):
        player.evaluate("video => { video.currentTime = 3; }")
        page.wait_for_function("() => !document.getElementById('player').seeking")
        page.keyboard.press(key)
        expected = min(max(3 + change, 0), player.evaluate("video => video.duration"))
        page.wait_for_function(f"() => Math.abs({TIME[6:]} - {expected}) < 0.2")
    page.keyboard.press("k")
    page.wait_for_function("() => !document.getElementById('player').paused")
    page.keyboard.press(" ")
    page.wait_for_function("() => document.getElementById('player').paused")
    muted = player.evaluate("video => video.muted")
    page.keyboard.press("m")
    assert player.evaluate("video => video.muted") is not muted
    page.keyboard.press("f")
    page.wait_for_function("() => document.getElementById('player').player.fullscreen.active")
    page.keyboard.press("f")
    page.wait_for_function("() => !document.getElementById('player').player.fullscreen.active")

    # Volume and muted are remembered.
    player.evaluate("video => { video.player.volume = 0.3; video.player.muted = true; }")
    # Plyr stores them on the video's volumechange event, a task after the change: a reload
    # sooner (make test did one, under load) comes before it.
    page.wait_for_function("() => localStorage.getItem('pettube-player')?.includes('\"volume\":0.3')")
    page.reload()
    page.wait_for_function("() => document.getElementById('player').player?.ready")
    assert player.evaluate("video => [video.volume, video.muted]") == [0.3, True]
    assert page.get_by_role("button", name="Play", exact=True).first.is_visible()
    assert page.get_by_role("slider", name="Seek").is_visible()
    assert page.get_by_role("button", name=re.compile("picture-in-picture", re.I)).is_visible()


def the_seek_bar_shows_the_tile_for_the_time_under_the_pointer(site, video, page, client):
    cues = webvtt.read(client.get(f"/v/{video.id}/storyboard.vtt").content.decode())
    page.goto(f"{site}/v/{video.id}/")
    page.wait_for_function("() => document.getElementById('player').player?.ready")
    page.wait_for_function("() => document.getElementById('player').duration > 0")
    seek = page.locator(".plyr__progress input[type=range]")
    box = seek.bounding_box()
    duration = page.locator("video#player").evaluate("video => video.duration")

    for at in (1.0, 4.5):
        page.mouse.move(box["x"] + box["width"] * at / duration, box["y"] + box["height"] / 2)
        thumb = page.locator(".plyr__preview-thumb")
        expect(thumb).to_have_class(re.compile("plyr__preview-thumb--is-shown"))
        cue = next(cue for cue in cues if cue.start <= at < cue.end)
        x, y = (int(number) for number in cue.text.rsplit("#xywh=", 1)[1].split(",")[:2])
        image = page.locator(".plyr__preview-thumb__image-container img").last
        expect(image).to_have_attribute("src", re.compile(r"storyboard/v0\.webp\?"))
        page.wait_for_function(
            "([x, y]) => { const img = [...document.querySelectorAll('.plyr__preview-thumb__image-container img')].pop();"
            " const scale = img.clientWidth / img.naturalWidth;"
            " return Math.abs(parseFloat(img.style.left) + x * scale) < 1 && Math.abs(parseFloat(img.style.top) + y * scale) < 1; }",
            arg=[x, y])
        if at == 4.5:
            page.screenshot(path=SCREENSHOTS / "player-desktop.png")


@pytest.fixture
def anns_video(ready_video):
    """Ann's ready video, made before the browser starts (the ORM refuses to run inside
    Playwright's event loop)."""
    return ready_video(str(get_user_model().objects.create_user(username="ann").pk))


def test_captions_added_on_the_edit_form_show_at_their_time(site, anns_video, page, problems, tmp_path):
    sign_in(page, site, "ann")
    video = anns_video
    captions = tmp_path / "woof.srt"
    captions.write_text(CAPTIONS)

    page.goto(f"{site}/v/{video.id}/")
    page.get_by_text("Edit this video").click()
    page.get_by_label("Caption file").set_input_files(captions)
    page.get_by_label("Language").fill("en")
    page.get_by_label("Label").fill("English")
    page.get_by_role("button", name="Add captions").click()
    expect(page.locator(".captions-list")).to_contain_text("English (en)")

    page.wait_for_function("() => document.getElementById('player').player?.ready")
    page.get_by_role("button", name=re.compile("Enable captions")).click()
    page.locator("video#player").evaluate("video => { video.muted = true; video.currentTime = 2.5; return video.play(); }")
    expect(page.locator(".plyr__captions")).to_contain_text("Woof at three seconds!", timeout=15_000)
    assert 3.0 <= page.evaluate(TIME) < 4.6

    page.get_by_role("button", name="Remove the English captions").click()
    expect(page.get_by_text("No captions yet.")).to_be_visible()
    assert problems == []


def chapters_seek_and_t_starts_there(site, video, page):
    page.goto(f"{site}/v/{video.id}/?t=3")
    page.wait_for_function("() => document.getElementById('player').player?.ready")
    page.wait_for_function(f"() => Math.abs({TIME[6:]} - 3) < 0.3")
    assert page.locator(".plyr__progress__marker").count() == 2  # 0:02 and 0:04 (none at the start)

    page.get_by_role("button", name=re.compile("The jump")).click()
    page.wait_for_function(f"() => {TIME[6:]} >= 2 && {TIME[6:]} < 3.5")

    page.goto(f"{site}/v/{video.id}/?t=nonsense")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    assert page.evaluate(TIME) == 0


def the_watch_page_passes_axe(site, video, page, axe_source):
    page.goto(f"{site}/v/{video.id}/")
    page.wait_for_function("() => document.getElementById('player').player?.ready")

    assert axe_violations(page, axe_source) == []
    page.get_by_role("button", name="Settings").click()
    assert axe_violations(page, axe_source) == []
