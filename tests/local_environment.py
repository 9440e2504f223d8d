"""The suite asks for local mode: loaded with `-p` (pyproject.toml's addopts), before
pytest-django reads the settings, which default to production. Tests run on the embedded local
AWS whatever credentials the developer's shell carries."""

import os

os.environ["PETTUBE_AWS"] = "local"
# SVT-AV1 encodes after a video is ready would outlive the tests that made them: the AV1 tests
# turn them on (tests/videos/test_av1.py).
os.environ["PETTUBE_AV1_RENDITIONS"] = "0"
for _name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    os.environ.pop(_name, None)
