"""`python manage.py runserver` (what `make run` starts) asks for local mode by itself, brings up
the embedded AWS and keeps it across code reloads."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from pettube.local_aws import free_port
from tests import over_http
from tests.waiting import eventually

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def wait_until_healthy(base_url: str, timeout: float = 60) -> dict:
    def healthy() -> dict:
        response = requests.get(f"{base_url}/healthz", timeout=2)
        assert response.status_code == 200, f"{response.status_code} {response.text[:500]}"
        return response.json()

    return eventually(healthy, timeout=timeout, interval=0.3, ignoring=(requests.ConnectionError,))


@pytest.fixture
def runserver(tmp_path):
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PETTUBE_"))}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT,
                   env=environment | {"PETTUBE_AWS": "local"}, check=True, capture_output=True)
    log = (tmp_path / "runserver.log").open("w")
    process = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"], cwd=ROOT,
                               env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    yield f"http://127.0.0.1:{port}", tmp_path / "runserver.log"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


def test_runserver_starts_the_embedded_aws_and_keeps_it_across_reloads(runserver):
    base_url, log = runserver
    assert wait_until_healthy(base_url)["checks"] == {"database": "ok", "table": "ok", "bucket": "ok"}
    session = over_http.sign_in(base_url, "ana")
    started = over_http.start_upload(base_url, session, title="before the reload", pet="dog", size=10)
    endpoint = started["upload"]["url"]

    (ROOT / "pettube" / "urls.py").touch()  # a code change (views load lazily; the URLconf is loaded): the autoreloader restarts the worker
    eventually(lambda: reloaded(log), timeout=30, interval=0.3)
    wait_until_healthy(base_url)

    video = session.get(f"{base_url}/api/videos/{started['id']}/")
    assert video.json()["title"] == "before the reload"  # same embedded AWS, same data
    assert endpoint.startswith("http://127.0.0.1:")
    for origin in (base_url, base_url.replace("127.0.0.1", "localhost")):  # any port: `make run PORT=…`
        preflight = requests.options(endpoint, headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        assert preflight.headers.get("Access-Control-Allow-Origin") == origin
    stranger = requests.options(endpoint, headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert stranger.status_code == 403
    assert "Embedded local AWS (moto) on" in log.read_text()


def reloaded(log: Path) -> bool:
    text = log.read_text()
    assert text.count("Watching for file changes") >= 2, text[-2000:]
    return True
