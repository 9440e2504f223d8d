"""The suite asks for local mode: loaded with `-p` (pyproject.toml's addopts), before
pytest-django reads the settings, which default to production. Tests run on the embedded local
AWS whatever credentials the developer's shell carries."""

import os

os.environ["PETTUBE_AWS"] = "local"
for _name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    os.environ.pop(_name, None)
