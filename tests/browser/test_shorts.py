"""The shorts feed in Debian's Chromium, on a phone (390×844, touch) and a desktop (1280×800):
one clip per swipe, the visible clip plays (seen, over its poster) and no other, the clips beside
start muted as a finger goes down and go back as it lifts, sound stays on once turned on, the
address follows the clip, the next clip's lead segment is fetched before the swipe, at most three
<video> elements, a private or deleted video leaves the feed, views counted once after the
threshold, the keyboard alone, reduced motion, and axe-core. Clips are real: made with ffmpeg and
processed by the worker, portrait and landscape."""

import base64
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pettube import dynamo
from tests import factories
from tests.browser.finger import Finger, line
from tests.browser.helpers import DESKTOP, PHONE, axe_violations, sign_in, wait_until
from videos import processing, repository
from videos import services as videos

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where each <video> of the page is: the id of the clip it is in, whether it plays, muted.
PLAYERS = """() => [...document.querySelectorAll('[data-testid=short]')].flatMap(article => {
  const video = article.querySelector('video');
  return video ? [{id: article.dataset.videoId, paused: video.paused, muted: video.muted,
                   ready: video.readyState}] : [];
})"""
VIDEOS = "() => document.querySelectorAll('video').length"
CURRENT = """() => { const feed = document.querySelector('[data-testid=shorts]');
  return Math.round(feed.scrollTop / feed.clientHeight); }"""
# Whether the feed has come to rest on clip `number` (CURRENT is that clip from half way there).
RESTING_ON = """number => { const feed = document.querySelector('[data-testid=shorts]');
  return Math.abs(feed.scrollTop - number * feed.clientHeight) < 1; }"""


