"""Nothing outlives its video: deleting one removes its likes, views, comments, reports, review
cases, activity lines, its entries in search, species, pet pages and the ranking, and its objects;
the tests count what is left in the table and the bucket that mentions it."""

import pytest
from django.test import Client

from community import ranking
from pets import services as pets
from tests import factories, leftovers
from tests.community.test_views import played_ticket
from videos import storage

pytestmark = pytest.mark.django_db


def post(client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def test_a_deleted_video_leaves_nothing_in_the_table_or_the_bucket(aws, owner, as_viewer, viewer, settings):
    settings.PETTUBE_REPORTS_TO_HIDE = 10
    rex = factories.pet(str(owner.pk), name="Rex")
    video = factories.published(str(owner.pk), title="Rex digs a hole", pets=[rex.id])
    storage.put_text(storage.media_key(video.id, "poster-0.jpg"), "a poster", content_type="image/jpeg")
    api = f"/api/videos/{video.id}"
    assert post(as_viewer, f"{api}/like/", {}).json()["liked"] is True
    comment = post(as_viewer, f"{api}/comments/", {"text": "What a dig"}).json()["id"]
    assert post(as_viewer, f"{api}/report/", {"reason": "Not a pet"}).json()["reported"] is True
    as_owner = Client()
    as_owner.force_login(owner)
    assert post(as_owner, f"{api}/comments/{comment}/report/", {"reason": "Spam"}).json()["reported"] is True
    assert post(as_viewer, f"{api}/views/", {"ticket": played_ticket(video, as_viewer)}).json() == {"counted": True}
    ranking.rank()
    assert len(leftovers.items_mentioning(video.id)) >= 12  # all of the above, before

    assert as_owner.delete(f"{api}/").status_code == 204

    assert leftovers.items_mentioning(video.id) == []
    assert [key for key in leftovers.bucket_keys() if video.id in key] == []
    assert ranking.popular_page().items == []
    assert pets.get_pet(pet_id=rex.id).videos == frozenset()  # the pet stays, untagged


def test_staff_deleting_a_reported_video_leaves_nothing_either(aws, as_viewer, video, settings):

    from tests.community.conftest import person

    settings.PETTUBE_REPORTS_TO_HIDE = 1
    post(as_viewer, f"/api/videos/{video.id}/like/", {})
    post(as_viewer, f"/api/videos/{video.id}/report/", {"reason": "Not a pet"})
    staff = Client()
    staff.force_login(person("mod", is_staff=True))

    staff.post(f"/staff/reports/video:{video.id}/", {"decision": "delete"})

    assert leftovers.items_mentioning(video.id) == []
