"""People and a ready video for the community tests."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories


def person(username: str, **fields):
    return get_user_model().objects.create_user(username=username, email=f"{username}@example.com", **fields)


@pytest.fixture
def owner(db):
    return person("olga", first_name="Olga")


@pytest.fixture
def viewer(db):
    return person("vic", first_name="Vic")


@pytest.fixture
def video(aws, owner):
    return factories.ready(str(owner.pk), title="Mittens <b>meows</b>")


@pytest.fixture
def as_viewer(client, viewer):
    client.force_login(viewer)
    return client
