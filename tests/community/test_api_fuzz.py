"""Property-based fuzzing of the community endpoints: whatever a client sends, the answer is
never a 500, and every error is JSON."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=6,
)
bodies = st.dictionaries(st.sampled_from(["text", "ticket", "reason"]) | st.text(max_size=8), json_values, max_size=4)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


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
