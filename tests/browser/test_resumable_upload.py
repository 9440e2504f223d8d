"""Large uploads in a real Chromium survive what phones live through: the connection cut off
half-way, a reload, leaving for My videos, a part that stalls. Each time the same file chosen
again continues where it stopped, S3 ends up with exactly the file, and there is exactly one
video. Cancelling leaves nothing behind. Uploads are slowed down (DevTools throttling) so they
can be cut mid-way."""

import contextlib
import os
import re

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from pettube import aws as aws_clients
from tests.browser.helpers import Uplink, sign_in, wait_until
from videos import repository, storage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_UPLINK = 10_000_000  # bytes per second: a 50 MB file takes about 5 s
CONNECTIONS = 4  # parts the page sends at once (static/js/multipart.js)
PART = re.compile(r"[?&]partNumber=(\d+)")
STALL_MS = 3000  # the upload page's UPLOAD_STALL, shortened
# How long after it was sent each XMLHttpRequest of the page that timed out did so.
RECORD_TIMEOUTS = """
window.timedOutAfter = [];
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (...body) {
  const sentAt = performance.now();
  this.addEventListener("timeout", () => window.timedOutAfter.push(performance.now() - sentAt));
  return send.apply(this, body);
};
"""


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "long-walk.mp4"
    path.write_bytes(os.urandom(50_000_000))
    return path


def part_put(request) -> int | None:
    """The part number of a part PUT to S3, else None."""
    match = PART.search(request.url)
    return int(match.group(1)) if match and request.method == "PUT" else None


class PartLog:
    """Every part PUT to S3 that S3 stored (HTTP 200), in order, and those on their way."""

    def __init__(self, page):
        self.page = page
        self.stored: list[int] = []
        self.took_ms: list[float] = []  # from the start of each stored part's request to S3's answer
        self.sending = set()
        page.on("request", lambda request: part_put(request) and self.sending.add(request))
        page.on("requestfinished", lambda request: self.sending.discard(request))
        page.on("requestfailed", lambda request: self.sending.discard(request))
        page.on("response", self._record)

    def _record(self, response):
        if (number := part_put(response.request)) and response.status == 200:
            self.stored.append(number)
            self.took_ms.append(response.request.timing["responseStart"])

    def wait_for_stored(self, count: int) -> None:
        wait_until(self.page, lambda: len(self.stored) >= count, after="response", what=f"{count} parts stored")


def wait_for_bar(page, percent: int, bar: str = "#upload-bar") -> None:
    page.wait_for_function(f"() => document.querySelector('{bar}').value >= {percent}", timeout=30_000)


def stored_object(owner_id: str, video_id: str) -> bytes:
    s3 = aws_clients.client("s3")
    return s3.get_object(Bucket=settings.PETTUBE_BUCKET, Key=storage.upload_key(owner_id, video_id))["Body"].read()


def open_multipart_uploads() -> list:
    return aws_clients.client("s3").list_multipart_uploads(Bucket=settings.PETTUBE_BUCKET).get("Uploads", [])


def shorten_stall(page, ms: int) -> None:
    """Sets the upload page's UPLOAD_STALL (static/js/multipart.js), in the very module its script imported."""
    page.evaluate("""async (ms) => {
        const page = document.querySelector("script[src*='/js/upload']").src;
        (await import(new URL("multipart.js", page))).UPLOAD_STALL.ms = ms;
    }""", ms)


def start(page, site: str, path, title: str, *, stall_ms: int | None = None) -> str:
    page.goto(f"{site}/upload/")
    if stall_ms:
        shorten_stall(page, stall_ms)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Video file").set_input_files(path)
    with page.expect_response(f"{site}/api/videos/") as started:
        page.get_by_role("button", name="Upload").click()
    body = started.value.json()
    assert body["upload"]["kind"] == "multipart"
    return body["id"]


