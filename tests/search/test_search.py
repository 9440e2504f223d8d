"""Search finds public ready videos by the words of their title, description and pets' names."""

import pytest

from search import services as search
from tests import factories
from videos.domain import PRIVATE, UNLISTED

pytestmark = pytest.mark.django_db


def found(client, query, **params):
    response = client.get("/api/videos/", {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.json()


def titles(client, query):
    return [item["title"] for item in found(client, query)["items"]]


@pytest.fixture
def videos(aws):
    rex = factories.pet("7", name="Rex", species="dog")
    factories.published(title="Puppies in the Snow", description="Cold paws.")
    factories.published(title="Crème brûlée thief", description="The CAT stole dessert", species="cat")
    factories.published(title="Ball game", description="fetching balls all day", pets=[rex.id])
    factories.published(title="Secret snow day", visibility=PRIVATE)
    factories.published(title="Unlisted snow day", visibility=UNLISTED)
    factories.start_upload(title="snow upload still running")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("snow", ["Puppies in the Snow"]),
        ("SNOW", ["Puppies in the Snow"]),
        ("puppy", ["Puppies in the Snow"]),  # a plural in the title, singular in the query
        ("paw", ["Puppies in the Snow"]),
        ("creme brulee", ["Crème brûlée thief"]),  # accents
        ("cats dessert", ["Crème brûlée thief"]),  # several words: all of them
        ("rex", ["Ball game"]),  # a tagged pet's name
        ("balls rex", ["Ball game"]),
        ("snow dessert", []),  # every word must match
        ("unicorn", []),
    ],
)
def test_search_by_words_of_titles_descriptions_and_pet_names(videos, client, query, expected):
    assert titles(client, query) == expected


def test_the_search_page_shows_results_and_says_when_nothing_matches(videos, client):
    page = client.get("/search/", {"q": "Snow"}).content.decode()
    nothing = client.get("/search/", {"q": "unicorn"}).content.decode()

    assert ">Puppies in the Snow<" in page and "Secret snow day" not in page and "Unlisted" not in page
    assert 'data-testid="no-results"' in nothing
    assert client.get("/search/").status_code == 200


def all_pages(query, limit):
    pages, cursor = [], None
    while True:
        page = search.search(query=query, limit=limit, cursor=cursor)
        pages.append([video.title for video in page.items])
        cursor = page.next_cursor
        if not cursor:
            return pages


def test_search_results_are_newest_first_and_paginate_with_signed_cursors(aws, client):
    for number in range(5):
        factories.published(title=f"kitten {number}", description="tiny kittens" if number % 2 else "")

    assert titles(client, "kitten") == [f"kitten {number}" for number in range(4, -1, -1)]
    pages = all_pages("kittens", limit=2)
    assert pages[:3] == [["kitten 4", "kitten 3"], ["kitten 2", "kitten 1"], ["kitten 0"]]
    assert sum(pages, []) == [f"kitten {number}" for number in range(4, -1, -1)]
    assert sum(all_pages("tiny kitten", limit=1), []) == ["kitten 3", "kitten 1"]
    first = found(client, "kitten")
    assert first["next_cursor"] is None


@pytest.mark.parametrize("query", ["", "   ", "!!!"])
def test_a_search_without_words_is_400_json(aws, client, query):
    response = client.get("/api/videos/", {"q": query})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"q"}


def test_a_forged_search_cursor_is_400(aws, client):
    assert client.get("/api/videos/", {"q": "snow", "cursor": "forged"}).status_code == 400
    assert client.get("/search/", {"q": "snow", "cursor": "forged"}).status_code == 400


def test_a_search_of_too_many_words_is_400_not_an_expression_dynamodb_refuses(aws, client):
    """Outside finding 6.5d: 1,500 distinct words made a filter over DynamoDB's 4 KB and a 500."""
    words = " ".join(f"word{number}" for number in range(1500))

    response = client.get("/api/videos/", {"q": words})
    page = client.get("/search/", {"q": words})

    assert response.status_code == 400
    assert response.json()["errors"] == {"q": [f"Search for at most {search.MAX_QUERY_WORDS} words."]}
    assert page.status_code == 400 and "Search for at most" in page.content.decode()
    at_most = " ".join(f"word{number}" for number in range(search.MAX_QUERY_WORDS))
    assert client.get("/api/videos/", {"q": at_most}).json()["items"] == []
