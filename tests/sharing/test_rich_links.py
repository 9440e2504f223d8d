"""Rich links: the watch page of a public or unlisted video carries Open Graph and an X player
card whose media are stable URLs on the site (a redirect to a fresh presigned URL); a private
video's page gives away nothing."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories
from tests.aws_calls import counted

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def video(aws):
    return factories.published("7", title="Rex & the <ball>", description="Rex jumps.\n0:00 Start")


def test_open_graph_and_player_card(video, client, head):
    page = head(client.get(f"/v/{video.id}/").content.decode())
    meta = {name: values[0] for name, values in page.meta.items()}

    assert meta["og:type"] == "video.other"
    assert meta["og:title"] == "Rex & the <ball>"
    assert meta["og:description"].startswith("Rex jumps.")
    assert meta["og:url"] == f"{SITE}/v/{video.id}/"
    assert meta["og:image"] == f"{SITE}/v/{video.id}/poster.jpg"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("640", "360")  # never scaled up
    assert meta["og:image:type"] == "image/jpeg"
    assert meta["og:video"] == f"{SITE}/v/{video.id}/video.mp4"
    assert (meta["og:video:type"], meta["og:video:width"], meta["og:video:height"]) == ("video/mp4", "640", "360")
    assert meta["twitter:card"] == "player"
    assert meta["twitter:player"] == f"{SITE}/embed/{video.id}/"
    assert (meta["twitter:player:width"], meta["twitter:player:height"]) == ("640", "360")
    assert meta["twitter:image"] == meta["og:image"]


def test_no_url_in_the_tags_expires(video, client, head):
    page = head(client.get(f"/v/{video.id}/").content.decode())

    urls = [value for values in page.meta.values() for value in values if value.startswith("http")]
    assert urls and all(urlsplit(url).netloc == "testserver" and "Signature" not in url and "Expires" not in url
                        for url in urls)


def test_oembed_discovery_link(video, client, head):
    page = head(client.get(f"/v/{video.id}/").content.decode())

    [link] = [link for link in page.links if link.get("type") == "application/json+oembed"]
    assert link["rel"] == "alternate"
    query = parse_qs(urlsplit(link["href"]).query)
    assert urlsplit(link["href"]).path == "/oembed"
    assert query == {"url": [f"{SITE}/v/{video.id}/"], "format": ["json"]}
    assert client.get(link["href"]).status_code == 200


def test_an_unlisted_videos_page_has_them_and_asks_not_to_be_indexed(aws, client, head):
    unlisted = factories.published("7", visibility="unlisted")
    page = head(client.get(f"/v/{unlisted.id}/").content.decode())

    assert page.meta["og:video"] and page.meta["robots"] == ["noindex"]


def test_a_private_videos_page_gives_away_nothing(aws, client, django_user_model, head):
    owner = django_user_model.objects.create_user(username="ana")
    private = factories.published(str(owner.pk), title="Secret", visibility="private")
    client.force_login(owner)  # only its owner sees the page at all

    page = head(client.get(f"/v/{private.id}/").content.decode())

    assert not [name for name in page.meta if name.startswith(("og:", "twitter:", "video:"))]
    assert not [link for link in page.links if link.get("type") == "application/json+oembed"]


@pytest.mark.parametrize(("name", "key"), [("poster.jpg", "poster-1.jpg"), ("card.jpg", "card-1.jpg"),
                                           ("video.mp4", "video.mp4")])
def test_stable_media_urls_redirect_to_a_fresh_presigned_url(video, client, name, key):
    with counted() as calls:
        answer = client.get(f"/v/{video.id}/{name}")

    assert answer.status_code == 302
    target = urlsplit(answer["Location"])
    assert target.path.endswith(f"/media/{video.id}/{key}")
    assert "X-Amz-Signature" in target.query
    assert "max-age=300" in answer["Cache-Control"]
    assert calls == ["dynamodb.GetItem"]


@pytest.mark.parametrize("visibility", ["private"])
def test_stable_media_urls_of_a_private_video_are_404_even_for_its_owner(aws, client, django_user_model, visibility):
    owner = django_user_model.objects.create_user(username="ana")
    private = factories.published(str(owner.pk), visibility=visibility)
    client.force_login(owner)

    for name in ("poster.jpg", "card.jpg", "video.mp4"):
        assert client.get(f"/v/{private.id}/{name}").status_code == 404


def test_a_stable_picture_url_answers_only_with_its_objects_format(video, client):
    assert client.get(f"/v/{video.id}/poster.jpg").status_code == 302
    for name in ("poster.webp", "poster.png", "card.webp", "poster.jpg.exe"):
        assert client.get(f"/v/{video.id}/{name}").status_code == 404


def test_stable_media_urls_of_unknown_or_unfinished_videos_are_404(aws, client):
    uploading = factories.start_upload("7").video
    for video_id in ("nonexistent", uploading.id):
        assert client.get(f"/v/{video_id}/poster.jpg").status_code == 404
