"""Lambda entry points of the worker. Each decodes its event and calls videos/processing.py.

On AWS, Zappa maps the bucket's ObjectCreated events to `on_upload` and a schedule to `sweep`;
locally, the embedded AWS's event pump calls the same functions with the same event shapes.
"""

from urllib.parse import unquote_plus

from videos import av1, processing


def on_upload(event: dict, context=None) -> None:
    for record in event.get("Records", []):
        if not record.get("eventName", "").startswith("ObjectCreated:"):
            continue
        processing.ingest_upload(key=unquote_plus(record["s3"]["object"]["key"]), time_left=_time_left(context))


def encode_chunk(event: dict, context=None) -> None:
    """One chunk of a long video, invoked asynchronously by the video's first job
    (videos/workers.py)."""
    processing.encode_chunk(
        video_id=event["video_id"], attempt=int(event["attempt"]), index=int(event["index"]),
        time_left=_time_left(context),
    )


def encode_av1_chunk(event: dict, context=None) -> None:
    """One chunk of a ready video's AV1 renditions, invoked asynchronously by the job that
    published it (videos/av1.py)."""
    av1.encode_chunk(
        video_id=event["video_id"], attempt=int(event["attempt"]), index=int(event["index"]),
        time_left=_time_left(context),
    )


def sweep(event: dict, context=None) -> dict:
    report = processing.sweep(time_left=_time_left(context))
    return report.__dict__


def _time_left(context):
    if context is None or not hasattr(context, "get_remaining_time_in_millis"):
        return None
    return lambda: context.get_remaining_time_in_millis() / 1000
