"""Lambda entry points of the notifications (Zappa schedules in zappa_settings.json; locally the
embedded AWS's event pump calls them)."""

from datetime import timedelta

from notifications import services
from pettube import dynamo


def digest(event: dict, context=None) -> dict:
    """Daily: yesterday's (UTC) likes and comments, one email per person."""
    day = f"{dynamo.now() - timedelta(days=1):%Y-%m-%d}"
    return {"day": day, "queued": services.send_digests(day=day)}


def deliver_due(event: dict, context=None) -> dict:
    """Every few minutes: send the emails whose earlier attempt failed or was cut short."""
    return {"sent": services.deliver_due()}
