"""Views count honestly: once per viewer, video and day, only after some playback (a ticket the
page handed out at least PETTUBE_VIEW_SECONDS earlier), never the owner's own."""

import re
from datetime import timedelta

from community import services
from pettube import dynamo
from videos import repository as videos


def ticket_from_page(client, video_id: str) -> str:
    page = client.get(f"/v/{video_id}/").content.decode()
    return re.search(r'data-view-ticket="([^"]+)"', page).group(1)


def played_ticket(video, seconds: float = 10) -> str:
    """A ticket handed out `seconds` ago, as if the player had been playing since."""
    return services.view_ticket(video=video, now=dynamo.now() - timedelta(seconds=seconds))


def test_a_view_counts_once_per_viewer_and_day(as_viewer, client, video):
    url = f"/api/videos/{video.id}/views/"
    ticket = played_ticket(video)

    assert as_viewer.post(url, {"ticket": ticket}, content_type="application/json").json() == {"counted": True}
    assert as_viewer.post(url, {"ticket": ticket}, content_type="application/json").json() == {"counted": False}
    assert videos.get(video.id).views == 1

    tomorrow = dynamo.now() + timedelta(days=1)
    assert services.count_view(video_id=video.id, viewer=f"u{as_viewer.session['_auth_user_id']}", user_id=None,
                               ticket=played_ticket(video), now=tomorrow)
    assert videos.get(video.id).views == 2


def test_a_signed_out_browser_is_one_viewer_by_its_cookie(aws, video):
    from django.test import Client

    url = f"/api/videos/{video.id}/views/"
    browser, other_browser = Client(), Client()

    first = browser.post(url, {"ticket": played_ticket(video)}, content_type="application/json")
    again = browser.post(url, {"ticket": played_ticket(video)}, content_type="application/json")
    other = other_browser.post(url, {"ticket": played_ticket(video)}, content_type="application/json")

    assert [first.json(), again.json(), other.json()] == [{"counted": True}, {"counted": False}, {"counted": True}]
    assert first.cookies["pettube_viewer"]["httponly"]
    assert videos.get(video.id).views == 2


def test_no_view_without_playback_and_none_for_the_owner(client, owner, as_viewer, video):
    url = f"/api/videos/{video.id}/views/"
    fresh = ticket_from_page(as_viewer, video.id)  # the page was just rendered: nothing played yet

    assert as_viewer.post(url, {"ticket": fresh}, content_type="application/json").json() == {"counted": False}
    client.force_login(owner)
    by_owner = client.post(url, {"ticket": played_ticket(video)}, content_type="application/json")
    assert by_owner.json() == {"counted": False}
    assert videos.get(video.id).views == 0


def test_the_owner_is_not_handed_a_ticket_and_rendering_the_page_writes_nothing(client, owner, aws_calls, video):
    client.force_login(owner)
    aws_calls.clear()

    page = client.get(f"/v/{video.id}/").content.decode()

    assert "data-view-ticket" not in page
    assert not [call for call in aws_calls if not call.split(".")[1].startswith(("Get", "BatchGet", "Query"))]


def test_a_forged_or_borrowed_ticket_is_a_400(as_viewer, video, aws):
    from tests import factories

    other = factories.ready("99", title="Another")
    url = f"/api/videos/{video.id}/views/"

    for body in ({"ticket": "forged"}, {"ticket": played_ticket(other)}, {}, {"ticket": 5}):
        answer = as_viewer.post(url, body, content_type="application/json")
        assert answer.status_code == 400 and list(answer.json()["errors"]) == ["ticket"]
    assert as_viewer.post(url, b"[", content_type="application/json").status_code == 400
    assert videos.get(video.id).views == 0
