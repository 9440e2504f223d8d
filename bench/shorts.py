"""The shorts feed on a phone, in Debian's Chromium (Playwright), against the local stack: the
embedded AWS and PetTube's WSGI app in this process, with 30 short clips of both orientations
made with ffmpeg and processed by the worker.

Per repeat (--repeats, default 3), each in a fresh browser context at 390×844 with touch:
1. open /shorts/ and swipe 20 times (a finger's swipe of half the screen, up the feed or back),
   waiting 2 s on each clip; then swipe on to 50 (down to the last clip and back up), 1 s each.
   For each swipe, the time from the finger going down to the first new frame of the next clip
   being presented with its picture on the screen (requestVideoFrameCallback's presentationTime;
   a landscape clip's picture, letterboxed in the middle of its screen, keeps to the feed's edge
   while its screen comes in, site.css); the time from navigation to the first clip's first
   frame; the JS heap (after a forced garbage collection) and the number of <video> elements after
   5 and after 50 swipes;
2. the same 20 swipes under network emulation (DevTools: 20 Mbit/s down, 40 ms latency).

The finger (tests/browser/finger.py) moves as a phone reports one: half the screen in 9 moves, one
every display frame (16.7 ms, 150 ms in all), lifted a frame after the last. Its touch events go
out on that clock over a DevTools connection of its own, without waiting for Chromium's answers:
each `Input.dispatchTouchEvent` is answered only once the page has handled the event (some 35 ms
here), so a finger awaiting each one, as Playwright's sync API does, moved at the page's pace
(half a screen in about 200 ms), and a landscape clip's picture came into view that much later.
The browser tests flick it too (0.85 of a screen in 3 moves).

    .venv/bin/python bench/shorts.py [--repeats 3]
Each repeat's line also has the swipe medians of the portrait and of the landscape clips apart
(half of the 20 each), and the median of the swipes back down the feed (those of the 50 that go
back: the 20 measured all go up). Last line (medians of the repeats; `videos` the most ever on
the page):
swipe_p50_ms=… swipe_p95_ms=… swipe_p50_slow_ms=… first_frame_ms=… heap_growth=… videos=…
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import _setup

WORKDIR = Path(tempfile.mkdtemp(prefix="pettube-shorts-bench-"))
_setup.django_on_local_aws(DATABASE_URL=f"sqlite:///{WORKDIR / 'db.sqlite3'}")

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from tests.browser.finger import Finger, launch, line  # noqa: E402

from pettube import local_aws  # noqa: E402
from tests import factories  # noqa: E402
from videos import processing, repository  # noqa: E402
from videos.transcode import ffmpeg_binary  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
CLIPS = 30
SWIPES, HEAP_SWIPES = 20, 50
SLOW = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 5e6 / 8}
# Records, for every <video> the page adds, the presentation time of each clip's first frame,
# and for a swipe (window.__swipe = {id, at}) the first frame of its clip presented after it with
# its picture on the screen. Chromium also reports frames nobody sees: a video that plays 250 ms
# without being drawn (off the screen) renders in the background, and a seek shows its frame.
RECORD_FRAMES = """
window.__firstFrames = {};
window.__swipes = [];
window.__mostVideos = 0;
const pictureOnScreen = (video) => {
  const box = video.getBoundingClientRect();  // the picture is contained in it (object-fit), centred
  const feed = video.closest('[data-testid=shorts]').getBoundingClientRect();  // the bar is above it
  const scale = Math.min(box.width / video.videoWidth, box.height / video.videoHeight);
  const top = box.top + (box.height - video.videoHeight * scale) / 2;
  return top < feed.bottom && top + video.videoHeight * scale > feed.top;
};
const watch = (video) => {
  const seen = (now, frame) => {
    const id = video.closest('[data-video-id]')?.dataset.videoId;
    if (id && !(id in window.__firstFrames)) window.__firstFrames[id] = frame.presentationTime;
    const swipe = window.__swipe;
    if (swipe && swipe.id === id && frame.presentationTime > swipe.at && pictureOnScreen(video)) {
      window.__swipes.push(frame.presentationTime - swipe.at);
      window.__swipe = null;
    }
    video.requestVideoFrameCallback(seen);
  };
  video.requestVideoFrameCallback(seen);
};
new MutationObserver((changes) => {
  for (const change of changes) for (const node of change.addedNodes) {
    if (node.nodeName === 'VIDEO' && !node.__watched) { node.__watched = true; watch(node); }
  }
  window.__mostVideos = Math.max(window.__mostVideos, document.querySelectorAll('video').length);
}).observe(document, {childList: true, subtree: true});
"""


LANDSCAPE = """id => { const video = document.querySelector(`[data-video-id='${id}'] video`);
  return video.videoWidth > video.videoHeight; }"""
DIAGNOSE = """() => { const feed = document.querySelector('[data-testid=shorts]');
  return {top: feed.scrollTop / feed.clientHeight, swipe: window.__swipe, players: [...document.querySelectorAll('video')].map(v =>
    ({id: v.closest('[data-video-id]')?.dataset.videoId, paused: v.paused, ready: v.readyState, t: v.currentTime}))}; }"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clips", type=int, default=CLIPS, help="fewer to try the script out")
    arguments = parser.parse_args()
    repeats, clips = arguments.repeats, arguments.clips
    moto, _ = local_aws.start_server()
    local_aws.provision()
    call_command("migrate", verbosity=0)
    made = time.perf_counter()
    _publish_clips(clips)
    print(f"{clips} clips made and processed in {time.perf_counter() - made:.0f} s")
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_port}"
    local_aws.provision(extra_origins=[site])
    results = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright.chromium, executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for repeat in range(repeats):
                results.append(_repeat(browser, site, clips))
                print(f"repeat {repeat + 1}: " + " ".join(f"{name}={value:.4g}" for name, value in results[-1].items()))
            browser.close()
    finally:
        server.shutdown()
        moto.stop()
    print(f"load average (1, 5, 15 min) at the end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}, "
          f"{os.cpu_count()} cores")
    median = {name: statistics.median(result[name] for result in results) for name in results[0]}
    print(f"swipe_p50_ms={median['swipe_p50_ms']:.0f} swipe_p95_ms={median['swipe_p95_ms']:.0f} "
          f"swipe_p50_slow_ms={median['swipe_p50_slow_ms']:.0f} first_frame_ms={median['first_frame_ms']:.0f} "
          f"heap_growth={median['heap_growth']:.2f} videos={max(result['videos'] for result in results)}")


