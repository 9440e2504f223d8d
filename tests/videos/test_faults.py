"""Fault injection: each fault that can pass is retried and the video ends ready; one that does
not pass ends failed with a reason. No video stays `processing` after a sweep, and a bystander
video is never touched.

AWS faults are injected as botocore does for its own Stubber: a `before-call` handler answers
the call with an error response instead of sending it to the (real, moto) endpoint."""

import errno
import http.server
import os
import stat
import threading
from types import SimpleNamespace

import pytest

from pettube import aws as aws_clients
from tests import factories
from videos import events, processing, repository, services, storage, transcode
from videos.domain import FAILED, PROCESSING, READY


class Fault:
    """Makes the next `times` calls of `service.operation` (those whose request body contains
    `when`) fail with `code` and HTTP `status`."""

    def __init__(self, service, operation, *, code, status, times=1, when=b""):
        self.code, self.status, self.remaining, self.when, self.hits = code, status, times, when, 0
        aws_clients.client(service).meta.events.register(f"before-call.{service}.{operation}", self)

    def __call__(self, params, **kwargs):
        body = params.get("body") or b""
        if self.remaining and self.when in (body if isinstance(body, bytes) else body.encode()):
            self.remaining -= 1
            self.hits += 1
            response = {"Error": {"Code": self.code, "Message": f"injected {self.code}"},
                        "ResponseMetadata": {"HTTPStatusCode": self.status}}
            return SimpleNamespace(status_code=self.status, headers={}, content=b""), response
        return None


@pytest.fixture
def bystander(aws, make_clip):
    """Another user's ready video, which no fault may touch."""
    video, key = factories.uploaded(make_clip("small"), owner_id="99")
    ready = processing.ingest_upload(key=key)
    yield ready
    assert repository.get(ready.id) == ready
    assert storage.size_of(ready.video_key) == ready.video_size


def ffmpeg_wrapper(tmp_path, body: str) -> str:
    """An FFMPEG_BINARY that misbehaves on encodes (libx264) and is the real ffmpeg otherwise."""
    script = tmp_path / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *libx264*) {body} ;; esac\n'
        f'exec "{transcode.ffmpeg_binary()}" "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def after_one_sweep(video_id):
    processing.sweep()
    return repository.get(video_id)


