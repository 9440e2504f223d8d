"""Seek previews (videos/storyboard.py): the worker takes tiles from the ladder's own decode, one
sprite per encoding job, and a WebVTT whose cues cover the whole video; the tile for a time is
the frame at that time; the site serves the WebVTT with its sprites' URLs presigned."""

import re
import subprocess
from pathlib import Path

import pytest
import requests

from tests import factories
from tests.aws_calls import counted
from videos import ladder, processing, services, storage, storyboard, streaming, transcode, webvtt
from videos.transcode import ffmpeg_binary

TILE = re.compile(r"^(?P<url>.+)#xywh=(?P<x>\d+),(?P<y>\d+),(?P<w>\d+),(?P<h>\d+)$")


def rgb(source: str | Path, *, filters: str, at: float | None = None) -> bytes:
    """One frame of `source` (at `at` seconds, or its only image) after `filters`, as RGB bytes."""
    seek = ["-ss", f"{at:.3f}"] if at is not None else []
    return subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", *seek, "-i", str(source), "-frames:v", "1",
         "-vf", filters, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout


def difference(one: bytes, other: bytes) -> float:
    """Mean absolute difference of two RGB images of one size, 0 to 255."""
    assert len(one) == len(other) and one
    return sum(abs(a - b) for a, b in zip(one, other, strict=True)) / len(one)


def tiles_of(vtt: str) -> list[tuple[webvtt.Cue, dict]]:
    return [(cue, TILE.match(cue.text).groupdict()) for cue in webvtt.read(vtt)]


def assert_tiles_are_their_frames(cues: list[tuple[webvtt.Cue, dict]], clip: Path, sprites: dict[str, Path]) -> None:
    """Each tile is the clip's frame at its cue's start, and closer to it than to any other tile's."""
    frames = {cue.start: rgb(clip, at=cue.start, filters=f"scale={tile['w']}:{tile['h']}:flags=bicubic")
              for cue, tile in cues}
    for cue, tile in cues:
        image = rgb(sprites[tile["url"]], filters=f"crop={tile['w']}:{tile['h']}:{tile['x']}:{tile['y']}")
        distances = {at: difference(image, frame) for at, frame in frames.items()}
        assert distances[cue.start] < 6, (cue.start, distances[cue.start])
        assert min(distances, key=distances.get) == cue.start


@pytest.mark.parametrize("duration, expected", [(9, 2), (200, 2), (201, 3), (300, 3), (600, 6), (900, 10),
                                               (10_000, 60)])
def test_a_tile_every_two_seconds_and_at_most_a_hundred(duration, expected):
    assert storyboard.interval(duration) == expected
    assert all(streaming.CHUNK_SECONDS % seconds == 0 for seconds in storyboard.INTERVALS)


@pytest.mark.parametrize("width, height, tile", [(1920, 1080, (160, 90)), (608, 1080, (90, 160)), (320, 240, (160, 120))])
def test_tiles_are_160_pixels_on_their_long_side(width, height, tile):
    assert storyboard.tile_size(width, height) == tile


def test_cues_cover_the_whole_video_without_gaps_across_chunks():
    # Three chunks of 60 s at one tile every 3 s; the last chunk's last tile is short of the end.
    sheets = [storyboard.Sheet("storyboard/v0.jpg", 0, 20), storyboard.Sheet("storyboard/v1.jpg", 60, 20),
              storyboard.Sheet("storyboard/v2.jpg", 120, 7)]

    cues = webvtt.read(storyboard.vtt(sheets, interval=3, width=160, height=90, duration=140.5))

    assert len(cues) == 47
    assert cues[0].start == 0 and cues[-1].end == 140.5
    assert all(cue.end == after.start for cue, after in zip(cues, cues[1:]))
    assert cues[20].text == "storyboard/v1.jpg#xywh=0,0,160,90"  # second 60: the next chunk's first tile
    assert cues[19].text == "storyboard/v0.jpg#xywh=1440,90,160,90"  # tile 19: row 1, column 9


def test_the_tile_for_a_time_is_the_frame_at_that_time(aws, make_clip, client, tmp_path):
    clip = make_clip("changing")
    video, key = factories.uploaded(clip)

    ready = processing.ingest_upload(key=key)

    assert ready.storyboard_key == storage.media_key(video.id, "storyboard.vtt")
    answer = client.get(f"/api/videos/{video.id}/").json()
    assert answer["storyboard"] == f"/v/{video.id}/storyboard.vtt"
    with counted() as calls:
        served = client.get(answer["storyboard"])
    assert sorted(calls) == ["dynamodb.GetItem", "s3.GetObject"]  # the sprites' URLs are signed here
    assert served.status_code == 200 and served["Content-Type"].startswith("text/vtt")
    cues = tiles_of(served.content.decode())
    assert [cue.start for cue, _ in cues] == [0, 2, 4, 6, 8]  # a tile every 2 s
    assert all(cue.end == after.start for (cue, _), (after, _) in zip(cues, cues[1:]))
    assert cues[-1][0].end == pytest.approx(ready.duration, abs=0.001)
    sprites = {}
    for url in {tile["url"] for _, tile in cues}:  # the sprites are fetched as a browser does
        assert url.startswith("http") and "Signature" in url
        sprites[url] = tmp_path / f"sprite-{len(sprites)}.webp"
        sprites[url].write_bytes(requests.get(url, timeout=10).content)
    assert len(sprites) == 1  # one image for a short clip
    assert_tiles_are_their_frames(cues, clip, sprites)


def test_a_chunk_makes_the_tiles_of_its_own_time(make_clip, tmp_path):
    clip = make_clip("changing")
    rungs = ladder.choose_rungs(640, 360, 25)
    for rung in rungs:
        (tmp_path / rung.name).mkdir()
    tiles = storyboard.Tiles(tmp_path / "storyboard", start=4, interval=2, width=160, height=90)
    tiles.folder.mkdir()
    command = transcode.ladder_command(clip, tmp_path, rungs, start=4, length=4, fps=25, tap=tiles)
    subprocess.run(command, capture_output=True, check=True)
    transcode.join_tiles(tiles.folder, tmp_path / "v1.webp", count=tiles.count(), columns=storyboard.columns(2))

    vtt = storyboard.vtt([storyboard.Sheet("v1.webp", 4, tiles.count())], interval=2, width=160, height=90, duration=8)

    cues = tiles_of(vtt)[1:]  # the first cue is stretched to 0 (no earlier chunk here)
    assert [cue.start for cue, _ in cues] == [6]
    assert_tiles_are_their_frames(tiles_of(vtt.replace("00:00:00.000 -->", "00:00:04.000 -->")), clip,
                                  {"v1.webp": tmp_path / "v1.webp"})


def test_a_video_published_before_storyboards_has_none(aws, client):
    video = factories.ready()

    assert client.get(f"/api/videos/{video.id}/").json()["storyboard"] is None
    assert client.get(f"/v/{video.id}/storyboard.vtt").status_code == 404


def test_a_private_videos_storyboard_is_hidden_from_others(aws, make_clip, client):
    video, key = factories.uploaded(make_clip("changing"))
    processing.ingest_upload(key=key)
    assert client.get(f"/v/{video.id}/storyboard.vtt").status_code == 200
    services.edit_video(video_id=video.id, user_id=video.owner_id, visibility="private")

    assert client.get(f"/v/{video.id}/storyboard.vtt").status_code == 404
