"""The door to encoding-job items in the shared table: what each job of a processing attempt
made (one per chunk of the video, `v<index>`, and one for the audio, `audio`), kept until the
last job of the attempt publishes the video. `id = "part#<video id>#<attempt>#<job name>"` (the
prefix they were first written with: an attempt encoding while a deploy lands finishes),
`segments` (JSON `[[number, seconds], ...]`), `tiles` (how many storyboard tiles its sprite holds), gone by themselves after a week (`expires_at`)."""

import json
from dataclasses import dataclass
from datetime import timedelta

from pettube import dynamo

_KIND = "part"
_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class Made:
    """What one job made: its segments (number and duration of each) and storyboard tiles."""

    segments: list[tuple[int, float]]
    tiles: int


def record(video_id: str, *, attempt: int, job: str, segments: list[tuple[int, float]], tiles: int = 0) -> None:
    """Store the segments (number and duration of each) and the number of storyboard tiles that
    `job` of `attempt` made."""
    dynamo.put_item(
        Item={
            **dynamo.key(_id(video_id, attempt, job)),
            "segments": dynamo.s(json.dumps(segments)),
            "tiles": dynamo.n(tiles),
            dynamo.TTL_ATTRIBUTE: dynamo.epoch(dynamo.now() + _LIFETIME),
        }
    )


def made_by(video_id: str, *, attempt: int, jobs: list[str]) -> dict[str, Made]:
    """What each finished job among `jobs` of `attempt` stored, by job name (BatchGetItem)."""
    found = dynamo.get_many([_id(video_id, attempt, job) for job in jobs])
    return {
        item_id.rsplit("#", 1)[1]: Made(
            segments=[(int(number), float(duration)) for number, duration in json.loads(item["segments"]["S"])],
            tiles=int(item.get("tiles", {}).get("N", 0)),
        )
        for item_id, item in found.items()
    }


def _id(video_id: str, attempt: int, job: str) -> str:
    return f"{_KIND}#{video_id}#{attempt}#{job}"
