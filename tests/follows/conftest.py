"""People, pets and helpers for the following tests."""

import pytest
from django.contrib.auth import get_user_model

from follows import news, services


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


def forget_kept() -> None:
    """Forget what this process keeps of famous accounts (their recent videos, the first pages
    read without them, the state of their videos), as FAMOUS_PAGE_SECONDS later."""
    for kept in (services._recent, services._newest, news._videos):
        kept.clear()


@pytest.fixture(autouse=True)
def nothing_kept():
    """Each test starts with nothing kept from another's table (ids such as a person's repeat)."""
    forget_kept()
