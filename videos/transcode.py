"""Probe and encode videos with ffmpeg. Knows nothing of Django or AWS.

The ffmpeg binary comes from the imageio-ffmpeg wheel (or FFMPEG_BINARY, as on Lambda where a
layer provides it). That build has no ffprobe, so probing reads the stream summary ffmpeg
prints for its input. Sources are a local path or an HTTP(S) URL (a presigned GET): ffmpeg
reads what it needs with range requests, so encoding starts without downloading the file.

The encode is an HLS ladder (docs/STREAMING.md): one ffmpeg process decodes the source once and
`split`s every frame into one scaled H.264 rendition per rung, cut into MPEG-TS segments on a
fixed keyframe grid (a lead segment of LEAD_SECONDS, then SEGMENT_SECONDS each), so segment n of
every rung covers the same time.
Audio is encoded once by its own process into its own rendition. A job may cover one time range
(a chunk) of the source; chunks cut on the same grid join into one playlist.
"""

import errno
import math
import os
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from videos.ladder import AUDIO_BITRATE, LEAD_SECONDS, SEGMENT_SECONDS, Rung, segment_at

MAX_FPS = 60
# Every job's timestamps are shifted by this much, so that none starts negative (x264 gives the
# first frames a decoding time before zero, which the muxer would shift for the first chunk only
# and so put it out of step with the others).
TIMELINE_OFFSET = 10
IMAGE_FORMATS = {"image2", "gif", "apng", "webp"}
CRF = 23
PRESET = "veryfast"
# What ffmpeg says when it could not read a URL source: the storage's fault, not the file's.
_NETWORK_TROUBLE = ("Server returned", "Connection refused", "Connection timed out", "Connection reset",
                    "Network is unreachable", "Failed to resolve", "I/O error")


class TranscodeError(Exception):
    """The input is not a video we can publish. The message is for the uploader to read."""


class EncoderInterrupted(Exception):
    """ffmpeg ran out of time, was killed or could not read its source. Not the input's fault:
    the work can be retried."""


class EncoderStopped(Exception):
    """The caller stopped ffmpeg on purpose (the video was deleted, or another attempt owns it)."""


@dataclass(frozen=True)
class Probe:
    container: str
    duration: float | None
    codec: str
    pixel_format: str
    width: int  # as displayed, after rotation
    height: int
    rotation: int
    has_audio: bool
    fps: float | None = None


def ffmpeg_binary() -> str:
    if binary := os.environ.get("FFMPEG_BINARY"):
        return binary
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


# --- probing ------------------------------------------------------------------------------------

_INPUT = re.compile(r"^Input #0, ([^ ]+), from", re.M)
_DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_VIDEO = re.compile(
    r"^\s*Stream #0:\d+\S*: Video: (?P<codec>\w+)[^,\n]*, (?:(?P<pixels>\w+)(?:\([^)]*\))?, )?"
    r"(?P<width>\d{1,5})x(?P<height>\d{1,5})(?P<rest>[^\n]*)",
    re.M,
)
_FPS = re.compile(r", (\d+(?:\.\d+)?k?) (?:fps|tbr)")
_AUDIO = re.compile(r"^\s*Stream #0:\d+\S*: Audio: ", re.M)
_ROTATION = re.compile(r"[Dd]isplay ?[Mm]atrix: rotation of (-?\d+(?:\.\d+)?) degrees")


def probe(source: Path | str, *, timeout: float = 60) -> Probe:
    """Read container, duration, first video stream, frame rate and rotation; raise
    TranscodeError when the source holds no video a person could watch."""
    result = _run([ffmpeg_binary(), "-hide_banner", "-nostdin", *_input(source)], timeout=timeout)
    summary = result.stderr
    container = _INPUT.search(summary)
    if not container:
        if _is_url(source) and any(marker in summary for marker in _NETWORK_TROUBLE):
            raise EncoderInterrupted(f"could not read the source: {_last_line(summary)}")
        if not _is_url(source) and Path(source).stat().st_size == 0:
            raise TranscodeError("The file is empty.")
        raise TranscodeError("This file is not a video we can read (it may be damaged or incomplete).")
    video = _VIDEO.search(summary)
    if not video:
        raise TranscodeError("This file has no video in it.")
    container_name = container.group(1)
    if container_name in IMAGE_FORMATS or container_name.endswith("_pipe"):
        raise TranscodeError("This is a still image, not a video.")
    duration = _DURATION.search(summary)
    seconds = int(duration[1]) * 3600 + int(duration[2]) * 60 + float(duration[3]) if duration else None
    rotation = _ROTATION.search(summary[video.start():])
    degrees = round(float(rotation[1])) % 360 if rotation else 0
    width, height = int(video["width"]), int(video["height"])
    if degrees in (90, 270):
        width, height = height, width
    return Probe(
        container=container_name,
        duration=seconds,
        codec=video["codec"],
        pixel_format=video["pixels"] or "",
        width=width,
        height=height,
        rotation=degrees,
        has_audio=bool(_AUDIO.search(summary)),
        fps=_frame_rate(video["rest"]),
    )


