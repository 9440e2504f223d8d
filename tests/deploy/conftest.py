"""Fixtures for the deploy tests: Zappa packages built once per session (packaging takes tens
of seconds), the ffmpeg layer, and an emulated AWS (the session's moto server) provisioned the
way a person provisions real AWS, with `manage.py bootstrap_aws` and `collectstatic`."""

import json
import stat
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy import ffmpeg_layer
from tests.conftest import reset_moto
from tests.deploy import lambda_runtime as runtime
from tests.deploy.lambda_runtime import provision

WEB, WORKER = "dev", "dev_worker"


@dataclass(frozen=True)
class Builds:
    web: Path  # `zappa package dev`, exactly as a person runs it
    worker: Path  # `zappa package dev_worker`, with ffmpeg where the layer would put it here
    layer: Path  # `make layer`
    opt: Path  # the layer unpacked: what Lambda mounts at /opt
    runtime: Path  # stands in for /var/runtime (boto3 and its dependencies)


def emulated_settings(destination: Path, overrides: dict[str, dict]) -> Path:
    """zappa_settings.json with a few per-stage values changed for an emulated AWS."""
    stages = json.loads((runtime.PROJECT / "zappa_settings.json").read_text())
    for stage, values in overrides.items():
        for key, value in values.items():
            if key == "environment_variables":
                value = runtime.stage_environment(stage, value)
            stages[stage][key] = value
    destination.write_text(json.dumps(stages, indent=4))
    return destination


@pytest.fixture(scope="session")
def builds(tmp_path_factory, moto_endpoint) -> Builds:
    work = tmp_path_factory.mktemp("lambda")
    provision(moto_endpoint, database=work / "db.sqlite3")  # collectstatic: the manifest the packages carry
    layer = ffmpeg_layer.build(work / "ffmpeg-layer.zip")
    opt = _unpack_layer(layer, work / "opt")
    worker_settings = emulated_settings(
        work / "zappa_settings.worker.json",
        {WORKER: {"environment_variables": {"FFMPEG_BINARY": str(opt / ffmpeg_layer.LAYER_PATH)}}},
    )
    # The two packages build at the same time: each is mostly waiting on the disk.
    processes = [
        _start_package(WEB, work / "web.zip"),
        _start_package(WORKER, work / "worker.zip", settings_file=worker_settings),
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, f"zappa package failed:\n{stdout}\n{stderr}"
    return Builds(
        web=work / "web.zip", worker=work / "worker.zip", layer=layer, opt=opt, runtime=runtime.runtime_root(work / "runtime")
    )


def _start_package(stage: str, output: Path, *, settings_file: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        runtime.package_command(stage, output, settings_file=settings_file), cwd=runtime.PROJECT, env=runtime.zappa_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def _unpack_layer(layer: Path, opt: Path) -> Path:
    """Unpack as Lambda does, keeping the modes the zip records (zipfile alone drops them)."""
    with zipfile.ZipFile(layer) as archive:
        for entry in archive.infolist():
            path = Path(archive.extract(entry, opt))
            mode = entry.external_attr >> 16
            if mode:
                path.chmod(stat.S_IMODE(mode))
    return opt


@pytest.fixture
def emulated_aws(moto_endpoint, tmp_path) -> dict[str, str]:
    """An empty moto server provisioned for the dev stage with the project's own commands.
    Returns the environment a Lambda function of the stage gets on top of its package."""
    reset_moto(moto_endpoint)
    return provision(moto_endpoint, database=tmp_path / "db.sqlite3")


@pytest.fixture
def dev_stage(settings):
    """This process's app pointed at the dev stage's bucket and table, to set up and inspect
    what the packaged functions see."""
    from pettube import aws

    for name, value in runtime.stage_settings(WEB)["environment_variables"].items():
        if name.startswith("PETTUBE_"):
            setattr(settings, name, value)
    aws.reset_clients()
    yield settings
    aws.reset_clients()


@pytest.fixture
def unpacked(builds, tmp_path):
    """Unpacks a package into a fresh task root (as Lambda does on a cold start)."""
    return lambda archive: runtime.unpack(archive, tmp_path / f"task-{archive.stem}")
