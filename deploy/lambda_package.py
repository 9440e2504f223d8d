"""Zappa's `zip` callback (see zappa_settings.json): rewrite the package Zappa just built so it
holds only what Lambda runs, with bytecode that stays valid there.

1. Zappa copies the whole virtualenv, test and dev tools included. Keep only the distributions
   that requirements/base.txt needs, plus Zappa's own handler and its imports.
2. boto3 ships, pinned like in the tests (the runtime's own copy is older and changes when AWS
   updates it), but with the models of the AWS services PetTube calls only: creating the first
   client otherwise lists ~440 model folders and parses a 1.2 MB endpoints.json.
3. Zappa writes zip entries with 1980 timestamps, so ordinary (timestamp) .pyc files never
   match their sources on Lambda and every cold start compiles everything again, in a
   read-only /var/task. Compile with checked-hash invalidation instead: valid whatever the
   file times, and still safe if a source changes without its .pyc.
4. The package carries the static-files manifest that `collectstatic` wrote next to manage.py
   (pettube/static_storage.py): refuse to build while it is missing or out of date.
"""

import compileall
import gzip
import importlib.metadata
import json
import py_compile
import re
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

# Zappa imports this file as a top-level module, from deploy/: the project's root is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pettube import sdk_models  # noqa: E402 (the format pettube/aws.py's session reads)

REQUIREMENTS = Path("requirements/base.txt")
# What Zappa's handler imports at run time (Zappa's other dependencies are for the CLI).
HANDLER_DISTRIBUTIONS = {"zappa": False, "werkzeug": True, "durationpy": True}  # name: follow its requirements
# The AWS services the functions call: DynamoDB (pettube/dynamo.py), S3 (videos/storage.py;
# also Zappa's handler, with `remote_env` only), Lambda (videos/workers.py: the worker starts the
# chunks of a long video as invocations of itself), SES v2 (notifications/mailer.py) and CloudFront
# (videos/cdn.py: invalidations when a video stops being public). A client
# for any other service fails on Lambda with UnknownServiceError until it is added here: sts, for
# example, for an assume-role setup.
AWS_SERVICES = {"cloudfront", "dynamodb", "lambda", "s3", "sesv2"}
# Required, but only for what PetTube does not do: PyJWT and social-core need cryptography for
# RSA/EC-signed tokens (OpenID Connect, Apple); Google OAuth2 verifies none, and PyJWT without it
# keeps its HMAC algorithms. Importing it costs ~20 ms of every cold start; it is 17 MB unzipped.
UNUSED_ON_LAMBDA = {"cryptography"}
STATIC_SOURCES = Path("static")
STATIC_MANIFEST = Path("staticfiles.json")
LAMBDA_TASK_ROOT = "/var/task"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def slim_and_compile(cli) -> None:
    """The callback: Zappa passes its CLI object, whose `zip_path` is the package."""
    rewrite(Path(cli.zip_path), requirements=REQUIREMENTS)


def rewrite(archive: Path, *, requirements: Path) -> None:
    check_static_manifest(STATIC_MANIFEST, sources=STATIC_SOURCES)
    keep = runtime_distributions(requirements)
    with tempfile.TemporaryDirectory(prefix="pettube-package-") as workdir:
        root = Path(workdir)
        with zipfile.ZipFile(archive) as package:
            package.extractall(root)
        for name in unneeded_top_level_names(keep):
            path = root / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        keep_service_models(root, AWS_SERVICES)
        for cache in list(root.rglob("__pycache__")):
            shutil.rmtree(cache)
        compiled = compileall.compile_dir(
            root,
            quiet=1,
            stripdir=str(root),
            prependdir=LAMBDA_TASK_ROOT,
            invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
            workers=0,
        )
        if not compiled:
            raise RuntimeError("compileall failed on the Lambda package")
        _zip(root, archive)


def runtime_distributions(requirements: Path) -> set[str]:
    """Normalized names of the installed distributions Lambda needs: the closure of
    `requirements` (with their extras and markers) and of the handler's own imports."""
    keep: set[str] = set()
    pending = [(Requirement(line), True) for line in _requirement_lines(requirements)]
    pending += [(Requirement(name), follow) for name, follow in HANDLER_DISTRIBUTIONS.items()]
    while pending:
        requirement, follow = pending.pop()
        name = _normalize(requirement.name)
        if name in keep or name in UNUSED_ON_LAMBDA:
            continue
        keep.add(name)
        if not follow:
            continue
        for line in importlib.metadata.distribution(name).requires or []:
            dependency = Requirement(line)
            extras = requirement.extras or {""}
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": extra}) for extra in extras):
                pending.append((dependency, True))
    return keep


