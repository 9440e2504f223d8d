"""Views count honestly: once per viewer, video and day, only after some playback (a ticket the
page handed out at least PETTUBE_VIEW_SECONDS earlier, to that viewer only), never the owner's
own, never once the video is private, at most PETTUBE_VIEWS_PER_HOUR an hour from one address."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from community import services, viewers
from pettube import dynamo
from videos import repository as videos

ADDRESS = "127.0.0.1"  # the test client's REMOTE_ADDR


def ticket_from_page(client, video_id: str) -> str:
    page = client.get(f"/v/{video_id}/").content.decode()
    return re.search(r'data-view-ticket="([^"]+)"', page).group(1)


def viewer_of(client) -> str:
    """Who `client` is to the views endpoint (community/viewers.py), as its next request says."""
    request = client.get("/healthz").wsgi_request
    return viewers.viewer(request)


def played_ticket(video, client, seconds: float = 10) -> str:
    """A ticket handed to `client` `seconds` ago, as if its player had been playing since."""
    return services.view_ticket(video=video, viewer=viewer_of(client), now=dynamo.now() - timedelta(seconds=seconds))


def view(client, video, ticket: str | None = None):
    ticket = ticket or played_ticket(video, client)
    return client.post(f"/api/videos/{video.id}/views/", {"ticket": ticket}, content_type="application/json")


def test_a_view_counts_once_per_viewer_and_day(as_viewer, client, video):
    ticket = played_ticket(video, as_viewer)

    assert view(as_viewer, video, ticket).json() == {"counted": True}
    assert view(as_viewer, video, ticket).json() == {"counted": False}
    assert view(as_viewer, video).json() == {"counted": False}  # a new ticket, the same day
    assert videos.get(video.id).views == 1

    tomorrow = dynamo.now() + timedelta(days=1)
    ticket = services.view_ticket(video=video, viewer=viewer_of(as_viewer), now=tomorrow - timedelta(seconds=10))
    assert services.count_view(video_id=video.id, viewers=(viewer_of(as_viewer),), user_id=None, address="a",
                               ticket=ticket, now=tomorrow)
    assert videos.get(video.id).views == 2


def test_a_signed_out_browser_is_one_viewer_by_its_cookie_and_without_one_by_its_address(aws, video):
    browser, same_address, elsewhere = Client(), Client(), Client(REMOTE_ADDR="192.0.2.7")

    first = view(browser, video)  # no cookie yet: counted for its address, and given a cookie
    again = view(browser, video)  # now known by its cookie: another viewer, counted once
    once_more = view(browser, video)
    no_cookie_same_address = view(same_address, video)
    other_address = view(elsewhere, video)

    assert [answer.json()["counted"] for answer in (first, again, once_more, no_cookie_same_address, other_address)] == [
        True, True, False, False, True]
    assert first.cookies["pettube_viewer"]["httponly"]
    assert "pettube_viewer" not in no_cookie_same_address.cookies  # only a counted view earns a cookie
    assert videos.get(video.id).views == 3


def test_a_page_handed_out_before_the_cookie_still_counts_once(aws, client, owner, video):
    """A page of shorts holds tickets for several clips, handed to the browser's address; the
    first counted view gives it a cookie, and the other clips' tickets still count."""
    from tests import factories

    another = factories.ready(str(owner.pk), title="Another")
    first, second = played_ticket(video, client), played_ticket(another, client)

    assert view(client, video, first).json() == {"counted": True}
    assert "pettube_viewer" in client.cookies
    assert view(client, another, second).json() == {"counted": True}
    assert view(client, another, second).json() == {"counted": False}


def test_views_cannot_be_inflated_by_replaying_a_ticket_without_the_viewer_cookie(aws, client, video):
    """Outside finding 6.1: one ticket from the page, posted again and again with the CSRF cookie
    but without the viewer cookie, counted 100 times out of 100."""
    ticket = played_ticket(video, Client())

    answers = [Client().post(f"/api/videos/{video.id}/views/", {"ticket": ticket},
                             content_type="application/json").json() for _ in range(20)]

    assert [answer["counted"] for answer in answers].count(True) == 1
    assert videos.get(video.id).views == 1


def test_a_ticket_counts_only_for_the_viewer_it_was_handed_to(aws, as_viewer, video):
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    borrowed = played_ticket(video, elsewhere)  # handed to a signed-out browser at another address

    answer = view(as_viewer, video, borrowed)

    assert answer.status_code == 400
    assert answer.json()["errors"] == {"ticket": ["This view ticket was handed to another viewer."]}
    assert videos.get(video.id).views == 0


def test_views_are_rate_limited_per_address(aws, settings):
    from tests import factories

    settings.PETTUBE_VIEWS_PER_HOUR = 3
    clips = [factories.ready("5", title=f"clip {n}") for n in range(4)]

    answers = [view(Client(), clip) for clip in clips]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[3]["Retry-After"]) <= 3600
    assert view(Client(REMOTE_ADDR="192.0.2.7"), clips[3]).json() == {"counted": True}


def test_a_ticket_no_longer_counts_once_the_video_is_private(aws, owner, as_viewer, video):
    ticket = played_ticket(video, as_viewer)
    owners = Client()
    owners.force_login(owner)
    owners.patch(f"/api/videos/{video.id}/", {"visibility": "private"}, content_type="application/json")

    assert view(as_viewer, video, ticket).json() == {"counted": False}
    assert videos.get(video.id).views == 0


@pytest.mark.parametrize("address", ["127.0.0.1", "2001:db8::1"])
def test_an_address_is_stored_only_hashed(aws, video, address):
    from tests import leftovers

    assert view(Client(REMOTE_ADDR=address), video).json() == {"counted": True}

    assert leftovers.items_mentioning(address) == []
    assert not [item for item in leftovers.table_items() if address in str(item)]


def test_no_view_without_playback_and_none_for_the_owner(client, owner, as_viewer, video):
    url = f"/api/videos/{video.id}/views/"
    fresh = ticket_from_page(as_viewer, video.id)  # the page was just rendered: nothing played yet

    assert as_viewer.post(url, {"ticket": fresh}, content_type="application/json").json() == {"counted": False}
    client.force_login(owner)
    by_owner = client.post(url, {"ticket": played_ticket(video, client)}, content_type="application/json")
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

    for body in ({"ticket": "forged"}, {"ticket": played_ticket(other, as_viewer)}, {}, {"ticket": 5}):
        answer = as_viewer.post(url, body, content_type="application/json")
        assert answer.status_code == 400 and list(answer.json()["errors"]) == ["ticket"]
    assert as_viewer.post(url, b"[", content_type="application/json").status_code == 400
    assert videos.get(video.id).views == 0
