"""The Popular ranking: `ranking#popular`, one item holding copies of the videos it lists (one
GetItem per page; videos/items.py's snapshots, descriptions left out) and `withdrawn`: the ids of
videos unlisted since it was computed (a hidden, private or deleted video joins it in the
transaction that unlists it; pages skip them). `version` counts those withdrawals, so a new
ranking is only stored if none came after its query."""

from dataclasses import dataclass
from datetime import datetime

from pettube import dynamo
from pettube.dynamo import Action
from videos.domain import Video
from videos.items import from_snapshot, snapshot

RANKING_ID = "ranking#popular"


@dataclass(frozen=True)
class Ranking:
    computed_at: datetime
    entries: list[tuple[Video, float]]  # (a video as it was ranked, its score), best first


class Withdrawn(Exception):
    """A video was withdrawn since the ranking being replaced was read: nothing was stored."""


def version() -> int | None:
    """The stored ranking's version (how many withdrawals it has seen); None before the first."""
    item = dynamo.get(RANKING_ID)
    return int(item.get("version", {}).get("N", "0")) if item else None


def put(ranking: Ranking, *, read_version: int | None) -> None:
    """Store `ranking`, with no withdrawals, in place of the one at `read_version` (None: there
    was none). Raises Withdrawn if a video was withdrawn since that version was read."""
    expected = {"ConditionExpression": "attribute_not_exists(id)"}
    if read_version is not None:
        expected = {"ConditionExpression": "version = :read",
                    "ExpressionAttributeValues": {":read": dynamo.n(read_version)}}
    stored = dynamo.put_item(
        Item={
            **dynamo.key(RANKING_ID),
            "computed_at": dynamo.s(dynamo.stamp(ranking.computed_at)),
            "version": dynamo.n((read_version or 0) + 1),
            "entries": {"L": [{"M": {"video": snapshot(video), "score": {"N": f"{score:.6g}"}}}
                              for video, score in ranking.entries]},
        },
        **expected,
    )
    if not stored:
        raise Withdrawn()


def page(start: int, end: int) -> tuple[list[Video], bool]:
    """The ranked videos from `start` to `end` (not counting withdrawn ones), and whether more
    follow: one GetItem, and only the page's copies are decoded."""
    item = dynamo.get(RANKING_ID) or {}
    withdrawn = set(item.get("withdrawn", {}).get("SS", []))
    shown = [entry["M"]["video"] for entry in item.get("entries", {}).get("L", [])
             if entry["M"]["video"]["M"]["id"]["S"] not in withdrawn]
    return [from_snapshot(copy) for copy in shown[start:end]], end < len(shown)


def purge(video_id: str, *, attempts: int = 3) -> None:
    """Drop a deleted video's copy (and its withdrawal) from the stored ranking, rather than
    wait an hour for the next one: read, filter, and put back if nobody changed it meanwhile
    (its version goes up, so a ranking computed before this is not stored over it)."""
    for _ in range(attempts):
        item = dynamo.get(RANKING_ID)
        if item is None:
            return
        entries = item.get("entries", {}).get("L", [])
        kept = [entry for entry in entries if entry["M"]["video"]["M"]["id"]["S"] != video_id]
        withdrawn = set(item.get("withdrawn", {}).get("SS", []))
        if len(kept) == len(entries) and video_id not in withdrawn:
            return
        read_version = item.get("version", {"N": "0"})
        item = {**item, "entries": {"L": kept}, "version": dynamo.n(int(read_version["N"]) + 1)}
        item.pop("withdrawn", None)
        if withdrawn - {video_id}:
            item["withdrawn"] = {"SS": sorted(withdrawn - {video_id})}
        if dynamo.put_item(Item=item, ConditionExpression="version = :read",
                           ExpressionAttributeValues={":read": read_version}):
            return


def withdrawal_action(video_id: str) -> Action:
    """The transaction action that takes a video off the stored ranking at once (for the
    transaction that unlists it: videos/listings.py)."""
    return {
        "Update": {
            "Key": dynamo.key(RANKING_ID),
            "UpdateExpression": "ADD withdrawn :video, version :one",
            "ExpressionAttributeValues": {":video": {"SS": [video_id]}, ":one": dynamo.n(1)},
        }
    }
