"""Candidate poster frames, spread over a video, each with two card-sized copies and a
sharpness score, so the owner can pick one and the default is not a black or blurred frame.
Knows nothing of Django or AWS.

Sharpness is the mean of ffmpeg's edge-detection image: a black frame scores 0, a blurred one
close to 0, a frame with crisp detail far more (a test pattern ~2.8 against ~0.06 blurred)."""

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from videos.domain import wide_card_name
from videos.transcode import EncoderInterrupted, TranscodeError, ffmpeg_binary

COUNT = 4
CARD_WIDTH = 320
# The card's wider copy, for a slot wider than CARD_WIDTH or a denser screen: a phone's feed is
# one column, 358 CSS px on a 390 px wide phone. On a phone of DPR 2 or 3 it is upscaled, as
# m.youtube.com's 480 px thumbnails are: the poster there (what the cards offered before) made the
# phone's first screen 466 KB, a 640 px copy 175 KB, this one 125 KB (docs/STREAMING.md).
WIDE_CARD_WIDTH = 480
# WebP: about a third of a JPEG's bytes for the same picture at these sizes, decoded by every
# browser PetTube supports (no page or e-mail shows a poster where WebP would not decode, so no
# JPEG copy is made). Videos published before keep their JPEGs (their keys say which).
EXTENSION = ".webp"
MIME_TYPE = "image/webp"
POSTER_QUALITY, CARD_QUALITY, WIDE_CARD_QUALITY = 70, 65, 60
MAX_SHORT_SIDE = 720
# Sharpness is measured on a copy with a short side of at most this: a third of the edge
# detection's work on a 720p poster, and a blurred frame still scores far below a sharp one.
MEASURED_SHORT_SIDE = 360
_SHARPNESS = re.compile(r"lavfi\.signalstats\.YAVG=([0-9.]+)")


def _fit(short_side: int) -> str:
    """A scale filter that brings the short side down to `short_side`, keeping the aspect ratio."""
    return f"scale=w='if(gte(iw,ih),-2,min({short_side},iw))':h='if(gte(iw,ih),min({short_side},ih),-2)'"


@dataclass(frozen=True)
class Candidate:
    poster: Path
    card: Path
    wide_card: Path
    at: float  # seconds into the video
    sharpness: float


def spread(duration: float) -> list[float]:
    """COUNT moments spread over `duration` seconds: the middle of COUNT equal parts."""
    return [duration * (2 * number + 1) / (2 * COUNT) for number in range(COUNT)]


def candidates(source: Path, workdir: Path, times: list[float], *, timeout: float = 60) -> list[Candidate]:
    """The frames of `source` at `times` (seconds, ascending), as WebP images in `workdir`:
    `poster-<n>.webp` (short side at most MAX_SHORT_SIDE, rotation applied), `card-<n>.webp`
    (CARD_WIDTH wide) and its wider copy `card-<n>-480.webp` (WIDE_CARD_WIDTH wide). In time order."""
    with ThreadPoolExecutor(len(times)) as ffmpegs:  # each seeks to its own frame: all at once
        return list(ffmpegs.map(
            lambda number: _frame(source, workdir, number, at=times[number], timeout=timeout), range(len(times))
        ))


def sharpest(found: list[Candidate]) -> int:
    """The index of the default poster: the sharpest frame (the earliest among equals)."""
    return max(range(len(found)), key=lambda number: (found[number].sharpness, -number))


def _frame(source: Path, workdir: Path, number: int, *, at: float, timeout: float) -> Candidate:
    poster, card = workdir / f"poster-{number}{EXTENSION}", workdir / f"card-{number}{EXTENSION}"
    wide_card = workdir / wide_card_name(card.name, WIDE_CARD_WIDTH)
    graph = (
        f"[0:v]{_fit(MAX_SHORT_SIDE)},format=yuv420p,split=4[poster][small][wide][measure];"
        f"[small]scale={CARD_WIDTH}:-2[card];"
        f"[wide]scale={WIDE_CARD_WIDTH}:-2[wide_card];"
        f"[measure]{_fit(MEASURED_SHORT_SIDE)},edgedetect,signalstats,"
        "metadata=print:key=lavfi.signalstats.YAVG:file=-[edges]"
    )
    command = [
        ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
        "-ss", f"{at:.3f}", "-i", str(source), "-filter_complex", graph,
        "-map", "[poster]", "-frames:v", "1", "-c:v", "libwebp", "-quality", str(POSTER_QUALITY), str(poster),
        "-map", "[card]", "-frames:v", "1", "-c:v", "libwebp", "-quality", str(CARD_QUALITY), str(card),
        "-map", "[wide_card]", "-frames:v", "1", "-c:v", "libwebp", "-quality", str(WIDE_CARD_QUALITY), str(wide_card),
        "-map", "[edges]", "-frames:v", "1", "-f", "null", "-",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise EncoderInterrupted(f"ffmpeg did not finish within {timeout:.0f} s") from error
    if result.returncode < 0:
        raise EncoderInterrupted(f"ffmpeg was killed by signal {-result.returncode}")
    score = _SHARPNESS.search(result.stdout)
    if result.returncode != 0 or not score or not all(image.exists() for image in (poster, card, wide_card)):
        raise TranscodeError("We could not make a poster image for this video.")
    return Candidate(poster=poster, card=card, wide_card=wide_card, at=round(at, 3), sharpness=float(score[1]))
