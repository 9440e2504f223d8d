import itertools
import os
import subprocess
from pathlib import Path

import pytest

from tests import clips
from videos import hls, ladder, transcode


def encode_ladder(source: Path, outdir: Path, *, start: float = 0, length: float = 60):
    """The worker's ladder job on a local file: one ffmpeg process for every rung."""
    probe = transcode.probe(source)
    rungs = ladder.choose_rungs(probe.width, probe.height, probe.fps)
    for rung in rungs:
        (outdir / rung.name).mkdir(parents=True, exist_ok=True)
    command = transcode.ladder_command(source, outdir, rungs, start=start, length=length, fps=probe.fps)
    transcode.Encoder(command, timeout=120).wait()
    return rungs, {rung.name: hls.finished_segments((outdir / rung.name / "index.m3u8").read_text()) for rung in rungs}


def encode_audio(source: Path, outdir: Path) -> list[hls.Segment]:
    (outdir / "audio").mkdir(parents=True, exist_ok=True)
    transcode.Encoder(transcode.audio_command(source, outdir, length=60), timeout=60).wait()
    return hls.finished_segments((outdir / "audio" / "index.m3u8").read_text())


def frames(path: Path) -> tuple[int, set[tuple[int, int]]]:
    """How many video frames a file decodes to, and every frame size among them."""
    result = subprocess.run(
        [transcode.ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0",
         "-vf", "showinfo", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    sizes = {tuple(map(int, line.split(" s:")[1].split()[0].split("x")))
             for line in result.stderr.splitlines() if "Parsed_showinfo" in line and " n:" in line}
    count = sum(1 for line in result.stderr.splitlines() if "Parsed_showinfo" in line and " n:" in line)
    return count, sizes


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (1920, 1080, [(640, 360), (1280, 720), (1920, 1080)]),
        (1080, 1920, [(360, 640), (720, 1280), (1080, 1920)]),  # a phone's portrait clip gets portrait rungs
        (3840, 2160, [(640, 360), (1280, 720), (1920, 1080)]),  # never above 1080
        (1280, 720, [(640, 360), (1280, 720)]),  # never upscaled
        (640, 480, [(480, 360)]),
        (320, 240, [(320, 240)]),  # smaller than the first rung: one rung of its own size
        (853, 480, [(640, 360)]),
    ],
)
def test_rungs_follow_the_source(width, height, expected):
    rungs = ladder.choose_rungs(width, height, 30)

    assert [(rung.width, rung.height) for rung in rungs] == expected
    assert [rung.maxrate for rung in rungs] == sorted(rung.maxrate for rung in rungs)  # each rung caps higher


@pytest.mark.parametrize(
    ("cores", "expected"),
    [(1, [1, 1, 1]), (2, [1, 1, 2]), (4, [1, 2, 3]), (8, [1, 3, 6])],
)
def test_encoders_sharing_one_process_share_the_cores_by_pixels(cores, expected):
    rungs = ladder.choose_rungs(1920, 1080, 30)

    assert transcode.encoder_threads(rungs, cores) == expected
    assert transcode.encoder_threads(rungs[:1], cores) == [cores]  # alone: every core


def test_the_cores_are_counted_where_python_cannot_read_the_affinity(monkeypatch):
    monkeypatch.delattr("os.sched_getaffinity")  # as on macOS

    rungs = ladder.choose_rungs(1920, 1080, 30)
    assert transcode._cores() == (os.cpu_count() or 1)
    assert transcode.encoder_threads(rungs) == transcode.encoder_threads(rungs, os.cpu_count())


def test_the_ladder_command_gives_each_encoder_its_threads(tmp_path):
    rungs = ladder.choose_rungs(1920, 1080, 30)
    command = transcode.ladder_command(tmp_path / "in.mp4", tmp_path, rungs, start=0, length=60, fps=30)

    given = {command[i]: command[i + 1] for i, word in enumerate(command) if word.startswith("-threads")}
    assert given == {f"-threads:v:{i}": str(n) for i, n in enumerate(transcode.encoder_threads(rungs))}


