"""AWS calls per page, counted with botocore's event hooks: each page is one DynamoDB round
trip where it can be (presigned URLs are signed locally and cost no call)."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from tests.aws_calls import counted

pytestmark = pytest.mark.django_db

QUERY, GET = "dynamodb.Query", "dynamodb.GetItem"


@pytest.fixture
def site(aws):
    owner = get_user_model().objects.create_user(username="ana")
    rex = factories.pet(str(owner.pk), name="Rex", species="dog")
    videos = [factories.published(str(owner.pk), title=f"Rex and the ball {n}", pets=[rex.id]) for n in range(3)]
    return {"owner": owner, "pet": rex, "video": videos[-1]}


def calls_for(client, path, **params):
    with counted() as calls:
        response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    return calls


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("/", {}, [QUERY]),
        ("/", {"species": "dog"}, [QUERY]),
        ("/search/", {"q": "ball"}, [QUERY]),
        ("/search/", {"q": "rex ball"}, [QUERY]),  # several words: still one Query when a page is found at once
        ("/api/videos/", {}, [QUERY]),
        ("/api/videos/", {"species": "dog"}, [QUERY]),
        ("/api/videos/", {"q": "balls"}, [QUERY]),
    ],
)
def test_listing_pages_make_one_query(site, client, path, params, expected):
    assert calls_for(client, path, **params) == expected


def test_pet_page_is_one_query_and_its_next_pages_add_one_get(site, client):
    from pets import services as pets

    assert calls_for(client, f"/p/{site['pet'].id}/") == [QUERY]
    first = pets.pet_page(pet_id=site["pet"].id, limit=1)[1]
    with counted() as calls:
        pets.pet_page(pet_id=site["pet"].id, limit=1, cursor=first.next_cursor)
    assert sorted(calls) == [GET, QUERY]


def test_watch_page_is_one_get_item(site, client):
    assert calls_for(client, f"/v/{site['video'].id}/") == [GET]
    assert calls_for(client, f"/api/videos/{site['video'].id}/") == [GET]


def test_the_owners_watch_page_adds_one_query_for_the_edit_forms_pets(site, client):
    client.force_login(site["owner"])

    # signed in, the video, whether they like it and their unseen count are one BatchGetItem
    assert calls_for(client, f"/v/{site['video'].id}/") == ["dynamodb.BatchGetItem", QUERY]


def test_an_edit_is_one_read_and_one_transaction(site, client):
    client.force_login(site["owner"])

    with counted() as calls:
        response = client.patch(f"/api/videos/{site['video'].id}/", data={"visibility": "private"},
                                content_type="application/json")

    assert response.status_code == 200
    assert calls == [GET, "dynamodb.TransactWriteItems"]


def test_tagging_pets_in_an_edit_adds_one_batch_get(site, client):
    client.force_login(site["owner"])

    with counted() as calls:
        client.patch(f"/api/videos/{site['video'].id}/", data={"pets": []}, content_type="application/json")
        client.patch(f"/api/videos/{site['video'].id}/", data={"pets": [site["pet"].id]},
                     content_type="application/json")

    assert calls == [GET, "dynamodb.TransactWriteItems", GET, "dynamodb.BatchGetItem", "dynamodb.TransactWriteItems"]
