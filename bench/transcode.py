"""The streaming pipeline against the way other video sites encode, in one run on this machine.

A 60 s 1920x1080 30 fps clip with motion and audio (and a 300 s one) is made with ffmpeg, sent
to the embedded local S3 as the browser does (in parts, completed by the server), and processed as
on AWS (S3 event → SQS → the event pump → `on_upload`). Measured:
- baseline_s: one ffmpeg process per rung (360p, 720p, 1080p), one after another, each decoding
  the source and encoding its rung and the audio with PetTube's encoder settings (what PeerTube
  does);
- full_s: upload finished → the whole ladder published and the video ready;
- ttp_s: upload finished → the owner's watch page has a playable playlist: the API says
  `playable`, and the master playlist, a rung's playlist and its first segment are fetched as a
  player would (through Django's views and the presigned segment URL);
- ttp_long_s: the same for the 300 s clip (encoded in chunks; deleted once watchable);
- vmaf_720, vmaf_top: VMAF of the 720p and the top rung against the source scaled to their size.
Median of --runs (baseline and pipeline runs interleaved, so both see the same machine load).
As a second measure of the encoders' work, free of the machine's noise, callgrind counts the
instructions of the baseline's processes and of PetTube's ladder and audio on a 2 s clip.

    .venv/bin/python bench/transcode.py [--runs 3]
Last line: ttp_s=… ttp_long_s=… full_s=… baseline_s=… ttp_ratio=… ladder_speedup=… vmaf_720=… vmaf_top=… ttp_p95_s=…
(ttp_p95_s: the 95th percentile of every time to watch measured, both clips.) The AV1 renditions
added after `ready` are off here (PETTUBE_AV1_RENDITIONS=0): they would run into the next run's
measurements; bench/ladder_quality.py measures them.
"""

import argparse
import atexit
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _setup

WORKDIR = Path(tempfile.mkdtemp(prefix="pettube-bench-"))
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)  # clips and outputs: about 1 GB
_setup.django_on_local_aws(DATABASE_URL=f"sqlite:///{WORKDIR / 'bench.sqlite3'}", PETTUBE_AV1_RENDITIONS="0")

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from pettube import dynamo, local_aws  # noqa: E402
from tests import over_http  # noqa: E402
from videos import domain, ladder, multipart, repository, services, storage, transcode, uploading  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    clip, long_clip = make_clip(60), make_clip(300)
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username="bench")
    browser = Client()
    browser.force_login(user)
    server, _ = local_aws.start_server()
    pump = local_aws.EventPump(local_aws.provision())
    pump.start()
    baseline, full, ttp = [], [], []
    try:
        for _ in range(runs):
            baseline.append(time_baseline(clip))
            first_playable, ready = time_pipeline(clip, user, browser)
            ttp.append(first_playable)
            full.append(ready)
        last = repository.by_owner(str(user.pk), limit=1).items[0]
        vmaf_720 = vmaf(last, "720p", clip)
        vmaf_top = vmaf(last, "1080p", clip)
        ttp_long = [time_pipeline(long_clip, user, browser, delete_when_playable=True)[0] for _ in range(runs)]
    finally:
        pump.stop()
        server.stop()
    short = make_clip(INSTRUCTION_CLIP_SECONDS)
    with ThreadPoolExecutor(2) as valgrind:  # counts do not depend on load: both at once
        counted = list(valgrind.map(instructions, [baseline_commands(short), pettube_commands(short)]))
    print(f"clips: 60 s {clip.stat().st_size / 1e6:.0f} MB, 300 s {long_clip.stat().st_size / 1e6:.0f} MB, "
          f"1920x1080 30 fps H.264/AAC; runs: {runs}; cores: {os.cpu_count()}")
    print(f"baseline, one process per rung (s): {rounded(baseline)}")
    print(f"pipeline, upload finished -> ladder published (s): {rounded(full)}")
    print(f"upload finished -> first segment fetched by a player, 60 s (s): {rounded(ttp)}")
    print(f"upload finished -> first segment fetched by a player, 300 s (s): {rounded(ttp_long)}")
    print(f"instructions to encode a {INSTRUCTION_CLIP_SECONDS} s clip (callgrind): baseline {counted[0] / 1e9:.2f} G, "
          f"PetTube's ladder and audio {counted[1] / 1e9:.2f} G, ratio {counted[0] / counted[1]:.2f}")
    ttp_s, ttp_long_s = statistics.median(ttp), statistics.median(ttp_long)
    full_s, baseline_s = statistics.median(full), statistics.median(baseline)
    print(f"ttp_s={ttp_s:.2f} ttp_long_s={ttp_long_s:.2f} full_s={full_s:.1f} baseline_s={baseline_s:.1f} "
          f"ttp_ratio={ttp_s / 60:.3f} ladder_speedup={baseline_s / full_s:.2f} "
          f"vmaf_720={vmaf_720:.1f} vmaf_top={vmaf_top:.1f} ttp_p95_s={percentile(ttp + ttp_long, 95):.2f}")


