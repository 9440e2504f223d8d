"""Upload finished → ready, through the embedded local AWS, for a 6 s 1080p phone clip.

Baseline, in the same run: ffmpeg encoding the same clip's HLS ladder and audio directly from
the local file, so the ratio is what the pipeline (S3 event → SQS → pump → probe → encode read
from S3 → segments published → remux, poster → DynamoDB) adds on top of the encode itself.
Median of --runs (default 5), the encode and the pipeline interleaved so that both see the same
machine load. bench/transcode.py measures streaming (time to watch, ladder).

    .venv/bin/python bench/pipeline.py
Last line: pipeline_ms=<ms> encode_ms=<ms> ratio=<pipeline/encode>
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import _setup

_setup.django_on_local_aws()

from pettube import dynamo, local_aws  # noqa: E402
from tests import clips, factories, over_http  # noqa: E402
from videos import ladder, repository, transcode  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    workdir = Path(tempfile.mkdtemp(prefix="pettube-bench-"))
    clip = clips.make("portrait", workdir)
    server, endpoint = local_aws.start_server()
    pump = local_aws.EventPump(local_aws.provision())
    pump.start()
    encode, pipeline = [], []
    try:
        for _ in range(runs):
            encode.append(_time_encode(clip, workdir))
            pipeline.append(_time_pipeline(clip))
    finally:
        pump.stop()
        server.stop()
    print(f"clip: {clip.stat().st_size / 1e6:.1f} MB, 1080x1920 (rotated), 6 s, H.264/AAC; runs: {runs}")
    print(f"encode alone (ms): {[round(t) for t in encode]}")
    print(f"upload finished -> ready (ms): {[round(t) for t in pipeline]}")
    pipeline_ms, encode_ms = statistics.median(pipeline), statistics.median(encode)
    print(f"pipeline_ms={pipeline_ms:.0f} encode_ms={encode_ms:.0f} ratio={pipeline_ms / encode_ms:.2f}")


def _time_encode(clip: Path, workdir: Path) -> float:
    out = Path(tempfile.mkdtemp(dir=workdir))
    probe = transcode.probe(clip)
    rungs = ladder.choose_rungs(probe.width, probe.height, probe.fps)
    for folder in [rung.name for rung in rungs] + ["audio"]:
        (out / folder).mkdir()
    began = time.perf_counter()
    video = transcode.Encoder(transcode.ladder_command(clip, out, rungs, start=0, length=probe.duration,
                                                       fps=probe.fps), timeout=600)
    audio = transcode.Encoder(transcode.audio_command(clip, out, length=probe.duration), timeout=600)
    video.wait()
    audio.wait()
    return (time.perf_counter() - began) * 1000


# How often the bench looks at the item. Each look costs the embedded DynamoDB CPU taken from the
# pipeline being measured, so it looks seldom: the moment the video became ready is the item's
# `published_at`, not when the bench saw it.
POLL_SECONDS = 0.5


def _time_pipeline(clip: Path) -> float:
    start = factories.start_upload("bench", title="bench", size=clip.stat().st_size)
    over_http.post_to_storage({"url": start.upload.url, "fields": start.upload.fields}, clip).raise_for_status()
    uploaded_at = dynamo.now()
    while (video := repository.get(start.video.id)).status not in {"ready", "failed"}:
        time.sleep(POLL_SECONDS)
    assert video.status == "ready", video.error
    return (video.published_at - uploaded_at).total_seconds() * 1000


if __name__ == "__main__":
    main()
