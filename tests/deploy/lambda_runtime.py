"""Build Zappa packages and run them the way AWS Lambda's python3.12 runtime does: the zip
unpacked into a task root whose files carry the zip's 1980 times, a fresh interpreter without
site-packages, `sys.path` = task root then the runtime's own copy of boto3 and its
dependencies (which the package's pinned copy shadows), no bytecode writing (/var/task is read-only), and the stage's
`lambda_handler` (Zappa's `handler.lambda_handler` unless the stage names another).
The benchmark uses it too."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)
ZAPPA = VENV / "bin" / "zappa"
# What the python3.12 runtime ships in /var/runtime besides its bootstrap.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")
ZIP_TIME = 315532800  # 1980-01-01: what Lambda's files show for Zappa's zip entries

_RUNNER = r"""
import json, sys, time
started = time.perf_counter()
from {entry_module} import {entry_function} as entry

class Context:
    function_name = "{function_name}"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
    memory_limit_in_mb = 1024
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    log_group_name = "/aws/lambda/{function_name}"
    log_stream_name = "local"
    def __init__(self):
        self.deadline = time.monotonic() + {timeout}
    def get_remaining_time_in_millis(self):
        return int((self.deadline - time.monotonic()) * 1000)

for line in sys.stdin:
    result = entry(json.loads(line), Context())
    elapsed = (time.perf_counter() - started) * 1000
    sys.__stdout__.write("RESULT " + json.dumps({{"result": result, "ms": elapsed}}, default=str) + "\n")
    sys.__stdout__.flush()
"""


def zappa_package(stage: str, output: Path, *, settings_file: Path | None = None, cwd: Path = PROJECT,
                  **environment: str) -> Path:
    """`zappa package <stage>` as a person runs it, offline; returns the zip."""
    subprocess.run(package_command(stage, output, settings_file=settings_file), cwd=cwd,
                   env=zappa_environment(**environment), check=True, capture_output=True, text=True, timeout=600)
    return output


def package_command(stage: str, output: Path, *, settings_file: Path | None = None) -> list[str]:
    command = [str(ZAPPA), "package", stage, "-o", str(output)]
    if settings_file:
        command += ["-s", str(settings_file)]
    return command


def zappa_environment(**extra: str) -> dict[str, str]:
    """Zappa packages the active virtualenv; it finds it through VIRTUAL_ENV."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PETTUBE_", "DJANGO_"))
    }
    environment.update(VIRTUAL_ENV=str(VENV), PATH=f"{VENV / 'bin'}:{os.environ.get('PATH', '')}")
    environment.update(extra)
    return environment


def unpack(archive: Path, task_root: Path) -> Path:
    shutil.rmtree(task_root, ignore_errors=True)
    with zipfile.ZipFile(archive) as package:
        package.extractall(task_root)
    for path in task_root.rglob("*"):
        os.utime(path, (ZIP_TIME, ZIP_TIME), follow_symlinks=False)
    return task_root


def runtime_root(destination: Path) -> Path:
    """A stand-in for /var/runtime: links to this virtualenv's boto3 and its dependencies."""
    destination.mkdir(parents=True, exist_ok=True)
    site_packages = next(VENV.glob("lib/python3*/site-packages"))
    for name in RUNTIME_PACKAGES:
        link = destination / name
        if not link.exists():
            link.symlink_to(site_packages / name)
    return destination


@dataclass
class Invocation:
    results: list
    first_ms: float  # process start to the first answer, as a cold start is measured
    stderr: str


def invoke(task_root: Path, runtime: Path, events: list[dict], *, environment: dict[str, str],
           function_name: str = "pettube-dev", timeout: float = 120, under: tuple[str, ...] = (),
           entry: str = "handler.lambda_handler") -> Invocation:
    """Start a fresh interpreter on the task root and hand it `events` one after the other, each
    to the function `entry` (a stage's `lambda_handler`, see `entry_of`); `under` runs it under
    another program (valgrind)."""
    env = _lambda_environment(task_root, runtime, function_name, environment)
    module, function = entry.rsplit(".", 1)
    runner = _RUNNER.format(function_name=function_name, timeout=timeout, entry_module=module, entry_function=function)
    lines = "".join(json.dumps(event) + "\n" for event in events)
    with tempfile.TemporaryFile("w+") as stderr_file:  # a pipe could fill up and block the child
        started = time.perf_counter()
        process = subprocess.Popen(
            [*under, _base_python(), "-S", "-c", runner],
            cwd=task_root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            text=True,
        )
        # Lambda's timeout holds for each event; a function that hangs past them all is stopped.
        overdue = threading.Timer(timeout * len(events), process.kill)
        overdue.start()
        try:
            process.stdin.write(lines)
            process.stdin.close()
            results, first_ms = [], None
            for line in process.stdout:
                if line.startswith("RESULT "):
                    if first_ms is None:
                        first_ms = (time.perf_counter() - started) * 1000
                    results.append(json.loads(line[len("RESULT "):])["result"])
            process.wait(timeout=timeout)
        finally:
            overdue.cancel()
        stderr_file.seek(0)
        stderr = stderr_file.read()
    if process.returncode != 0 or len(results) != len(events):
        raise RuntimeError(f"the packaged handler failed (exit {process.returncode}):\n{stderr[-6000:]}")
    return Invocation(results=results, first_ms=first_ms, stderr=stderr)


