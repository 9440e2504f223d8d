"""HLS playback as a player sees it: the master playlist lists exactly the renditions that exist,
each playlist's segments are presigned, short-lived and fetchable, a video being encoded can be
watched from its start (EVENT playlist) before it is ready, and nobody but the owner gets the
playlists of a video that is not ready."""

import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests import factories
from tests.aws_calls import counted
from tests.waiting import eventually
from videos import domain, ladder, processing, repository, storage
from videos.domain import PROCESSING, READY

pytestmark = pytest.mark.django_db


def playlist_entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_master_playlist_lists_exactly_the_renditions_that_exist(aws, client, make_clip):
    video, key = factories.uploaded(make_clip("landscape"))  # 1920x1080, 6 s
    processing.ingest_upload(key=key)

    master = client.get(f"/v/{video.id}/hls/master.m3u8")

    assert master.status_code == 200 and master["Content-Type"] == "application/vnd.apple.mpegurl"
    text = master.content.decode()
    assert playlist_entries(text) == ["360p.m3u8", "720p.m3u8", "1080p.m3u8"]
    assert 'RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2",AUDIO="audio"' in text
    assert 'TYPE=AUDIO,GROUP-ID="audio"' in text and 'URI="audio.m3u8"' in text
    for name in ["360p", "720p", "1080p", "audio"]:
        media = client.get(f"/v/{video.id}/hls/{name}.m3u8").content.decode()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in media and media.rstrip().endswith("#EXT-X-ENDLIST")
        for url in playlist_entries(media):
            segment = requests.get(url, timeout=10)
            assert segment.status_code == 200 and segment.content[:1] == b"\x47"  # an MPEG-TS packet
    assert client.get(f"/v/{video.id}/hls/480p.m3u8").status_code == 404  # not a rung of this video


def test_segment_urls_are_presigned_and_short_lived(aws, client, make_clip):
    video, key = factories.uploaded(make_clip("short"))
    processing.ingest_upload(key=key)
    before = datetime.now(UTC).replace(microsecond=0)  # X-Amz-Date counts whole seconds

    media = client.get(f"/v/{video.id}/hls/360p.m3u8").content.decode()
    after = datetime.now(UTC)

    url, _ = playlist_entries(media)  # 2 s: the lead segment and one more
    assert urlsplit(url).path.endswith(f"/media/{video.id}/hls/360p/00000.ts")
    query = parse_qs(urlsplit(url).query)
    # moto does not refuse an expired URL, so the signature's own terms are checked.
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= signed_at <= after  # signed for this request
    assert timedelta(minutes=5) <= timedelta(seconds=int(query["X-Amz-Expires"][0])) <= timedelta(minutes=30)
    expires = signed_at + timedelta(seconds=int(query["X-Amz-Expires"][0]))
    assert expires - before >= timedelta(minutes=5) and expires - after <= timedelta(minutes=30)
    assert "X-Amz-Signature" in query
    assert client.get(f"/v/{video.id}/hls/360p.m3u8")["Cache-Control"] == "private, max-age=60"


def test_playlists_of_a_video_that_is_not_ready_are_only_for_its_owner(aws, client, user, make_clip):
    video, key = factories.uploaded(make_clip("short"), owner_id=str(user.pk))
    repository.claim(video.id, lease=timedelta(minutes=20))
    repository.record_progress(video.id, attempt=1, encoded_seconds=0, playable=True)

    for path in ["master", "360p", "audio"]:
        assert client.get(f"/v/{video.id}/hls/{path}.m3u8").status_code == 404
    client.force_login(user)
    assert client.get(f"/v/{video.id}/hls/master.m3u8").status_code == 200


@pytest.mark.slow  # encodes 20 s of 1080p
def test_an_encoding_video_can_be_watched_from_its_start_before_it_is_ready(aws, client, user, make_clip):
    video, key = factories.uploaded(make_clip("long"), owner_id=str(user.pk))  # 20 s of 1080p
    client.force_login(user)
    worker = threading.Thread(target=processing.ingest_upload, kwargs={"key": key})
    worker.start()
    try:
        seen = eventually(lambda: playable(client.get(f"/api/videos/{video.id}/").json()), timeout=60)
        assert seen["status"] == PROCESSING  # watchable while it is still being encoded
        assert 0 <= seen["progress"] < 100
        assert seen["playback"]["hls"] == f"/v/{video.id}/hls/master.m3u8"
        assert client.get(seen["playback"]["hls"]).status_code == 200
        media = client.get(f"/v/{video.id}/hls/720p.m3u8")
        assert media["Cache-Control"] == "no-store"  # players reload it
        text = media.content.decode()
        assert "#EXT-X-PLAYLIST-TYPE:EVENT" in text and "#EXT-X-ENDLIST" not in text
        first = requests.get(playlist_entries(text)[0], timeout=10)
        assert first.status_code == 200 and first.content[:1] == b"\x47"
        feed = client.get("/api/videos/").json()["items"]
        assert feed == []  # the public feed lists it only once it is ready
    finally:
        worker.join(timeout=120)
    assert not worker.is_alive()
    assert repository.get(video.id).status == READY
    final = client.get(f"/v/{video.id}/hls/720p.m3u8").content.decode()
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in final and final.rstrip().endswith("#EXT-X-ENDLIST")
    assert len(playlist_entries(final)) == 6  # 20 s: a lead segment of 1 s, then 3 s and 4 × 4 s


