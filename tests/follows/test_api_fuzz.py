"""Fuzzing following's endpoints: whatever a client sends (bodies, cursors, ids), never a 500,
and every error is JSON."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.strategies import hostile_values

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
cursors = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=200) | \
    st.sampled_from(["\r\nSet-Cookie: a=b", "\u200b\u200b", "9999", "[]", " " * 50])


def assert_clean(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response.json()["error"]


def test_follow_endpoints_take_any_body(aws, as_viewer, owner):
    pet = factories.pet(str(owner.pk))

    @FUZZ
    @given(body=hostile_values)
    def send(body):
        try:
            data = json.dumps(body)
        except (UnicodeEncodeError, ValueError, RecursionError):
            data = "{not json"
        for method in (as_viewer.post, as_viewer.delete):
            for path in (f"/api/pets/{pet.id}/follow/", f"/api/users/{owner.pk}/follow/", "/api/pets/AAAAAAAAAAA/follow/"):
                assert_clean(method(path, data=data, content_type="application/json"))

    send()
    assert as_viewer.get(f"/api/pets/{pet.id}/follow/").json()["followers"] in (0, 1)


def test_cursors_and_ids_never_500(aws, as_viewer):
    reads = [("/api/me/following/", {}), ("/api/videos/", {"feed": "following"}), ("/following/", {})]

    @FUZZ
    @given(cursor=cursors, person=st.integers(0, 10**30))
    def read(cursor, person):
        for path, query in reads:
            response = as_viewer.get(path, {**query, "cursor": cursor})
            assert response.status_code < 500
            if path.startswith("/api/") and response.status_code >= 400:
                assert response.json()["error"]
        assert_clean(as_viewer.post(f"/api/users/{person}/follow/"))

    read()
