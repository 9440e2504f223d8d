"""AV1 renditions (videos/av1.py): added to a ready video without touching what was published,
offered in the master playlist with the CODECS its segments carry, and a failure leaves the
video ready in H.264 only."""

import re

import pytest

from tests import factories
from tests.videos.test_services import objects
from videos import av1, hls, ladder, processing, repository, services, storage, transcode, workers
from videos.domain import READY

pytestmark = pytest.mark.django_db

# --- playlists (pure) ------------------------------------------------------------------------------

RUNGS = ladder.choose_rungs(1280, 720, 30)


def test_the_master_playlist_offers_the_av1_rungs_after_the_h264_ones_with_their_codecs():
    av1_rungs = av1.rungs_for(RUNGS)
    master = hls.master_playlist(RUNGS, has_audio=True, av1=[(rung, "av01.0.05M.08") for rung in av1_rungs])

    variants = re.findall(r'#EXT-X-STREAM-INF:.*CODECS="([^"]+)".*\n(.+)', master)
    assert variants == [("avc1.64001e,mp4a.40.2", "360p.m3u8"), ("avc1.64001f,mp4a.40.2", "720p.m3u8"),
                        ("av01.0.05M.08,mp4a.40.2", "av1-360p.m3u8"), ("av01.0.05M.08,mp4a.40.2", "av1-720p.m3u8")]
    assert "#EXT-X-VERSION:7" in master
    assert "#EXT-X-VERSION:3" in hls.master_playlist(RUNGS, has_audio=True)  # unchanged without AV1


def test_an_fmp4_playlist_starts_each_chunk_with_its_initialisation_segment_and_both_are_signed():
    segments = [hls.Segment(0, 2.0), hls.Segment(1, 4.0), hls.Segment(16, 4.0)]
    playlist = hls.media_playlist("av1-720p", segments, complete=True, maps={0: "av1-720p/init-0.mp4",
                                                                             16: "av1-720p/init-1.mp4"})

    assert playlist.count("#EXT-X-MAP") == 2
    assert "av1-720p/00016.m4s" in playlist
    signed = hls.signed(playlist, lambda uri: f"https://signed/{uri}")
    assert '#EXT-X-MAP:URI="https://signed/av1-720p/init-1.mp4"' in signed
    assert "https://signed/av1-720p/00001.m4s" in signed


@pytest.mark.parametrize("uri", ["https://elsewhere/init.mp4", "../720p/init-0.mp4", "av1-720p/init.mp4\r\nX: y"])
def test_an_initialisation_segment_that_is_not_ours_is_refused(uri):
    with pytest.raises(ValueError):
        hls.signed(f'#EXTM3U\n#EXT-X-MAP:URI="{uri}"\n', lambda uri: uri)


def test_each_av1_rung_mirrors_an_h264_rung_on_av1s_scale():
    for h264, other in zip(RUNGS, av1.rungs_for(RUNGS), strict=True):
        assert (other.name, other.width, other.height) == ("av1-" + h264.name, h264.width, h264.height)
        assert other.crf == h264.crf + av1.CRF_OFFSET and other.maxrate < h264.maxrate


# --- the pipeline ----------------------------------------------------------------------------------


@pytest.fixture
def av1_chunks(settings, monkeypatch) -> list:
    """AV1 on, with its chunks held back instead of run (returned, to run when the test says)."""
    settings.PETTUBE_AV1_RENDITIONS = True
    held = []
    real = workers.dispatch_chunks

    def hold(video_id, *, attempt, indexes, run_here, command=workers.CHUNK_COMMAND, **kwargs):
        if command != workers.AV1_CHUNK_COMMAND:
            return real(video_id, attempt=attempt, indexes=indexes, run_here=run_here, command=command, **kwargs)
        held.extend(lambda index=index: run_here(index) for index in indexes)
        return lambda: None

    monkeypatch.setattr(workers, "dispatch_chunks", hold)
    yield held
    monkeypatch.setattr(workers, "dispatch_chunks", real)


