"""Probe and encode videos with ffmpeg. Knows nothing of Django or AWS.

The ffmpeg binary comes from the imageio-ffmpeg wheel (or FFMPEG_BINARY, as on Lambda where a
layer provides it). That build has no ffprobe, so probing reads the stream summary ffmpeg
prints for its input.
"""

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MAX_SHORT_SIDE = 720
IMAGE_FORMATS = {"image2", "gif", "apng", "webp"}


class TranscodeError(Exception):
    """The input is not a video we can publish. The message is for the uploader to read."""


class EncoderInterrupted(Exception):
    """ffmpeg ran out of time or was killed. Not the input's fault: the work can be retried."""


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


@dataclass(frozen=True)
class Outputs:
    video: Path
    poster: Path
    duration: float
    width: int
    height: int


def ffmpeg_binary() -> str:
    if binary := os.environ.get("FFMPEG_BINARY"):
        return binary
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


_INPUT = re.compile(r"^Input #0, ([^ ]+), from", re.M)
_DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_VIDEO = re.compile(
    r"^\s*Stream #0:\d+\S*: Video: (?P<codec>\w+)[^,\n]*, (?:(?P<pixels>\w+)(?:\([^)]*\))?, )?"
    r"(?P<width>\d{1,5})x(?P<height>\d{1,5})",
    re.M,
)
_AUDIO = re.compile(r"^\s*Stream #0:\d+\S*: Audio: ", re.M)
_ROTATION = re.compile(r"[Dd]isplay ?[Mm]atrix: rotation of (-?\d+(?:\.\d+)?) degrees")


def probe(path: Path, *, timeout: float = 60) -> Probe:
    """Read container, duration, first video stream and rotation; raise TranscodeError when
    the file holds no video a person could watch."""
    result = _run([ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(path)], timeout=timeout, check=False)
    summary = result.stderr
    container = _INPUT.search(summary)
    if not container:
        if path.stat().st_size == 0:
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
    )


def encode(source: Path, workdir: Path, *, timeout: float) -> Outputs:
    """Encode `source` to an H.264/AAC MP4 with faststart (short side at most 720 px, never
    upscaled, rotation applied) and a JPEG poster, both in `workdir`."""
    video = workdir / "video.mp4"
    poster = workdir / "poster.jpg"
    scale = (
        f"scale=w='if(gte(iw,ih),-2,min({MAX_SHORT_SIDE},iw))':h='if(gte(iw,ih),min({MAX_SHORT_SIDE},ih),-2)'"
        ":flags=bicubic,format=yuv420p"
    )
    result = _run(
        [
            ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
            "-i", str(source),
            "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", scale,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2",
            "-movflags", "+faststart",
            "-map_metadata", "-1",
            str(video),
        ],
        timeout=timeout,
        check=False,
    )
    if result.returncode < 0:
        raise EncoderInterrupted(f"ffmpeg was killed by signal {-result.returncode}")
    if result.returncode != 0 or not video.exists() or video.stat().st_size == 0:
        raise TranscodeError("We could not decode this video (it may be damaged or incomplete).")
    encoded = probe(video, timeout=30)
    if not encoded.duration:
        raise TranscodeError("We could not decode this video (it may be damaged or incomplete).")
    poster_at = min(1.0, encoded.duration / 2)
    _run(
        [
            ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
            "-ss", f"{poster_at:.3f}", "-i", str(video), "-frames:v", "1", "-q:v", "3", str(poster),
        ],
        timeout=60,
        check=True,
    )
    return Outputs(video=video, poster=poster, duration=encoded.duration, width=encoded.width, height=encoded.height)


def _run(command: list[str], *, timeout: float, check: bool) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise EncoderInterrupted(f"ffmpeg did not finish within {timeout:.0f} s") from error
    if check and result.returncode != 0:
        raise TranscodeError("We could not make a poster image for this video.")
    return result
