"""The embedded local AWS: a moto server on loopback with PetTube's bucket, table and an SQS
queue receiving the bucket's upload events, plus the event pump that plays the role of
Lambda: each S3 event goes to `videos.events.on_upload`, and `sweep` runs on a schedule."""

import importlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from moto.server import ThreadedMotoServer

from pettube import aws, bootstrap
from videos import storage

log = logging.getLogger("pettube.local_aws")

QUEUE_NAME = "pettube-upload-events"
SWEEP_INTERVAL_SECONDS = 5 * 60
# The worker's other schedules (zappa_settings.json): entry point → seconds between runs.
SCHEDULE = {
    "community.events.rank": 60 * 60,
    "notifications.events.deliver_due": 5 * 60,
    "notifications.events.digest": 24 * 60 * 60,
    "follows.events.fan_out_due": 60,
}
# Lambda runs an asynchronous event up to 3 times (2 retries); so does the local pump.
MAX_DELIVERIES = 3
RETRY_AFTER_SECONDS = 10
# Events handled at once (Lambda runs concurrent invocations; a laptop has few cores for ffmpeg).
CONCURRENT_EVENTS = 3
_LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_SESSION_TOKEN": "local"}


def free_port() -> int:
    # A busy port makes ThreadedMotoServer.start() hang, so ask the kernel for a free one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server() -> tuple[ThreadedMotoServer, str]:
    """Start moto on a free loopback port and point this process (and its children, such as
    runserver's reloaded workers) at it through the environment."""
    _make_dynamodb_writes_atomic()
    _serve_ranges_without_copies()
    port = free_port()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log drowns runserver's
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(_LOCAL_CREDENTIALS, AWS_ENDPOINT_URL=endpoint, PETTUBE_AWS="local")
    aws.reset_clients()
    return server, endpoint


def _make_dynamodb_writes_atomic() -> None:
    """DynamoDB checks a write's condition and applies it atomically; moto does it in steps, so
    two concurrent conditional writes could both succeed (two workers claiming one upload).
    Serving its DynamoDB requests one at a time restores the guarantee the app relies on."""
    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler.call_action, "serialized", False):
        return
    lock = threading.Lock()
    unserialized = DynamoHandler.call_action

    def call_action(self):
        with lock:
            return unserialized(self)

    call_action.serialized = True
    DynamoHandler.call_action = call_action


def _serve_ranges_without_copies() -> None:
    """S3 serves a range of an object as fast as the network allows; moto reads the whole object
    into memory for every GET and slices it, so each ffmpeg seek in a 450 MB upload copied 450 MB
    twice under the GIL (1.7 s per probe here, 3 s per encoder start). A GET with a Range now
    reads just its bytes from moto's buffer, a piece at a time as the client takes them."""
    from moto.s3.models import FakeKey
    from moto.s3.responses import S3Response

    if getattr(S3Response.get_object, "windowed", False):
        return
    whole_object = FakeKey.value
    ranged = threading.local()
    read_whole = S3Response.get_object

    def value(key):
        return _StoredObject(key) if getattr(ranged, "active", False) else whole_object.fget(key)

    def get_object(self):
        ranged.active = bool(self.headers.get("range"))
        try:
            return read_whole(self)
        finally:
            ranged.active = False

    get_object.windowed = True
    FakeKey.value = property(value, whole_object.fset)
    S3Response.get_object = get_object


class _StoredObject:
    """A moto object as the body of a range request: its size, and slices that read only their
    bytes (what moto's range handling uses), read in pieces as the client takes them."""

    PIECE = 1 << 20

    def __init__(self, key, begin: int = 0, end: int | None = None):
        self.key, self.begin, self.end = key, begin, key.size if end is None else end

    def __len__(self) -> int:
        return self.end - self.begin

    def __getitem__(self, window: slice) -> "_StoredObject":
        begin, end, _ = window.indices(len(self))
        return _StoredObject(self.key, self.begin + begin, self.begin + max(begin, end))

    def __iter__(self):
        position = self.begin
        while position < self.end:
            with self.key.lock:
                if self.key._value_buffer.closed:  # deleted meanwhile: the client sees the body cut short
                    return
                self.key._value_buffer.seek(position)
                piece = self.key._value_buffer.read(min(self.PIECE, self.end - position))
            if not piece:
                return
            position += len(piece)
            yield piece


