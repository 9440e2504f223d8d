"""Property-based fuzzing of `GET /api/shorts/`: whatever query a client sends (any parameter,
any text, cursors of other lists, many values of one parameter), the answer is a page or a 400
in the API's error shape, never a 500."""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.strategies import AWKWARD, texts, word_list
from videos.domain import SPECIES

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
values = st.one_of(
    texts(max_size=300), st.sampled_from(["", *SPECIES, "Dog", "dog\r\n", "\u200b\u200b", *AWKWARD]),
    st.integers(100, 2000).map(word_list), st.integers().map(str),
)
queries = st.lists(st.tuples(st.sampled_from(["cursor", "species"]) | texts(max_size=10), values), max_size=4)


@FUZZ
@given(query=queries)
def test_any_query_is_a_page_or_a_400(aws, client, query):
    answer = client.get("/api/shorts/?" + "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in query))

    assert answer.status_code in (200, 400), answer.content[:300]
    body = answer.json()
    if answer.status_code == 400:
        assert body["error"] and set(body["errors"]) <= {"species", "cursor"} and body["errors"]
    else:
        assert set(body) == {"items", "next_cursor"}


def test_fuzzing_reaches_listed_shorts(aws, client):
    video = factories.published(species="cat")

    assert [item["id"] for item in client.get("/api/shorts/?species=cat&unknown=%0D%0A").json()["items"]] == [video.id]


def _quoted(text: str) -> str:
    return quote(text, safe="")
