"""The embed page `/embed/<id>/`: the player alone, which any site may frame (the only page that
says `frame-ancestors *` and sends no X-Frame-Options), working without cookies."""

import pytest

from tests import factories
from tests.aws_calls import counted

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(aws):
    return factories.published("7", title="Rex <jumps>")


def frame_ancestors(response) -> str:
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    )
    return policy["frame-ancestors"]


def test_the_embed_page_may_be_framed_by_any_site(video, client):
    with counted() as calls:
        response = client.get(f"/embed/{video.id}/")

    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response
    assert calls == ["dynamodb.GetItem"]
    html = response.content.decode()
    assert 'id="player"' in html and f'href="http://testserver/v/{video.id}/"' in html
    assert "Rex &lt;jumps&gt;" in html


def test_it_keeps_the_rest_of_the_policy(video, client):
    policy = client.get(f"/embed/{video.id}/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "media-src 'self' http://127.0.0.1:" in policy  # the bucket's origin, as on every page


@pytest.mark.parametrize("path", ["/", "/v/{id}/", "/search/?q=rex", "/login/", "/oembed?url=x"])
def test_every_other_page_refuses_to_be_framed(video, client, path):
    response = client.get(path.format(id=video.id))

    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "'none'"


def test_it_sets_no_cookie_and_needs_none(video, client):
    response = client.get(f"/embed/{video.id}/")

    assert not response.cookies


def test_private_unfinished_and_unknown_videos_have_no_embed(aws, client, django_user_model):
    owner = django_user_model.objects.create_user(username="ana")
    private = factories.published(str(owner.pk), visibility="private")
    uploading = factories.start_upload(str(owner.pk)).video
    client.force_login(owner)

    for video_id in (private.id, uploading.id, "AAAAAAAAAAA"):
        response = client.get(f"/embed/{video_id}/")
        assert response.status_code == 404
        assert response["X-Frame-Options"] == "DENY"


def test_an_unlisted_video_has_one(aws, client):
    unlisted = factories.published("7", visibility="unlisted")
    assert client.get(f"/embed/{unlisted.id}/").status_code == 200


def test_its_views_count_from_a_frame_that_sends_no_cookie_and_no_csrf_token(video, settings):
    import re

    from django.test import Client

    from videos import services

    settings.PETTUBE_VIEW_SECONDS = 0
    framed = Client(enforce_csrf_checks=True)  # as in another site's frame: no cookie of ours at all
    page = framed.get(f"/embed/{video.id}/").content.decode()
    ticket = re.search(r'data-view-ticket="([^"]+)"', page).group(1)

    answer = framed.post(f"/api/videos/{video.id}/views/", {"ticket": ticket}, content_type="application/json")

    assert answer.status_code == 200 and answer.json() == {"counted": True}
    assert services.visible_video(video_id=video.id, user_id=None).views == 1
    forged = framed.post(f"/api/videos/{video.id}/views/", {"ticket": "forged"}, content_type="application/json")
    assert forged.status_code == 400