def unneeded_top_level_names(keep: set[str]) -> set[str]:
    """Top-level files and folders that installed distributions outside `keep` put in
    site-packages (a name shared with a kept distribution stays)."""
    owners: dict[str, set[str]] = {}
    for distribution in importlib.metadata.distributions():
        name = _normalize(distribution.metadata["Name"])
        for file in distribution.files or []:
            if file.parts and file.parts[0] != "..":
                owners.setdefault(file.parts[0], set()).add(name)
    return {top for top, names in owners.items() if not names & keep}


def keep_service_models(root: Path, services: set[str]) -> None:
    """Remove botocore's and boto3's data for the services not in `services`, and their entries in
    botocore's endpoints.json (each partition keeps its regions and defaults). The models that
    stay are stored uncompressed: botocore reads `x.json` before `x.json.gz`, the zip compresses
    them anyway, and a cold start skips gunzipping ~3 MB. Each also gets its precompiled form,
    which pettube/aws.py's session reads instead of parsing the JSON (pettube/sdk_models.py)."""
    if not (root / "botocore").exists():  # a package without boto3
        return
    data = root / "botocore" / "data"
    endpoints_file = data / "endpoints.json"
    if not endpoints_file.exists():
        raise RuntimeError(f"botocore without {endpoints_file.relative_to(root)}: its data layout changed")
    unknown = services - {folder.name for folder in data.iterdir() if folder.is_dir()}
    if unknown:
        raise RuntimeError(f"botocore has no model for {', '.join(sorted(unknown))} (see AWS_SERVICES)")
    for folder in [*data.iterdir(), *(root / "boto3" / "data").glob("*")]:
        if folder.is_dir() and folder.name not in services:
            shutil.rmtree(folder)
    for compressed in data.rglob("*.json.gz"):
        compressed.with_suffix("").write_bytes(gzip.decompress(compressed.read_bytes()))
        compressed.unlink()
    endpoints = json.loads(endpoints_file.read_text())
    for partition in endpoints["partitions"]:
        partition["services"] = {
            name: rules for name, rules in partition.get("services", {}).items() if name in services
        }
    endpoints_file.write_text(json.dumps(endpoints, separators=(",", ":")))
    for model in data.rglob("*.json"):
        sdk_models.compile_file(model)


def check_static_manifest(manifest: Path, *, sources: Path) -> None:
    """Refuse to package without a manifest, or with one older than a file in `sources`: pages
    would fail on a file it does not name, or link to an old version of one it does."""
    if not sources.is_dir():
        return
    rerun = "run `manage.py collectstatic` (PETTUBE_AWS=aws) before packaging: see docs/DEPLOY.md"
    if not manifest.exists():
        raise RuntimeError(f"no {manifest}: {rerun}")
    listed, written = set(json.loads(manifest.read_text())["paths"]), manifest.stat().st_mtime
    for path in sorted(path for path in sources.rglob("*") if path.is_file()):
        name = path.relative_to(sources).as_posix()
        if name not in listed or path.stat().st_mtime > written:
            raise RuntimeError(f"{manifest} predates {sources / name}: {rerun}")


def _requirement_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith(("-r", "--requirement")):
            lines += _requirement_lines(path.parent / line.split(None, 1)[1])
        elif line and not line.startswith("-"):
            lines.append(line)
    return lines


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A deflated zip entry for a Unix file, mode 0755, dated like Zappa's (1980): Lambda keeps
    the mode, and the same sources give the same bytes."""
    entry = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
    entry.create_system = 3
    entry.external_attr = (stat.S_IFREG | 0o755) << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _zip(root: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):  # sorted: reproducible
            package.writestr(zip_entry(path.relative_to(root).as_posix()), path.read_bytes())


if __name__ == "__main__":
    rewrite(Path(sys.argv[1]), requirements=REQUIREMENTS)
