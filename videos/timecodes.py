"""Times people write: chapters in a description (`0:00 Intro`, YouTube's convention) and the
start time of a link (`?t=75`, `?t=1m15s`). Plain text: no Django, no AWS."""

import re
from dataclasses import dataclass

MIN_CHAPTERS = 3
_CHAPTER = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,2}):([0-5]\d)\s*(?:[-–—:|]\s*)?(\S.*?)\s*$")
_SECONDS = re.compile(r"^\d{1,6}(?:\.\d{1,3})?$")
_UNITS = re.compile(r"^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s)?$")


@dataclass(frozen=True)
class Chapter:
    start: int  # seconds
    title: str


def chapters(description: str, *, duration: float | None = None) -> list[Chapter]:
    """The chapters the description's lines give: each line that starts with a time (`1:05 The
    jump`, `1:02:03 - Later`) is one. They count only as YouTube counts them: the first at 0:00,
    each after the one before (and before the end of the video), at least MIN_CHAPTERS;
    otherwise there are none."""
    found = []
    for line in description.splitlines():
        if match := _CHAPTER.match(line):
            hours, minutes, seconds, title = match.groups()
            found.append(Chapter(start=int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds), title=title))
    starts = [chapter.start for chapter in found]
    if (len(found) < MIN_CHAPTERS or starts[0] != 0 or any(later <= earlier for earlier, later in zip(starts, starts[1:]))
            or (duration is not None and starts[-1] >= duration)):
        return []
    return found


def start_time(value: str | None, *, duration: float | None) -> float:
    """Where a link's `t` asks playback to start, in seconds: `75`, `75s`, `1m15s`, `1h2m3s`.
    Anything else, or a time outside the video, is 0: the video plays from the start."""
    value = (value or "").strip().lower()
    if _SECONDS.match(value):
        seconds = float(value)
    elif value and (units := _UNITS.match(value)):
        hours, minutes, secs = (int(part or 0) for part in units.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    else:
        return 0
    return seconds if duration and 0 < seconds < duration else 0
