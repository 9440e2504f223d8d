"""Large uploads in a real Chromium survive what phones live through: the connection cut off
half-way, a reload, leaving for My videos. Each time the same file chosen again continues where
it stopped, S3 ends up with exactly the file, and there is exactly one video. Cancelling leaves
nothing behind. Uploads are slowed down (DevTools throttling) so they can be cut mid-way."""

import os
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from pettube import aws as aws_clients
from tests.browser.helpers import Uplink, sign_in
from videos import repository, storage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_UPLINK = 10_000_000  # bytes per second: a 50 MB file takes about 5 s
CONNECTIONS = 4  # parts the page sends at once (static/js/multipart.js)
PART = re.compile(r"[?&]partNumber=(\d+)")


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "long-walk.mp4"
    path.write_bytes(os.urandom(50_000_000))
    return path


class PartLog:
    """Every part PUT to S3 that S3 stored (HTTP 200), in order."""

    def __init__(self, page):
        self.stored: list[int] = []
        page.on("response", self._record)

    def _record(self, response):
        if response.request.method == "PUT" and (match := PART.search(response.url)) and response.status == 200:
            self.stored.append(int(match.group(1)))


def wait_for_bar(page, percent: int, bar: str = "#upload-bar") -> None:
    page.wait_for_function(f"() => document.querySelector('{bar}').value >= {percent}", timeout=30_000)


def stored_object(owner_id: str, video_id: str) -> bytes:
    s3 = aws_clients.client("s3")
    return s3.get_object(Bucket=settings.PETTUBE_BUCKET, Key=storage.upload_key(owner_id, video_id))["Body"].read()


def open_multipart_uploads() -> list:
    return aws_clients.client("s3").list_multipart_uploads(Bucket=settings.PETTUBE_BUCKET).get("Uploads", [])


def start(page, site: str, path, title: str) -> str:
    page.goto(f"{site}/upload/")
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
    uplink.cut()  # context.set_offline(True), and the throttled connections too
    expect(page.get_by_test_id("retry")).to_contain_text("You are offline")
    cut_at = page.eval_on_selector("#upload-bar", "bar => bar.value")
    page.wait_for_timeout(1500)
    uplink.restore()
    page.wait_for_function(f"() => document.querySelector('#upload-bar').value > {cut_at}", timeout=30_000)

    while len(parts.stored) < CONNECTIONS:  # some parts are in, the rest on the way: reload now
        page.wait_for_timeout(50)
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
    while not parts.stored:
        page.wait_for_timeout(50)

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
    Uplink(page, PHONE_UPLINK)
    owner_id = repository.get(start(page, site, big_file, "Never mind")).owner_id
    wait_for_bar(page, 10)

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_test_id("phase")).to_have_text("Paused")
    expect(page.get_by_test_id("announcer")).to_have_text("Upload paused.")
    expect(page.get_by_role("button", name="Resume")).to_be_focused()
    paused_at = page.eval_on_selector("#upload-bar", "bar => bar.value")
    page.wait_for_timeout(1500)
    assert page.eval_on_selector("#upload-bar", "bar => bar.value") <= paused_at  # nothing moves
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
