"""HLS playlists as text: read the ones ffmpeg writes, write PetTube's own, and give a stored
playlist to a browser with every segment URI signed. Pure text; no ffmpeg, Django or AWS.

Stored layout, under a video's `media/<id>/hls/`: segments `<rung>/<n>.ts`, and once the video is
ready the VOD playlists `<rung>.m3u8` and `audio.m3u8` listing them; the AV1 renditions added
after that (videos/av1.py) in fMP4: `av1-<rung>/<n>.m4s`, each chunk's initialisation segment
`av1-<rung>/init-<chunk>.mp4`, and `av1-<rung>.m3u8`. The master playlist and the
EVENT playlists of a video still encoding are not stored: they are made from the video's item."""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from videos.ladder import SEGMENT_SECONDS, Rung

AUDIO = "audio"
VIDEO = "video"  # the rungs' segments, all alike, in a video's live segments
AV1_PREFIX = "av1-"  # the folders of the AV1 renditions, in fMP4 segments
MIME_TYPE = "application/vnd.apple.mpegurl"
SUBTITLES = "subtitles"
# Where a video's time 0 is in its MPEG-TS segments, in 90 kHz ticks: transcode.TIMELINE_OFFSET
# (10 s) plus the MPEG-TS muxer's default delay (1.4 s). Captions map their time 0 there.
FIRST_PTS = 1_026_000
_SEGMENT_URI = re.compile(r"^(?:(?:av1-)?[0-9]{2,4}p|audio)/(?:[0-9]{5}\.(?:ts|m4s)|init-[0-9]{1,3}\.mp4)$")
_MAP = re.compile(r'^#EXT-X-MAP:URI="(?P<uri>[^"]*)"$')


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
            number = int(re.search(r"(\d+)\.(?:ts|m4s)$", line)[1])
            segments.append(Segment(number=number, duration=duration))
            duration = None
    return segments


def initialisation_segment(playlist: str) -> str | None:
    """The initialisation segment an ffmpeg fMP4 playlist names (its file name varies with the
    number of renditions in the process)."""
    return next((found["uri"] for line in playlist.splitlines() if (found := _MAP.match(line.strip()))), None)


def media_playlist(folder: str, segments: Sequence[Segment], *, complete: bool,
                   maps: dict[int, str] | None = None) -> str:
    """A rung's (or the audio's) playlist: EVENT while segments are still being added (players
    reload it), VOD with ENDLIST once `complete`. fMP4 renditions give `maps`: the
    initialisation segment's URI that applies from each segment number on."""
    # Each duration, rounded to the nearest second, may not exceed the target (RFC 8216, 4.3.3.1).
    target = max([SEGMENT_SECONDS, *(math.floor(segment.duration + 0.5) for segment in segments)])
    lines = [
        "#EXTM3U",
        f"#EXT-X-VERSION:{7 if maps else 3}",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        f"#EXT-X-PLAYLIST-TYPE:{'VOD' if complete else 'EVENT'}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for segment in segments:
        if maps and segment.number in maps:
            lines.append(f'#EXT-X-MAP:URI="{maps[segment.number]}"')
        lines += [f"#EXTINF:{segment.duration:.6f},", segment_uri(folder, segment.number)]
    if complete:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def segment_uri(folder: str, number: int) -> str:
    return f"{folder}/{number:05d}.{'m4s' if folder.startswith(AV1_PREFIX) else 'ts'}"


def init_uri(folder: str, chunk: int) -> str:
    """The initialisation segment one chunk of an fMP4 rendition begins with."""
    return f"{folder}/init-{chunk}.mp4"


def master_playlist(rungs: Sequence[Rung], *, has_audio: bool, av1: Sequence[tuple[Rung, str]] = (),
                    subtitles: Sequence[tuple[str, str]] = ()) -> str:
    """The master playlist: every rung with BANDWIDTH, RESOLUTION and CODECS, sharing one audio
    rendition and the SUBTITLES renditions `subtitles` (language tag, label); then the AV1 rungs
    (`av1`: each with its CODECS as read from its segments), which a player that cannot decode AV1
    leaves aside."""
    lines = ["#EXTM3U", f"#EXT-X-VERSION:{7 if av1 else 3}", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if has_audio:
        lines.append(f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="{AUDIO}",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,'
                     f'URI="{AUDIO}.m3u8"')
    for lang, label in subtitles:
        name = label.replace('"', "'")  # a quoted string cannot hold a double quote
        lines.append(f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="{SUBTITLES}",NAME="{name}",LANGUAGE="{lang}",'
                     f'DEFAULT=NO,AUTOSELECT=YES,URI="{subtitles_name(lang)}.m3u8"')
    for rung, codecs in [*((rung, rung.codecs) for rung in rungs), *av1]:
        codecs = f"{codecs},mp4a.40.2" if has_audio else codecs
        audio = f',AUDIO="{AUDIO}"' if has_audio else ""
        captions = f',SUBTITLES="{SUBTITLES}"' if subtitles else ""
        lines += [
            f'#EXT-X-STREAM-INF:BANDWIDTH={rung.bandwidth},RESOLUTION={rung.width}x{rung.height},'
            f'CODECS="{codecs}"{audio}{captions}',
            f"{rung.name}.m3u8",
        ]
    return "\n".join(lines) + "\n"


def subtitles_name(lang: str) -> str:
    """The name of the subtitles playlist of the captions in `lang`."""
    return f"{SUBTITLES}-{lang}"


def subtitles_playlist(caption_uri: str, *, duration: float) -> str:
    """The media playlist of one caption file: a single WebVTT segment as long as the video."""
    return "\n".join([
        "#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{math.ceil(duration)}", "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD", f"#EXTINF:{duration:.3f},", caption_uri, "#EXT-X-ENDLIST",
    ]) + "\n"


def timestamp_map(vtt: str) -> str:
    """A WebVTT file with the X-TIMESTAMP-MAP header HLS players use to place its cues on the
    segments' timeline (browsers reading it as a <track> ignore the header)."""
    first_line, _, rest = vtt.partition("\n")
    return f"{first_line}\nX-TIMESTAMP-MAP=MPEGTS:{FIRST_PTS},LOCAL:00:00:00.000\n{rest}"


def signed(playlist: str, sign: Callable[[str], str]) -> str:
    """The stored media playlist with each segment URI (and initialisation segment URI) replaced
    by `sign(uri)` (a presigned URL). A URI that is not one of our segments is refused, not passed on."""
    lines = []
    for line in playlist.splitlines():
        if line and not line.startswith("#"):
            line = sign(_ours(line))
        elif found := _MAP.match(line):
            line = f'#EXT-X-MAP:URI="{sign(_ours(found["uri"]))}"'
        lines.append(line)
    return "\n".join(lines) + "\n"


def _ours(uri: str) -> str:
    if not _SEGMENT_URI.match(uri):
        raise ValueError(f"unexpected playlist entry {uri[:80]!r}")
    return uri