def _frame_rate(stream_line: str) -> float | None:
    match = _FPS.search(stream_line)
    if not match:
        return None
    value = match[1]
    return float(value[:-1]) * 1000 if value.endswith("k") else float(value)


# --- the ladder -----------------------------------------------------------------------------------


def ladder_command(source: Path | str, outdir: Path, rungs: list[Rung], *, start: float, length: float,
                   fps: float | None) -> list[str]:
    """ffmpeg encoding `length` seconds of the source's video from `start` (0 or a multiple of
    SEGMENT_SECONDS) into every rung at once (`rungs` smallest first): one decode, then a cascade
    of fixed-size `scale`s, top rung first, each rung scaled from the one above it (every frame is
    capped to the rung's size, whatever the stream's headers said), frame rate capped at
    MAX_FPS, keyframes on the segment grid and nowhere else, segments numbered and timestamped as
    that part of the whole video's. Writes `<outdir>/<rung>/index.m3u8` and its segments."""
    chain = "format=yuv420p"
    if fps is None or fps > MAX_FPS:
        chain = f"fps={MAX_FPS}," + chain
    graph, below = [], f"[0:v:0]{chain},"
    for i in reversed(range(len(rungs))):
        rung = rungs[i]
        fanout = f",split=2[v{i}][from{i}]" if i else "[v0]"
        graph.append(f"{below}scale={rung.width}:{rung.height}:flags=bicubic,setsar=1{fanout}")
        below = f"[from{i}]"
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
               "-progress", "pipe:1"]
    if start:
        command += ["-ss", f"{start:.3f}"]
    command += ["-t", f"{length:.3f}", *_input(source), "-filter_complex", ";".join(graph)]
    threads = encoder_threads(rungs)
    for i, rung in enumerate(rungs):
        command += ["-map", f"[v{i}]", f"-maxrate:v:{i}", str(rung.maxrate), f"-bufsize:v:{i}", str(2 * rung.maxrate),
                    f"-level:v:{i}", rung.level,
                    f"-threads:v:{i}", str(threads[i])]
    command += [
        "-c:v", "libx264", "-preset", PRESET, "-crf", str(CRF), "-profile:v", "high",
        "-force_key_frames", _keyframes(lead=start == 0), "-sc_threshold", "0",
        "-x264-params", "scenecut=0",
        "-map_metadata", "-1",
        # The muxer cuts at the first keyframe once a segment is LEAD_SECONDS long: at every keyframe.
        *_hls_output(outdir, first_segment=segment_at(start), start=start, segment_seconds=LEAD_SECONDS),
        "-var_stream_map", " ".join(f"v:{i},name:{rung.name}" for i, rung in enumerate(rungs)),
        str(outdir / "%v" / "index.m3u8"),
    ]
    return command


def encoder_threads(rungs: list[Rung], cores: int | None = None) -> list[int]:
    """Threads for each rung's x264: its share of the cores, by pixels, at least one. The rungs'
    encoders run side by side in one process, so each needs only its share; a lone rung gets
    every core. Left to x264 (1.5 threads a core, as if each encoder were alone) they
    oversubscribe the cores: 9 frame threads and 3 look-ahead threads on 2 cores for the 1080p
    ladder, measured slower here (docs/STREAMING.md)."""
    cores = cores or _cores()
    pixels = [rung.width * rung.height for rung in rungs]
    return [max(1, math.ceil(cores * share / sum(pixels))) for share in pixels]


