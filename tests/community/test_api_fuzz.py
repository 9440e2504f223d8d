"""Property-based fuzzing of the community endpoints: whatever a client sends, the answer is
never a 500, and every error is JSON. Valid comments and reports, as they are or with hostile
values, are posted too: a good share of them must be taken, and a comment reads back as sent."""

import json
from collections import Counter

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.strategies import mutated, texts

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=6,
)
bodies = st.dictionaries(st.sampled_from(["text", "ticket", "reason"]) | st.text(max_size=8), json_values, max_size=4)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SUCCESS_SHARE = 0.2  # of the examples built from valid bodies, at least this many must succeed
comments = mutated(st.fixed_dictionaries({"text": texts(min_size=1, max_size=2000)}), ["text"])
reports = mutated(st.fixed_dictionaries({"reason": texts(min_size=1, max_size=500)}), ["reason"])


def assert_clean(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response.json()["error"]


@FUZZ
@given(body=bodies | json_values)
def test_writes_never_500_on_any_json(as_viewer, video, body, settings):
    settings.PETTUBE_COMMENTS_PER_HOUR = 10_000
    data = json.dumps(body)
    for path in ("comments/", "views/", "report/", "like/", "comments/nosuchcomment/report/"):
        assert_clean(as_viewer.post(f"/api/videos/{video.id}/{path}", data=data, content_type="application/json"))


def test_comments_from_valid_bodies_are_posted_and_hostile_ones_get_4xx(as_viewer, viewer, video, settings):
    settings.PETTUBE_COMMENTS_PER_HOUR = 10_000
    outcomes = Counter()

    @FUZZ
    @given(body=comments)
    def post(body):
        response = as_viewer.post(f"/api/videos/{video.id}/comments/", data=json.dumps(body),
                                  content_type="application/json")
        assert_clean(response)
        outcomes[response.status_code] += 1
        event(f"answered {response.status_code}")
        if response.status_code == 201:
            posted = response.json()
            assert set(posted) == {"id", "author", "author_id", "text", "created_at"}, posted
            assert posted["text"] == body["text"].strip() and posted["author_id"] == str(viewer.pk)
            assert posted in as_viewer.get(f"/api/videos/{video.id}/comments/").json()["items"]  # newest first

    post()
    assert outcomes[201] >= SUCCESS_SHARE * outcomes.total(), outcomes


def test_reports_from_valid_bodies_are_taken_and_hostile_ones_get_4xx(as_viewer, video):
    outcomes = Counter()

    @FUZZ
    @given(body=reports)
    def report(body):
        response = as_viewer.post(f"/api/videos/{video.id}/report/", data=json.dumps(body),
                                  content_type="application/json")
        assert_clean(response)
        outcomes[response.status_code] += 1
        event(f"answered {response.status_code}")
        if response.status_code == 200:
            assert response.json() == {"reported": True, "hidden": False}  # one person's reports never hide

    report()
    assert outcomes[200] >= SUCCESS_SHARE * outcomes.total(), outcomes


@FUZZ
@given(raw=st.binary(max_size=300))
def test_writes_never_500_on_any_bytes(as_viewer, video, raw):
    for path in ("comments/", "views/", "report/"):
        assert_clean(as_viewer.post(f"/api/videos/{video.id}/{path}", data=raw, content_type="application/json"))


@FUZZ
@given(cursor=st.text(max_size=200), comment_id=st.text(max_size=30))
def test_reads_never_500_on_any_cursor_or_comment_id(as_viewer, video, cursor, comment_id):
    assert_clean(as_viewer.get(f"/api/videos/{video.id}/comments/", {"cursor": cursor}))
    assert_clean(as_viewer.get("/api/videos/", {"sort": "popular", "cursor": cursor}))
    path = f"/api/videos/{video.id}/comments/" + "".join(ch for ch in comment_id if ch not in "?#") + "/"
    assert_clean(as_viewer.delete(path))
