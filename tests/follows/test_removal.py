"""Deleting an account removes its follows both ways (counts exact) and its inbox."""

import pytest
from django.core.management import call_command

from follows import services
from tests import factories, leftovers
from tests.follows.conftest import fan_out, person

pytestmark = pytest.mark.django_db


def test_a_deleted_account_follows_nothing_and_nobody_follows_it(aws):
    ana, bob, carl = person("ana"), person("bob"), person("carl")
    ana_id, bob_id, carl_id = str(ana.pk), str(bob.pk), str(carl.pk)
    rex = factories.pet(bob_id, name="Rex")
    services.follow(kind="user", target_id=bob_id, follower=ana_id)
    services.follow(kind="pet", target_id=rex.id, follower=ana_id)
    for follower in (bob_id, carl_id):
        services.follow(kind="user", target_id=ana_id, follower=follower)
    factories.published(bob_id, pets=[rex.id])
    factories.published(ana_id)
    fan_out()
    assert len(services.feed_page(user_id=ana_id).items) == 1 and len(services.feed_page(user_id=carl_id).items) == 1

    call_command("delete_account", "ana")

    assert leftovers.items_mentioning(ana_id, lasting_only=True) == []  # activity lines expire by themselves
    assert not [item for item in leftovers.items_mentioning(ana_id) if item.startswith("feed-entry#")]
    assert services.account(kind="user", target_id=bob_id, viewer=None).followers == 0
    assert services.account(kind="pet", target_id=rex.id, viewer=None).followers == 0
    assert services.following(follower=carl_id, cursor=None) == ([], None)
    assert services.feed_page(user_id=carl_id).items == []
