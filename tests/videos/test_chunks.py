"""Long videos are encoded in chunks that run side by side and join into one playlist per rung
without re-encoding. The joined video must be the unchunked one: same duration and frame count
as the source, no gap and no repeated frame at a chunk boundary, audio in step."""

import json
import subprocess
from datetime import UTC, datetime

import pytest
from django.conf import settings

from pettube import aws as aws_clients
from tests import factories
from videos import processing, repository, storage, streaming, transcode
from videos.domain import READY

FRAME = 1 / 30  # the clip's frame duration


def frame_times(path) -> list[float]:
    """The presentation time of every video frame of a file."""
    result = subprocess.run(
        [transcode.ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-vf", "showinfo",
         "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    return [float(line.split("pts_time:")[1].split()[0]) for line in result.stderr.splitlines() if "pts_time:" in line]


def audio_duration(path) -> float:
    result = subprocess.run(
        [transcode.ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:a:0", "-f", "null", "-"],
        capture_output=True, text=True,
    )
    clock = result.stderr.rsplit("time=", 1)[1].split()[0]
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def encoded(make_clip, tmp_path, name: str):
    video, key = factories.uploaded(make_clip("long"))  # 20 s at 30 fps, with audio
    ready = processing.ingest_upload(key=key)
    assert ready.status == READY, ready.error
    local = tmp_path / f"{name}.mp4"
    aws_clients.client("s3").download_file(settings.PETTUBE_BUCKET, ready.video_key, str(local))
    return ready, local


@pytest.mark.slow  # encodes 20 s of 1080p
def test_chunked_encoding_equals_unchunked(aws, make_clip, tmp_path, monkeypatch, encodes):
    whole, whole_mp4 = encoded(make_clip, tmp_path, "whole")
    assert len(encodes) == 1

    monkeypatch.setattr(streaming, "CHUNKED_ABOVE_SECONDS", 10)
    monkeypatch.setattr(streaming, "CHUNK_SECONDS", 8)  # 20 s: chunks 0-8, 8-16, 16-20
    chunked, chunked_mp4 = encoded(make_clip, tmp_path, "chunked")

    assert len(encodes) == 1 + 3
    assert (chunked.jobs, chunked.chunk_seconds) == (4, 8)  # three chunks and the audio
    assert chunked.duration == pytest.approx(whole.duration, abs=FRAME) == pytest.approx(20.0, abs=FRAME)
    times = frame_times(chunked_mp4)
    assert len(times) == len(frame_times(whole_mp4)) == 600  # every source frame once
    steps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(steps) == pytest.approx(FRAME, abs=0.002) and max(steps) == pytest.approx(FRAME, abs=0.002)
    assert audio_duration(chunked_mp4) == pytest.approx(times[-1] - times[0] + FRAME, abs=FRAME)
    playlist = storage.read_text(storage.hls_key(chunked.id, "1080p.m3u8"))
    assert [line for line in playlist.splitlines() if line.endswith(".ts")] == [
        f"1080p/{number:05d}.ts" for number in range(6)
    ]
    durations = [float(line[len("#EXTINF:"):].rstrip(",")) for line in playlist.splitlines() if line.startswith("#EXTINF")]
    assert durations == pytest.approx([1, 3, 4, 4, 4, 4], abs=FRAME)  # the lead segment, then the grid


@pytest.mark.slow  # encodes 20 s of 1080p
def test_chunks_run_here_start_once_the_start_is_watchable(aws, make_clip, monkeypatch):
    monkeypatch.setattr(streaming, "CHUNKED_ABOVE_SECONDS", 10)
    monkeypatch.setattr(streaming, "CHUNK_SECONDS", 8)
    started = {}
    real_command = transcode.ladder_command

    def ladder_command(*args, start, **kwargs):
        started[start] = datetime.now(UTC)
        return real_command(*args, start=start, **kwargs)

    monkeypatch.setattr(transcode, "ladder_command", ladder_command)
    video, key = factories.uploaded(make_clip("long"))

    ready = processing.ingest_upload(key=key)

    assert ready.status == READY and sorted(started) == [0, 8, 16]
    # On one machine the uploader's wait comes first: the other chunks begin after it is over.
    assert started[0] < ready.playable_at < min(started[8], started[16])


def test_chunks_run_here_never_begin_when_the_first_job_fails_before_the_start_is_watchable(
        aws, make_clip, monkeypatch):
    monkeypatch.setattr(streaming, "CHUNKED_ABOVE_SECONDS", 10)
    monkeypatch.setattr(streaming, "CHUNK_SECONDS", 8)
    started = []
    real_command = transcode.ladder_command
    monkeypatch.setattr(transcode, "ladder_command",
                        lambda *args, start, **kwargs: started.append(start) or real_command(*args, start=start, **kwargs))

    def first_job_fails(video_id, attempt, jobs, **kwargs):
        for job in jobs:
            job.encoder.stop()
        raise transcode.TranscodeError("We could not decode this video (it may be damaged or incomplete).")

    monkeypatch.setattr(streaming, "_run", first_job_fails)
    video, key = factories.uploaded(make_clip("long"))

    failed = processing.ingest_upload(key=key)

    assert failed.status == "failed" and "could not decode" in failed.error
    assert started == [0]  # the other chunks were dropped, not encoded for nothing


@pytest.mark.slow  # encodes 20 s of 1080p
def test_a_chunk_that_cannot_decode_fails_the_whole_video(aws, make_clip, monkeypatch, tmp_path):
    monkeypatch.setattr(streaming, "CHUNKED_ABOVE_SECONDS", 10)
    monkeypatch.setattr(streaming, "CHUNK_SECONDS", 8)
    real_command = transcode.ladder_command

    def second_chunk_fails(*args, start, **kwargs):
        command = real_command(*args, start=start, **kwargs)
        return [*command[:1], "-no-such-option", *command[1:]] if start == 8 else command

    monkeypatch.setattr(transcode, "ladder_command", second_chunk_fails)
    video, key = factories.uploaded(make_clip("long"))

    processing.ingest_upload(key=key)

    failed = repository.get(video.id)
    assert failed.status == "failed" and "could not decode" in failed.error
    assert storage.size_of(storage.hls_key(video.id, "360p/00000.ts")) is None  # nothing half-published is left


def test_on_lambda_each_chunk_is_an_asynchronous_invocation_of_the_worker(aws, monkeypatch):
    from types import SimpleNamespace

    from videos import workers

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "pettube-dev-worker")
    sent = []

    def accepted(params, **kwargs):  # Lambda's answer to an Event invocation, as botocore's Stubber gives it
        sent.append(params)
        return SimpleNamespace(status_code=202, headers={}, content=b""), {"StatusCode": 202}

    aws_clients.client("lambda").meta.events.register("before-call.lambda.Invoke", accepted)

    ran_here = []
    wait = workers.dispatch_chunks("abcdefghijk", attempt=2, indexes=range(1, 4), run_here=ran_here.append)
    wait()  # returns at once: each invocation finishes on its own

    assert ran_here == []  # on Lambda no chunk runs in this process
    assert [call["url_path"] for call in sent] == ["/2015-03-31/functions/pettube-dev-worker/invocations"] * 3
    assert {call["headers"]["X-Amz-Invocation-Type"] for call in sent} == {"Event"}
    assert [json.loads(call["body"]) for call in sent] == [
        {"command": "videos.events.encode_chunk", "video_id": "abcdefghijk", "attempt": 2, "index": index}
        for index in (1, 2, 3)
    ]
