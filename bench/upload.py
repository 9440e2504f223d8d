"""A 200 MB upload to the embedded local S3: the browser's multipart path against one presigned
POST, in the same run. Median of --runs (default 3).

The multipart side follows static/js/multipart.js step for step: the server starts the upload
(services.start_upload), part URLs come a batch of 8 at a time (multipart.part_urls, what
`POST /api/videos/<id>/parts/` answers), 4 parts travel at once over HTTP, and the server
completes the upload (multipart.complete_upload). The baseline is the presigned POST small
files use, of the same file. A third measure cuts the multipart upload off half-way (every part
in flight is lost) and resumes it from ListParts: what it re-sends is at most one part per
connection, not the file.

    .venv/bin/python bench/upload.py
Last line: multipart_s=<s> post_s=<s> ratio=<multipart/post>
"""

import argparse
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _setup

_setup.django_on_local_aws()

import requests  # noqa: E402

from pettube import local_aws  # noqa: E402
from tests import over_http  # noqa: E402
from videos import listings, multipart, repository, services, storage  # noqa: E402

SIZE = 200 * 1000 * 1000
CONNECTIONS = 4  # as static/js/multipart.js
URL_BATCH = 8
OWNER = "bench"


class Sender:
    """The browser's part loop: CONNECTIONS workers take the next missing part, fetch URLs a
    batch at a time, PUT the part. `stop_after` parts stored, every part in flight is dropped
    (a cut connection) and the rest are not sent."""

    def __init__(self, data: bytes, video_id: str, *, stop_after: int | None = None):
        self.data, self.video_id, self.stop_after = data, video_id, stop_after
        self.urls: dict[int, str] = {}
        self.lock = threading.Lock()
        self.sent_bytes = 0
        self.stored = 0
        self.cut = threading.Event()

    def send(self, numbers: list[int]) -> None:
        self.pending = list(numbers)
        with ThreadPoolExecutor(CONNECTIONS) as workers:
            for worker in [workers.submit(self._worker) for _ in range(CONNECTIONS)]:
                worker.result()

    def _worker(self) -> None:
        session = requests.Session()
        while not self.cut.is_set():
            with self.lock:
                if not self.pending:
                    return
                number = self.pending.pop(0)
                if number not in self.urls:
                    batch = [number, *[n for n in self.pending if n not in self.urls]][:URL_BATCH]
                    self.urls |= multipart.part_urls(video_id=self.video_id, user_id=OWNER, numbers=batch)
                url = self.urls[number]
            chunk = self.data[(number - 1) * storage.PART_SIZE: number * storage.PART_SIZE]
            try:
                answer = session.put(url, data=self._body(chunk), timeout=120)
            except requests.ConnectionError:
                return  # cut off mid-part: S3 keeps nothing of it
            answer.raise_for_status()
            with self.lock:
                self.stored += 1
                if self.stop_after and self.stored >= self.stop_after:
                    self.cut.set()

    def _body(self, chunk: bytes) -> "CuttablePart":
        return CuttablePart(chunk, self)


class CuttablePart:
    """A part's bytes as the connection reads them, counted as they go on the wire; once the cut
    happens, the next read fails mid-part, as a dropped connection does."""

    def __init__(self, chunk: bytes, sender: Sender):
        self.chunk, self.sender, self.offset = chunk, sender, 0

    def __len__(self) -> int:
        return len(self.chunk)

    def read(self, size: int = -1) -> bytes:
        if self.sender.cut.is_set():
            raise requests.ConnectionError("cut off")
        end = len(self.chunk) if size < 0 else self.offset + size
        piece, self.offset = self.chunk[self.offset: end], min(end, len(self.chunk))
        with self.sender.lock:
            self.sender.sent_bytes += len(piece)
        return piece


def start(size: int) -> str:
    started = services.start_upload(owner_id=OWNER, owner_name=OWNER, title="bench", description="", species="dog",
                                    filename="bench.mp4", content_type="video/mp4", size=size)
    return started.video.id


def time_multipart(data: bytes) -> float:
    began = time.perf_counter()
    video_id = start(len(data))
    Sender(data, video_id).send(list(range(1, storage.part_count(len(data), storage.PART_SIZE) + 1)))
    multipart.complete_upload(video_id=video_id, user_id=OWNER)
    elapsed = time.perf_counter() - began
    _check_and_remove(video_id, len(data))
    return elapsed


def time_post(path: Path, size: int) -> float:
    """The presigned POST start_upload gives a small file, here for the same large one."""
    began = time.perf_counter()
    key = storage.upload_key(OWNER, services.new_video_id())
    post = storage.presigned_upload(key=key, content_type="video/mp4", max_bytes=size)
    over_http.post_to_storage({"url": post.url, "fields": post.fields}, path).raise_for_status()
    elapsed = time.perf_counter() - began
    assert storage.size_of(key) == size, "the stored object is not the file"
    storage.delete(key)
    return elapsed


def resent_after_cut(data: bytes) -> tuple[int, int]:
    """Cut a multipart upload off half-way, resume it from ListParts; returns (bytes sent over
    both attempts beyond the file's size, parts re-sent)."""
    video_id = start(len(data))
    count = storage.part_count(len(data), storage.PART_SIZE)
    first = Sender(data, video_id, stop_after=count // 2)
    first.send(list(range(1, count + 1)))
    stored = {part.number for part in multipart.upload_state(video_id=video_id, user_id=OWNER).stored}
    second = Sender(data, video_id)
    second.send([number for number in range(1, count + 1) if number not in stored])
    multipart.complete_upload(video_id=video_id, user_id=OWNER)
    _check_and_remove(video_id, len(data))
    extra = first.sent_bytes + second.sent_bytes - len(data)
    return extra, -(-extra // storage.PART_SIZE)


def _check_and_remove(video_id: str, size: int) -> None:
    video = repository.get(video_id)
    key = storage.upload_key(OWNER, video_id)
    assert storage.size_of(key) == size, "the stored object is not the file"
    listings.save(video, None)
    storage.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    workdir = Path(tempfile.mkdtemp(prefix="pettube-bench-"))
    path = workdir / "bench.mp4"
    path.write_bytes(os.urandom(SIZE))
    data = path.read_bytes()
    server, _ = local_aws.start_server()
    local_aws.provision()
    try:
        multipart_times, post_times = [], []
        for _ in range(runs):  # interleaved, so the machine's load falls on both alike
            multipart_times.append(time_multipart(data))
            post_times.append(time_post(path, SIZE))
        extra_bytes, extra_parts = resent_after_cut(data)
    finally:
        server.stop()
        path.unlink()
    part_mib = storage.PART_SIZE / 2**20
    print(f"file: {SIZE / 1e6:.0f} MB; parts of {part_mib:.0f} MiB, {CONNECTIONS} at once; runs: {runs}")
    print(f"multipart (s): {[round(t, 2) for t in multipart_times]}")
    print(f"one POST (s): {[round(t, 2) for t in post_times]}")
    print(f"cut half-way and resumed: re-sent {extra_bytes / 1e6:.1f} MB = {extra_parts} part(s) "
          f"for {CONNECTIONS} connections (a single POST re-sends the whole {SIZE / 1e6:.0f} MB)")
    multipart_s, post_s = statistics.median(multipart_times), statistics.median(post_times)
    print(f"multipart_s={multipart_s:.2f} post_s={post_s:.2f} ratio={multipart_s / post_s:.2f}")


if __name__ == "__main__":
    main()
