"""On AWS the ORM is PostgreSQL: its driver loads with the first request that runs SQL, so a
cold start answering a page without SQL (an anonymous visitor) never imports it. The suite runs
on a real PostgreSQL (tests/postgresql.py), where the migrations run forward from empty."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NO_SERVER = "postgres://pettube:secret@127.0.0.1:9/pettube"  # nothing listens: no SQL may run unnoticed

PROBE = """
import json, sys, django
django.setup()
from django.db import connections
from django.test import Client
seen = {"after_setup": "psycopg" in sys.modules}
login = Client().get("/login/")
seen["page"] = [login.status_code, "psycopg" in sys.modules]
health = Client().get("/healthz")
seen["sql"] = [health.json()["checks"]["database"], "psycopg" in sys.modules, type(connections["default"]).__module__]
print(json.dumps(seen))
"""


def _environment(database_url: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PETTUBE_", "DJANGO_", "AWS_"))}
    return environment | {"DJANGO_SETTINGS_MODULE": "pettube.settings", "PETTUBE_AWS": "local",
                          "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}


def _probe(database_url: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=_environment(database_url),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_postgresql_driver_loads_only_when_a_request_runs_sql():
    seen = _probe(NO_SERVER)

    assert seen["after_setup"] is False
    assert seen["page"] == [200, False]
    # The health check runs SQL: Django's own PostgreSQL backend takes over and tries to connect.
    assert seen["sql"] == ["OperationalError", True, "django.db.backends.postgresql.base"]


def _on_postgresql() -> str:
    """The throwaway cluster's URL (tests/postgresql.py); these tests need it."""
    url = os.environ.get("PETTUBE_TEST_POSTGRESQL_URL")
    if not url:
        pytest.skip("this run is on SQLite (PostgreSQL is not installed; `make test` installs it)")
    return url


def _new_database(url: str, name: str) -> str:
    """An empty database on the cluster; its DATABASE_URL."""
    import psycopg

    server, _, _ = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def _manage(*arguments: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=_environment(database_url),
                          capture_output=True, text=True, timeout=300)


def test_the_suite_runs_on_postgresql_as_production_reaches_it(db):
    from django.conf import settings
    from django.db import connections

    _on_postgresql()
    connection = connections["default"]
    assert settings.DATABASES["default"]["ENGINE"] == "pettube.postgresql"  # production's DATABASE_URL handling
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 150000
    assert connection.vendor == "postgresql" and type(connection).__module__ == "django.db.backends.postgresql.base"


def test_migrations_run_forward_from_an_empty_postgresql_database(worker_id):
    database_url = _new_database(_on_postgresql(), f"migrations_{worker_id}")

    migrated = _manage("migrate", "--noinput", database_url=database_url)
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    assert _manage("migrate", "--check", database_url=database_url).returncode == 0  # nothing left to apply
    unmade = _manage("makemigrations", "--check", "--dry-run", database_url=database_url)
    assert unmade.returncode == 0, unmade.stdout  # the models are what the migrations make
    # The lazy driver (pettube/postgresql) against a real server: still out of the start-up,
    # loaded by the first SQL, which then works.
    seen = _probe(database_url)
    assert seen == {"after_setup": False, "page": [200, False],
                    "sql": ["ok", True, "django.db.backends.postgresql.base"]}
    # The ORM's first query in a process (or a thread: each has its own connection) asks the
    # stand-in for `ops.compiler` before anything else.
    orm = subprocess.run([sys.executable, "-c", ORM_FIRST], cwd=ROOT, env=_environment(database_url),
                         capture_output=True, text=True, timeout=120)
    assert orm.stdout.split() == ["False", "False", "django.db.backends.postgresql.base"], orm.stderr[-3000:]


ORM_FIRST = """
import threading, django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connections
print(get_user_model().objects.filter(username="nobody").exists())
found = []
thread = threading.Thread(target=lambda: found.append(get_user_model().objects.filter(pk=1).exists()))
thread.start(); thread.join()
print(*found, type(connections["default"]).__module__)
"""