def _publish_clips(count: int) -> None:
    """`count` clips of 4 to 9 s, portrait and landscape in turn, each with its own picture and
    tone, uploaded by one person and processed as the worker does."""
    owner = get_user_model().objects.create_user(username="bench", first_name="Bench")
    for number in range(count):
        size = "540x960" if number % 2 == 0 else "960x540"
        path = WORKDIR / f"clip-{number}.mp4"
        subprocess.run([ffmpeg_binary(), "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size={size}:rate=30,hue=h={number * 12}", "-f", "lavfi", "-i",
                        f"sine=frequency={300 + 20 * number}", "-t", str(4 + number % 6), "-c:v", "libx264",
                        "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
                       check=True)
        video, key = factories.uploaded(path, owner_id=str(owner.pk), title=f"Clip {number}")
        processing.ingest_upload(key=key)
        assert repository.get(video.id).status == "ready", repository.get(video.id).error


def _repeat(browser, site: str, clips: int) -> dict:
    fast = _session(browser, site, clips, swipes=HEAP_SWIPES, network=None)
    slow = _session(browser, site, clips, swipes=SWIPES, network=SLOW)
    swipes = list(zip(fast["swipes"][:SWIPES], fast["wide"]))
    back = [ms for ms, up in zip(fast["swipes"], fast["up"]) if not up]
    return {
        "swipe_p50_ms": statistics.median(fast["swipes"][:SWIPES]),
        "portrait_p50_ms": statistics.median(ms for ms, wide in swipes if not wide),
        "landscape_p50_ms": statistics.median(ms for ms, wide in swipes if wide),
        "back_p50_ms": statistics.median(back),
        "swipe_p95_ms": _percentile(fast["swipes"][:SWIPES], 95),
        "swipe_p50_slow_ms": statistics.median(slow["swipes"]),
        "first_frame_ms": fast["first_frame"],
        "heap_growth": fast["heap"][HEAP_SWIPES] / fast["heap"][5],
        "videos": max(fast["videos"], slow["videos"]),
    }


def _session(browser, site: str, clips: int, *, swipes: int, network: dict | None) -> dict:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=1)
    page = context.new_page()
    page.add_init_script(RECORD_FRAMES)
    devtools = context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send("HeapProfiler.enable")
    if network:
        devtools.send("Network.emulateNetworkConditions", network)
    page.goto(f"{site}/shorts/")
    page.wait_for_function("() => Object.keys(window.__firstFrames).length > 0", timeout=30_000)
    first_frame = page.evaluate("() => Math.min(...Object.values(window.__firstFrames))")
    page.wait_for_timeout(2000)
    finger = Finger(page)
    heap, at, step, measured, wide, up = {}, 0, 1, [], [], []
    for swipe in range(1, swipes + 1):
        if not 0 <= at + step < clips:
            step = -step
        target = page.evaluate("n => document.querySelectorAll('[data-testid=short]')[n].dataset.videoId", at + step)
        page.evaluate("id => { window.__swipe = {id, at: performance.now()}; }", target)
        _swipe(finger, up=step > 0)
        try:
            page.wait_for_function("() => window.__swipe === null", timeout=15_000)
        except Exception:
            print("swipe", swipe, "from", at, "step", step, page.evaluate(DIAGNOSE))
            raise
        measured.append(page.evaluate("() => window.__swipes.at(-1)"))
        wide.append(page.evaluate(LANDSCAPE, target))
        up.append(step > 0)
        at += step
        page.wait_for_timeout(2000 if swipe <= SWIPES else 1000)
        if swipe in (5, HEAP_SWIPES):
            devtools.send("HeapProfiler.collectGarbage")
            heap[swipe] = page.evaluate("() => performance.memory.usedJSHeapSize")
    videos = page.evaluate("() => window.__mostVideos")
    finger.close()
    context.close()
    return {"swipes": measured, "wide": wide, "up": up, "first_frame": first_frame, "heap": heap, "videos": videos}


def _swipe(finger: Finger, *, up: bool, moves: int = 9) -> None:
    """A finger's swipe of half the screen in `moves` moves, one every display frame: up the feed
    (to the next clip) or back down."""
    start = (195, 650 if up else 200)
    finger.swipe(line(start, (start[0], start[1] + (-1 if up else 1) * PHONE["height"] * 0.5), moves))


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
