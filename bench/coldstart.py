"""Cold start of the packaged web function, against a bare Django hello-world packaged the
same way (same Zappa, same settings and `zip` callback) in the same run.

Each sample is a fresh interpreter that loads the unpacked package the way Lambda does (see
tests/deploy/lambda_runtime.py) and answers its first API Gateway `GET /`; the time runs from
process start to that answer. PetTube's `GET /` is real work: the feed query in DynamoDB and
presigned poster URLs, on a moto server on loopback, and static-file URLs from the manifest that
`collectstatic` wrote (the package carries it, as on AWS). The configuration is production's:
`PETTUBE_AWS=aws`, DEBUG off, and a PostgreSQL DATABASE_URL (no server is needed: an anonymous
`GET /` runs no SQL, and must not load the driver).

    .venv/bin/python bench/coldstart.py [--runs 5]

Wall clock varies with the machine's load; with valgrind installed, one cold start of each also
runs under callgrind, whose instruction counts are stable to a fraction of a percent.

Last lines: coldstart_ms=<ms> baseline_ms=<ms> ratio=<app/baseline> package_mb=<zipped web package MB>
            instructions_m=<millions> baseline_instructions_m=<millions> instructions_ratio=<app/baseline>
"""

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.deploy import lambda_runtime as runtime

STAGE = "dev"
FEED_VIDEOS = 6
# Production's database is PostgreSQL; nothing listens here, so a request that ran SQL would fail.
PRODUCTION_DATABASE_URL = "postgres://pettube:bench@127.0.0.1:9/pettube?sslmode=require"

