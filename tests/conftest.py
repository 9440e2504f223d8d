"""Shared fixtures (the environment the suite asks for is set earlier, in
tests/local_environment.py). AWS is a real moto server on loopback (the same one `runserver` embeds),
reset before each test that asks for it; ffmpeg is real and works on clips made here."""

import urllib.request
from pathlib import Path

import pytest

from tests import clips


@pytest.fixture(scope="session")
def moto_endpoint():
    from pettube import local_aws

    server, endpoint = local_aws.start_server()
    yield endpoint
    server.stop()


def reset_moto(endpoint: str) -> None:
    """Empty the moto server: every bucket, table and queue goes."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).read()


@pytest.fixture
def aws(moto_endpoint):
    """A fresh embedded AWS: empty bucket, table and upload-event queue. Yields the queue URL."""
    from pettube import aws as aws_clients
    from pettube import local_aws

    reset_moto(moto_endpoint)
    aws_clients.reset_clients()
    yield local_aws.provision()
    aws_clients.reset_clients()


@pytest.fixture
def encodes(monkeypatch) -> list:
    """Records every ffmpeg ladder encode (the real one still runs), to count transcodes."""
    from videos import transcode

    calls = []
    real_command = transcode.ladder_command
    monkeypatch.setattr(
        transcode, "ladder_command", lambda *args, **kwargs: calls.append(args) or real_command(*args, **kwargs)
    )
    return calls


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def make_clip(clip_dir):
    """Returns a function that makes (once per session) one of the clips in tests/clips.py."""
    return lambda name: clips.make(name, clip_dir)


class ScanForbidden(AssertionError):
    pass


@pytest.fixture(scope="session", autouse=True)
def no_dynamodb_scan():
    """Every test runs with DynamoDB's Scan turned into an error: the app must only Query."""
    from botocore.client import BaseClient

    real_call = BaseClient._make_api_call

    def guarded(self, operation_name, api_params):
        if operation_name == "Scan" and self.meta.service_model.service_name == "dynamodb":
            raise ScanForbidden("PetTube must never Scan DynamoDB")
        return real_call(self, operation_name, api_params)

    BaseClient._make_api_call = guarded
    yield
    BaseClient._make_api_call = real_call


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A file for the SQLite test database, not memory: Django's live server shares one
    in-memory connection across its request threads, which concurrent requests misuse. On
    PostgreSQL, each xdist worker's test database has the worker's suffix (pytest-django's)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["TEST"] = {**database.get("TEST", {}), "NAME": str(tmp_path_factory.mktemp("db") / "test.sqlite3")}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """People made by the tests get ids from 1,000,001 on. Tests name strangers with small
    literal ids ("7", "99"); a worker that had made 99 people once gave a stranger's video to
    the test's own person (CI, session 10)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    table = get_user_model()._meta.db_table
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 1000000)", [table])
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, 1000000)", [table])


@pytest.fixture
def aws_calls(aws) -> list[str]:
    """Every AWS call the app makes from here on, as "<service>.<Operation>" (botocore's
    before-call event hook, on clients created after it is registered)."""
    from pettube import aws as aws_clients

    calls = []
    aws_clients._session().events.register(
        "before-call", lambda event_name, **_: calls.append(event_name.split(".", 1)[1])
    )
    aws_clients.client.cache_clear()
    return calls


@pytest.fixture
def user():
    """A person (the videos and pets tests)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="ana", first_name="Ana")


@pytest.fixture
def signed_in(client, user):
    """A test client signed in as `user`."""
    client.force_login(user)
    return client


def pytest_collection_modifyitems(items):
    """The tests under tests/deploy/ and tests/browser/ are marked `deploy` and `browser` (what
    `make test-fast` leaves out). `make test` runs the suite on two workers (pytest-xdist,
    `--dist loadgroup`). The deploy tests share packages built once per worker, and the browser
    tests a Chromium: each kind stays on one worker, so neither is built or started twice."""
    for item in items:
        for kind in ("deploy", "browser"):
            if f"tests/{kind}/" in item.nodeid:
                item.add_marker(kind)
                item.add_marker(pytest.mark.xdist_group(kind))