def percentile(values: list[float], percent: float) -> float:
    """The `percent`th percentile, interpolated between the two nearest measurements."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * percent / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def rounded(values: list[float]) -> list[float]:
    return [round(value, 2) for value in values]


def make_clip(seconds: int) -> Path:
    """A phone-like upload: 1080p30 with moving content at a phone's 12 Mbit/s, and a tone."""
    path = WORKDIR / f"clip-{seconds}.mp4"
    subprocess.run(
        [transcode.ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "12M", "-maxrate", "12M",
         "-bufsize", "24M", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", "-shortest", str(path)],
        check=True,
    )
    return path


def time_baseline(clip: Path) -> float:
    """One process per rung, one after another, each with its own decode and audio encode."""
    commands = baseline_commands(clip)
    began = time.perf_counter()
    for command in commands:
        transcode.Encoder(command, timeout=1800).wait()
    return time.perf_counter() - began


def baseline_commands(clip: Path) -> list[list[str]]:
    """PeerTube's way: per rung, an ffmpeg decoding the source and encoding that rung (with
    PetTube's settings) and the audio."""
    probe = transcode.probe(clip)
    commands = []
    for rung in ladder.choose_rungs(probe.width, probe.height, probe.fps):
        outdir = Path(tempfile.mkdtemp(dir=WORKDIR))
        (outdir / rung.name).mkdir()
        command = transcode.ladder_command(clip, outdir, [rung], start=0, length=probe.duration, fps=probe.fps)
        with_audio = [*command[:command.index("-c:v")], "-map", "0:a:0", "-c:a", "aac", "-b:a",
                      str(ladder.AUDIO_BITRATE), "-ac", "2", *command[command.index("-c:v"):]]
        with_audio[with_audio.index("-var_stream_map") + 1] = f"v:0,a:0,name:{rung.name}"
        commands.append(with_audio)
    return commands


def pettube_commands(clip: Path) -> list[list[str]]:
    """What the worker runs for a video that is one chunk: the ladder and the audio."""
    probe = transcode.probe(clip)
    rungs = ladder.choose_rungs(probe.width, probe.height, probe.fps)
    outdir = Path(tempfile.mkdtemp(dir=WORKDIR))
    for folder in [rung.name for rung in rungs] + ["audio"]:
        (outdir / folder).mkdir()
    return [transcode.ladder_command(clip, outdir, rungs, start=0, length=probe.duration, fps=probe.fps),
            transcode.audio_command(clip, outdir, length=probe.duration)]


def instructions(commands: list[list[str]]) -> int:
    """Instructions the commands execute, counted by callgrind (independent of the machine's load)."""
    total = 0
    for command in commands:
        command = [argument for argument in command if argument not in {"-progress", "pipe:1"}]
        run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                             capture_output=True, text=True, check=True)
        total += int(re.search(r"Collected : (\d+)", run.stderr)[1])
    return total