def provision(*, extra_origins: Sequence[str] = ()) -> str:
    """Create the bucket (CORS for the site and `extra_origins`), the table and the upload-event
    queue; return the queue's URL."""
    bootstrap.ensure_resources(extra_origins=extra_origins)
    sqs = aws.client("sqs")
    queue_url = sqs.create_queue(
        QueueName=QUEUE_NAME, Attributes={"VisibilityTimeout": str(RETRY_AFTER_SECONDS)}
    )["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    storage.notify_queue(queue_arn)
    return queue_url


def queue_url() -> str:
    return aws.client("sqs").get_queue_url(QueueName=QUEUE_NAME)["QueueUrl"]


def run_scheduled(function: str) -> None:
    """Call a scheduled entry point by its dotted name, as its Zappa schedule would."""
    module, name = function.rsplit(".", 1)
    getattr(importlib.import_module(module), name)({"source": "local.schedule"}, None)


class EventPump(threading.Thread):
    """Hands each S3 event from the queue to `on_upload`, runs `sweep` every interval and the
    other SCHEDULE jobs on theirs (each in a worker thread, never two runs of one at once). Like
    Lambda, it handles several events at once (up to CONCURRENT_EVENTS): one person's encode
    does not hold up another's upload."""

    def __init__(self, queue_url: str, *, sweep_interval: float = SWEEP_INTERVAL_SECONDS):
        super().__init__(name="pettube-event-pump", daemon=True)
        self.queue_url = queue_url
        self.sweep_interval = sweep_interval
        self._stopping = threading.Event()
        self._workers = ThreadPoolExecutor(max_workers=CONCURRENT_EVENTS + 1 + len(SCHEDULE), thread_name_prefix="pettube-event")

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)
        self._workers.shutdown(wait=True, cancel_futures=True)

    def run(self) -> None:
        from videos import events

        sqs = aws.client("sqs")
        next_sweep, sweeping, handling = 0.0, None, set()
        next_runs = dict.fromkeys(SCHEDULE, 0.0)
        running: dict[str, Future] = {}
        while not self._stopping.is_set():
            try:
                if (now := time.monotonic()) >= next_sweep and (sweeping is None or sweeping.done()):
                    next_sweep = now + self.sweep_interval
                    sweeping = self._submit(events.sweep, {"source": "local.schedule"}, None)
                for function, interval in SCHEDULE.items():
                    if now >= next_runs[function] and (function not in running or running[function].done()):
                        next_runs[function] = now + interval
                        running[function] = self._submit(run_scheduled, function)
                handling = {future for future in handling if not future.done()}
                if len(handling) >= CONCURRENT_EVENTS:
                    wait(handling, timeout=1, return_when=FIRST_COMPLETED)
                    continue
                answer = sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=min(10, CONCURRENT_EVENTS - len(handling)),
                    WaitTimeSeconds=1,
                    MessageSystemAttributeNames=["ApproximateReceiveCount"],
                )
                for message in answer.get("Messages", []):
                    handling.add(self._submit(self._deliver, sqs, message))
            except Exception:
                if self._stopping.is_set():
                    return
                log.exception("event pump error")
                self._stopping.wait(1)

    def _submit(self, function, *args) -> Future:
        future = self._workers.submit(function, *args)
        future.add_done_callback(_log_failure)
        return future

    def _deliver(self, sqs, message: dict) -> None:
        """Like Lambda's asynchronous invocations: an event whose handler fails comes back
        (after the queue's visibility timeout) and is dropped after MAX_DELIVERIES attempts;
        the sweep later catches up an upload whose event was dropped."""
        from videos import events

        try:
            events.on_upload(json.loads(message["Body"]), None)
        except Exception:
            deliveries = int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
            if deliveries < MAX_DELIVERIES:
                log.exception("upload event failed; it will be retried", extra={"deliveries": deliveries})
                return
            log.exception("upload event dropped after retries", extra={"deliveries": deliveries})
        sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])


def _log_failure(future: Future) -> None:
    if not future.cancelled() and (failure := future.exception()):
        log.error("event pump task failed", exc_info=failure)
