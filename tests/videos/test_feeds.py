"""The lists `GET /api/videos/` and the feed page choose by their query parameter
(videos/feeds.py), which the apps that keep them register: one at a time, each refusing what it
cannot list with a 400 naming the parameter, and never a 500."""

import pytest

from tests import factories
from videos import feeds

pytestmark = pytest.mark.django_db


def test_the_apps_that_keep_lists_registered_them():
    chosen = {name: feeds.chosen({name: value})[0].parameter
              for name, value in {"q": "rex", "species": "cat", "sort": "popular"}.items()}
    assert chosen == {"q": "q", "species": "species", "sort": "sort"}
    assert feeds.chosen({}) is None
    assert feeds.chosen({"sort": "newest"}) is None  # only sort=popular chooses the ranking
    assert feeds.chosen({"q": "rex"}, feed_page=True) is None  # search has a page of its own


@pytest.mark.parametrize("query", [{"q": "rex", "species": "cat"}, {"sort": "popular", "species": "cat"},
                                   {"sort": "popular", "q": "rex"}])
def test_two_lists_at_once_are_refused_naming_one_of_them(aws, client, query):
    response = client.get("/api/videos/", query)

    assert response.status_code == 400
    body = response.json()
    assert "one list at a time" in body["error"] and set(body["errors"]) == set(query)


@pytest.mark.parametrize("query, field", [({"species": "dragon"}, "species"), ({"q": "  \u200b "}, "q"),
                                          ({"cursor": "forged"}, "cursor"), ({"species": "cat", "cursor": "x"}, "cursor")])
def test_a_value_a_list_cannot_take_is_a_400_naming_it(aws, client, query, field):
    response = client.get("/api/videos/", query)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_an_unknown_sort_is_the_newest_videos(aws, client):
    video = factories.published(title="Rex at the beach")

    answer = client.get("/api/videos/", {"sort": "newest"}).json()

    assert [item["id"] for item in answer["items"]] == [video.id]
