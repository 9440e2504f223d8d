"""The suite asks for local mode: loaded with `-p` (pyproject.toml's addopts), before
pytest-django reads the settings, which default to production. Tests run on the embedded local
AWS whatever credentials the developer's shell carries.

The database is PostgreSQL whenever it is installed (tests/postgresql.py: a throwaway cluster,
started before the settings are read and handed to them as production gets it, in DATABASE_URL;
xdist's workers inherit it and each makes its own test database there). PETTUBE_TEST_DATABASE
chooses: `postgresql` (what `make test` sets: the run fails without it), `sqlite`, or unset
(PostgreSQL if installed, else SQLite, as the run's header says)."""

import os

import pytest

os.environ["PETTUBE_AWS"] = "local"
# SVT-AV1 encodes after a video is ready would outlive the tests that made them: the AV1 tests
# turn them on (tests/videos/test_av1.py).
os.environ["PETTUBE_AV1_RENDITIONS"] = "0"
for _name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    os.environ.pop(_name, None)

_CHOICES = ("postgresql", "sqlite", "")
_STARTED_URL = "PETTUBE_TEST_POSTGRESQL_URL"  # set by the run that started the cluster, for its workers
_cluster = None


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Before pytest-django loads the settings: the database they will read."""
    _choose_database()
    return (yield)


def _choose_database() -> None:
    global _cluster
    from tests import postgresql

    if url := os.environ.get(_STARTED_URL):  # an xdist worker: its controller started the cluster
        os.environ["DATABASE_URL"] = url
        return
    choice = os.environ.get("PETTUBE_TEST_DATABASE", "")
    if choice not in _CHOICES:
        raise pytest.UsageError(f"PETTUBE_TEST_DATABASE must be one of {_CHOICES}, not {choice!r}")
    binaries = postgresql.installed_binaries() if choice != "sqlite" else None
    if binaries is None:
        if choice == "postgresql":
            raise pytest.UsageError("PETTUBE_TEST_DATABASE=postgresql, but PostgreSQL is not installed "
                                    "(`make postgresql` installs Debian's package)")
        os.environ.pop("DATABASE_URL", None)  # SQLite: the settings' local default
        return
    _cluster = postgresql.start(binaries)
    os.environ["DATABASE_URL"] = os.environ[_STARTED_URL] = _cluster.url()


def pytest_report_header(config) -> str:
    from tests import postgresql

    if url := os.environ.get(_STARTED_URL):
        return f"database: {postgresql.server_version(url)} (a throwaway cluster)"
    return "database: SQLite (PostgreSQL is not installed, or PETTUBE_TEST_DATABASE=sqlite)"


def pytest_unconfigure(config) -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None
