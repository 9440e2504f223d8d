"""The door to upload-start counters in the shared table: how many uploads a person started in a
clock hour, `id = "upload-starts#<owner id>#<window start>"` (`starts`), gone by themselves after
the window (`expires_at`, the table's TTL). Deleting a video does not lower them."""

from dataclasses import dataclass
from datetime import datetime

from pettube import dynamo
from pettube.dynamo import Action

_KIND = "upload-starts"


@dataclass(frozen=True)
class StartWindow:
    """A time window in which `owner_id` may start at most `limit` uploads."""

    owner_id: str
    start: datetime
    end: datetime
    limit: int


def count_action(window: StartWindow) -> Action:
    """The transaction action that counts one more upload start of the window's owner,
    atomically: its condition fails once the count is at the window's limit."""
    return {
        "Update": {
            "Key": dynamo.key(f"{_KIND}#{window.owner_id}#{dynamo.stamp(window.start)}"),
            "UpdateExpression": "ADD starts :one SET expires_at = if_not_exists(expires_at, :expires)",
            "ConditionExpression": "attribute_not_exists(starts) OR starts < :limit",
            "ExpressionAttributeValues": {
                ":one": dynamo.n(1),
                ":limit": dynamo.n(window.limit),
                ":expires": dynamo.n(int(window.end.timestamp()) + 3600),
            },
        }
    }