def run_python(task_root: Path, runtime: Path, code: str, *, environment: dict[str, str]) -> str:
    """Run `code` in an interpreter set up like the function's; returns what it printed."""
    result = subprocess.run(
        [_base_python(), "-S", "-c", code], cwd=task_root, capture_output=True, text=True, timeout=120,
        env=_lambda_environment(task_root, runtime, "pettube-dev", environment),
    )
    if result.returncode != 0:
        raise RuntimeError(f"python on the task root failed:\n{result.stderr[-6000:]}")
    return result.stdout


def _lambda_environment(task_root: Path, runtime: Path, function_name: str, environment: dict[str, str]) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        "PYTHONPATH": f"{task_root}:{runtime}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LAMBDA_TASK_ROOT": str(task_root),
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        **environment,
    }


def _base_python() -> str:
    """The interpreter without this virtualenv, as on Lambda where only the zip is on sys.path."""
    return str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}")


def api_gateway_event(method: str, path: str, *, host: str = "abc123.execute-api.us-east-1.amazonaws.com",
                      stage: str = "dev", headers: dict | None = None, query: dict | None = None) -> dict:
    """An API Gateway REST (v1) proxy event, as Zappa's API Gateway sends it."""
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": {
            "Host": host,
            "Accept": "text/html,application/json",
            "User-Agent": "Mozilla/5.0",
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Port": "443",
            "X-Forwarded-Proto": "https",
            **(headers or {}),
        },
        "multiValueHeaders": {},
        "queryStringParameters": query,
        # API Gateway sends both; Zappa reads the multi-value one.
        "multiValueQueryStringParameters": {name: [value] for name, value in query.items()} if query else None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "domainName": host,
            "apiId": host.split(".", 1)[0],
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "identity": {"sourceIp": "203.0.113.7", "userAgent": "Mozilla/5.0"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def stage_settings(stage: str, settings_file: Path = PROJECT / "zappa_settings.json") -> dict:
    """A stage's settings with its `extends` chain applied, as Zappa reads them."""
    stages = json.loads(settings_file.read_text())
    settings = dict(stages[stage])
    while parent := settings.pop("extends", None):
        settings = {**stages[parent], **settings}
    return settings


def entry_of(stage: str) -> str:
    """The function Lambda calls for `stage`, as Zappa configures it."""
    return stage_settings(stage).get("lambda_handler", "handler.lambda_handler")


def stage_environment(stage: str, extra: dict[str, str]) -> dict[str, str]:
    """What a function of `stage` sees: its `environment_variables` from zappa_settings.json, then `extra`."""
    return {**stage_settings(stage)["environment_variables"], **extra}


def manage(*arguments: str, environment: dict[str, str]) -> str:
    """`python manage.py ...` from the project, with exactly `environment` for PetTube and AWS."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=zappa_environment(**environment),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# What the Lambda environment holds on AWS (set by the person deploying, never in zappa_settings).
SECRETS = {
    "DJANGO_SECRET_KEY": "emulated-aws-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "GOOGLE_OAUTH2_KEY": "emulated-aws.apps.googleusercontent.com",
    "GOOGLE_OAUTH2_SECRET": "emulated-aws-secret",
    # The dev stage's hosts are a wildcard (API Gateway's), so its emails need the site's address.
    "PETTUBE_SITE_URL": "https://abc123.execute-api.us-east-1.amazonaws.com/dev",
}
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "emulated", "AWS_SECRET_ACCESS_KEY": "emulated", "AWS_DEFAULT_REGION": "us-east-1"}


def provision(endpoint: str, *, database: Path, stage: str = "dev") -> dict[str, str]:
    """`bootstrap_aws` and `collectstatic` for `stage` on an emulated AWS, as a person runs them
    before packaging; returns the environment a Lambda function of the stage gets on top of its
    package."""
    lambda_environment = {
        "AWS_ENDPOINT_URL": endpoint, **CREDENTIALS, **SECRETS, "DATABASE_URL": f"sqlite:///{database}"
    }
    environment = stage_environment(stage, lambda_environment)
    manage("bootstrap_aws", environment=environment)
    manage("collectstatic", "--noinput", environment=environment)
    return lambda_environment