def test_cut_off_then_reloaded_upload_resumes_to_the_exact_file_and_one_video(
    site_without_worker, page, problems, big_file
):
    site = site_without_worker
    sign_in(page, site, "tess")
    parts = PartLog(page)
    uplink = Uplink(page, PHONE_UPLINK)
    video_id = start(page, site, big_file, "The long walk")
    owner_id = repository.get(video_id).owner_id
    part_count = -(-big_file.stat().st_size // storage.PART_SIZE)

    wait_for_bar(page, 20)
    expect(page.get_by_role("progressbar", name="Upload progress")).to_be_visible()
    expect(page.get_by_test_id("announcer")).to_have_text("Uploading long-walk.mp4.")
    failed = []
    page.on("requestfailed", lambda request: failed.append(request))
    uplink.cut()  # context.set_offline(True), and the throttled connections too
    expect(page.get_by_test_id("retry")).to_contain_text("You are offline")
    cut_at = page.eval_on_selector("#upload-bar", "bar => bar.value")
    # The page tries again while offline (asking for fresh part URLs), and fails again: then the connection is back.
    wait_until(page, lambda: any(request.url.endswith("/parts/") for request in failed), after="requestfailed",
               what="a retry failing offline")
    uplink.restore()
    page.wait_for_function(f"() => document.querySelector('#upload-bar').value > {cut_at}", timeout=30_000)

    parts.wait_for_stored(CONNECTIONS)  # some parts are in, the rest on the way: reload now
    page.reload()
    stored_before_reload = set(parts.stored)
    assert len(stored_before_reload) < part_count
    page.get_by_label("Video file").set_input_files(big_file)
    expect(page.get_by_test_id("resume-note")).to_contain_text("You started uploading this file as “The long walk”")
    expect(page.get_by_label("Title")).to_have_value("The long walk")
    sent_before = len(parts.stored)
    page.get_by_role("button", name="Resume upload").click()
    expect(page.get_by_test_id("phase")).to_have_text("Uploaded. Processing…", timeout=60_000)

    resent = parts.stored[sent_before:]
    assert not set(resent) & stored_before_reload  # what S3 had was not sent again
    assert sorted(set(parts.stored)) == list(range(1, part_count + 1))
    assert len(parts.stored) <= part_count + CONNECTIONS  # a cut costs at most one part per connection
    assert stored_object(owner_id, video_id) == big_file.read_bytes()
    assert open_multipart_uploads() == []
    assert [video.id for video in repository.by_owner(owner_id, limit=10).items] == [video_id]
    page.goto(f"{site}/me/")
    expect(page.locator("tbody tr")).to_have_count(1)
    # Chromium logs each request the cut failed; anything else is a problem.
    assert [text for text in problems if "net::ERR_INTERNET_DISCONNECTED" not in text] == []


def test_an_upload_left_for_my_videos_resumes_from_its_row(site_without_worker, page, problems, big_file):
    site = site_without_worker
    sign_in(page, site, "milo")
    parts = PartLog(page)
    Uplink(page, PHONE_UPLINK)
    video_id = start(page, site, big_file, "Milo at the beach")
    owner_id = repository.get(video_id).owner_id
    parts.wait_for_stored(1)

    page.goto(f"{site}/me/")
    row = page.locator(f"tr[data-video-id='{video_id}']")
    expect(row.get_by_text("Choose “long-walk.mp4” again to resume")).to_be_visible()
    row.get_by_test_id("resume-file").set_input_files(big_file)
    expect(row.get_by_test_id("resume-text")).to_have_text("Uploaded. Processing…", timeout=60_000)

    assert stored_object(owner_id, video_id) == big_file.read_bytes()
    assert open_multipart_uploads() == []
    expect(page.get_by_test_id("flash")).to_have_text("“Milo at the beach” is uploaded and being processed.")
    assert problems == []


def test_pause_stops_sending_resume_goes_on_cancel_leaves_nothing(site_without_worker, page, problems, big_file):
    site = site_without_worker
    sign_in(page, site, "pip")
    parts = PartLog(page)
    Uplink(page, PHONE_UPLINK)
    owner_id = repository.get(start(page, site, big_file, "Never mind")).owner_id
    wait_for_bar(page, 10)

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_test_id("phase")).to_have_text("Paused")
    expect(page.get_by_test_id("announcer")).to_have_text("Upload paused.")
    expect(page.get_by_role("button", name="Resume")).to_be_focused()
    wait_until(page, lambda: not parts.sending, after="requestfailed", what="the parts on their way abandoned")
    paused_at = page.eval_on_selector("#upload-bar", "bar => bar.value")
    with pytest.raises(PlaywrightTimeoutError):  # nothing moves: for 1.5 s, no part is sent
        page.wait_for_event("request", predicate=part_put, timeout=1500)
    assert page.eval_on_selector("#upload-bar", "bar => bar.value") <= paused_at
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_test_id("announcer")).to_have_text("Upload resumed.")
    page.wait_for_function(f"() => document.querySelector('#upload-bar').value > {paused_at}", timeout=30_000)
    page.get_by_role("button", name="Cancel upload").click()

    expect(page.get_by_test_id("flash")).to_have_text("Upload cancelled: nothing was kept.")
    expect(page.locator("#progress")).to_be_hidden()
    assert open_multipart_uploads() == []
    assert repository.by_owner(owner_id, limit=10).items == []
    listing = aws_clients.client("s3").list_objects_v2(Bucket=settings.PETTUBE_BUCKET, Prefix="uploads/")
    assert listing.get("KeyCount") == 0
    assert problems == []


