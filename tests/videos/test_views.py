import ast
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests import factories
from videos import processing

pytestmark = pytest.mark.django_db


def test_feed_shows_ready_videos_with_poster_title_pet_owner(aws, client, make_clip):
    video, key = factories.uploaded(make_clip("small"), title="Rex <script>alert(1)</script>")
    processing.ingest_upload(key=key)

    page = client.get("/").content.decode()

    assert f'href="/v/{video.id}/"' in page
    assert "Rex &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "user7" in page and ">dog<" in page
    # the poster is a presigned URL: the bucket stays private
    assert re.search(rf'<img src="[^"]*/media/{video.id}/card-[0-3]\.webp\?[^"]*X-Amz-Signature=', page)


def test_watch_page_has_an_hls_player_and_a_presigned_mp4(aws, client, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    processing.ingest_upload(key=key)

    response = client.get(f"/v/{video.id}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf'<video [^>]*data-hls="/v/{video.id}/hls/master\.m3u8"', page)
    assert re.search(rf'<video [^>]*data-mp4="[^"]*/media/{video.id}/video\.mp4\?[^"]*X-Amz-Signature=', page)
    assert "vendor/hls.js-1.7.4/hls.min.js" in page and "js/player.js" in page
    assert "data-delete" not in page  # not the owner


def test_pages_without_a_player_do_not_load_hls_js(aws, client, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    processing.ingest_upload(key=key)

    assert "hls.min.js" not in client.get("/").content.decode()


def test_watch_page_of_a_processing_video_is_for_its_owner(aws, client, user):
    video = factories.start_upload(str(user.pk)).video

    assert client.get(f"/v/{video.id}/").status_code == 404
    client.force_login(user)
    page = client.get(f"/v/{video.id}/").content.decode()
    assert "This video is uploading…" in page and "data-delete" in page


def test_my_videos_lists_every_status(aws, client, user, make_clip):
    factories.start_upload(str(user.pk), title="still uploading")
    broken, key = factories.uploaded(make_clip("html"), owner_id=str(user.pk), title="broken")
    processing.ingest_upload(key=key)
    client.force_login(user)

    page = client.get("/me/").content.decode()

    assert "still uploading" in page and "broken" in page
    assert "not a video" in page


@pytest.mark.parametrize("path", ["/upload/", "/me/"])
def test_pages_for_signed_in_users_redirect_to_login(aws, client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_pages_carry_a_strict_content_security_policy(aws, client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "media-src 'self' http://127.0.0.1:" in policy


def test_bad_page_cursor_is_400_not_500(aws, client):
    assert client.get("/", {"cursor": "garbage"}).status_code == 400


def test_the_web_app_never_loads_the_encoder():
    """The web function imports every view (URLconfs name them lazily, pettube/lazy.py: here each
    is imported, as its first request would) and middleware, never the worker's pipeline or
    ffmpeg's wrapper (videos/processing.py, videos/transcode.py)."""
    code = (
        "import sys, django; django.setup()\n"
        "from django.core.wsgi import get_wsgi_application; from django.urls import URLResolver, get_resolver\n"
        "def views(resolver):\n"
        "    for pattern in resolver.url_patterns:\n"
        "        yield from views(pattern) if isinstance(pattern, URLResolver) else [pattern.callback]\n"
        "get_wsgi_application(); [getattr(view, '_view', view) for view in views(get_resolver())]\n"
        "print(sorted(name for name in sys.modules if name.startswith('videos.')))\n"
    )
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "pettube.settings", "PETTUBE_AWS": "local"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=settings.BASE_DIR, env=environment)

    loaded = ast.literal_eval(result.stdout.strip())
    assert {"videos.views", "videos.api", "videos.services"} <= set(loaded)
    assert "videos.processing" not in loaded
    assert "videos.transcode" not in loaded


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"])
@pytest.mark.parametrize("endpoint", [None, "http://127.0.0.1:5000", "https://s3.example.com:8443"])
def test_the_media_origin_from_settings_is_where_presigned_urls_point(region, endpoint, monkeypatch):
    import boto3
    from botocore.config import Config

    from pettube.csp import media_origin

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)  # boto3 would prefer it to endpoint_url=None
    s3 = boto3.session.Session().client(
        "s3", region_name=region, endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s",
        config=Config(signature_version="s3v4"),
    )
    presigned = s3.generate_presigned_url("get_object", Params={"Bucket": "pettube-media", "Key": "x"})

    assert presigned.startswith(media_origin(bucket="pettube-media", region=region, endpoint=endpoint) + "/")


def test_a_page_that_touches_no_video_builds_no_s3_client(aws, client):
    from pettube import aws as aws_clients

    aws_clients.reset_clients()

    response = client.get("/login/")

    assert "media-src 'self' http://127.0.0.1:" in response["Content-Security-Policy"]
    assert aws_clients.client.cache_info().currsize == 0
