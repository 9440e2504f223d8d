"""HLS playlists as text: read the ones ffmpeg writes, write PetTube's own, and give a stored
playlist to a browser with every segment URI signed. Pure text; no ffmpeg, Django or AWS.

Stored layout, under a video's `media/<id>/hls/`: segments `<rung>/<n>.ts`, and once the video is
ready the VOD playlists `<rung>.m3u8` and `audio.m3u8` listing them. The master playlist and the
EVENT playlists of a video still encoding are not stored: they are made from the video's item."""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from videos.ladder import SEGMENT_SECONDS, Rung

AUDIO = "audio"
VIDEO = "video"  # the rungs' segments, all alike, in a video's live segments
MIME_TYPE = "application/vnd.apple.mpegurl"
_SEGMENT_URI = re.compile(r"^(?P<folder>[0-9]{2,4}p|audio)/(?P<number>[0-9]{5})\.ts$")


@dataclass(frozen=True)
class Segment:
    number: int
    duration: float


def finished_segments(playlist: str) -> list[Segment]:
    """The segments an ffmpeg HLS playlist lists (ffmpeg adds one once it is complete)."""
    segments, duration = [], None
    for line in playlist.splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:"):].split(",", 1)[0])
        elif line and not line.startswith("#") and duration is not None:
            number = int(re.search(r"(\d+)\.ts$", line)[1])
            segments.append(Segment(number=number, duration=duration))
            duration = None
    return segments


def media_playlist(folder: str, segments: Sequence[Segment], *, complete: bool) -> str:
    """A rung's (or the audio's) playlist: EVENT while segments are still being added (players
    reload it), VOD with ENDLIST once `complete`."""
    # Each duration, rounded to the nearest second, may not exceed the target (RFC 8216, 4.3.3.1).
    target = max([SEGMENT_SECONDS, *(math.floor(segment.duration + 0.5) for segment in segments)])
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        f"#EXT-X-PLAYLIST-TYPE:{'VOD' if complete else 'EVENT'}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for segment in segments:
        lines += [f"#EXTINF:{segment.duration:.6f},", segment_uri(folder, segment.number)]
    if complete:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def segment_uri(folder: str, number: int) -> str:
    return f"{folder}/{number:05d}.ts"


def master_playlist(rungs: Sequence[Rung], *, has_audio: bool) -> str:
    """The master playlist: every rung with BANDWIDTH, RESOLUTION and CODECS, sharing one audio
    rendition."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if has_audio:
        lines.append(f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="{AUDIO}",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,'
                     f'URI="{AUDIO}.m3u8"')
    for rung in rungs:
        codecs = f"{rung.codecs},mp4a.40.2" if has_audio else rung.codecs
        audio = f',AUDIO="{AUDIO}"' if has_audio else ""
        lines += [
            f'#EXT-X-STREAM-INF:BANDWIDTH={rung.bandwidth},RESOLUTION={rung.width}x{rung.height},'
            f'CODECS="{codecs}"{audio}',
            f"{rung.name}.m3u8",
        ]
    return "\n".join(lines) + "\n"


def signed(playlist: str, sign: Callable[[str], str]) -> str:
    """The stored media playlist with each segment URI replaced by `sign(uri)` (a presigned
    URL). A line that is not one of our segment URIs is refused, not passed on."""
    lines = []
    for line in playlist.splitlines():
        if line and not line.startswith("#"):
            if not _SEGMENT_URI.match(line):
                raise ValueError(f"unexpected playlist entry {line[:80]!r}")
            line = sign(line)
        lines.append(line)
    return "\n".join(lines) + "\n"