def make_shorts(make_clip, monkeypatch, count: int = 4) -> list[str]:
    """`count` processed shorts, portrait and landscape in turn; their ids, newest first."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are the test's own.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    made = []
    for number in range(count):
        clip = make_clip("short_portrait" if number % 2 == 0 else "short")
        video, key = factories.uploaded(clip, title=f"Clip {number}")
        processing.ingest_upload(key=key)
        assert repository.get(video.id).status == "ready"
        made.append(video.id)
    return made[::-1]


def lead_segments(requests: list[str], video_id: str) -> list[str]:
    """The paths of the lead segments (any rung, and the audio's) of video `video_id` among
    `requests`, as often as they were asked for."""
    paths = [url.split("?")[0] for url in requests]
    return [path for path in paths if f"/media/{video_id}/hls/" in path and path.endswith("00000.ts")]


def open_phone(browser, problems):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=1)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda failure: problems.append(f"uncaught: {failure}"))
    return page


def swipe(page, distance: float = 0.5, moves: int = 9) -> None:
    """A finger's swipe up by `distance` screen heights in `moves` moves, one every display frame
    (16.7 ms) as a phone reports them (tests/browser/finger.py)."""
    hand = Finger(page)
    hand.swipe(line((195, 800), (195, 800 - 844 * distance), moves))
    hand.close()


def tab_to(page, name: str, *, clip: str) -> None:
    """Presses Tab until the button named `name` of the clip titled `clip` has the focus."""
    button = page.get_by_role("article", name=clip).get_by_role("button", name=name, exact=True)
    for _ in range(40):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {name!r}")


class HeldFinger:
    """A finger put down on the screen at height `y` that stays there while it moves (DevTools'
    touch events, each awaited: a slow finger), until it lifts or is taken away without a tap."""

    def __init__(self, page, y: float = 500):
        self.devtools = page.context.new_cdp_session(page)
        self._touch("touchStart", [y])

    def move_to(self, y: float) -> None:
        self._touch("touchMove", [y])

    def lift(self) -> None:
        self._touch("touchEnd", [])
        self.devtools.detach()

    def take_away(self) -> None:
        self._touch("touchCancel", [])
        self.devtools.detach()

    def _touch(self, kind: str, heights: list[float]) -> None:
        points = [{"x": 195, "y": y} for y in heights]
        self.devtools.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


# The share of the pixels of a PNG screenshot (base64) that are not black (nor nearly).
LIT = """async (png) => {
  const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
  const image = await createImageBitmap(new Blob([bytes], {type: "image/png"}));
  const canvas = new OffscreenCanvas(image.width, image.height), context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const {data} = context.getImageData(0, 0, image.width, image.height);
  let lit = 0;
  for (let at = 0; at < data.length; at += 4) if (Math.max(data[at], data[at + 1], data[at + 2]) > 40) lit++;
  return lit / (data.length / 4);
}"""


def uncovered(page, video_id: str) -> float:
    """The share of the part of clip `video_id`'s screen that is on the screen showing its
    picture (not black)."""
    strip = page.evaluate("""id => { const feed = document.querySelector('[data-testid=shorts]').getBoundingClientRect();
        const clip = document.querySelector(`[data-video-id='${id}']`).getBoundingClientRect();
        const top = Math.max(feed.top, clip.top), bottom = Math.min(feed.bottom, clip.bottom);
        return {x: clip.left, y: top, width: clip.width, height: bottom - top}; }""", video_id)
    assert 20 < strip["height"] < 200, strip  # a strip of it came in, no more
    png = page.screenshot(clip=strip)
    return page.evaluate(LIT, base64.b64encode(png).decode())


def picture_moves(page, video_id: str) -> None:
    """Waits until the top half of clip `video_id`'s screen (above its title and buttons) changes:
    its video is seen playing, not a still."""
    box = page.locator(f"[data-video-id='{video_id}'] .stage").bounding_box()
    top_half = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"] / 2}
    first = page.screenshot(clip=top_half)
    for _ in range(40):
        page.wait_for_timeout(250)
        if page.screenshot(clip=top_half) != first:
            return
    raise AssertionError(f"the picture of {video_id} stayed still for 10 s")


def rests_on(page, number: int) -> None:
    """Waits until the feed has stopped on clip `number` (counted from 0), its snap over: a
    finger going down sooner stops the snap where it is, and its swipe starts from there."""
    page.wait_for_function(RESTING_ON, arg=number)


def playing(page, video_id: str):
    """Waits until `video_id` plays and every other clip's player is paused."""
    page.wait_for_function(
        """id => { const players = (""" + PLAYERS + """)();
                   return players.some(p => p.id === id && !p.paused) && players.every(p => p.id === id || p.paused); }""",
        arg=video_id, timeout=15_000)


def test_on_a_phone_one_swipe_one_clip_sound_address_preloading_and_the_feed_kept_right(
        site_without_worker, browser, problems, make_clip, axe_source, settings, monkeypatch):
    settings.PETTUBE_VIEW_SECONDS = 1
    ids = make_shorts(make_clip, monkeypatch)
    site = site_without_worker
    page = open_phone(browser, problems)
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{site}/shorts/")
    playing(page, ids[0])
    picture_moves(page, ids[0])  # the video is on top of its poster
    # The next clip's lead segment (and its playlists) came before any swipe.
    expect(page.locator(f"[data-video-id='{ids[1]}'] video")).to_have_count(1)
    page.wait_for_function(f"() => document.querySelector(\"[data-video-id='{ids[1]}'] video\").readyState >= 2")
    assert any(f"/v/{ids[1]}/hls/master.m3u8" in url for url in requests)
    assert lead_segments(requests, ids[1])
    # It waits at its first picture: an H.264 rendition's starts after 0 (x264's B-frames), and a
    # clip played from 0 would hold its first frame that long before moving.
    start, at = page.evaluate(f"""() => {{ const video = document.querySelector("[data-video-id='{ids[1]}'] video");
                                         return [video.buffered.start(0), video.currentTime]; }}""")
    assert 0 < start < 0.2 and at == start
    assert page.evaluate(VIDEOS) <= 3
    assert axe_violations(page, axe_source) == []
    page.screenshot(path=SCREENSHOTS / "shorts-phone.png")

    page.get_by_role("button", name="Unmute").tap()
    expect(page.get_by_test_id("sound")).to_have_attribute("aria-pressed", "true")
    swipe(page, distance=0.85, moves=3)  # a fast fling still moves exactly one clip
    page.wait_for_function(f"() => ({CURRENT})() === 1")
    playing(page, ids[1])
    page.wait_for_timeout(600)
    assert page.evaluate(CURRENT) == 1
    assert page.url == f"{site}/shorts/{ids[1]}/"
    assert [player["muted"] for player in page.evaluate(PLAYERS) if not player["paused"]] == [False]

    for number in (2, 3):
        swipe(page)
        rests_on(page, number)
        playing(page, ids[number])
        assert page.evaluate(VIDEOS) <= 3
    assert page.url == f"{site}/shorts/{ids[3]}/"
    # The third clip was preloaded (nobody had reached it) and played from what was preloaded:
    # its lead segments came once each, the audio's and one rung's, the rung its player chose.
    preloaded = lead_segments(requests, ids[2])
    assert len(preloaded) == len(set(preloaded)) == 2 and sum("/audio/" in path for path in preloaded) == 1

    # A shared link starts at its clip. The session still asks for sound: the clip has it, or
    # (the browser's autoplay rules wanting a tap on this page first) says it is muted.
    page.goto(f"{site}/shorts/{ids[2]}/")
    expect(page.get_by_test_id("short").first).to_have_attribute("data-video-id", ids[2])
    playing(page, ids[2])
    assert page.evaluate("sessionStorage.getItem('pettube:shorts-sound')") == "on"
    [muted] = [player["muted"] for player in page.evaluate(PLAYERS) if not player["paused"]]
    expect(page.get_by_test_id("sound")).to_have_attribute("aria-pressed", str(not muted).lower())
    assert page.get_by_test_id("short").evaluate_all("all => all.map(a => a.dataset.videoId)") == ids[2:]

    # Private, deleted: gone from the feed.
    videos.edit_video(video_id=ids[0], user_id="7", visibility="private")
    videos.delete_video(video_id=ids[3], user_id="7")
    page.goto(f"{site}/shorts/")
    assert page.get_by_test_id("short").evaluate_all("all => all.map(a => a.dataset.videoId)") == ids[1:3]
    assert problems == []


def test_a_finger_going_down_starts_both_neighbours_muted_and_lifting_it_puts_them_back(
        site_without_worker, browser, problems, make_clip, monkeypatch):
    ids = make_shorts(make_clip, monkeypatch, count=3)
    page = open_phone(browser, problems)
    page.goto(f"{site_without_worker}/shorts/")
    playing(page, ids[0])
    page.get_by_role("button", name="Unmute").tap()
    swipe(page)
    rests_on(page, 1)
    playing(page, ids[1])
    page.wait_for_timeout(500)
    where = "ids => ids.map(id => document.querySelector(`[data-video-id='${id}'] video`).currentTime)"
    before = page.evaluate(where, [ids[0], ids[2]])

    finger = HeldFinger(page)
    page.wait_for_function(f"() => (({PLAYERS})()).every(p => !p.paused)")
    players = {player["id"]: player for player in page.evaluate(PLAYERS)}
    assert [players[ids[0]]["muted"], players[ids[1]]["muted"], players[ids[2]]["muted"]] == [True, False, True]

    finger.take_away()
    playing(page, ids[1])
    assert page.evaluate(where, [ids[0], ids[2]]) == before
    assert problems == []


def test_a_landscape_clip_shows_its_picture_from_the_first_pixels_a_swipe_brings_in(
        site_without_worker, browser, problems, make_clip, monkeypatch):
    """A landscape clip is letterboxed in the middle of its screen, some 250 px from its edges: its
    picture keeps to the edge a swipe brings it in by, so the strip a finger uncovers shows the clip
    rather than its black bars, up the feed and back."""
    ids = make_shorts(make_clip, monkeypatch, count=3)  # portrait, landscape, portrait
    page = open_phone(browser, problems)
    page.goto(f"{site_without_worker}/shorts/")
    playing(page, ids[0])
    page.wait_for_function(f"() => document.querySelector(\"[data-video-id='{ids[1]}'] video\").readyState >= 2")

    finger = HeldFinger(page, 700)
    finger.move_to(600)  # 100 px up the feed
    page.wait_for_timeout(300)
    assert uncovered(page, ids[1]) > 0.9
    finger.lift()
    rests_on(page, 0)  # not far enough: back where it was

    for number in (1, 2):
        swipe(page)
        rests_on(page, number)
    playing(page, ids[2])
    finger = HeldFinger(page, 200)
    finger.move_to(300)  # 100 px back down the feed: the bottom of the landscape clip's screen
    page.wait_for_timeout(300)
    assert uncovered(page, ids[1]) > 0.5  # its title and buttons are over it there
    finger.lift()
    rests_on(page, 2)
    assert problems == []


# What MediaCapabilities answers for AV1 on a device that decodes it in hardware or in software.
AV1_DECODED_IN = """hardware => {
  const capabilities = navigator.mediaCapabilities, asked = capabilities.decodingInfo.bind(capabilities);
  capabilities.decodingInfo = async (query) => /av01/.test(query.video?.contentType)
    ? {supported: true, smooth: true, powerEfficient: hardware} : asked(query);
}"""
# The rung a clip of both codecs plays on this phone's screen (390 by 738 CSS pixels under the bar).
CHOSEN = """async () => {
  const page = document.querySelector("script[src*='/js/shorts']").src;
  const preloading = await import(new URL("shorts-preload.js", page));
  await preloading.codecChosen;
  const variants = ["avc1.64001e", "avc1.64001f", "av01.0.04M.08", "av01.0.05M.08"].map((codecs, number) =>
    ({codecs: `${codecs},mp4a.40.2`, width: number % 2 ? 720 : 360, height: number % 2 ? 1280 : 640}));
  const chosen = preloading.chosen(variants, {width: 390, height: 738});
  return `${chosen.codecs.slice(0, 4)} ${chosen.width}x${chosen.height}`;
}"""


@pytest.mark.parametrize(("hardware", "plays"), [(True, "av01 720x1280"), (False, "avc1 720x1280")],
                         ids=["av1-in-hardware", "av1-in-software"])
def test_av1_rungs_play_where_av1_is_decoded_in_hardware_and_h264_elsewhere(site_without_worker, browser, problems,
                                                                           hardware, plays):
    page = open_phone(browser, problems)
    page.add_init_script(f"({AV1_DECODED_IN})({str(hardware).lower()})")
    page.goto(f"{site_without_worker}/shorts/")
    assert page.evaluate(CHOSEN) == plays
    assert problems == []


def test_a_view_is_counted_once_after_the_threshold(site_without_worker, monkeypatch, browser, problems, make_clip, settings):
    settings.PETTUBE_VIEW_SECONDS = 2
    [video_id] = make_shorts(make_clip, monkeypatch, count=1)
    site = site_without_worker
    page = open_phone(browser, problems)
    views, answers = [], []
    page.on("request", lambda request: "/views/" in request.url and views.append(dynamo.now()))
    page.on("response", lambda response: "/views/" in response.url and answers.append(response.status))

    page.goto(f"{site}/shorts/")
    playing(page, video_id)
    page.wait_for_timeout(1200)
    assert views == [] and repository.get(video_id).views == 0
    wait_until(page, lambda: answers, after="response", what="the view sent")
    # The 3 s clip plays on and loops (its time goes back): the view is not sent again.
    played = page.evaluate("() => [...document.querySelectorAll('video')].find(v => !v.paused).currentTime")
    page.wait_for_function("played => [...document.querySelectorAll('video')].some(v => !v.paused && v.currentTime < played)",
                           arg=played, timeout=15_000)
    page.wait_for_timeout(500)

    assert len(views) == 1 and answers == [200]
    assert repository.get(video_id).views == 1
    assert problems == []


def test_on_a_desktop_with_the_keyboard_alone(site_without_worker, monkeypatch, page, make_clip, axe_source, problems):
    ids = make_shorts(make_clip, monkeypatch, count=3)
    site = site_without_worker
    sign_in(page, site, "vic")

    page.goto(f"{site}/")
    for _ in range(4):  # the header's Shorts link, by Tab
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Shorts":
            break
    expect(page.get_by_role("navigation", name="Site").get_by_role("link", name="Shorts")).to_be_focused()
    page.keyboard.press("Enter")
    playing(page, ids[0])
    assert axe_violations(page, axe_source) == []

    page.keyboard.press("ArrowDown")
    playing(page, ids[1])
    page.keyboard.press("j")
    playing(page, ids[2])
    page.keyboard.press("k")
    playing(page, ids[1])
    assert page.url.endswith(f"/shorts/{ids[1]}/")

    # Tab reaches the visible clip's controls (never a clip off screen), each labelled.
    labels = []
    for _ in range(30):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("""() => { const e = document.activeElement;
            return [e.closest('[data-testid=short]')?.dataset.videoId || null, e.getAttribute('aria-label') || e.textContent.trim()]; }"""))
    in_clips = [video_id for video_id, _ in labels if video_id]
    assert in_clips and set(in_clips) == {ids[1]}
    assert all(label for _, label in labels)

    tab_to(page, "Pause Clip 1", clip="Clip 1")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => (({PLAYERS})()).every(p => p.paused)")
    expect(page.get_by_role("button", name="Play Clip 1", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    playing(page, ids[1])

    tab_to(page, "Like: 0 likes", clip="Clip 1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("article", name="Clip 1").get_by_role("button", name="Liked: 1 like")).to_have_attribute(
        "aria-pressed", "true")

    tab_to(page, "Comments", clip="Clip 1")
    page.keyboard.press("Enter")
    sheet = page.get_by_test_id("comments-sheet")
    expect(sheet).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.type("So quick!")
    page.get_by_label("Add a comment").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sheet-comments").locator(".comment-text")).to_have_text(["So quick!"])
    assert axe_violations(page, axe_source) == []
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(page.get_by_role("article", name="Clip 1").get_by_role("button", name="Comments")).to_be_focused()

    # Share: the watch page's share dialog (this browser has no share sheet), with the short's link.
    assert page.evaluate("'share' in navigator") is False
    tab_to(page, "Share", clip="Clip 1")
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("share-dialog")
    expect(dialog.get_by_label("Link")).to_have_value(f"{site}/shorts/{ids[1]}/")
    expect(dialog.get_by_label("Embed code")).to_have_value(re.compile(f"/embed/{ids[1]}/"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.mouse.move(640, 400)
    page.mouse.wheel(0, 300)
    playing(page, ids[2])
    assert problems == []


def test_reduced_motion_plays_nothing_until_asked(site_without_worker, monkeypatch, browser, problems, make_clip, axe_source):
    ids = make_shorts(make_clip, monkeypatch, count=2)
    site = site_without_worker
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, reduced_motion="reduce")
    page = context.new_page()
    page.on("pageerror", lambda failure: problems.append(f"uncaught: {failure}"))

    page.goto(f"{site}/shorts/")
    page.wait_for_function(f"() => document.querySelector(\"[data-video-id='{ids[0]}'] video\").readyState >= 2")
    page.wait_for_timeout(500)
    assert all(player["paused"] for player in page.evaluate(PLAYERS))
    assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=shorts]')).scrollBehavior") == "auto"

    page.get_by_role("button", name="Play Clip 1").tap()
    playing(page, ids[0])
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => ({CURRENT})() === 1")
    page.wait_for_timeout(300)
    assert all(player["paused"] for player in page.evaluate(PLAYERS))
    finger = HeldFinger(page)  # nor does a finger going down start the clips beside
    page.wait_for_timeout(300)
    assert all(player["paused"] for player in page.evaluate(PLAYERS))
    finger.take_away()
    expect(page.get_by_role("button", name="Play Clip 0")).to_be_visible()
    assert axe_violations(page, axe_source) == []
    assert problems == []
