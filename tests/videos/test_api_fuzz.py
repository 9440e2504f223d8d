"""Property-based fuzzing of the JSON API: whatever a client sends (any JSON, any bytes, any
content type, text with lone surrogates, nesting deeper than Python's recursion limit), the
answer is never a 500, with DEBUG on or off, and every error is JSON."""

import json
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FIELDS = ["title", "description", "pet", "filename", "content_type", "size"]
VALID = {"title": "Rex", "description": "", "pet": "dog", "filename": "rex.mp4", "content_type": "video/mp4",
         "size": 1000}
DEEP = 100_000
# Any code point, lone surrogates included (Hypothesis leaves them out unless asked).
any_text = st.text(alphabet=st.characters(exclude_categories=[]), max_size=300)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | any_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=6,
)
upload_bodies = st.dictionaries(st.sampled_from(FIELDS) | any_text, json_values, max_size=8)
content_types = st.sampled_from([
    "application/json", "application/json; charset=utf-8", "multipart/form-data; boundary=x", "multipart/form-data",
    "application/x-www-form-urlencoded", "text/plain", "",
])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(params=[True, False], ids=["debug-on", "debug-off"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def csrf_client(user):
    """A signed-in browser as the site's pages make it: CSRF enforced, token in the header."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/upload/")
    browser.defaults["HTTP_X_CSRFTOKEN"] = browser.cookies["csrftoken"].value
    return browser


def assert_clean(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response.json()["error"]


def nested(opening: str, closing: str, depth: int) -> str:
    return opening * depth + "1" + closing * depth


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        ('{"title": ' + nested("[", "]", DEEP) + "}", "application/json", 400, "The body must be JSON."),
        ('{"title": ' + nested('{"a": ', "}", DEEP) + "}", "application/json", 400, "The body must be JSON."),
        (json.dumps(VALID | {"title": "a\ud800"}), "application/json", 400,
         "The body must be valid Unicode text (it holds a lone surrogate)."),
        (json.dumps(VALID), "multipart/form-data; boundary=x", 415,
         "The body must be JSON, sent as Content-Type: application/json."),
    ],
    ids=["deep-lists", "deep-objects", "lone-surrogate", "multipart-content-type"],
)
def test_upload_start_refuses_bodies_that_once_gave_500(aws, csrf_client, debug, body, content_type, status, message):
    response = csrf_client.post("/api/videos/", data=body, content_type=content_type)

    assert response.status_code == status
    assert response.json() == {"error": message, "errors": {}}


@FUZZ
@given(body=upload_bodies)
def test_upload_start_never_500s_on_any_json(aws, signed_in, debug, body):
    response = signed_in.post("/api/videos/", data=json.dumps(body), content_type="application/json")

    assert_clean(response)
    if response.status_code == 201:
        assert response.json()["upload"]["fields"]["key"].startswith("uploads/")


@FUZZ
@given(raw=st.binary(max_size=400), content_type=content_types)
def test_upload_start_never_500s_on_any_bytes(aws, csrf_client, debug, raw, content_type):
    assert_clean(csrf_client.post("/api/videos/", data=raw, content_type=content_type))


@settings(FUZZ, max_examples=30)
@given(depth=st.integers(1, 3 * DEEP), opening=st.sampled_from(["[", '{"a": ']), field=st.sampled_from(FIELDS))
def test_upload_start_never_500s_on_any_nesting(aws, signed_in, debug, depth, opening, field):
    closing = "]" if opening == "[" else "}"
    body = json.dumps(VALID)[:-1] + f', "{field}": ' + nested(opening, closing, depth) + "}"

    assert_clean(signed_in.post("/api/videos/", data=body, content_type="application/json"))


@FUZZ
@given(cursor=st.text(max_size=200) | st.binary(max_size=200),
       video_id=st.text(max_size=40) | st.binary(max_size=40).map(quote))
def test_reads_never_500_on_any_cursor_or_id(aws, client, debug, cursor, video_id):
    # A URL is bytes: a lone surrogate cannot travel in one, any byte can (percent-encoded).
    assert_clean(client.get("/api/videos/", {"cursor": cursor}))
    path = "/api/videos/" + "".join(ch for ch in video_id if ch not in "?#") + "/"
    assert_clean(client.get(path))
    assert_clean(client.delete(path))
