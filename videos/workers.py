"""Runs the other chunks of a video's encode beside the current job. The only code that invokes
Lambda.

On AWS each chunk is an asynchronous invocation of this same worker function (Zappa's handler
routes `{"command": "videos.events.encode_chunk", ...}` to it), with its own time budget and
memory, started at once. Locally (and anywhere off Lambda) each chunk runs in a thread of this
process that drives its own ffmpeg process, through the function the caller passes down (the
same code the Lambda runs); those share the machine with the first chunk, so they start once the
start of the video is watchable."""

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from pettube import aws

log = logging.getLogger("pettube.videos")

CHUNK_COMMAND = "videos.events.encode_chunk"
AV1_CHUNK_COMMAND = "videos.events.encode_av1_chunk"  # the AV1 renditions' chunks (videos/av1.py)
LOCAL_WORKERS = max(1, (os.cpu_count() or 1))


class Gate:
    """Holds the chunks that run here until the start of the video is watchable (`open`), or
    drops them when the first job failed before that (`close`)."""

    def __init__(self) -> None:
        self._decided = threading.Event()
        self._dropped = False

    def open(self) -> None:
        self._decided.set()

    def close(self) -> None:
        self._dropped = True
        self._decided.set()

    def passes(self) -> bool:
        self._decided.wait()
        return not self._dropped


def dispatch_chunks(video_id: str, *, attempt: int, indexes: Iterable[int], run_here: Callable[[int], None],
                    gate: Gate | None = None, command: str = CHUNK_COMMAND) -> Callable[[], None]:
    """Start chunk `indexes` of `attempt`; returns a function that waits for them where they
    run here (on Lambda it returns at once: each invocation finishes on its own). Off Lambda,
    `run_here(index)` runs one (the caller's, so this module needs no entry point), each in a
    thread after `gate`: until the start is watchable the machine is the first job's, whose
    start the uploader is waiting to watch."""
    indexes = list(indexes)
    if not indexes:
        return lambda: None
    if function := os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        for index in indexes:
            payload = {"command": command, "video_id": video_id, "attempt": attempt, "index": index}
            aws.client("lambda").invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(payload))
        log.info("chunks dispatched", extra={"video_id": video_id, "chunks": len(indexes)})
        return lambda: None

    def encode_chunk(index: int) -> None:
        if gate is None or gate.passes():
            run_here(index)

    pool = ThreadPoolExecutor(max_workers=LOCAL_WORKERS, thread_name_prefix=f"chunks-{video_id}")
    futures = [pool.submit(encode_chunk, index) for index in indexes]

    def wait() -> None:
        for future in futures:
            future.result()
        pool.shutdown()

    return wait
