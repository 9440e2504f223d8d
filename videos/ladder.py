"""The HLS ladder: which renditions a source gets. Pure; shared by the worker (which encodes
them) and the web (which lists them in the master playlist)."""

import json
from dataclasses import dataclass

SEGMENT_SECONDS = 4
# The first segment is shorter: the first thing a player fetches, and what the uploader waits for
# before the start is watchable while the rest is encoding. Then SEGMENT_SECONDS each.
LEAD_SECONDS = 1
# A keyframe is forced on the first frame at or after its instant on the grid: at most one frame
# (under KEYFRAME_SLACK at 20 fps or more) after it.
KEYFRAME_SLACK = 0.05
AUDIO_BITRATE = 128_000
CRF = 23  # the fixed ladder's x264 constant quality (per-title ladders choose their own, videos/per_title.py)
MP4_MAX_SHORT_SIDE = 720  # the download MP4 is this rung (or the top one, when smaller)
# (short side, peak bitrate of the capped CRF, H.264 level up to 30 fps, up to 60 fps)
LADDER = ((360, 1_000_000, "3.0", "3.1"), (720, 3_000_000, "3.1", "3.2"), (1080, 6_000_000, "4.0", "4.2"))


def segment_at(start: float) -> int:
    """The number of the segment that begins at `start` (0, LEAD_SECONDS or a multiple of
    SEGMENT_SECONDS): segment 0 is the lead, segment n ≥ 1 begins at max(LEAD_SECONDS, 4(n−1))."""
    return 0 if start == 0 else 1 + int(start // SEGMENT_SECONDS)


def just_after_keyframes(times: list[float]) -> list[float]:
    """Each of `times` moved back to just after the grid's keyframe at or before it, unless that
    makes two of them one (a short video): a frame there decodes from that keyframe, a frame or
    two, where one between keyframes decodes up to a segment's worth of frames."""
    moved = []
    for time in times:
        keyframe = 0 if time < LEAD_SECONDS else max(LEAD_SECONDS, SEGMENT_SECONDS * (time // SEGMENT_SECONDS))
        moved.append(round(keyframe + min(KEYFRAME_SLACK, time - keyframe), 3))
    return moved if len(set(moved)) == len(moved) else times


@dataclass(frozen=True)
class Rung:
    """One rendition of the ladder."""

    name: str  # "720p": also its folder and playlist name
    width: int
    height: int
    maxrate: int
    level: str
    crf: int = CRF  # x264's constant quality, capped at `maxrate` (videos/per_title.py sets both per title)

    @property
    def bandwidth(self) -> int:
        """Peak bits per second of the rung with its audio, for the master playlist."""
        return self.maxrate + AUDIO_BITRATE

    @property
    def codecs(self) -> str:
        level = round(float(self.level) * 10)
        return f"avc1.6400{level:02x}"  # H.264 High profile at `level`


def choose_rungs(width: int, height: int, fps: float | None) -> list[Rung]:
    """The renditions for a source of `width`x`height` (as displayed): short side 360, 720 and
    1080, never upscaled, keeping the orientation; a source smaller than the first rung gets one
    rung of its own size."""
    short, long = min(width, height), max(width, height)
    fast = fps is None or fps > 31
    rungs = []
    for side, maxrate, level, level_fast in LADDER:
        if side > short and rungs:
            break
        side = min(side, _even(short))
        other = _even(long * side / short)
        w, h = (other, side) if width >= height else (side, other)
        rungs.append(Rung(name=f"{side}p", width=w, height=h, maxrate=maxrate, level=level_fast if fast else level))
        if side >= short:
            break
    return rungs


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def mp4_rung(rungs: list[Rung]) -> Rung:
    """The rung remuxed into the download MP4: the largest at most MP4_MAX_SHORT_SIDE."""
    fitting = [rung for rung in rungs if min(rung.width, rung.height) <= MP4_MAX_SHORT_SIDE]
    return (fitting or rungs)[-1]


def rungs_to_json(rungs: list[Rung]) -> str:
    return json.dumps([[rung.name, rung.width, rung.height, rung.maxrate, rung.level, rung.crf] for rung in rungs])


def rungs_from_json(text: str | None) -> list[Rung]:
    """The rungs `rungs_to_json` wrote (those written before per-title ladders have no `crf`:
    the fixed ladder's)."""
    return [Rung(*fields) for fields in json.loads(text)] if text else []
