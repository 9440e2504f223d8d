"""Lambda entry point of the hourly ranking (a Zappa schedule; locally the event pump)."""

from community import ranking


def rank(event: dict, context=None) -> dict:
    ranked = ranking.rank()
    return {"ranked": len(ranked.entries)}
