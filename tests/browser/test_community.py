"""A real-browser journey through the community: a viewer likes, plays and comments, and sees
the counts change without a reload; the uploader unsubscribes with the link of the email PetTube
sent when their video was ready. Any console error, uncaught exception or CSP violation fails it."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from notifications import services as notifications
from tests import emails, factories
from tests.browser.conftest import REPORT_CSP_VIOLATIONS
from tests.waiting import eventually
from videos import repository
from videos.domain import READY

HOSTILE = "So <b>cute</b>! https://evil.example/"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_like_play_comment_and_unsubscribe(site, page, moto_endpoint, make_clip, settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are the test's own.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PETTUBE_VIEW_SECONDS = 1
    settings.PETTUBE_SITE_URL = site
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda failure: problems.append(f"uncaught: {failure}"))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    uploader = get_user_model().objects.create_user(username="olga", first_name="Olga", email="olga@example.com")
    video, _ = factories.uploaded(make_clip("small"), owner_id=str(uploader.pk), title="Mittens naps")
    # The site's event pump processes the upload, as on the dev server.
    eventually(lambda: repository.get(video.id).status == READY, timeout=30, interval=0.2)

    # Until the page's script has run, Like cannot be tapped for nothing: it is disabled.
    held = []  # the script's request, held back (unrouting lets it through)
    page.route("**/js/community*.js", lambda route: held.append(route))
    page.goto(f"{site}/login/?next=/v/{video.id}/")
    page.get_by_label("Username").fill("vic")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Mittens naps")).to_be_visible()
    like = page.get_by_role("button", name="Like", exact=True)
    expect(like).to_be_disabled()
    assert held
    page.unroute("**/js/community*.js")
    expect(like).to_be_enabled()

    like.click()
    expect(page.get_by_role("button", name="Liked", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("likes")).to_have_text("1")

    page.locator("video#player").evaluate("video => { video.muted = true; return video.play(); }")
    expect(page.get_by_test_id("views")).to_have_text("1", timeout=15_000)

    page.get_by_label("Add a comment").fill(HOSTILE)
    page.get_by_role("button", name="Comment", exact=True).click()
    comment = page.get_by_test_id("comments").locator("li").first
    expect(comment.locator(".comment-text")).to_have_text(HOSTILE)
    assert comment.locator("b, a").count() == 0  # text, not markup or links

    page.reload()
    expect(page.get_by_test_id("likes")).to_have_text("1")
    expect(page.get_by_test_id("comments").locator(".comment-text")).to_have_text([HOSTILE])

    olgas = emails.to(emails.sent(moto_endpoint), "olga@example.com")
    ready_email = next(message for message in olgas if "is ready" in message["Subject"])
    unsubscribe = next(line.split()[-1] for line in emails.text_of(ready_email).splitlines() if "/unsubscribe/" in line)
    page.goto(unsubscribe)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("is off")
    assert not notifications.wants(uploader, "ready")
    assert problems == []
