"""`zappa package` offline: what goes into the web function, and what must not."""

import ast
import json
import subprocess
import sys
import zipfile

import pytest

from deploy import ffmpeg_layer, lambda_package
from tests.deploy import lambda_runtime as runtime

pytestmark = pytest.mark.slow

MAX_WEB_PACKAGE_BYTES = 20 * 1000 * 1000
NOT_FOR_LAMBDA = ["moto", "imageio_ffmpeg", "pytest", "_pytest", "playwright", "hypothesis",
                  "zappa_settings.json", "tests", "bench", "requirements", "static", "db.sqlite3", "pip", "setuptools",
                  "cryptography"]


def zappa_settings_module(archive) -> dict:
    """The settings module Zappa writes into the package, as the handler reads it."""
    with zipfile.ZipFile(archive) as package:
        tree = ast.parse(package.read("zappa_settings.py"))
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)}


def test_web_package_is_small_and_has_no_ffmpeg(builds):
    with zipfile.ZipFile(builds.web) as package:
        entries = package.infolist()
    names = {entry.filename for entry in entries}
    top_level = {name.split("/", 1)[0] for name in names}

    assert builds.web.stat().st_size <= MAX_WEB_PACKAGE_BYTES
    assert not [name for name in names if "ffmpeg" in name.rsplit("/", 1)[-1]]
    assert max(entry.file_size for entry in entries) < 20 * 1000 * 1000  # the ffmpeg binary is 170 MB
    assert not top_level & set(NOT_FOR_LAMBDA)
    assert not [name for name in top_level if name.startswith(".")]
    assert {"handler.py", "zappa_settings.py", "manage.py", "pettube", "videos", "accounts", "templates",
            "staticfiles.json"} <= top_level
    assert {"django", "social_django", "storages", "psycopg", "zappa", "werkzeug", "boto3", "botocore"} <= top_level
    assert zappa_settings_module(builds.web)["DJANGO_SETTINGS"] == "pettube.settings"


def test_bytecode_is_valid_with_lambda_file_times(builds):
    """Entries carry 1980 times; every module has a checked-hash .pyc, valid whatever the time."""
    with zipfile.ZipFile(builds.web) as package:
        names = set(package.namelist())
        times = {entry.date_time for entry in package.infolist()}
        sources = [name for name in names if name.endswith(".py")]
        pycs = [name for name in names if name.endswith(".pyc")]
        flags = {int.from_bytes(package.read(name)[4:8], "little") for name in pycs}

    assert times == {(1980, 1, 1, 0, 0, 0)}
    missing = [
        source for source in sources
        if f"{source.rpartition('/')[0]}/__pycache__/{source.rpartition('/')[2][:-3]}.cpython-312.pyc".lstrip("/")
        not in names
    ]
    assert missing == []
    assert flags == {0b11}  # hash-based, checked against the source


# Where the emulated runtime's endpoints and signatures come from: every partition, and the
# client's own resolution of each region (no AWS_ENDPOINT_URL).
_ENDPOINTS = """
import json, boto3, botocore
from botocore.config import Config
session = boto3.session.Session(aws_access_key_id="emulated", aws_secret_access_key="emulated")
resolved = {}
for service in ("dynamodb", "lambda", "s3"):
    for partition in session.get_available_partitions():
        for region in sorted(session.get_available_regions(service, partition)) or ["none"]:
            client = session.client(service, region_name=region, config=Config(signature_version="s3v4"))
            url = client.meta.endpoint_url
            if service == "s3":
                url = client.generate_presigned_url("get_object", Params={"Bucket": "pettube-media", "Key": "media/a/poster.jpg"}).split("?")[0]
            resolved[f"{service} {partition} {region}"] = [url, client.meta.region_name]
print(json.dumps({"sdk": [botocore.__file__, boto3.__file__], "version": boto3.__version__,
                  "services": session.get_available_services(), "resolved": resolved}))
"""


# Neither run may read this machine's ~/.aws (a dualstack or FIPS setting would change endpoints).
_NO_AWS_CONFIG = {"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}


def test_packages_ship_the_pinned_sdk_with_only_the_services_they_call(builds, unpacked):
    """The package's boto3 shadows the runtime's, knows DynamoDB and S3 only, and resolves their
    endpoints in every partition and region exactly as the full SDK does."""
    import boto3

    task_root = unpacked(builds.web)
    packaged = json.loads(runtime.run_python(task_root, builds.runtime, _ENDPOINTS, environment=_NO_AWS_CONFIG))
    full = json.loads(subprocess.run([sys.executable, "-c", _ENDPOINTS], capture_output=True, text=True, check=True,
                                     env={"PATH": "/usr/bin:/bin", **_NO_AWS_CONFIG}).stdout)

    assert all(path.startswith(str(task_root)) for path in packaged["sdk"])
    assert packaged["version"] == boto3.__version__
    assert packaged["services"] == sorted(lambda_package.AWS_SERVICES)
    assert len(full["services"]) > 300
    assert len(full["resolved"]) > 60
    assert packaged["resolved"] == full["resolved"]
    for archive in (builds.web, builds.worker):
        names = zipfile.ZipFile(archive).namelist()
        data_folders = {name.split("/")[2] for name in names if name.startswith(("botocore/data/", "boto3/data/"))
                        and name.count("/") > 2}
        assert data_folders == lambda_package.AWS_SERVICES
        assert not [name for name in names if name.endswith(".json.gz")]


def test_worker_package_maps_the_upload_event_and_the_sweep(builds):
    settings = zappa_settings_module(builds.worker)

    assert settings["AWS_EVENT_MAPPING"] == {"arn:aws:s3:::pettube-dev-media": ["videos.events.on_upload"]}
    assert settings["ENVIRONMENT_VARIABLES"]["PETTUBE_BUCKET"] == "pettube-dev-media"
    assert "ffmpeg" not in {name.split("/", 1)[0] for name in zipfile.ZipFile(builds.worker).namelist()}


def test_ffmpeg_layer_holds_a_working_ffmpeg_in_bin(builds):
    with zipfile.ZipFile(builds.layer) as layer:
        (entry,) = layer.infolist()

    assert entry.filename == ffmpeg_layer.LAYER_PATH
    assert (entry.external_attr >> 16) & 0o111
    version = subprocess.run([builds.opt / "bin" / "ffmpeg", "-version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("ffmpeg version")
