"""A real-browser journey through pets and discovery: add a pet, upload a video tagged with it,
find the video by search and by species, make it private and see it vanish for someone else."""

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, REPORT_CSP_VIOLATIONS
from tests.browser.test_smoke import READY_TIMEOUT_MS
from tests.waiting import eventually
from videos import repository


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def person(browser, site, username, problems):
    """A page in its own browser context, signed in as `username` with the dev login."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(f"{username}: {message.text}"))
    page.on("pageerror", lambda failure: problems.append(f"{username}: uncaught {failure}"))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.goto(f"{site}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("signed-in-as")).to_have_text(username)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pet_upload_search_species_and_privacy(site, browser, make_clip):
    problems = []
    owner = person(browser, site, "ana", problems)

    owner.get_by_role("link", name="My pets").click()
    owner.get_by_label("Name").fill("Mimí")
    owner.get_by_label("Species").select_option("cat")
    owner.get_by_role("button", name="Add pet").click()
    expect(owner.get_by_role("link", name="Mimí")).to_be_visible()

    owner.goto(f"{site}/upload/")
    owner.get_by_label("Title").fill("Sleepy kittens")
    owner.get_by_label("Pet").select_option("cat")
    owner.get_by_label("Mimí").check()
    owner.get_by_label("Video file").set_input_files(make_clip("short"))
    with owner.expect_response(lambda response: response.url == f"{site}/api/videos/") as started:
        owner.get_by_role("button", name="Upload").click()
    video_id = started.value.json()["id"]
    owner.wait_for_url(f"{site}/v/{video_id}/", timeout=READY_TIMEOUT_MS)
    expect(owner.get_by_test_id("video-pets")).to_have_text("Starring Mimí")
    # The upload page opens the watch page as soon as the start is playable; search lists the
    # video once it is ready.
    eventually(lambda: repository.get(video_id).status == "ready", timeout=READY_TIMEOUT_MS / 1000, interval=0.25)

    visitor = person(browser, site, "bo", problems)
    visitor.get_by_role("searchbox", name="Search").fill("MIMI kitten")
    visitor.get_by_role("searchbox", name="Search").press("Enter")
    expect(visitor.get_by_role("link", name="Sleepy kittens")).to_be_visible()
    visitor.goto(f"{site}/")
    visitor.get_by_role("navigation", name="Species").get_by_role("link", name="Cat").click()
    expect(visitor).to_have_url(f"{site}/?species=cat")
    expect(visitor.get_by_role("link", name="Sleepy kittens")).to_be_visible()
    visitor.get_by_role("link", name="Mimí").click()
    expect(visitor.get_by_role("heading", name="Mimí", level=1)).to_be_visible()
    expect(visitor.get_by_role("link", name="Sleepy kittens")).to_be_visible()

    owner.get_by_text("Edit this video").click()
    owner.get_by_label("Who can watch").select_option("private")
    owner.get_by_role("button", name="Save").click()
    expect(owner.get_by_test_id("visibility")).to_have_text("Private")

    visitor.goto(f"{site}/search/?q=mimi")
    expect(visitor.get_by_test_id("no-results")).to_be_visible()
    visitor.goto(f"{site}/?species=cat")
    expect(visitor.get_by_role("link", name="Sleepy kittens")).to_have_count(0)
    assert visitor.goto(f"{site}/v/{video_id}/").status == 404
    expect(owner.get_by_role("heading", name="Sleepy kittens")).to_be_visible()

    assert [problem for problem in problems if "404" not in problem] == []
