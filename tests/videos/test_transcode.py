from pathlib import Path

import pytest

from tests import clips
from videos import transcode


@pytest.mark.parametrize(
    ("clip", "width", "height", "has_audio"),
    [
        ("landscape", 1280, 720, True),
        ("portrait", 720, 1280, True),  # rotation applied: a phone's portrait clip stays portrait
        ("no_audio", 1280, 720, False),
        ("webm", 640, 480, True),  # short side under 720: never upscaled
        ("iphone", 720, 1280, True),  # 10-bit HEVC .mov with rotation, as iPhones record
    ],
)
def test_encode_makes_h264_aac_mp4_with_short_side_at_most_720(make_clip, tmp_path, clip, width, height, has_audio):
    outputs = transcode.encode(make_clip(clip), tmp_path, timeout=120)

    encoded = transcode.probe(outputs.video)
    assert (encoded.width, encoded.height) == (width, height)
    assert (outputs.width, outputs.height) == (width, height)
    assert encoded.codec == "h264"
    assert encoded.rotation == 0
    assert encoded.has_audio is has_audio
    assert outputs.duration == pytest.approx(6.0 if clip in {"landscape", "portrait"} else 2.0, abs=0.2)
    assert encoded.pixel_format == "yuv420p"  # 8-bit 4:2:0: what every browser decodes
    assert outputs.poster.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG


def test_encoded_mp4_is_faststart(make_clip, tmp_path):
    outputs = transcode.encode(make_clip("short"), tmp_path, timeout=120)

    boxes = top_level_boxes(outputs.video.read_bytes())
    assert boxes.index(b"moov") < boxes.index(b"mdat")  # the index first: playback starts at once


def top_level_boxes(mp4: bytes) -> list[bytes]:
    boxes, offset = [], 0
    while offset + 8 <= len(mp4):
        size = int.from_bytes(mp4[offset:offset + 4], "big")
        boxes.append(mp4[offset + 4:offset + 8])
        if size == 1:  # a 64-bit size follows the type
            size = int.from_bytes(mp4[offset + 8:offset + 16], "big")
        offset += size
    return boxes


def test_probe_reads_rotation_and_reports_displayed_size(make_clip):
    probe = transcode.probe(make_clip("portrait"))

    assert probe.rotation == 90
    assert (probe.width, probe.height) == (1080, 1920)
    assert probe.duration == pytest.approx(6.0, abs=0.1)


@pytest.mark.parametrize(("clip", "reason"), clips.NOT_VIDEOS)
def test_probe_rejects_what_is_not_a_video_with_a_readable_reason(make_clip, clip, reason):
    with pytest.raises(transcode.TranscodeError, match=reason):
        transcode.probe(make_clip(clip))


def test_encode_timeout_is_reported_as_retryable(make_clip, tmp_path):
    with pytest.raises(transcode.EncoderInterrupted):
        transcode.encode(make_clip("landscape"), tmp_path, timeout=0.05)


def test_probe_of_a_text_file_with_a_video_name_is_not_a_video(tmp_path: Path):
    fake = tmp_path / "cat.mov"
    fake.write_text("meow " * 1000)

    with pytest.raises(transcode.TranscodeError, match="not a video we can read"):
        transcode.probe(fake)