HELLO_FILES = {
    "manage.py": """
        import os, sys
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hello.settings")
        from django.core.management import execute_from_command_line
        execute_from_command_line(sys.argv)
    """,
    "hello/__init__.py": "",
    "hello/settings.py": """
        SECRET_KEY = "hello-world-baseline"
        DEBUG = False
        ALLOWED_HOSTS = ["*"]
        ROOT_URLCONF = "hello.urls"
        INSTALLED_APPS = []
        MIDDLEWARE = []
        DATABASES = {}
        USE_TZ = True
    """,
    "hello/urls.py": """
        from django.http import HttpResponse
        from django.urls import path

        urlpatterns = [path("", lambda request: HttpResponse("Hello, world"))]
    """,
    "requirements/base.txt": "Django\n",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold starts per package (median reported)")
    runs = parser.parse_args().runs

    from pettube import local_aws

    server, endpoint = local_aws.start_server()
    try:
        with tempfile.TemporaryDirectory(prefix="pettube-coldstart-") as workdir:
            work = Path(workdir)
            # First: collectstatic writes the manifest the package carries.
            lambda_environment = runtime.provision(endpoint, database=work / "db.sqlite3", stage=STAGE)
            _seed_feed(lambda_environment)
            app_zip = runtime.zappa_package(STAGE, work / "app.zip")
            hello_zip = _package_hello(work)
            app_mb, hello_mb = app_zip.stat().st_size / 1e6, hello_zip.stat().st_size / 1e6
            app = runtime.unpack(app_zip, work / "app")
            hello = runtime.unpack(hello_zip, work / "hello-task")
            runtime_dir = runtime.runtime_root(work / "runtime")
            request = runtime.api_gateway_event("GET", "/")
            app_environment = lambda_environment | {"DATABASE_URL": PRODUCTION_DATABASE_URL}
            app_entry = runtime.entry_of(STAGE)

            app_ms, hello_ms = [], []
            for _ in range(runs):
                app_run = runtime.invoke(app, runtime_dir, [request], environment=app_environment, entry=app_entry)
                _expect_ok(app_run, b"PetTube")
                app_ms.append(app_run.first_ms)
                hello_run = runtime.invoke(hello, runtime_dir, [request], environment=runtime.CREDENTIALS,
                                           function_name="hello-dev")
                _expect_ok(hello_run, b"Hello, world")
                hello_ms.append(hello_run.first_ms)
            if shutil.which("valgrind"):
                app_instructions = _instructions(app, runtime_dir, request, app_environment, "pettube-dev", app_entry)
                hello_instructions = _instructions(hello, runtime_dir, request, runtime.CREDENTIALS, "hello-dev",
                                                   "handler.lambda_handler")
    finally:
        server.stop()

    app_median, hello_median = statistics.median(app_ms), statistics.median(hello_ms)
    print(f"app runs (ms):      {' '.join(f'{ms:.0f}' for ms in app_ms)}")
    print(f"baseline runs (ms): {' '.join(f'{ms:.0f}' for ms in hello_ms)}")
    print(f"baseline package:   {hello_mb:.1f} MB")
    print(
        f"coldstart_ms={app_median:.0f} baseline_ms={hello_median:.0f} "
        f"ratio={app_median / hello_median:.2f} package_mb={app_mb:.1f}"
    )
    if shutil.which("valgrind"):
        print(
            f"instructions_m={app_instructions / 1e6:.0f} baseline_instructions_m={hello_instructions / 1e6:.0f} "
            f"instructions_ratio={app_instructions / hello_instructions:.3f}"
        )


def _instructions(task_root: Path, runtime_dir: Path, request: dict, environment: dict, function_name: str,
                  entry: str) -> int:
    """Instructions of one cold start up to its first answer and exit, counted by callgrind."""
    run = runtime.invoke(task_root, runtime_dir, [request], environment=environment, function_name=function_name,
                         timeout=900, under=("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"),
                         entry=entry)
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def _package_hello(work: Path) -> Path:
    """The hello-world project, packaged with the app's own Zappa settings (its exclusions and
    its `zip` callback), only the Django settings module and the stage name differ."""
    project = work / "hello-project"
    for name, text in HELLO_FILES.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    settings = runtime.stage_settings(STAGE)
    settings.update(project_name="hello", django_settings="hello.settings", environment_variables={})
    settings.pop("lambda_handler", None)  # Zappa's own handler, as a new project has
    (project / "zappa_settings.json").write_text(json.dumps({STAGE: settings}, indent=4))
    # PYTHONPATH: Zappa finds the project's `zip` callback.
    return runtime.zappa_package(STAGE, work / "hello.zip", cwd=project, PYTHONPATH=str(runtime.PROJECT))


def _seed_feed(lambda_environment: dict[str, str]) -> None:
    """A feed of FEED_VIDEOS ready videos, so that `GET /` queries and presigns for real."""
    runtime.manage("shell", "-c", _SEED_FEED, environment=runtime.stage_environment(STAGE, lambda_environment))


_SEED_FEED = f"""
from datetime import UTC, datetime, timedelta
from videos import domain, listings, repository
now = datetime.now(UTC)
for n in range({FEED_VIDEOS}):
    video_id = f"benchvideo{{n}}"
    repository.save(None, domain.Video(
        id=video_id, owner_id="1", owner_name="Bench", title=f"Cat {{n}}", description="", species="cat",
        status=domain.UPLOADING, created_at=now, updated_at=now, due_at=now + timedelta(hours=1)))
    repository.claim(video_id, lease=timedelta(minutes=5))
    listings.mark_ready(video_id, rendition=domain.Rendition(
        duration=3.0, width=640, height=360, source_size=1000, video_size=900, poster_size=100,
        video_key=f"media/{{video_id}}/video.mp4", poster_key=f"media/{{video_id}}/poster-0.jpg",
        card_key=f"media/{{video_id}}/card-0.jpg", thumbnails=4))
"""


def _expect_ok(invocation: runtime.Invocation, marker: bytes) -> None:
    answer = invocation.results[0]
    if answer.get("statusCode") != 200 or marker.decode() not in answer.get("body", ""):
        raise SystemExit(f"unexpected answer: {answer.get('statusCode')} {answer.get('body', '')[:500]}")


if __name__ == "__main__":
    main()
