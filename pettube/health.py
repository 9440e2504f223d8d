"""`GET /healthz`: 200 when the site can reach its stores (the database, the table, the bucket),
503 naming what failed."""

from django.db import connection
from django.http import JsonResponse

from pettube import dynamo
from videos import storage


def healthz(request):
    checks = {}
    for name, ping in (("database", connection.ensure_connection), ("table", dynamo.ping), ("bucket", storage.ping)):
        try:
            ping()
            checks[name] = "ok"
        except Exception as failure:  # a health check reports, it does not raise
            checks[name] = type(failure).__name__
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503)