def test_cancel_while_part_addresses_are_being_signed_ends_quietly(site_without_worker, page, problems, big_file):
    """CI once saw the journey above log a 404: Cancel deleted the video while the page was still
    asking for part addresses, whose answer then came back 404. Cancel now abandons those requests."""
    site = site_without_worker
    sign_in(page, site, "kit")
    Uplink(page, PHONE_UPLINK)
    start(page, site, big_file, "Changed my mind")
    wait_for_bar(page, 10)
    page.get_by_role("button", name="Pause").click()  # the parts on their way lose their addresses
    expect(page.get_by_test_id("phase")).to_have_text("Paused")
    signing = []
    page.route("**/api/videos/*/parts/", lambda route: signing.append(route) if route.request.method == "POST"
               else route.continue_())
    page.get_by_role("button", name="Resume").click()
    wait_until(page, lambda: signing, after=None, what="the page asking for part addresses")

    page.get_by_role("button", name="Cancel upload").click()
    expect(page.get_by_test_id("flash")).to_have_text("Upload cancelled: nothing was kept.")
    for route in signing:  # the server answers them now: the video is gone
        with contextlib.suppress(PlaywrightError):  # the page abandoned it
            route.continue_()
    assert [route.request.response() for route in signing] == [None] * len(signing)  # no answer reached the page
    assert open_multipart_uploads() == []
    assert problems == []


def test_a_stalled_part_is_abandoned_and_sent_again(site_without_worker, page, problems, big_file):
    site = site_without_worker
    sign_in(page, site, "rita")
    parts = PartLog(page)
    Uplink(page, PHONE_UPLINK // 2)  # a part takes about 7 s to send: longer than STALL_MS, but moving
    page.add_init_script(RECORD_TIMEOUTS)
    stalled = 2
    tries = []

    def never_answer_its_first_try(route):
        if part_put(route.request) == stalled:
            tries.append(route.request)
            if len(tries) == 1:
                return  # held: no byte of it moves, no answer comes
        route.continue_()

    page.route(PART, never_answer_its_first_try)
    video_id = start(page, site, big_file, "Stuck in traffic", stall_ms=STALL_MS)
    expect(page.get_by_test_id("phase")).to_have_text("Uploaded. Processing…", timeout=60_000)

    assert len(tries) >= 2  # sent again once abandoned
    timed_out_after = page.evaluate("window.timedOutAfter")
    assert timed_out_after and min(timed_out_after) >= STALL_MS  # abandoned by the timeout, once it was due
    part_count = -(-big_file.stat().st_size // storage.PART_SIZE)
    assert sorted(set(parts.stored)) == list(range(1, part_count + 1))
    assert max(parts.took_ms) > STALL_MS  # a part that kept moving was not cut for taking long
    owner_id = repository.get(video_id).owner_id
    assert stored_object(owner_id, video_id) == big_file.read_bytes()
    assert open_multipart_uploads() == []
    expect(page.get_by_test_id("retry")).to_be_hidden()
    assert problems == []