# Wall-clock ratios on a shared machine are noisy: the encoders' work is also counted in
# instructions, on a clip short enough for callgrind.
INSTRUCTION_CLIP_SECONDS = 2
# How often the bench asks the API: often until the video is playable (that figure is measured
# to this precision), then seldom. Each question costs the web view and the embedded DynamoDB
# about 35 ms of CPU, taken from the encoder being measured (on AWS the web runs elsewhere); the
# moment the video became ready is the item's `published_at`, not when the bench looked.
POLL_UNTIL_PLAYABLE = 0.1
POLL_UNTIL_READY = 10.0


def time_pipeline(clip: Path, user, browser: Client, *, delete_when_playable: bool = False) -> tuple[float, float]:
    """(upload finished → a player fetched the first segment, upload finished → ready)."""
    start = services.start_upload(owner_id=str(user.pk), owner_name="bench", title="bench", description="",
                                  species="dog", filename=clip.name, content_type="video/mp4", size=clip.stat().st_size)
    send_file(start, clip, owner_id=str(user.pk))
    began, uploaded_at = time.perf_counter(), dynamo.now()
    playable_after = None
    while True:
        body = browser.get(f"/api/videos/{start.video.id}/").json()
        if playable_after is None and body["playable"] and first_segment_fetched(browser, body["playback"]["hls"]):
            playable_after = time.perf_counter() - began
            if delete_when_playable:
                services.delete_video(video_id=start.video.id, user_id=str(user.pk))
                return playable_after, float("nan")
        if body["status"] in {"ready", "failed"}:
            assert body["status"] == "ready", body["error"]
            return playable_after, (repository.get(start.video.id).published_at - uploaded_at).total_seconds()
        time.sleep(POLL_UNTIL_PLAYABLE if playable_after is None else POLL_UNTIL_READY)


def send_file(start: uploading.UploadStart, clip: Path, *, owner_id: str) -> None:
    """The browser's upload: one presigned POST for a small file; parts to S3, 4 at once, and
    the server's completion for a large one."""
    if not isinstance(start.upload, uploading.MultipartUpload):
        over_http.post_to_storage({"url": start.upload.url, "fields": start.upload.fields}, clip).raise_for_status()
        return
    data = clip.read_bytes()
    numbers = list(range(1, storage.part_count(len(data), storage.PART_SIZE) + 1))
    urls = {}
    for first in range(0, len(numbers), 20):
        urls |= multipart.part_urls(video_id=start.video.id, user_id=owner_id, numbers=numbers[first:first + 20])

    def put(number: int) -> None:
        part = data[(number - 1) * storage.PART_SIZE: number * storage.PART_SIZE]
        requests.put(urls[number], data=part, timeout=120).raise_for_status()

    with ThreadPoolExecutor(4) as connections:
        list(connections.map(put, numbers))
    multipart.complete_upload(video_id=start.video.id, user_id=owner_id)


def first_segment_fetched(browser: Client, master_url: str) -> bool:
    master = browser.get(master_url).content.decode()
    rung = next(line for line in master.splitlines() if line.endswith(".m3u8") and not line.startswith("#"))
    media = browser.get(master_url.rsplit("/", 1)[0] + "/" + rung)
    segments = [line for line in media.content.decode().splitlines() if line.startswith("http")]
    return bool(segments) and requests.get(segments[0], timeout=30).status_code == 200


def vmaf(video: domain.Video, rung_name: str, source: Path) -> float:
    """VMAF of one rung (its segments, as published) against the source scaled to its size."""
    rung = next(rung for rung in ladder.rungs_from_json(video.rungs) if rung.name == rung_name)
    playlist = WORKDIR / f"{video.id}-{rung.name}.m3u8"
    playlist.write_text(services.playlist(video, rung.name))
    return transcode.vmaf(playlist, source, width=rung.width, height=rung.height, fps=30, timeout=1800)

if __name__ == "__main__":
    main()
