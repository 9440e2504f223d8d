"""Lambda entry points of following (a Zappa schedule in zappa_settings.json; locally the embedded
AWS's event pump calls it)."""

from follows import services


def fan_out_due(event: dict, context=None) -> dict:
    """Every minute: the fan-outs of videos listed by an edit, and any a worker left unfinished."""
    return {"fanned_out": services.fan_out_due()}
