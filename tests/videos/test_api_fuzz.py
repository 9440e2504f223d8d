"""Property-based fuzzing of the JSON API: whatever a client sends (any JSON, any bytes, any
content type, text with lone surrogates, nesting deeper than Python's recursion limit), the
answer is never a 500, with DEBUG on or off, and every error is JSON. Valid bodies, as they are
or with hostile values in a few fields, reach the success answers too: a started upload or an
edit reads back as sent, and a good share of the examples must get there."""

import json
import math
from collections import Counter
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.strategies import any_text, as_form_text, hostile_values, json_values, mutated, texts
from videos.domain import SPECIES

pytestmark = pytest.mark.django_db

FIELDS = ["title", "description", "pet", "filename", "content_type", "size"]
EDIT_FIELDS = ["title", "description", "pets", "visibility", "poster"]
VALID = {"title": "Rex", "description": "", "pet": "dog", "filename": "rex.mp4", "content_type": "video/mp4",
         "size": 1000}
VISIBILITIES = ["public", "unlisted", "private"]
MULTIPART_FROM = 16 * 1024 * 1024  # the README: a file of 16 MiB or more goes in parts
SUCCESS_SHARE = 0.2  # of the examples built from valid bodies, at least this many must succeed
DEEP = 100_000
upload_bodies = st.dictionaries(st.sampled_from(FIELDS) | any_text, json_values, max_size=8)
content_types = st.sampled_from(["video/mp4", "video/quicktime", "video/webm", "VIDEO/MP4", " video/3gpp ", "video/"])
body_content_types = st.sampled_from([
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
        assert_started(signed_in, body, response.json())


@pytest.fixture
def many_uploads(settings):
    """The hourly upload limit out of the way: one fuzz run starts hundreds of uploads."""
    settings.PETTUBE_UPLOADS_PER_HOUR = 100_000


@pytest.fixture
def own_pets(signed_in) -> list[str]:
    """The ids of six pets of the signed-in person (one more than a video may be tagged with)."""
    ids = []
    for name, species in [("Rex", "dog"), ("Tom", "cat"), ("Pip", "bird"), ("Bun", "rabbit"), ("Nemo", "fish"),
                          ("Spike", "reptile")]:
        added = signed_in.post("/api/pets/", data=json.dumps({"name": name, "species": species}),
                               content_type="application/json")
        assert added.status_code == 201, added.content
        ids.append(added.json()["id"])
    return ids


@pytest.fixture
def strangers_pet(aws) -> str:
    return factories.pet("someone-else", name="Not yours").id


def upload_starts(own_pets: list[str], strangers_pet: str) -> st.SearchStrategy[dict]:
    """Bodies of `POST /api/videos/` the form accepts, some with a few fields changed to hostile
    values (someone else's pet among them)."""
    valid = st.fixed_dictionaries(
        {
            "title": texts(min_size=1, max_size=100),
            "description": texts(max_size=5000),
            "pet": st.sampled_from(SPECIES),
            "filename": texts(min_size=1, max_size=255),
            "content_type": content_types,
            "size": st.deferred(lambda: st.integers(1, django_settings.PETTUBE_MAX_UPLOAD_BYTES)),
        },
        optional={"visibility": st.sampled_from(VISIBILITIES), "pets": st.lists(st.sampled_from(own_pets), max_size=5)},
    )
    return mutated(valid, [*FIELDS, "visibility", "pets"], hostile=hostile_values | st.just([strangers_pet]))


def assert_started(client, body: dict, answer: dict) -> None:
    """A 201 to `POST /api/videos/` has the contract's shape, and the video reads back as sent."""
    assert set(answer) == {"id", "status", "upload"} and answer["status"] == "uploading", answer
    upload = answer["upload"]
    if upload["kind"] == "post":
        assert set(upload) == {"kind", "url", "fields"} and upload["fields"]["key"].startswith("uploads/"), upload
    else:
        assert set(upload) == {"kind", "part_size", "part_count"} and upload["kind"] == "multipart", upload
    if isinstance(body["size"], int):
        assert (upload["kind"] == "multipart") == (body["size"] >= MULTIPART_FROM), (body["size"], upload)
        if upload["kind"] == "multipart":
            assert upload["part_count"] == math.ceil(body["size"] / upload["part_size"]), (body["size"], upload)
    stored = client.get(f"/api/videos/{answer['id']}/")
    assert stored.status_code == 200, stored.content[:500]
    assert_reads_as_sent(stored.json(), body)
    assert stored.json()["status"] == "uploading" and stored.json()["pet"] == body["pet"]


def assert_reads_as_sent(video: dict, body: dict) -> None:
    """The fields of `body` (checked as the form checks them) are the video's."""
    for name in ("title", "description"):
        if name in body:
            assert video[name] == as_form_text(body[name]), (name, body[name], video[name])
    if "visibility" in body:
        assert video["visibility"] == (as_form_text(body["visibility"]) or "public"), body["visibility"]
    if "pets" in body:
        sent = list(dict.fromkeys(body["pets"])) if isinstance(body["pets"], list) else []
        assert [pet["id"] for pet in video["pets"]] == sent, (body["pets"], video["pets"])


def test_upload_starts_from_valid_bodies_succeed_and_hostile_fields_get_4xx(
    aws, signed_in, debug, many_uploads, own_pets, strangers_pet
):
    outcomes = Counter()

    @FUZZ
    @given(body=upload_starts(own_pets, strangers_pet))
    def start(body):
        response = signed_in.post("/api/videos/", data=json.dumps(body), content_type="application/json")
        assert_clean(response)
        outcomes[response.status_code] += 1
        event(f"answered {response.status_code}")
        if response.status_code == 201:
            assert_started(signed_in, body, response.json())

    start()
    assert outcomes[201] >= SUCCESS_SHARE * outcomes.total(), outcomes


def edits(own_pets: list[str], strangers_pet: str) -> st.SearchStrategy[dict]:
    """Bodies of `PATCH /api/videos/<id>/` the form accepts (for a video with 4 thumbnails), some
    with a few fields changed to hostile values (someone else's pet among them)."""
    valid = st.fixed_dictionaries({}, optional={
        "title": texts(min_size=1, max_size=100),
        "description": texts(max_size=5000),
        "pets": st.lists(st.sampled_from(own_pets), max_size=5),
        "visibility": st.sampled_from(VISIBILITIES),
        "poster": st.integers(0, 3),
    })
    return mutated(valid, EDIT_FIELDS, hostile=hostile_values | st.just([strangers_pet]))


def test_edits_from_valid_bodies_succeed_and_hostile_fields_get_4xx(aws, signed_in, user, debug, own_pets,
                                                                     strangers_pet):
    video = factories.published(str(user.pk), title="Rex digs", description="In the garden.")  # 4 thumbnails
    outcomes = Counter()

    @settings(FUZZ, max_examples=75)  # each edit rewrites the video's listings: half as many
    @given(body=edits(own_pets, strangers_pet))
    def edit(body):
        response = signed_in.patch(f"/api/videos/{video.id}/", data=json.dumps(body), content_type="application/json")
        assert_clean(response)
        outcomes[response.status_code] += 1
        event(f"answered {response.status_code}")
        if response.status_code == 200:
            assert_reads_as_sent(response.json(), body)
            if type(body.get("poster")) is int:
                assert f"/{video.id}/poster-{body['poster']}.jpg?" in response.json()["thumbnail_url"]
            stored = signed_in.get(f"/api/videos/{video.id}/").json()
            assert {name: stored[name] for name in ("title", "description", "visibility", "pets")} == {
                name: response.json()[name] for name in ("title", "description", "visibility", "pets")}

    edit()
    assert outcomes[200] >= SUCCESS_SHARE * outcomes.total(), outcomes


@FUZZ
@given(raw=st.binary(max_size=400), content_type=body_content_types)
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
