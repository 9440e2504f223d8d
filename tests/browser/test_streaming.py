"""Adaptive streaming in a real Chromium: the watch page plays the HLS ladder through hls.js,
starts on the rung that fits a small player, climbs when the player grows, steps down when the
network slows, and seeks. Any console error or CSP violation fails it."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import REPORT_CSP_VIOLATIONS
from tests.waiting import eventually
from videos import repository

RENDITION = "() => document.getElementById('player').dataset.rendition"
# Whether hls.js has read the master playlist (its levels are empty until then).
LEVELS_READ = "() => document.getElementById('player').hls?.levels?.length > 0"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hls_plays_adapts_to_the_player_and_the_network_and_seeks(site, page, make_clip):
    video, _ = factories.uploaded(make_clip("long"))  # 20 s of 1080p: rungs 360p, 720p, 1080p
    assert wait_until_processed(video.id).status == "ready"  # by the site's event pump
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda failure: problems.append(f"uncaught: {failure}"))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.set_viewport_size({"width": 480, "height": 700})

    page.goto(f"{site}/v/{video.id}/")
    player = page.locator("video#player")
    expect(player).to_have_attribute("aria-label", "Rex catches a frisbee")
    # hls.js has started reading the master playlist at once; its levels come when it has read it.
    page.wait_for_function(LEVELS_READ)
    assert player.evaluate("video => video.hls.levels.map(level => level.height)") == [360, 720, 1080]
    player.evaluate("video => { video.muted = true; video.loop = true; return video.play(); }")
    page.wait_for_function("() => document.getElementById('player').currentTime > 1")
    assert page.evaluate(RENDITION) == "640x360"  # a 448 px wide player gets the small rung
    assert player.evaluate("video => video.src.startsWith('blob:')")  # fed by hls.js, not a file URL

    page.set_viewport_size({"width": 1920, "height": 1200})
    # The page's column is 1200 px wide: on a fast network, the rung that fills it.
    page.wait_for_function(f"{RENDITION} === '1280x720'", timeout=30_000)

    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 50, "downloadThroughput": 900_000 / 8, "uploadThroughput": 900_000 / 8,
    })
    page.wait_for_function(f"{RENDITION} === '640x360'", timeout=40_000)  # 0.9 Mbit/s: the small rung again
    network.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
    })

    player.evaluate("video => { video.currentTime = 14; }")
    page.wait_for_function("() => { const v = document.getElementById('player'); "
                           "return !v.seeking && v.currentTime > 14.5 && !v.paused; }", timeout=30_000)
    assert player.evaluate("video => video.error === null")
    assert problems == []


def wait_until_processed(video_id: str, timeout: float = 180):
    """The video once its processing has ended (ready or failed); fails after `timeout` seconds."""
    return eventually(lambda: (video := repository.get(video_id)).status in {"ready", "failed"} and video,
                      timeout=timeout, interval=0.5)


CODEC = "video => video.hls.levels[video.hls.currentLevel].videoCodec"
ADVANCING = ("() => { const v = document.getElementById('player'); "
             "return v.currentTime > 1 && v.getVideoPlaybackQuality().totalVideoFrames > 10; }")
# What a browser without an AV1 decoder answers (Media Source Extensions are asked for every codec).
NO_AV1 = """
const supported = MediaSource.isTypeSupported.bind(MediaSource);
MediaSource.isTypeSupported = (type) => !/av01/.test(type) && supported(type);
"""


@pytest.mark.browser
@pytest.mark.parametrize("av1_decodes", [True, False], ids=["av1-forced", "av1-unsupported"])
@pytest.mark.django_db(transaction=True)
def test_hls_js_plays_the_av1_rung_where_it_decodes_and_h264_where_it_does_not(site, page, make_clip, settings,
                                                                              av1_decodes):
    settings.PETTUBE_AV1_RENDITIONS = True
    video, _ = factories.uploaded(make_clip("short"))  # 640x360 with audio: 360p and av1-360p
    assert wait_until_processed(video.id).status == "ready"
    eventually(lambda: repository.get(video.id).av1_rungs, timeout=120, interval=0.5)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda failure: problems.append(f"uncaught: {failure}"))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    if not av1_decodes:
        page.add_init_script(NO_AV1)

    page.goto(f"{site}/v/{video.id}/")
    player = page.locator("video#player")
    page.wait_for_function(LEVELS_READ)  # make test once read them before hls.js had the playlist: []
    codecs = player.evaluate("video => video.hls.levels.map(level => level.videoCodec)")
    if av1_decodes:
        assert [codec[:4] for codec in codecs] == ["avc1", "av01"]
        player.evaluate("video => { video.hls.currentLevel = video.hls.levels.findIndex("
                        "level => level.videoCodec.startsWith('av01')); }")
    else:
        assert [codec[:4] for codec in codecs] == ["avc1"]  # hls.js leaves the AV1 rung aside
    player.evaluate("video => { video.muted = true; video.loop = true; return video.play(); }")
    page.wait_for_function(ADVANCING, timeout=30_000)
    assert player.evaluate(CODEC).startswith("av01" if av1_decodes else "avc1")
    assert player.evaluate("video => video.error === null")
    assert problems == []
