"""A second person for the pets tests (`user` and `signed_in` are in tests/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def other():
    return get_user_model().objects.create_user(username="bo", first_name="Bo")
