"""A person's profile page lists their ready public videos in full pages, and its "Older videos"
link never carries anything about a video the visitor cannot see."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client

from tests import factories
from videos import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(settings):
    settings.PETTUBE_UPLOADS_PER_HOUR = 100
    return get_user_model().objects.create_user(username="ana", first_name="Ana")


def older_videos_cursor(page: str) -> str | None:
    link = re.search(r'href="(\?cursor=[^"]+)">Older videos<', page)
    return parse_qs(urlsplit(unescape(link.group(1))).query)["cursor"][0] if link else None


def test_newer_unfinished_uploads_neither_empty_the_page_nor_leak_through_the_cursor(aws, client, person):
    for n in range(2):
        factories.published(str(person.pk), title=f"ready {n}")
    unfinished = [factories.start_upload(str(person.pk), title=f"unfinished {n}").video for n in range(services.PAGE_SIZE)]

    page = client.get(f"/u/{person.pk}/").content.decode()

    assert "ready 0" in page and "ready 1" in page
    assert older_videos_cursor(page) is None
    assert not any(video.id in page for video in unfinished)


def test_pages_are_full_and_cursors_name_only_public_videos(aws, client, person):
    ready = [factories.published(str(person.pk), title=f"ready {n}") for n in range(services.PAGE_SIZE + 1)]
    for n in range(3):
        factories.start_upload(str(person.pk), title=f"unfinished {n}")

    first = client.get(f"/u/{person.pk}/").content.decode()
    cursor = older_videos_cursor(first)
    second = client.get(f"/u/{person.pk}/", {"cursor": cursor}).content.decode()

    assert first.count('class="card"') == services.PAGE_SIZE
    key = signing.loads(cursor, salt="videos.repository.cursor")["k"]
    assert key["id"]["S"] in {video.id for video in ready}
    assert "ready 0" in second and second.count('class="card"') == 1
    assert older_videos_cursor(second) is None


def test_someone_with_no_public_video_has_no_profile_page_for_anybody(aws, client, person):
    """Outside finding 6.7: /u/<id>/ (sequential ids) showed the display name of anyone who ever
    signed in, with nothing public: a 404 now, for staff too, until they publish a video."""
    private = factories.published(str(person.pk), title="just mine", visibility="private")
    factories.start_upload(str(person.pk), title="uploading")
    staff = get_user_model().objects.create_user(username="mod", is_staff=True)

    assert client.get(f"/u/{person.pk}/").status_code == 404
    client.force_login(staff)
    answer = client.get(f"/u/{person.pk}/")
    assert answer.status_code == 404 and "Ana" not in answer.content.decode()
    assert private.title not in answer.content.decode()

    client.force_login(person)
    assert client.get(f"/u/{person.pk}/").status_code == 200  # their own
    factories.published(str(person.pk), title="for everyone")
    assert Client().get(f"/u/{person.pk}/").status_code == 200