def test_codecs_name_the_high_profile_and_a_level_for_the_frame_rate():
    assert [rung.codecs for rung in ladder.choose_rungs(1920, 1080, 30)] == ["avc1.64001e", "avc1.64001f", "avc1.640028"]
    assert ladder.choose_rungs(1920, 1080, 60)[-1].codecs == "avc1.64002a"


@pytest.mark.parametrize(
    ("clip", "sizes"),
    [
        ("landscape", [(640, 360), (1280, 720), (1920, 1080)]),
        ("portrait", [(360, 640), (720, 1280), (1080, 1920)]),  # rotation applied
        ("iphone", [(360, 640), (720, 1280), (1080, 1920)]),  # 10-bit HEVC .mov with rotation
        ("webm", [(480, 360)]),
    ],
)
def test_one_process_encodes_every_rung_with_segments_aligned_across_rungs(make_clip, tmp_path, clip, sizes):
    rungs, segments = encode_ladder(make_clip(clip), tmp_path)

    assert [(rung.width, rung.height) for rung in rungs] == sizes
    timelines = {tuple((segment.number, segment.duration) for segment in listed) for listed in segments.values()}
    assert len(timelines) == 1  # segment n of every rung covers the same time
    first = next(iter(segments.values()))
    expected = 6.0 if clip in {"landscape", "portrait"} else 2.0
    assert sum(segment.duration for segment in first) == pytest.approx(expected, abs=0.05)
    boundaries = list(itertools.accumulate(segment.duration for segment in first[:-1]))
    grid = [ladder.LEAD_SECONDS, *range(ladder.SEGMENT_SECONDS, 61, ladder.SEGMENT_SECONDS)]
    assert boundaries == pytest.approx(grid[:len(boundaries)], abs=0.05)  # a short lead segment to start on, then the grid
    for rung in rungs:
        encoded = transcode.probe(tmp_path / rung.name / "00000.ts")
        assert (encoded.codec, encoded.pixel_format, encoded.rotation) == ("h264", "yuv420p", 0)
        assert (encoded.width, encoded.height) == (rung.width, rung.height)
        assert not encoded.has_audio  # audio is encoded once, in its own rendition


def test_audio_is_encoded_once_into_its_own_rendition(make_clip, tmp_path):
    segments = encode_audio(make_clip("landscape"), tmp_path)

    assert sum(segment.duration for segment in segments) == pytest.approx(6.0, abs=0.1)
    streams = subprocess.run([transcode.ffmpeg_binary(), "-hide_banner", "-i", str(tmp_path / "audio" / "00000.ts")],
                             capture_output=True, text=True).stderr
    assert "Audio: aac" in streams and "stereo" in streams and "Video:" not in streams


def test_download_mp4_is_a_faststart_remux_of_a_rung_and_the_audio(make_clip, tmp_path):
    rungs, segments = encode_ladder(make_clip("landscape"), tmp_path)
    audio = encode_audio(make_clip("landscape"), tmp_path)
    rung = ladder.mp4_rung(rungs)
    (tmp_path / "v.m3u8").write_text(hls.media_playlist(rung.name, segments[rung.name], complete=True))
    (tmp_path / "a.m3u8").write_text(hls.media_playlist("audio", audio, complete=True))

    transcode.remux_mp4(tmp_path / "v.m3u8", tmp_path / "a.m3u8", tmp_path / "video.mp4", timeout=60)

    mp4 = transcode.probe(tmp_path / "video.mp4")
    assert (rung.name, mp4.width, mp4.height, mp4.codec, mp4.has_audio) == ("720p", 1280, 720, "h264", True)
    assert mp4.duration == pytest.approx(6.0, abs=0.1)
    boxes = top_level_boxes((tmp_path / "video.mp4").read_bytes())
    assert boxes.index(b"moov") < boxes.index(b"mdat")  # the index first: playback starts at once
    assert frames(tmp_path / "video.mp4")[0] == 180  # 6 s at 30 fps: a remux drops or repeats nothing


