"""A real-browser journey through following: follow a pet from its page (the count rises), its
owner publishes, the video appears in Following and the header's count rises; the watch page's
button asks for its state; axe-core finds nothing serious on the new pages at a desktop's and a
phone's width."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from follows import services
from tests import factories
from tests.browser.helpers import DESKTOP, PHONE, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ana_and_pet(aws):
    """Ana and her cat, made before the browser starts (the ORM refuses to run inside Playwright's loop)."""
    ana = get_user_model().objects.create_user(username="ana", first_name="Ana")
    get_user_model().objects.create_user(username="vic")
    return ana, factories.pet(str(ana.pk), name="Mimí", species="cat")


def test_follow_a_pet_and_see_its_new_video_in_following(ana_and_pet, site_without_worker, page, problems):
    ana, mimi = ana_and_pet
    site = site_without_worker
    sign_in(page, site, "vic")
    page.goto(f"{site}/following/")
    expect(page.get_by_test_id("following-empty")).to_be_visible()

    # Until follow.js has run, Follow cannot be tapped for nothing: it is disabled.
    held = []  # the script's request, held back (unrouting lets it through)
    page.route("**/js/follow*.js", lambda route: held.append(route))
    page.goto(f"{site}/p/{mimi.id}/", wait_until="commit")  # its load waits for the script
    follow = page.get_by_role("button", name="Follow Mimí")
    expect(follow).to_be_disabled()
    assert held
    page.unroute("**/js/follow*.js")
    expect(follow).to_be_enabled()
    expect(page.get_by_test_id("followers")).to_have_text("0")
    follow.click()
    expect(page.get_by_role("button", name="Following Mimí")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("followers")).to_have_text("1")
    page.reload()
    expect(page.get_by_test_id("followers")).to_have_text("1")

    video = factories.published(str(ana.pk), title="Mimí chases a laser", species="cat", pets=[mimi.id])
    assert services.fan_out_due() == 1  # what the worker does right after publishing
    page.get_by_role("link", name="Following").click()
    expect(page.get_by_role("heading", name="Following")).to_be_visible()
    expect(page.get_by_text("Mimí chases a laser")).to_be_visible()
    expect(page.get_by_test_id("unseen")).to_have_text("1")

    page.goto(f"{site}/v/{video.id}/")
    owner_box = page.get_by_test_id("follow")
    expect(owner_box.get_by_test_id("followers")).to_have_text("0")  # the owner, asked for by the page
    owner_box.get_by_role("button", name=f"Follow user{ana.pk}").click()
    expect(owner_box.get_by_test_id("followers")).to_have_text("1")
    assert problems == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_following_pages_pass_axe(ana_and_pet, site_without_worker, open_page, problems, axe_source, viewport):
    ana, mimi = ana_and_pet
    site = site_without_worker
    factories.published(str(ana.pk), title="Mimí naps", species="cat", pets=[mimi.id])
    page = open_page(viewport)
    found = {}
    page.goto(f"{site}/p/{mimi.id}/")
    found["pet page, signed out"] = axe_violations(page, axe_source)
    sign_in(page, site, "vic")
    page.goto(f"{site}/following/")
    found["following, empty"] = axe_violations(page, axe_source)
    page.goto(f"{site}/p/{mimi.id}/")
    page.get_by_role("button", name="Follow Mimí").click()
    expect(page.get_by_test_id("followers")).to_have_text("1")
    found["pet page, following"] = axe_violations(page, axe_source)
    services.fan_out_due()
    page.goto(f"{site}/following/")
    expect(page.get_by_text("Mimí naps")).to_be_visible()
    found["following"] = axe_violations(page, axe_source)
    page.goto(f"{site}/u/{ana.pk}/")
    found["profile with follow button"] = axe_violations(page, axe_source)
    assert found == {state: [] for state in found}
    assert problems == []