def test_a_live_playlist_is_made_from_the_videos_item_and_grows_with_it(aws, client, user, make_clip):
    video, key = factories.uploaded(make_clip("short"), owner_id=str(user.pk))
    repository.claim(video.id, lease=timedelta(minutes=20))
    rungs = ladder.choose_rungs(1920, 1080, 30)
    repository.start_encoding(video.id, attempt=1, plan=domain.EncodingPlan(
        duration=10.0, source_fps=30.0, rungs=ladder.rungs_to_json(rungs), has_audio=True, chunk_seconds=12, jobs=2,
        source_size=1000))
    repository.record_progress(video.id, attempt=1, encoded_seconds=6, playable=True,
                               live_segments={"video": [2.0, 4.0], "audio": [4.010667, 4.010667, 1.978667]})
    client.force_login(user)

    with counted() as calls:
        media = client.get(f"/v/{video.id}/hls/720p.m3u8")
    assert calls == ["dynamodb.GetItem"]  # no stored playlist to read while it is encoding
    assert media["Cache-Control"] == "no-store"
    text = media.content.decode()
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in text and "#EXT-X-ENDLIST" not in text
    assert [line for line in text.splitlines() if line.startswith("#EXTINF")] == ["#EXTINF:2.000000,", "#EXTINF:4.000000,"]
    assert [urlsplit(url).path.split(f"/media/{video.id}/hls/")[1] for url in playlist_entries(text)] == [
        "720p/00000.ts", "720p/00001.ts"]
    audio = client.get(f"/v/{video.id}/hls/audio.m3u8").content.decode()
    assert [urlsplit(url).path.rsplit("/", 2)[1:] for url in playlist_entries(audio)] == [
        ["audio", "00000.ts"], ["audio", "00001.ts"], ["audio", "00002.ts"]]

    repository.record_progress(video.id, attempt=1, encoded_seconds=4, playable=True,
                               live_segments={"video": [2.0, 4.0, 4.0], "audio": [4.010667, 4.010667, 1.978667]})
    assert len(playlist_entries(client.get(f"/v/{video.id}/hls/1080p.m3u8").content.decode())) == 3  # a reload

    retried = repository.claim(video.id, lease=timedelta(minutes=20), now=datetime.now(UTC) + timedelta(minutes=21))
    assert retried.attempts == 2 and retried.live_segments is None  # a new attempt starts from nothing
    assert client.get(f"/v/{video.id}/hls/720p.m3u8").status_code == 404


@pytest.mark.slow  # encodes 20 s of 1080p
def test_encoding_writes_each_segment_and_each_playlist_to_s3_once(aws, make_clip):
    video, key = factories.uploaded(make_clip("long"))  # 20 s of 1080p with sound
    written = []
    s3 = storage._s3()
    record = lambda params, **kwargs: written.append(params["url_path"].rsplit("/hls/", 1)[-1])  # noqa: E731
    s3.meta.events.register("before-call.s3.PutObject", record)
    try:
        processing.ingest_upload(key=key)
    finally:
        s3.meta.events.unregister("before-call.s3.PutObject", record)

    assert repository.get(video.id).status == READY
    playlists = sorted(name for name in written if name.endswith(".m3u8"))
    assert playlists == ["1080p.m3u8", "360p.m3u8", "720p.m3u8", "audio.m3u8"]  # the VOD ones, at the end
    listed = [entry for name in playlists for entry in playlist_entries(storage.read_text(storage.hls_key(video.id, name)))]
    segments = [name for name in written if name.endswith(".ts")]
    assert len(segments) == len(set(segments)) and sorted(segments) == sorted(listed)
    assert len([entry for entry in listed if entry.startswith("720p/")]) == 6  # 1 s, 3 s, then 4 × 4 s


@pytest.mark.slow  # encodes 20 s of 1080p
def test_progress_is_reported_while_encoding(aws, client, user, make_clip):
    video, key = factories.uploaded(make_clip("long"), owner_id=str(user.pk))
    client.force_login(user)
    seen = []

    def finished() -> bool:
        body = client.get(f"/api/videos/{video.id}/").json()
        if body["status"] == PROCESSING:
            seen.append(body["progress"])
        return not worker.is_alive()

    worker = threading.Thread(target=processing.ingest_upload, kwargs={"key": key})
    worker.start()
    eventually(finished, timeout=120, interval=0.3)

    assert seen == sorted(seen) and len(set(seen)) >= 3  # it moves forward, step by step
    assert 0 < max(seen) < 100
    assert client.get(f"/api/videos/{video.id}/").json()["progress"] == 100


@pytest.mark.slow  # encodes 20 s of 1080p
def test_deleting_a_video_mid_encode_stops_its_ffmpeg(aws, make_clip):
    video, key = factories.uploaded(make_clip("long"))
    worker = threading.Thread(target=processing.ingest_upload, kwargs={"key": key})
    worker.start()
    eventually(lambda: repository.get(video.id).playable, timeout=60)
    from videos import services

    deleted_at = time.monotonic()
    services.delete_video(video_id=video.id, user_id="7")
    worker.join(timeout=60)

    assert time.monotonic() - deleted_at < 5  # stopped within a progress report, not after the encode
    assert repository.get(video.id) is None
    assert storage.size_of(key) is None
    assert storage.size_of(storage.hls_key(video.id, "720p/00000.ts")) is None  # published, then deleted


def playable(body: dict) -> dict:
    assert body["playable"], body
    return body
