import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def user():
    return get_user_model().objects.create_user(username="ana", first_name="Ana")


@pytest.fixture
def other():
    return get_user_model().objects.create_user(username="bo", first_name="Bo")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client
