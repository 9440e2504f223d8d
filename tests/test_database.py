"""On AWS the ORM is PostgreSQL: its driver loads with the first request that runs SQL, so a
cold start answering a page without SQL (an anonymous visitor) never imports it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_SERVER = "postgres://pettube:secret@127.0.0.1:9/pettube"  # nothing listens: no SQL may run unnoticed

PROBE = """
import json, sys, django
django.setup()
from django.db import connections
from django.test import Client
seen = {"after_setup": "psycopg" in sys.modules}
login = Client().get("/login/")
seen["page"] = [login.status_code, "psycopg" in sys.modules]
health = Client().get("/healthz")
seen["sql"] = [health.json()["checks"]["database"], "psycopg" in sys.modules, type(connections["default"]).__module__]
print(json.dumps(seen))
"""


def test_the_postgresql_driver_loads_only_when_a_request_runs_sql():
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PETTUBE_", "DJANGO_", "AWS_"))}
    environment |= {"DJANGO_SETTINGS_MODULE": "pettube.settings", "PETTUBE_AWS": "local", "DATABASE_URL": NO_SERVER,
                    "PYTHONPATH": str(ROOT)}

    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["after_setup"] is False
    assert seen["page"] == [200, False]
    # The health check runs SQL: Django's own PostgreSQL backend takes over and tries to connect.
    assert seen["sql"] == ["OperationalError", True, "django.db.backends.postgresql.base"]