def published(video_id: str) -> dict[str, str]:
    """What the H.264 ladder published: every object but the AV1 ones, with its ETag."""
    from django.conf import settings

    from pettube import aws as aws_clients

    listing = aws_clients.client("s3").list_objects_v2(Bucket=settings.PETTUBE_BUCKET, Prefix=storage.media_key(video_id, ""))
    return {item["Key"]: item["ETag"] for item in listing.get("Contents", []) if "/hls/av1-" not in item["Key"]}


@pytest.mark.slow
def test_av1_rungs_are_added_to_a_ready_video_without_changing_what_was_published(aws, make_clip, av1_chunks):
    video, key = factories.uploaded(make_clip("short"))
    processing.ingest_upload(key=key)
    ready = repository.get(video.id)
    before, master_before = published(video.id), services.playlist(ready, "master")
    assert ready.status == READY and len(av1_chunks) == 1 and storage.size_of(key)  # the source waits for AV1

    for chunk in av1_chunks:
        chunk()

    after = repository.get(video.id)
    assert published(video.id) == before
    assert (after.status, after.rungs, after.video_key, after.published_at) == (READY, ready.rungs, ready.video_key,
                                                                                 ready.published_at)
    master = services.playlist(after, "master")
    assert master.startswith(master_before.replace("#EXT-X-VERSION:3", "#EXT-X-VERSION:7").rstrip("\n"))
    assert storage.size_of(key) is None  # the source is gone once AV1 is done
    assert objects(storage.hls_key(video.id, "av1-360p/")) == [  # the lead segment and one more, as in H.264
        storage.hls_key(video.id, name) for name in ("av1-360p/00000.m4s", "av1-360p/00001.m4s", "av1-360p/init-0.mp4")]


@pytest.mark.slow
def test_the_master_playlists_codecs_are_what_the_segments_carry(aws, make_clip, av1_chunks, tmp_path):
    video, key = factories.uploaded(make_clip("short"))
    processing.ingest_upload(key=key)
    for chunk in av1_chunks:
        chunk()
    ready = repository.get(video.id)

    offered = re.findall(r'CODECS="([^",]+),mp4a\.40\.2"[^\n]*\n(\S+)\.m3u8', services.playlist(ready, "master"))
    assert [name for _, name in offered] == ["360p", "av1-360p"]
    for codecs, name in offered:
        local = tmp_path / f"{name}.m3u8"
        local.write_text(services.playlist(ready, name))
        assert transcode.codecs_of(local) == codecs
    assert offered[1][0].startswith("av01.0.") and offered[1][0].endswith("M.08")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["the encode fails", "AV1 looks worse"])
def test_av1_that_fails_or_looks_worse_leaves_the_video_ready_in_h264_only(aws, make_clip, av1_chunks, monkeypatch,
                                                                             caplog, how):
    """A failure never touches the H.264 ladder; and a browser that decodes AV1 would pick it, so
    AV1 that looks worse than H.264 is never offered."""
    video, key = factories.uploaded(make_clip("short"))
    processing.ingest_upload(key=key)
    ready = repository.get(video.id)
    before, master_before = published(video.id), services.playlist(ready, "master")
    if how == "the encode fails":
        monkeypatch.setattr(transcode, "AV1_PRESET", "not-a-preset")  # ffmpeg refuses it
    else:
        monkeypatch.setattr(av1, "CAP_SHARE", 0.02)  # SVT-AV1 starved under its cap, as on fast fine texture

    for chunk in av1_chunks:
        chunk()  # never raises

    after = repository.get(video.id)
    assert (after.status, after.av1_rungs) == (READY, None)
    assert published(video.id) == before
    assert services.playlist(after, "master") == master_before
    assert objects(storage.hls_key(video.id, "av1-")) == []
    assert storage.size_of(key) is None
    assert services.playlist(after, "av1-360p") is None
    left_out = [record.reason for record in caplog.records if record.getMessage().startswith("AV1 renditions left out")]
    if how == "AV1 looks worse":
        [reason] = left_out
        assert re.fullmatch(r"av1-360p scores VMAF [0-9.]+ against H\.264's [0-9.]+ on the lead segment", reason)
    else:
        assert left_out == []
