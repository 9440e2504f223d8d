"""Seek previews (storyboards): small frames of the video, taken from the ladder's own decode
(a branch of its filter graph: no second pass over the source), joined into one sprite image per
encoding job (WebP; the tiles are small JPEGs on the way), and a WebVTT file that maps each time range to its tile as `<image>#xywh=x,y,w,h`
(the format Plyr, Video.js and Vidstack read). Plain values and text: ffmpeg runs in
videos/transcode.py (the tiles' branch of the ladder, `join_tiles`), S3 in videos/storage.py.

A tile every `interval(duration)` seconds: 2 s for clips up to 200 s, then the smallest divisor
of a chunk's length that keeps the video within MAX_TILES tiles, so every chunk's tiles fall on
the same grid. Each chunk makes its own tiles; the job that publishes the video writes the
WebVTT from the tiles every job counted (videos/streaming.py).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from videos import webvtt

TILE_LONG_SIDE = 160
MAX_TILES = 100
COLUMNS = 10
# Seconds between tiles: each divides a chunk's 60 s (tests check it against streaming.CHUNK_SECONDS).
INTERVALS = (2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)
FOLDER = "storyboard"
VTT_NAME = f"{FOLDER}.vtt"
# The image references a stored storyboard may hold: one sprite per video job (JPEG for videos
# published before the sprites were WebP).
IMAGE_URI = re.compile(rf"{FOLDER}/v[0-9]{{1,4}}\.(?:webp|jpg)")
SPRITE_TYPE = "image/webp"


def interval(duration: float) -> int:
    """Seconds between tiles for a video of `duration` seconds."""
    return next((seconds for seconds in INTERVALS if duration / seconds <= MAX_TILES), INTERVALS[-1])


def tile_size(width: int, height: int) -> tuple[int, int]:
    """A tile's size for a video of `width`x`height`: its long side TILE_LONG_SIDE (160 px wide
    for a landscape video), even numbers."""
    scale = TILE_LONG_SIDE / max(width, height)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def image_uri(job: str) -> str:
    """The sprite of encoding job `job` (`v<index>`), relative to the video's media folder."""
    return f"{FOLDER}/{job}.webp"


@dataclass(frozen=True)
class Tiles:
    """What one encoding job makes: a tile every `interval` seconds of its part of the video, the
    first at `start` (the job's first frame), `width`x`height`, written to `folder` by its ffmpeg."""

    folder: Path
    start: float
    interval: int
    width: int
    height: int

    def branch(self, label: str) -> str:
        """The filter graph branch that makes tiles from the frames labelled `label`: the first
        frame at or after each multiple of `interval` (ffmpeg's fps filter, rounding up)."""
        return (f"{label}fps=1/{self.interval}:round=up,scale={self.width}:{self.height}:flags=bicubic,"
                "format=yuvj420p[tiles]")

    def output(self) -> list[str]:
        """ffmpeg's output options for the tiles: one small JPEG each, numbered from 0."""
        return ["-map", "[tiles]", "-fps_mode", "passthrough", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2",
                "-start_number", "0", str(self.folder / "%04d.jpg")]

    def count(self) -> int:
        return len(list(self.folder.glob("*.jpg")))


def columns(count: int) -> int:
    """Tiles across a sprite of `count` tiles."""
    return min(count, COLUMNS)


@dataclass(frozen=True)
class Sheet:
    """One job's sprite: its image URI, the time of its first tile, how many tiles it holds."""

    uri: str
    start: float
    count: int


def vtt(sheets: Sequence[Sheet], *, interval: int, width: int, height: int, duration: float) -> str:
    """The storyboard's WebVTT: one cue per tile, from its time to the next tile's (the last to
    the end of the video), so the cues cover the whole duration without gaps."""
    tiles = sorted(
        (sheet.start + number * interval, sheet.uri, number)
        for sheet in sheets for number in range(sheet.count)
        if sheet.start + number * interval < duration
    )
    cues = []
    for position, (at, uri, number) in enumerate(tiles):
        end = tiles[position + 1][0] if position + 1 < len(tiles) else duration
        column, row = number % COLUMNS, number // COLUMNS  # as transcode.join_tiles lays them out
        cues.append(webvtt.Cue(start=0 if position == 0 else at, end=end,
                               text=f"{uri}#xywh={column * width},{row * height},{width},{height}"))
    return webvtt.write(cues)