def top_level_boxes(mp4: bytes) -> list[bytes]:
    boxes, offset = [], 0
    while offset + 8 <= len(mp4):
        size = int.from_bytes(mp4[offset:offset + 4], "big")
        boxes.append(mp4[offset + 4:offset + 8])
        if size == 1:  # a 64-bit size follows the type
            size = int.from_bytes(mp4[offset + 8:offset + 16], "big")
        offset += size
    return boxes


def test_frame_rate_is_capped(make_clip, tmp_path):
    fast = clips.make("fast", tmp_path)  # 2 s at 120 fps

    rungs, segments = encode_ladder(fast, tmp_path / "out")

    count, _ = frames(tmp_path / "out" / rungs[0].name / "00000.ts")
    assert count == ladder.LEAD_SECONDS * transcode.MAX_FPS  # the lead segment


def test_every_frame_is_capped_to_the_rung_whatever_the_first_header_said(make_clip, tmp_path):
    switching = clips.make("size_switch", tmp_path)  # 1 s at 64x64, then 2 s at 1920x1080
    assert (transcode.probe(switching).width, transcode.probe(switching).height) == (64, 64)

    rungs, segments = encode_ladder(switching, tmp_path / "out")

    assert [(rung.width, rung.height) for rung in rungs] == [(64, 64)]
    decoded = [frames(tmp_path / "out" / "64p" / f"{segment.number:05d}.ts") for segment in segments["64p"]]
    assert set().union(*(sizes for _, sizes in decoded)) == {(64, 64)}
    assert sum(count for count, _ in decoded) == 75  # all 3 s at 25 fps were encoded, capped


def test_a_chunk_continues_the_timeline_and_the_segment_numbers(make_clip, tmp_path):
    _, first = encode_ladder(make_clip("landscape"), tmp_path / "a", start=0, length=4)
    _, second = encode_ladder(make_clip("landscape"), tmp_path / "b", start=4, length=4)

    assert [(segment.number, segment.duration) for segment in first["360p"]] == [(0, 1.0), (1, 3.0)]
    assert [(segment.number, segment.duration) for segment in second["360p"]] == [(2, 2.0)]  # the clip is 6 s
    assert start_time(tmp_path / "b" / "360p" / "00002.ts") - start_time(tmp_path / "a" / "360p" / "00000.ts") == (
        pytest.approx(4.0, abs=0.001)
    )


def start_time(path: Path) -> float:
    summary = subprocess.run([transcode.ffmpeg_binary(), "-hide_banner", "-i", str(path)],
                             capture_output=True, text=True).stderr
    return float(summary.split("start: ", 1)[1].split(",", 1)[0])


def test_probe_reads_rotation_frame_rate_and_reports_displayed_size(make_clip):
    probe = transcode.probe(make_clip("portrait"))

    assert probe.rotation == 90
    assert (probe.width, probe.height) == (1080, 1920)
    assert probe.duration == pytest.approx(6.0, abs=0.1)
    assert probe.fps == 30


@pytest.mark.parametrize(("clip", "reason"), clips.NOT_VIDEOS)
def test_probe_rejects_what_is_not_a_video_with_a_readable_reason(make_clip, clip, reason):
    with pytest.raises(transcode.TranscodeError, match=reason):
        transcode.probe(make_clip(clip))


def test_probe_of_a_raw_stream_has_no_duration(make_clip):
    assert transcode.probe(make_clip("raw_h264")).duration is None


def test_encode_timeout_is_reported_as_retryable(make_clip, tmp_path):
    (tmp_path / "360p").mkdir()
    rungs = ladder.choose_rungs(1920, 1080, 30)[:1]
    command = transcode.ladder_command(make_clip("landscape"), tmp_path, rungs, start=0, length=60, fps=30)

    with pytest.raises(transcode.EncoderInterrupted):
        transcode.Encoder(command, timeout=0.05).wait()


def test_probe_of_a_text_file_with_a_video_name_is_not_a_video(tmp_path: Path):
    fake = tmp_path / "cat.mov"
    fake.write_text("meow " * 1000)

    with pytest.raises(transcode.TranscodeError, match="not a video we can read"):
        transcode.probe(fake)
