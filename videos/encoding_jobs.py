"""The door to encoding-job items in the shared table: what each job of a processing attempt
made (one per chunk of the video, `v<index>`, and one for the audio, `audio`), kept until the
last job of the attempt publishes the video. `id = "part#<video id>#<attempt>#<job name>"` (the
prefix they were first written with: an attempt encoding while a deploy lands finishes),
`segments` (JSON `[[number, seconds], ...]`), gone by themselves after a week (`expires_at`)."""

import json
from datetime import timedelta

from pettube import dynamo

_KIND = "part"
_LIFETIME = timedelta(days=7)


def record(video_id: str, *, attempt: int, job: str, segments: list[tuple[int, float]]) -> None:
    """Store the segments (number and duration of each) that `job` of `attempt` made."""
    dynamo.put_item(
        Item={
            **dynamo.key(_id(video_id, attempt, job)),
            "segments": dynamo.s(json.dumps(segments)),
            dynamo.TTL_ATTRIBUTE: dynamo.epoch(dynamo.now() + _LIFETIME),
        }
    )


def segments_of(video_id: str, *, attempt: int, jobs: list[str]) -> dict[str, list[tuple[int, float]]]:
    """The segments each finished job among `jobs` of `attempt` stored, by job name (BatchGetItem)."""
    found = dynamo.get_many([_id(video_id, attempt, job) for job in jobs])
    return {
        item_id.rsplit("#", 1)[1]: [(int(number), float(duration)) for number, duration in json.loads(item["segments"]["S"])]
        for item_id, item in found.items()
    }


def _id(video_id: str, attempt: int, job: str) -> str:
    return f"{_KIND}#{video_id}#{attempt}#{job}"
