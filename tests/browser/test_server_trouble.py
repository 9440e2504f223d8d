"""The pages tell the truth when the server stumbles, in a real Chromium (issue 18): a 502, a 503
or no answer at all while a page follows a video says "PetTube is not answering, retrying…" near
its status, asks again with backoff (honouring Retry-After) and carries on when the server
answers; only a 404 means gone. A control whose request fails, with an HTTP error or with no
answer at all, is enabled again with a message next to it."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import sign_in
from tests.browser.test_smoke import READY_TIMEOUT_MS, upload
from videos import processing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_ANSWERING = "PetTube is not answering, retrying…"
UNREACHABLE = "PetTube could not be reached: check your connection and try again."
SERVER_ERROR = "PetTube is not answering right now: try again in a moment."
A_VIDEO = re.compile(r"/api/videos/[A-Za-z0-9_-]{11}/$")
# Chromium logs each answer the routes below fake, and each request they abort.
FAKED = re.compile(r"the server responded with a status of 50\d|net::ERR_FAILED")


def bad_gateway(route):
    route.fulfill(status=502, json={"message": "Internal server error"})  # API Gateway's own words


def unavailable(seconds: int):
    return lambda route: route.fulfill(status=503, headers={"Retry-After": str(seconds)}, json={"error": "Warming up."})


class Flaky:
    """Answers the first looks at a video (GET /api/videos/<id>/) with `answers`, in turn, and lets
    the rest through; records when each look came."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.asked: list[float] = []

    def __call__(self, route):
        if route.request.method != "GET":
            return route.continue_()
        self.asked.append(time.monotonic())
        if len(self.asked) <= len(self.answers):
            return self.answers[len(self.asked) - 1](route)
        route.continue_()


@pytest.fixture
def olga(aws, make_clip):
    """A person with a ready video and an upload left half-way, made before the browser starts
    (the ORM refuses to run inside Playwright's event loop)."""
    person = get_user_model().objects.create_user(username="olga")
    owner = str(person.pk)
    ready, key = factories.uploaded(make_clip("small"), owner, title="Mittens naps")
    processing.ingest_upload(key=key)
    interrupted = factories.start_upload(owner, title="The long walk", size=50_000_000).video
    return {"ready": ready, "uploading": interrupted}


def test_a_502_then_a_503_while_the_upload_page_follows_processing_only_delays_the_video(
    site, page, problems, make_clip
):
    sign_in(page, site, "rex")
    flaky = Flaky(bad_gateway, unavailable(2))
    page.route(A_VIDEO, flaky)

    video_id = upload(page, site, make_clip("short"), "Rex waits")

    trouble = page.get_by_test_id("server-trouble")
    expect(trouble).to_have_text(NOT_ANSWERING)
    expect(trouble).to_have_attribute("role", "status")
    expect(page.get_by_test_id("phase")).to_have_text("Uploaded. Processing…")
    expect(page.get_by_test_id("failure")).to_be_hidden()  # never "This video is gone"
    page.wait_for_url(f"{site}/v/{video_id}/", timeout=READY_TIMEOUT_MS)
    expect(page.get_by_test_id("flash")).to_have_text("“Rex waits” is ready and on the feed.", timeout=READY_TIMEOUT_MS)
    first, second, third = flaky.asked[:3]
    assert second - first >= 1  # backoff
    assert third - second >= 2  # the 503's Retry-After
    assert [text for text in problems if not FAKED.search(text)] == []


def test_the_watch_page_follows_on_through_no_answer_and_a_503_and_says_when_the_video_is_gone(
    olga, live_server, page, problems
):
    site = live_server.url
    sign_in(page, site, "olga")
    flaky = Flaky(lambda route: route.abort(), unavailable(1))
    page.route(A_VIDEO, flaky)

    page.goto(f"{site}/v/{olga['uploading'].id}/")

    trouble = page.get_by_test_id("server-trouble")
    expect(trouble).to_have_text(NOT_ANSWERING)
    expect(page.get_by_test_id("status")).to_have_text("This video is still uploading.")
    expect(trouble).to_be_hidden()  # the server answers again: the page follows on
    expect(page.get_by_test_id("status")).to_have_text("This video is still uploading.")
    assert len(flaky.asked) >= 3

    page.unroute(A_VIDEO)
    page.route(A_VIDEO, lambda route: route.fulfill(status=404, json={"error": "No such video."}))
    expect(page.get_by_test_id("status")).to_have_text("This video is gone: it was deleted.")
    expect(page.get_by_test_id("status-badge")).to_have_text("deleted")
    expect(trouble).to_be_hidden()
    assert [text for text in problems if not FAKED.search(text) and "404" not in text] == []


def test_a_failed_request_gives_its_control_back_with_a_message(olga, live_server, page, problems):
    site = live_server.url
    video = olga["ready"]
    sign_in(page, site, "olga")
    page.goto(f"{site}/v/{video.id}/")
    like = page.get_by_role("button", name="Like", exact=True)

    page.route(f"{site}/api/videos/{video.id}/like/", lambda route: route.abort(), times=1)
    like.click()
    expect(like).to_be_enabled()
    expect(like).to_have_accessible_description(UNREACHABLE)
    expect(page.get_by_role("status").filter(has_text=UNREACHABLE)).to_be_visible()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("likes")).to_have_text("0")
    like.click()  # the server answers again
    expect(page.get_by_role("button", name="Liked", exact=True)).to_have_accessible_description("")
    expect(page.get_by_test_id("likes")).to_have_text("1")

    comments = f"{site}/api/videos/{video.id}/comments/"
    page.route(comments, lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.get_by_label("Add a comment").fill("Such a good nap.")
    comment = page.get_by_role("button", name="Comment", exact=True)
    comment.click()
    expect(comment).to_be_enabled()
    expect(page.get_by_test_id("comment-error")).to_have_text(UNREACHABLE)
    expect(page.get_by_label("Add a comment")).to_have_value("Such a good nap.")  # nothing lost
    page.unroute(comments)
    comment.click()
    expect(page.get_by_test_id("comments").locator(".comment-text")).to_have_text(["Such a good nap."])
    expect(page.get_by_test_id("comment-error")).to_be_hidden()

    page.get_by_text("Edit this video").click()
    save = page.get_by_role("button", name="Save")
    errors = page.locator("#edit-form .errors")
    for fail, message in ((lambda route: route.abort(), UNREACHABLE), (unavailable(30), SERVER_ERROR)):
        page.route(f"{site}/api/videos/{video.id}/", fail, times=1)
        save.click()
        expect(save).to_be_enabled()
        expect(errors).to_have_text(message)
        expect(errors).to_have_attribute("role", "alert")

    page.goto(f"{site}/me/")
    row = page.locator(f"tr[data-video-id='{video.id}']")
    who = row.get_by_role("combobox")
    page.route(f"{site}/api/videos/{video.id}/", lambda route: route.abort(), times=1)
    who.select_option("private")
    expect(who).to_be_enabled()
    expect(who).to_have_value("public")  # what is saved
    expect(who).to_have_accessible_description(UNREACHABLE)

    delete = row.get_by_role("button", name="Delete")
    page.route(f"{site}/api/videos/{video.id}/", lambda route: route.abort(), times=1)
    delete.click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(delete).to_be_enabled()
    expect(delete).to_have_accessible_description(UNREACHABLE)
    expect(row).to_be_visible()
    assert [text for text in problems if not FAKED.search(text)] == []
