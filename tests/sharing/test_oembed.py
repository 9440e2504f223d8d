"""oEmbed 1.0 (https://oembed.com/, sections 2.2 and 2.3.4): `GET /oembed?url=&format=json&
maxwidth=&maxheight=` answers the `video` type for a public or unlisted ready video of this site."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.aws_calls import counted

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
REQUIRED = {"type", "version"}
VIDEO_REQUIRED = {"html", "width", "height"}
OPTIONAL = {"title", "author_name", "author_url", "provider_name", "provider_url", "cache_age", "thumbnail_url",
            "thumbnail_width", "thumbnail_height"}


@pytest.fixture
def video(aws):
    return factories.published("7", title='Rex "the" <b>dog</b>')


def oembed(client, url, **params):
    return client.get("/oembed", {"url": url, **params})


def iframe_of(html: str) -> dict:
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Parser().feed(html)
    [(tag, attributes)] = found
    assert tag == "iframe"
    return attributes


def check_spec(answer: dict, *, maxwidth=None, maxheight=None) -> None:
    """What the spec requires of a `video` answer, and the sizes within the maxima."""
    assert REQUIRED | VIDEO_REQUIRED <= set(answer) <= REQUIRED | VIDEO_REQUIRED | OPTIONAL
    assert answer["version"] == "1.0" and answer["type"] == "video"
    assert isinstance(answer["width"], int) and isinstance(answer["height"], int)
    assert answer["width"] >= 1 and answer["height"] >= 1
    if maxwidth:
        assert answer["width"] <= maxwidth
    if maxheight:
        assert answer["height"] <= maxheight
    if "thumbnail_url" in answer or "thumbnail_width" in answer or "thumbnail_height" in answer:
        assert {"thumbnail_url", "thumbnail_width", "thumbnail_height"} <= set(answer)
        assert answer["thumbnail_width"] <= (maxwidth or answer["thumbnail_width"])
        assert answer["thumbnail_height"] <= (maxheight or answer["thumbnail_height"])
    frame = iframe_of(answer["html"])
    assert (int(frame["width"]), int(frame["height"])) == (answer["width"], answer["height"])


def test_the_video_answer(video, client):
    with counted() as calls:
        response = oembed(client, f"{SITE}/v/{video.id}/", format="json")

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = response.json()
    check_spec(answer)
    assert answer["title"] == 'Rex "the" <b>dog</b>'
    assert answer["author_name"] == "user7" and answer["author_url"] == f"{SITE}/u/7/"
    assert answer["provider_name"] == "PetTube" and answer["provider_url"] == f"{SITE}/"
    assert (answer["width"], answer["height"]) == (640, 360)
    assert answer["thumbnail_url"] == f"{SITE}/v/{video.id}/poster.jpg"
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (640, 360)
    frame = iframe_of(answer["html"])
    assert frame["src"] == f"{SITE}/embed/{video.id}/"
    assert frame["title"] == 'Rex "the" <b>dog</b>'  # escaped in the markup, whole in the attribute
    assert calls == ["dynamodb.GetItem"]


def test_the_embed_pages_url_works_too_and_format_may_be_left_out(video, client):
    assert oembed(client, f"{SITE}/embed/{video.id}/").status_code == 200


def test_an_unlisted_video_may_be_embedded(aws, client):
    unlisted = factories.published("7", visibility="unlisted")
    assert oembed(client, f"{SITE}/v/{unlisted.id}/").status_code == 200


@pytest.mark.parametrize(("maxwidth", "maxheight", "size", "thumbnail"), [
    (320, None, (320, 180), (320, 180)),  # the card fits
    (None, 100, (177, 100), None),  # no picture fits: none offered
    (300, 300, (300, 168), None),
    (5000, 5000, (640, 360), (640, 360)),  # never bigger than the video
    (1, 1, (1, 1), None),
])
def test_sizes_within_maxwidth_and_maxheight_keeping_the_aspect_ratio(video, client, maxwidth, maxheight, size,
                                                                     thumbnail):
    params = {name: value for name, value in (("maxwidth", maxwidth), ("maxheight", maxheight)) if value}
    answer = oembed(client, f"{SITE}/v/{video.id}/", **params).json()

    check_spec(answer, maxwidth=maxwidth, maxheight=maxheight)
    assert (answer["width"], answer["height"]) == size
    assert ((answer["thumbnail_width"], answer["thumbnail_height"]) if "thumbnail_url" in answer else None) == thumbnail


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(maxwidth=st.integers(1, 100_000) | st.none(), maxheight=st.integers(1, 100_000) | st.none())
def test_any_maxima_are_respected(video, client, maxwidth, maxheight):
    params = {name: value for name, value in (("maxwidth", maxwidth), ("maxheight", maxheight)) if value}
    response = oembed(client, f"{SITE}/v/{video.id}/", **params)

    assert response.status_code == 200
    check_spec(response.json(), maxwidth=maxwidth, maxheight=maxheight)


def test_xml_and_other_formats_are_501(video, client):
    for format in ("xml", "yaml", "JSON "):
        response = oembed(client, f"{SITE}/v/{video.id}/", format=format)
        assert response.status_code == 501
        assert response.json()["errors"] == {"format": ["Use json."]}


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "http://evil.example/v/AAAAAAAAAAA/",
    "http://testserver.evil.example/v/AAAAAAAAAAA/",
    "javascript:alert(1)",
    "ftp://testserver/v/AAAAAAAAAAA/",
    "http://testserver/",
    "http://testserver/u/7/",
    "http://testserver/v/AAAAAAAAAAA/",  # no such video
    "/v/AAAAAAAAAAA/",
    "not a url at all",
    "http://[::1",  # malformed
])
def test_urls_that_are_not_our_videos_are_404_json(video, client, url):
    response = oembed(client, url)

    assert response.status_code in (400, 404)
    assert response.json()["error"]


def test_private_uploading_and_hidden_videos_are_404(aws, client, django_user_model):
    owner = django_user_model.objects.create_user(username="ana")
    private = factories.published(str(owner.pk), visibility="private")
    uploading = factories.start_upload(str(owner.pk)).video
    client.force_login(owner)  # even its owner: an embed is for everybody
    from videos import services

    hidden = factories.published(str(owner.pk))
    services.hide_video(video_id=hidden.id)
    for video in (private, uploading, hidden):
        response = oembed(client, f"{SITE}/v/{video.id}/")
        assert response.status_code == 404 and response.json()["error"]


@pytest.mark.parametrize("params", [
    {"url": None},  # no url
    {"url": ""},
    {"url": "x" * 3000},
    {"maxwidth": "abc"},
    {"maxwidth": "0"},
    {"maxwidth": "-5"},
    {"maxwidth": "1e9"},
    {"maxheight": "12.5"},
    {"maxwidth": "99999999999999999999999"},
    {"maxheight": "\u200b\u200b"},
])
def test_nonsense_parameters_are_400_json(video, client, params):
    query = {"url": f"{SITE}/v/{video.id}/"} | params
    response = client.get("/oembed", {name: value for name, value in query.items() if value is not None})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] and body["errors"]


def test_repeated_and_control_character_parameters_are_never_a_500(video, client):
    assert client.get(f"/oembed?url={SITE}/v/{video.id}/%0d%0aX:1").status_code in (400, 404)
    assert client.get(f"/oembed?url={SITE}/v/{video.id}/&url=x&maxwidth=10&maxwidth=abc").status_code in (
        200, 400, 404)


def test_only_get(video, client):
    assert client.post("/oembed", {"url": f"{SITE}/v/{video.id}/"}).status_code == 405


def test_consumers_in_a_browser_may_read_it(video, client):
    assert oembed(client, f"{SITE}/v/{video.id}/")["Access-Control-Allow-Origin"] == "*"
    assert urlsplit(f"{SITE}/oembed").path == "/oembed"
