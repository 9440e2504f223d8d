"""`make run` installs what running needs and nothing of the deploy tool chain: the site, its
embedded AWS and an upload's whole trip to `ready` work with only requirements/dev.txt's
distributions on the path."""

import importlib.metadata
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from deploy.lambda_package import _requirement_lines
from pettube.local_aws import free_port
from tests import over_http
from tests.test_runserver import ROOT, wait_until_healthy
from tests.waiting import eventually

pytestmark = pytest.mark.slow
DEPLOY_TOOLS = {"zappa", "cfn-lint", "troposphere", "sympy", "docker", "aws-xray-sdk", "openapi-spec-validator",
                "kappa", "pip-tools"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_closure(requirements: Path) -> set[str]:
    """The installed distributions `requirements` pulls in, with extras and markers."""
    seen: set[tuple[str, tuple]] = set()
    pending = [Requirement(line) for line in _requirement_lines(requirements)]
    while pending:
        requirement = pending.pop()
        name = normalized(requirement.name)
        if (name, tuple(sorted(requirement.extras))) in seen:
            continue
        seen.add((name, tuple(sorted(requirement.extras))))
        for line in importlib.metadata.distribution(name).requires or []:
            dependency = Requirement(line)
            extras = requirement.extras or {""}
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": extra}) for extra in extras):
                pending.append(dependency)
    return {name for name, _ in seen}


def only_these_distributions(names: set[str], destination: Path) -> Path:
    """A folder that links exactly the files of the distributions `names`, to stand for a
    virtualenv where only they are installed."""
    destination.mkdir()
    for name in names:
        for file in importlib.metadata.distribution(name).files or []:
            if file.parts[0] != ".." and not (destination / file.parts[0]).exists():
                (destination / file.parts[0]).symlink_to(file.locate().parents[len(file.parts) - 1] / file.parts[0])
    return destination


def test_make_run_installs_no_deploy_tool():
    running = installed_closure(ROOT / "requirements" / "dev.txt")

    assert not running & DEPLOY_TOOLS
    assert {"django", "moto", "flask", "imageio-ffmpeg"} <= running
    assert DEPLOY_TOOLS & installed_closure(ROOT / "requirements" / "test.txt")  # make test has them all


def test_the_site_runs_an_upload_to_ready_with_only_what_make_run_installs(tmp_path, make_clip):
    site_packages = only_these_distributions(installed_closure(ROOT / "requirements" / "dev.txt"), tmp_path / "site")
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PETTUBE_"))}
    environment |= {"PYTHONPATH": str(site_packages), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    python = [str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"), "-S"]
    subprocess.run([*python, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=environment | {"PETTUBE_AWS": "local"},
                   check=True, capture_output=True)
    log = (tmp_path / "runserver.log").open("w")
    server = subprocess.Popen([*python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=ROOT,
                              env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_healthy(base_url)["status"] == "ok"
        session = over_http.sign_in(base_url, "ana")
        clip = make_clip("small")
        started = over_http.start_upload(base_url, session, size=clip.stat().st_size)
        assert over_http.post_to_storage(started["upload"], clip).status_code == 204

        def finished() -> str:
            status = session.get(f"{base_url}/api/videos/{started['id']}/", timeout=10).json()["status"]
            assert status in {"ready", "failed"}, (tmp_path / "runserver.log").read_text()[-3000:]
            return status

        status = eventually(finished, timeout=90, interval=0.5)
        assert status == "ready", (tmp_path / "runserver.log").read_text()[-3000:]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
