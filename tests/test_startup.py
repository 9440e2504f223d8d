"""What a cold start leaves out (pettube/lazy.py, docs/DEPLOY.md "Fast cold starts"): a fresh
process that sets Django up and answers an anonymous `GET /` (the feed, with presigned posters)
imports no heavy module it does not need, and builds no S3 client. New apps keep it so by naming
their views and their seams' services lazily."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys, types, django
django.setup()
from django.core.wsgi import get_wsgi_application
from django.test import Client
from pettube import aws
get_wsgi_application()
answer = Client().get("/")
loaded = sorted(name for name, module in sys.modules.items() if type(module) is types.ModuleType)
print(json.dumps({"status": answer.status_code, "loaded": loaded, "clients": aws.client.cache_info().currsize}))
"""

# Never by an anonymous GET /: the worker's pipeline and encoder, images, the PostgreSQL driver,
# the other pages' and the API's code, the apps' use cases behind their seams, and sign-in.
NOT_LOADED = [
    "videos.processing", "videos.transcode", "videos.thumbnails", "PIL", "imageio_ffmpeg", "psycopg",
    "videos.api", "videos.multipart_api", "community.api", "community.views", "pets.api", "pets.views",
    "search.views", "notifications.views", "accounts.views",
    "community.services", "community.ranking", "notifications.services", "notifications.mailer", "pets.services",
    "search.services", "shorts.services", "playlists.services", "follows.services", "shorts.api", "playlists.api",
    "follows.api", "sharing.api", "sharing.syndication",
    "social_django.views", "social_core.strategy", "social_core.actions",
    # What the feed's cards do not need from the watch pipeline: the player's playlists and seek
    # previews, CloudFront's signer, uploads' forms and windows, the watch page's chapters and embed code.
    "videos.hls", "videos.ladder", "videos.cdn", "videos.signing", "videos.storyboard", "videos.webvtt",
    "videos.timecodes", "videos.forms", "videos.upload_starts", "videos.uploading", "videos.watching", "sharing.links", "sharing.oembed",
]


def test_an_anonymous_get_of_the_feed_loads_only_what_it_needs(aws, moto_endpoint):
    from tests import factories

    factories.published(title="Rex")  # a card, with a presigned poster
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PETTUBE_", "DJANGO_"))}
    environment |= {"DJANGO_SETTINGS_MODULE": "pettube.settings", "PETTUBE_AWS": "local", "PYTHONPATH": str(ROOT),
                    "DATABASE_URL": "postgres://nobody:none@127.0.0.1:9/none",  # the page must run no SQL
                    "AWS_ENDPOINT_URL": moto_endpoint}

    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert [name for name in NOT_LOADED if name in seen["loaded"]] == []
    assert seen["clients"] == 1  # DynamoDB's; the posters are signed without an S3 client


def test_every_view_named_by_path_exists():
    """A view the URLconf names by path (pettube.lazy.view) is imported when first requested:
    a wrong path must fail here, not on that request."""
    from django.urls import URLResolver, get_resolver

    from pettube.lazy import LazyView

    def patterns(resolver):
        for pattern in resolver.url_patterns:
            yield from patterns(pattern) if isinstance(pattern, URLResolver) else [pattern]

    named = [pattern.callback for pattern in patterns(get_resolver()) if isinstance(pattern.callback, LazyView)]

    assert len(named) > 20
    assert all(callable(view._view) for view in named)
