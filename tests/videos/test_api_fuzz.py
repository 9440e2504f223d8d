"""Property-based fuzzing of the JSON API: whatever a client sends, the answer is never a 500,
and every error is JSON."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FIELDS = ["title", "description", "pet", "filename", "content_type", "size"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=6,
)
upload_bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=12), json_values, max_size=8)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_clean(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response.json()["error"]


@FUZZ
@given(body=upload_bodies)
def test_upload_start_never_500s_on_any_json(aws, signed_in, body):
    response = signed_in.post("/api/videos/", data=json.dumps(body), content_type="application/json")

    assert_clean(response)
    if response.status_code == 201:
        assert response.json()["upload"]["fields"]["key"].startswith("uploads/")


@FUZZ
@given(raw=st.binary(max_size=400))
def test_upload_start_never_500s_on_any_bytes(aws, signed_in, raw):
    assert_clean(signed_in.post("/api/videos/", data=raw, content_type="application/json"))


@FUZZ
@given(cursor=st.text(max_size=200), video_id=st.text(max_size=40))
def test_reads_never_500_on_any_cursor_or_id(aws, client, cursor, video_id):
    assert_clean(client.get("/api/videos/", {"cursor": cursor}))
    path = "/api/videos/" + "".join(ch for ch in video_id if ch not in "?#") + "/"
    assert_clean(client.get(path))
    assert_clean(client.delete(path))
