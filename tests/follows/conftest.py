"""People, pets and helpers for the following tests."""

import pytest
from django.contrib.auth import get_user_model

from follows import services


def person(username: str):
    return get_user_model().objects.create_user(username=username, email=f"{username}@example.com",
                                                first_name=username.title())


@pytest.fixture
def owner(db):
    return person("olga")


@pytest.fixture
def viewer(db):
    return person("vic")


@pytest.fixture
def as_viewer(client, viewer):
    client.force_login(viewer)
    return client


def fan_out() -> int:
    """Run the fan-outs that are due, as the schedule (or the worker, after publishing) does."""
    return services.fan_out_due()
