"""Load on the local stack: 20 people sign in and upload at the same moment, over real HTTP to
the live server and the embedded S3; every video ends ready and listed in the feed."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from pettube import local_aws
from tests import over_http
from tests.waiting import eventually

USERS = 20
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def upload_as(base_url: str, session, clip) -> str:
    started = over_http.start_upload(base_url, session, filename=clip.name, size=clip.stat().st_size)
    stored = over_http.post_to_storage(started["upload"], clip)
    assert stored.status_code == 204, stored.text
    return started["id"]


def all_in_the_feed(base_url: str) -> set[str]:
    feed = {item["id"] for item in requests.get(f"{base_url}/api/videos/", timeout=30).json()["items"]}
    assert len(feed) >= USERS, f"{len(feed)} of {USERS} videos in the feed"
    return feed


def test_twenty_users_upload_at_once_and_all_end_ready_in_the_feed(aws, live_server, make_clip):
    clip = make_clip("small")
    pump = local_aws.EventPump(aws)
    pump.start()
    # Sign-ins go one by one: the test database is SQLite, which serialises writes (on AWS the
    # ORM is PostgreSQL); the uploads themselves all start at once.
    sessions = [over_http.sign_in(live_server.url, f"user{n}") for n in range(USERS)]
    try:
        began = time.monotonic()
        with ThreadPoolExecutor(USERS) as pool:
            ids = set(pool.map(lambda session: upload_as(live_server.url, session, clip), sessions))
        uploaded = time.monotonic()
        feed = eventually(lambda: all_in_the_feed(live_server.url), timeout=180, interval=0.5)
        finished = time.monotonic()
    finally:
        pump.stop()

    assert len(ids) == USERS
    assert feed == ids
    print(f"\n{USERS} uploads started and stored in {uploaded - began:.1f} s; all ready in the feed after {finished - began:.1f} s")