def test_dynamodb_throttling_when_marking_ready_is_retried(bystander, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    fault = Fault("dynamodb", "TransactWriteItems", code="ProvisionedThroughputExceededException", status=400,
                  when=b"\"ready\"")

    assert processing.ingest_upload(key=key).status == PROCESSING
    assert fault.hits == 1
    assert repository.get(video.id).error == "the storage service was unavailable"

    assert after_one_sweep(video.id).status == READY


def test_dynamodb_throttling_that_never_passes_ends_failed_with_the_reason(bystander, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    Fault("dynamodb", "TransactWriteItems", code="ThrottlingException", status=400, times=99, when=b"\"ready\"")

    processing.ingest_upload(key=key)
    for _ in range(processing.MAX_ATTEMPTS):
        processing.sweep()

    failed = repository.get(video.id)
    assert failed.status == FAILED
    assert failed.error == "Processing failed after 3 attempts (the storage service was unavailable)."
    assert storage.size_of(key) is None


def test_conditional_check_failure_is_a_no_op(bystander, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    Fault("dynamodb", "UpdateItem", code="ConditionalCheckFailedException", status=400, when=b":uploading")

    assert processing.ingest_upload(key=key) is None

    assert repository.get(video.id).status == "uploading"  # the winner of the race owns it


class FailingStorage(http.server.ThreadingHTTPServer):
    """An S3 endpoint on loopback that answers every request with `status` (ffmpeg reads the
    upload over HTTP from a presigned URL, so this is what a failing S3 looks like to it)."""

    def __init__(self, status: int):
        self.requests = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler):
                self.requests += 1
                handler.send_error(status)

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/uploads/object"


def test_s3_failing_to_serve_the_upload_is_retried(bystander, make_clip, monkeypatch):
    video, key = factories.uploaded(make_clip("small"))
    failing = FailingStorage(503)
    monkeypatch.setattr(storage, "presigned_source", lambda key: failing.url)

    stopped = processing.ingest_upload(key=key)
    assert (stopped.status, stopped.error) == (PROCESSING, "processing was interrupted")
    assert failing.requests >= 1
    failing.shutdown()

    monkeypatch.undo()
    assert after_one_sweep(video.id).status == READY


def test_ffmpeg_killed_mid_encode_is_retried(bystander, make_clip, tmp_path, monkeypatch):
    marker = tmp_path / "killed-once"
    monkeypatch.setenv("FFMPEG_BINARY", ffmpeg_wrapper(tmp_path, f'[ -e {marker} ] || {{ touch {marker}; kill -9 $$; }}'))
    video, key = factories.uploaded(make_clip("small"))

    assert processing.ingest_upload(key=key).status == PROCESSING
    assert marker.exists()
    assert repository.get(video.id).error == "processing was interrupted"

    assert after_one_sweep(video.id).status == READY


def test_ffmpeg_hanging_is_stopped_by_the_time_budget_and_retried(bystander, make_clip, tmp_path, monkeypatch):
    monkeypatch.setenv("FFMPEG_BINARY", ffmpeg_wrapper(tmp_path, "exec sleep 120"))
    video, key = factories.uploaded(make_clip("small"))
    lambda_context = SimpleNamespace(get_remaining_time_in_millis=lambda: (processing.FINISHING_SECONDS + 1.5) * 1000)

    events.on_upload(factories.s3_event(key), lambda_context)
    stopped = repository.get(video.id)
    assert (stopped.status, stopped.error) == (PROCESSING, "processing was interrupted")

    monkeypatch.delenv("FFMPEG_BINARY")
    assert after_one_sweep(video.id).status == READY


def test_a_full_tmp_is_retried(bystander, make_clip, tmp_path, monkeypatch):
    # What ffmpeg prints and does when the disk its segments go to is full.
    monkeypatch.setenv("FFMPEG_BINARY", ffmpeg_wrapper(
        tmp_path, f'echo "[hls @ 0x1] {tmp_path}/00000.ts: {os.strerror(errno.ENOSPC)}" >&2; exit 228'))
    video, key = factories.uploaded(make_clip("small"))

    assert processing.ingest_upload(key=key).error == "the processing worker ran out of disk space"

    monkeypatch.delenv("FFMPEG_BINARY")
    assert after_one_sweep(video.id).status == READY


@pytest.mark.parametrize("number, reason", [(errno.EIO, "the processing worker had a disk error"),
                                            (errno.EMFILE, "the processing worker ran out of file handles")])
def test_an_operating_system_error_that_may_pass_is_retried(bystander, make_clip, monkeypatch, number, reason):
    video, key = factories.uploaded(make_clip("small"))
    real_probe = transcode.probe
    monkeypatch.setattr(transcode, "probe", lambda source, **_: (_ for _ in ()).throw(OSError(number, os.strerror(number))))

    assert (processing.ingest_upload(key=key).status, repository.get(video.id).error) == (PROCESSING, reason)

    monkeypatch.setattr(transcode, "probe", real_probe)
    assert after_one_sweep(video.id).status == READY


@pytest.mark.parametrize("bug", [FileNotFoundError(errno.ENOENT, "No such file or directory", "/tmp/x/index.m3u8"),
                                 TypeError("unsupported operand type(s) for -: 'NoneType' and 'int'")])
def test_a_bug_in_pettube_fails_the_video_at_once_saying_so_and_is_raised(bystander, make_clip, monkeypatch, bug):
    video, key = factories.uploaded(make_clip("small"))
    monkeypatch.setattr(transcode, "probe", lambda source, **_: (_ for _ in ()).throw(bug))

    with pytest.raises(type(bug)):
        processing.ingest_upload(key=key)

    failed = repository.get(video.id)
    assert (failed.status, failed.error, failed.attempts) == (FAILED, processing.OUR_ERROR, 1)
    assert storage.size_of(key) is None  # nothing of it is left behind
    assert after_one_sweep(video.id) == failed  # and the sweeper does not try it again


def test_lambda_time_budget_running_out_is_retried(bystander, make_clip):
    video, key = factories.uploaded(make_clip("small"))
    lambda_context = SimpleNamespace(get_remaining_time_in_millis=lambda: 1000)

    events.on_upload(factories.s3_event(key), lambda_context)
    stopped = repository.get(video.id)
    assert (stopped.status, stopped.error) == (PROCESSING, "processing was interrupted")

    assert after_one_sweep(video.id).status == READY


def test_a_missed_s3_event_is_caught_up_by_the_sweep(bystander, make_clip):
    from datetime import UTC, datetime, timedelta

    video, key = factories.uploaded(make_clip("small"))  # no event is delivered

    processing.sweep()
    assert repository.get(video.id).status == "uploading"  # it may still be arriving
    processing.sweep(now=datetime.now(UTC) + processing.MISSED_EVENT_AFTER + timedelta(seconds=1))

    assert repository.get(video.id).status == READY


def test_concurrent_copies_of_one_event_give_one_transcode(bystander, make_clip, encodes):
    video, key = factories.uploaded(make_clip("small"))
    event = factories.s3_event(key)
    barrier = threading.Barrier(8)
    errors = []

    def deliver():
        barrier.wait()
        try:
            events.on_upload(event, None)
        except Exception as error:  # collected: a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(encodes) == 1
    assert repository.get(video.id).status == READY
    assert repository.get(video.id).attempts == 1


@pytest.mark.slow  # encodes 20 s of 1080p
def test_s3_failing_mid_ladder_is_retried_and_nothing_half_published_is_ready(bystander, make_clip):
    video, key = factories.uploaded(make_clip("long"))  # 20 s: six segments per rung
    video_segments = []

    def refused_after_two_segments(params, **kwargs):  # S3 fails once two segments of each rung are in
        if params["url_path"].endswith(".ts") and "/audio/" not in params["url_path"]:
            video_segments.append(params["url_path"])
            if len(video_segments) > 2 * 3:
                response = {"Error": {"Code": "InternalError", "Message": "injected"},
                            "ResponseMetadata": {"HTTPStatusCode": 500}}
                return SimpleNamespace(status_code=500, headers={}, content=b""), response
        return None

    s3 = aws_clients.client("s3")
    s3.meta.events.register("before-call.s3.PutObject", refused_after_two_segments)
    stopped = processing.ingest_upload(key=key)
    s3.meta.events.unregister("before-call.s3.PutObject", refused_after_two_segments)

    assert (stopped.status, stopped.error) == (PROCESSING, "the storage service was unavailable")
    assert stopped.playable  # the owner could watch the start...
    assert [item.id for item in services.feed_page().items] == [bystander.id]  # ...but half a ladder is never ready

    retried = after_one_sweep(video.id)
    assert (retried.status, retried.attempts) == (READY, 2)
    final = storage.read_text(storage.hls_key(video.id, "1080p.m3u8"))
    assert final.count(".ts") == 6 and final.rstrip().endswith("#EXT-X-ENDLIST")
