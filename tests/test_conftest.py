"""The suite's own guards (tests/conftest.py) hold: a test of the app cannot pass by doing what
PetTube must never do."""

import pytest
from django.conf import settings

from pettube import aws as aws_clients
from tests.conftest import ScanForbidden


def test_a_dynamodb_scan_anywhere_in_the_suite_raises(aws):
    with pytest.raises(ScanForbidden):
        aws_clients.client("dynamodb").scan(TableName=settings.PETTUBE_TABLE)
