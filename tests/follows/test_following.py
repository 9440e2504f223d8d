"""Follow and unfollow pets and people: idempotent, counts exact under concurrency, refusals."""

import threading

import pytest

from follows import services
from tests import factories


def test_following_a_pet_is_idempotent_and_counted(aws, as_viewer, owner):
    pet = factories.pet(str(owner.pk), name="Mittens")
    path = f"/api/pets/{pet.id}/follow/"
    assert as_viewer.get(path).json() == {"following": False, "followers": 0}
    for _ in range(2):
        assert as_viewer.post(path).json() == {"following": True, "followers": 1}
    assert as_viewer.get(path).json() == {"following": True, "followers": 1}
    for _ in range(2):
        assert as_viewer.delete(path).json() == {"following": False, "followers": 0}


def test_following_a_person_and_listing_what_i_follow(aws, as_viewer, owner):
    pet = factories.pet(str(owner.pk), name="Mittens")
    assert as_viewer.post(f"/api/users/{owner.pk}/follow/").json() == {"following": True, "followers": 1}
    as_viewer.post(f"/api/pets/{pet.id}/follow/")
    listed = as_viewer.get("/api/me/following/").json()
    assert [(item["kind"], item["id"], item["name"], item["followers"]) for item in listed["items"]] == [
        ("pet", pet.id, "Mittens", 1), ("user", str(owner.pk), "Olga", 1)]
    assert listed["next_cursor"] is None


def test_refusals(aws, client, as_viewer, viewer, owner):
    mine = factories.pet(str(viewer.pk), name="Mine")
    assert as_viewer.post(f"/api/users/{viewer.pk}/follow/").status_code == 400
    answer = as_viewer.post(f"/api/pets/{mine.id}/follow/")
    assert answer.status_code == 400 and answer.json()["errors"]["target"]
    assert as_viewer.post("/api/pets/AAAAAAAAAAA/follow/").status_code == 404
    assert as_viewer.post("/api/users/999999/follow/").status_code == 404
    assert as_viewer.post("/api/users/abc/follow/").status_code == 404
    assert as_viewer.put(f"/api/users/{owner.pk}/follow/").status_code == 405
    assert as_viewer.get("/api/me/following/?cursor=forged").status_code == 400
    client.logout()
    for method in (client.post, client.delete):
        answer = method(f"/api/users/{owner.pk}/follow/")
        assert answer.status_code == 401 and answer.json()["error"]
    assert client.get("/api/me/following/").status_code == 401
    assert client.get(f"/api/users/{owner.pk}/follow/").json() == {"following": False, "followers": 0}


def _race(work, count: int) -> None:
    start = threading.Barrier(count)
    failures = []

    def run(number):
        start.wait()
        try:
            work(number)
        except Exception as failure:  # pragma: no cover - reported below
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_toggles_leave_the_counts_exact(aws, owner):
    pet = factories.pet(str(owner.pk), name="Mittens")
    # 20 people at once, each following, then half of them unfollowing, all at the same moment
    _race(lambda number: services.follow(kind="pet", target_id=pet.id, follower=f"f{number}"), 20)
    assert services.account(kind="pet", target_id=pet.id, viewer=None).followers == 20
    _race(lambda number: number % 2 and services.unfollow(kind="pet", target_id=pet.id, follower=f"f{number}"), 20)
    assert services.account(kind="pet", target_id=pet.id, viewer=None).followers == 10
    # one person toggling 20 times at once: the count says whether they follow
    toggle = [services.follow, services.unfollow]
    _race(lambda number: toggle[number % 2](kind="pet", target_id=pet.id, follower="f0"), 20)
    state = services.account(kind="pet", target_id=pet.id, viewer="f0")
    assert state.followers == 10 + (0 if state.following else -1)
    listed, _ = services.following(follower="f0", cursor=None)
    assert [item.id for item in listed] == ([pet.id] if state.following else [])
