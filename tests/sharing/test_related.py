"""Up next: `GET /api/videos/<id>/related/`, same pets first, then the same species, then the
owner's; public and ready only, never the video itself."""

import pytest

from sharing import related
from tests import factories
from tests.aws_calls import counted

pytestmark = pytest.mark.django_db

QUERY, GET = "dynamodb.Query", "dynamodb.GetItem"


@pytest.fixture
def world(aws):
    rex = factories.pet("7", name="Rex", species="dog")
    felix = factories.pet("8", name="Felix", species="cat")
    other_dog = factories.published("9", title="Another dog", species="dog")
    owners_cat = factories.published("7", title="Ana's cat video", species="cat")
    cat = factories.published("8", title="Felix naps", species="cat", pets=[felix.id])
    rex_old = factories.published("7", title="Rex, younger", pets=[rex.id])
    rex_private = factories.published("7", title="Rex in private", pets=[rex.id], visibility="private")
    rex_unlisted = factories.published("7", title="Rex unlisted", pets=[rex.id], visibility="unlisted")
    factories.start_upload("7", title="Rex still uploading")
    video = factories.published("7", title="Rex catches a frisbee", pets=[rex.id])
    return {"video": video, "rex_old": rex_old, "other_dog": other_dog, "owners_cat": owners_cat, "cat": cat,
            "hidden": [rex_private, rex_unlisted]}


def ids(answer) -> list[str]:
    return [item["id"] for item in answer.json()["items"]]


def test_same_pets_then_same_species_then_the_owners(world, client):
    answer = client.get(f"/api/videos/{world['video'].id}/related/")

    assert answer.status_code == 200
    assert ids(answer) == [world["rex_old"].id, world["other_dog"].id, world["owners_cat"].id]


def test_items_carry_the_card_fields(world, client):
    item = client.get(f"/api/videos/{world['video'].id}/related/").json()["items"][0]

    assert {"id", "title", "owner", "pet", "pets", "duration", "thumbnail_url", "views", "likes"} <= set(item)
    assert item["status"] == "ready" and item["visibility"] == "public"


def test_never_the_video_itself_nor_private_unlisted_or_unfinished_ones(world, client):
    shown = set(ids(client.get(f"/api/videos/{world['video'].id}/related/")))

    assert world["video"].id not in shown
    assert not shown & {video.id for video in world["hidden"]}


def test_the_list_stops_at_count_and_stops_reading(world, client, monkeypatch):
    monkeypatch.setattr(related, "COUNT", 1)
    with counted() as calls:
        answer = client.get(f"/api/videos/{world['video'].id}/related/")

    assert ids(answer) == [world["rex_old"].id]
    assert calls == [GET, QUERY]  # the video, then the pet's page filled the list: no species or owner Query


def test_aws_calls_of_the_api_one_query_per_list_read(world, client):
    with counted() as calls:
        client.get(f"/api/videos/{world['video'].id}/related/")

    assert calls == [GET, QUERY, QUERY, QUERY]  # the video; Rex's page, the dogs, the owner's


def test_a_video_without_pets_reads_its_species_and_owner(world, client):
    answer = client.get(f"/api/videos/{world['other_dog'].id}/related/")

    assert ids(answer)[:2] == [world["video"].id, world["rex_old"].id]


def test_unknown_and_private_videos_are_404_json(world, client):
    for video_id in ("nonexistent", world["hidden"][0].id):
        answer = client.get(f"/api/videos/{video_id}/related/")
        assert answer.status_code == 404
        assert answer.json()["error"]


def test_a_private_videos_owner_gets_its_related_videos(world, client, django_user_model):
    owner = django_user_model.objects.create_user(username="ana")
    private = factories.published(str(owner.pk), title="Mine", species="fish", visibility="private")
    factories.published(str(owner.pk), title="Also mine", species="fish")
    client.force_login(owner)

    assert [item["title"] for item in client.get(f"/api/videos/{private.id}/related/").json()["items"]] == [
        "Also mine"]


def test_only_get(world, client):
    assert client.post(f"/api/videos/{world['video'].id}/related/").status_code == 405