def _cores() -> int:
    """The cores this process may run on (all of the machine's where Python cannot tell, as on macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def audio_command(source: Path | str, outdir: Path, *, length: float) -> list[str]:
    """ffmpeg encoding the source's first audio stream once, to stereo AAC segments in
    `<outdir>/audio/`."""
    return [
        ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
        "-t", f"{length:.3f}", *_input(source),
        "-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", str(AUDIO_BITRATE), "-ac", "2", "-map_metadata", "-1",
        *_hls_output(outdir, first_segment=0, start=0, segment_seconds=SEGMENT_SECONDS, name="audio"),
        str(outdir / "audio" / "index.m3u8"),
    ]


def _keyframes(*, lead: bool) -> str:
    """ffmpeg's -force_key_frames for the segment grid: every SEGMENT_SECONDS of the part
    encoded, and at LEAD_SECONDS too when it is the start of the video."""
    if not lead:
        return f"expr:gte(t,n_forced*{SEGMENT_SECONDS})"
    return f"expr:if(eq(n_forced,1),gte(t,{LEAD_SECONDS}),gte(t,max(n_forced-1,0)*{SEGMENT_SECONDS}))"


def _hls_output(outdir: Path, *, first_segment: int, start: float, segment_seconds: int,
                name: str = "%v") -> list[str]:
    return [
        "-output_ts_offset", f"{start + TIMELINE_OFFSET:.3f}",
        "-f", "hls", "-hls_time", str(segment_seconds), "-hls_playlist_type", "event", "-hls_list_size", "0",
        "-hls_segment_type", "mpegts", "-hls_flags", "temp_file+independent_segments",
        "-start_number", str(first_segment),
        "-hls_segment_filename", str(outdir / name / "%05d.ts"),
    ]


class Encoder:
    """One running ffmpeg process. Reads its `-progress` output in the background (how many
    seconds of output are encoded), can be stopped, and turns its end into an exception that
    says whose fault it was."""

    def __init__(self, command: list[str], *, timeout: float, background: bool = False):
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.encoded_seconds = 0.0
        self._stopped = False
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._errors, stdin=subprocess.DEVNULL)
        if background:
            # Before ffmpeg starts its threads (they inherit it): the job a viewer waits for,
            # running beside this one on the same machine, comes first.
            os.setpriority(os.PRIO_PROCESS, self._process.pid, 10)
        self._reader = threading.Thread(target=self._read_progress, daemon=True)
        self._reader.start()

    def _read_progress(self) -> None:
        for line in self._process.stdout:
            if line.startswith(b"out_time_us="):
                value = line.split(b"=", 1)[1].strip()
                if value.lstrip(b"-").isdigit():
                    self.encoded_seconds = max(self.encoded_seconds, int(value) / 1e6)

    def running(self) -> bool:
        if self._process.poll() is None and time.monotonic() > self.deadline:
            self._process.kill()
        return self._process.poll() is None

    def stop(self) -> None:
        self._stopped = True
        if self._process.poll() is None:
            self._process.kill()

    def wait(self) -> None:
        """Wait for the end; raise EncoderStopped, EncoderInterrupted or TranscodeError unless
        ffmpeg finished its work."""
        while self.running():
            time.sleep(0.1)
        self._reader.join(timeout=5)
        code = self._process.returncode
        if self._stopped:
            raise EncoderStopped("stopped")
        if time.monotonic() > self.deadline and code != 0:
            raise EncoderInterrupted(f"ffmpeg did not finish within {self.timeout:.0f} s")
        if code < 0:
            raise EncoderInterrupted(f"ffmpeg was killed by signal {-code}")
        if code != 0:
            self._errors.seek(0)
            errors = self._errors.read().decode(errors="replace")
            if "No space left on device" in errors:
                raise OSError(errno.ENOSPC, "ffmpeg: no space left on device")
            if any(marker in errors for marker in _NETWORK_TROUBLE):
                raise EncoderInterrupted(f"could not read the source: {_last_line(errors)}")
            raise TranscodeError("We could not decode this video (it may be damaged or incomplete).")


def remux_mp4(video_playlist: Path, audio_playlist: Path | None, output: Path, *, timeout: float) -> None:
    """Join a rung's segments (and the audio's) into one MP4 with faststart, without re-encoding.
    The playlists may point at local files or at URLs."""
    inputs = ["-protocol_whitelist", "file,http,https,tcp,tls,crypto", "-i", str(video_playlist)]
    maps = ["-map", "0:v:0"]
    if audio_playlist:
        inputs += ["-protocol_whitelist", "file,http,https,tcp,tls,crypto", "-i", str(audio_playlist)]
        maps += ["-map", "1:a:0"]
    result = _run(
        [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *inputs, *maps,
         "-c", "copy", "-movflags", "+faststart", str(output)],
        timeout=timeout,
    )
    if result.returncode != 0 or not output.exists():
        raise EncoderInterrupted(f"could not join the segments: {_last_line(result.stderr)}")


def _is_url(source: Path | str) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def _input(source: Path | str) -> list[str]:
    if _is_url(source):
        # S3 may drop a connection or answer 503 now and then: reconnect rather than fail.
        return ["-reconnect", "1", "-reconnect_on_network_error", "1", "-reconnect_on_http_error", "5xx",
                "-reconnect_delay_max", "4", "-rw_timeout", "30000000", "-i", source]
    return ["-i", str(source)]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _run(command: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise EncoderInterrupted(f"ffmpeg did not finish within {timeout:.0f} s") from error
