"""WebVTT as text: the storyboard's cues (videos/storyboard.py writes them, the site signs their
image references) and caption files (SRT or WebVTT, checked and normalised to WebVTT). Plain
text: no Django, no AWS, no ffmpeg.

A WebVTT file (https://www.w3.org/TR/webvtt1/) is a `WEBVTT` line, then blocks separated by blank
lines; a cue is an optional identifier line, a timing line `00:01.000 --> 00:04.000` (optional
settings after it), and its text. SRT is the same with numbered cues and a comma before the
milliseconds.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

MIME_TYPE = "text/vtt"
_TIMESTAMP = r"(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)[.,](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s+-->\s+{_TIMESTAMP}(?:\s+(.*))?$")
# Cue settings WebVTT defines (vertical, line, position, size, align, region), kept as written.
_SETTING = re.compile(r"^(vertical|line|position|size|align|region):\S+$")
_BLOCK_KEYWORDS = ("NOTE", "STYLE", "REGION")


class InvalidCaptions(ValueError):
    """The text is not a caption file we can read; `line` is the 1-based line that is wrong."""

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str
    settings: str = ""


def timestamp(seconds: float) -> str:
    """`HH:MM:SS.mmm`, as WebVTT writes times."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def write(cues: Sequence[Cue]) -> str:
    """A WebVTT file of `cues`."""
    blocks = ["WEBVTT"]
    for cue in cues:
        timing = f"{timestamp(cue.start)} --> {timestamp(cue.end)}"
        blocks.append(f"{timing} {cue.settings}".rstrip() + f"\n{cue.text}")
    return "\n\n".join(blocks) + "\n"


def read(text: str) -> list[Cue]:
    """The cues of a WebVTT file or of an SRT file (told apart by the WEBVTT signature), checked:
    every cue has a valid timing line whose end is after its start and some text. Raises
    InvalidCaptions naming the first wrong line."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    is_vtt = lines[0].startswith("WEBVTT") and lines[0][6:7] in ("", " ", "\t")
    if not is_vtt and not _looks_like_srt(lines):
        raise InvalidCaptions("this is neither WebVTT (first line WEBVTT) nor SRT (a number, then a timing line).",
                              line=1)
    cues, number = [], 0
    while is_vtt and number < len(lines) and lines[number].strip():  # the header: WEBVTT and its lines
        number += 1
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        end_of_block = number
        while end_of_block < len(lines) and lines[end_of_block].strip():
            end_of_block += 1
        block = lines[number:end_of_block]
        if not (is_vtt and block[0].split(" ")[0].split("\t")[0] in _BLOCK_KEYWORDS):
            cues.append(_cue(block, first_line=number + 1, is_vtt=is_vtt))
        number = end_of_block
    if not cues:
        raise InvalidCaptions("the file has no cues (a timing line such as 00:01.000 --> 00:04.000 and its text).")
    return cues


def _looks_like_srt(lines: list[str]) -> bool:
    content = [line for line in lines if line.strip()]
    return len(content) >= 2 and content[0].strip().isdigit() and bool(_TIMING.match(content[1]))


def _cue(block: list[str], *, first_line: int, is_vtt: bool) -> Cue:
    timing_at = 0 if _TIMING.match(block[0]) else 1
    if timing_at >= len(block) or not (timing := _TIMING.match(block[timing_at])):
        wrong = first_line + min(timing_at, len(block) - 1)
        raise InvalidCaptions("expected a timing line such as 00:01.000 --> 00:04.000.", line=wrong)
    if not is_vtt and timing_at == 1 and not block[0].strip().isdigit():
        raise InvalidCaptions("expected the cue's number.", line=first_line)
    start, end = _seconds(timing.groups()[0:4]), _seconds(timing.groups()[4:8])
    if end <= start:
        raise InvalidCaptions("the cue ends before it starts.", line=first_line + timing_at)
    settings = (timing[9] or "").strip() if is_vtt else ""
    if settings and not all(_SETTING.match(setting) for setting in settings.split()):
        raise InvalidCaptions("unknown cue settings after the timing.", line=first_line + timing_at)
    text = "\n".join(line.rstrip() for line in block[timing_at + 1:])
    if not text.strip():
        raise InvalidCaptions("the cue has no text.", line=first_line + timing_at)
    if "-->" in text:
        raise InvalidCaptions("a cue's text cannot contain -->.", line=first_line + timing_at + 1)
    return Cue(start=start, end=end, text=text, settings=settings)


def _seconds(parts) -> float:
    hours, minutes, seconds, millis = parts
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def signed(text: str, image: re.Pattern, sign: Callable[[str], str]) -> str:
    """A stored WebVTT file whose cue texts are image references (`<uri>#xywh=…`, as a
    storyboard's are) with each URI replaced by `sign(uri)`. A cue text that is not an image
    reference matching `image` is refused, not passed on."""
    lines = []
    for line in text.splitlines():
        if line and line != "WEBVTT" and "-->" not in line:
            uri, hash_, fragment = line.partition("#")
            if not image.fullmatch(uri) or not hash_:
                raise ValueError(f"unexpected storyboard entry {line[:80]!r}")
            line = f"{sign(uri)}#{fragment}"
        lines.append(line)
    return "\n".join(lines) + "\n"
