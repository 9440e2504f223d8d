"""AV1 renditions, added to a video once it is ready (docs/STREAMING.md).

The H.264 ladder is what every browser plays and what the uploader watches first; AV1 takes
fewer bytes for the same VMAF on the browsers that decode it, but SVT-AV1 costs several times
x264's CPU, so it is encoded after the video is ready, never before. Each AV1 rung mirrors an
H.264 rung of the per-title ladder (same size, its CRF moved to AV1's scale, a lower cap), in
fMP4 segments (what HLS requires for AV1) cut on the same grid, so a player may switch between
the codecs' rungs at any segment boundary.

The work is cut in the H.264 attempt's chunks, each a job run beside the others
(videos/workers.py: a Lambda invocation each on AWS, a thread driving its own ffmpeg locally);
each job stores its segments (videos/encoding_jobs.py, `av1-<chunk>`) and counts itself done on
the video's item; the last one writes the VOD playlists and offers the rungs in the video's item
(`av1_rungs`, `av1_codecs`, read from the segments), from which the master playlist lists them.
Before anything is offered, the first chunk's job scores each AV1 rung's lead segment against
its H.264 twin's (VMAF against the source): a rung that looks worse leaves the title in H.264 only.
That, or a failure in any job, is logged and ends the AV1 renditions of the video, removing what they had
stored: the H.264 ladder, its playlists and the item's ready state are never written here. The
source upload, which publishing the H.264 ladder leaves for this step, is deleted when it ends,
either way (the bucket's lifecycle rule removes it should a worker die first).
"""

import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from django.conf import settings

from videos import delivery, encoding_jobs, hls, ladder, repository, storage, transcode, workers
from videos.domain import READY, Video
from videos.ladder import Rung

log = logging.getLogger("pettube.videos")

PREFIX = hls.AV1_PREFIX
# SVT-AV1's CRF for about x264's VMAF at the same size: x264's + CRF_OFFSET. Measured on
# bench/ladder_quality.py's clips against x264 with trellis: at + 15 AV1 scored 0.3-5 points above
# x264 for more bytes than it needed; at + 17 from 0.4 below to above, for 31-48 % fewer bytes; at
# + 19 it fell under x264 on the larger rungs of the flat and grain clips. Caps: a share of H.264's.
CRF_OFFSET = 17
CAP_SHARE = 0.7
# Before the rungs are offered, each AV1 rung's lead segment is scored with VMAF against the
# source, as its H.264 twin's is. Under a binding cap SVT-AV1 loses far more than x264 (the fine
# texture moving fast of bench/ladder_quality.py: 54.9 against 84.5 at 1080p, 83.7 against 85.7 at
# 720p), and a browser that decodes AV1 would pick the worse picture. A rung more than
# QUALITY_MARGIN points under its twin leaves the title in H.264 only: a ladder that offered AV1
# at some sizes and not others would switch codec with the viewer's bandwidth.
QUALITY_MARGIN = 2.0
FINISHING_SECONDS = 30
MIME_TYPES = {".m4s": "video/iso.segment", ".mp4": "video/mp4"}


def rungs_for(rungs: list[Rung]) -> list[Rung]:
    """The AV1 rungs for an H.264 ladder: the same sizes, named `av1-<name>`."""
    return [replace(rung, name=PREFIX + rung.name, crf=min(63, rung.crf + CRF_OFFSET),
                    maxrate=int(rung.maxrate * CAP_SHARE)) for rung in rungs]


def after_ready(video: Video) -> None:
    """Start the AV1 renditions of a video that just became ready (locally they run in threads
    of this process, after it returns), or, when they are turned off, delete its source."""
    if not settings.PETTUBE_AV1_RENDITIONS:
        storage.delete(storage.upload_key(video.owner_id, video.id))
        return
    try:
        workers.dispatch_chunks(video.id, attempt=video.attempts, indexes=range(_chunk_count(video)),
                                run_here=lambda index: encode_chunk(video_id=video.id, attempt=video.attempts,
                                                                    index=index),
                                command=workers.AV1_CHUNK_COMMAND)
    except Exception:
        log.exception("AV1 renditions not started", extra={"video_id": video.id})
        _give_up(video)


def encode_chunk(*, video_id: str, attempt: int, index: int, time_left: Callable[[], float] | None = None) -> None:
    """Encode chunk `index` of the ready video's AV1 rungs and, if it is the last to finish,
    publish them. Never raises: a failure ends the video's AV1 renditions, not the video."""
    video = repository.get(video_id)
    if video is None or video.status != READY or video.attempts != attempt:
        log.info("AV1 chunk of a gone or newer attempt ignored", extra={"video_id": video_id, "attempt": attempt})
        return
    try:
        done = _encode(video, index, time_left or (lambda: float(settings.PETTUBE_PROCESSING_TIMEOUT_SECONDS)))
        if done is not None and done.av1_jobs_done == _chunk_count(video):
            _publish(done)
    except NoBetter as reason:
        log.info("AV1 renditions left out; the video stays ready in H.264",
                 extra={"video_id": video_id, "reason": str(reason)})
        _give_up(video)
    except Exception:
        log.exception("AV1 renditions abandoned; the video stays ready in H.264",
                      extra={"video_id": video_id, "chunk": index})
        _give_up(video)


def _chunk_count(video: Video) -> int:
    return video.jobs - (1 if video.has_audio else 0)


def _encode(video: Video, index: int, time_left: Callable[[], float]) -> Video | None:
    """Encode and store one chunk; the video as counting it done left it."""
    rungs = rungs_for(ladder.rungs_from_json(video.rungs))
    start = index * video.chunk_seconds
    length = video.chunk_seconds
    if index == _chunk_count(video) - 1:
        length = max(length, settings.PETTUBE_MAX_DURATION_SECONDS + 1 - start)
    budget = time_left() - FINISHING_SECONDS
    if budget <= 0:
        raise transcode.EncoderInterrupted("no time left in this worker")
    source = storage.presigned_source(storage.upload_key(video.owner_id, video.id))
    with tempfile.TemporaryDirectory(prefix=f"pettube-{video.id}-av1-{index}-") as workdir:
        outdir = Path(workdir)
        for rung in rungs:
            (outdir / rung.name).mkdir()
        command = transcode.av1_ladder_command(source, outdir, rungs, start=start, length=length,
                                               fps=video.source_fps or None)
        transcode.Encoder(command, timeout=budget, background=True).wait()
        if index == 0:
            _check_quality(video, outdir, rungs, source=source)
        segments = _store(video.id, outdir, rungs, chunk=index)
    encoding_jobs.record(video.id, attempt=video.attempts, job=f"{PREFIX}{index}",
                         segments=[(segment.number, segment.duration) for segment in segments])
    return repository.count_av1_job_done(video.id, attempt=video.attempts)


class NoBetter(Exception):
    """An AV1 rung would show a worse picture than its H.264 twin."""


def _check_quality(video: Video, outdir: Path, rungs: list[Rung], *, source: str) -> None:
    """Raise NoBetter if an AV1 rung's lead segment (in `outdir`) looks worse than the published
    H.264 rung's of the same size."""
    for h264, other in zip(ladder.rungs_from_json(video.rungs), rungs, strict=True):
        published = storage.presigned_get(storage.hls_key(video.id, hls.segment_uri(h264.name, 0)))
        reason = shortfall(outdir / other.name / "index.m3u8", published, source=source, rung=other,
                           fps=video.source_fps or None)
        if reason:
            raise NoBetter(reason)


def shortfall(av1_rendition: Path | str, h264_rendition: Path | str, *, source: Path | str, rung: Rung,
              fps: float | None) -> str | None:
    """Why the AV1 rendition looks worse than the H.264 one (their lead segments' VMAF against the
    source, more than QUALITY_MARGIN apart), or None."""
    scores = [transcode.vmaf(rendition, source, width=rung.width, height=rung.height, seconds=ladder.LEAD_SECONDS,
                             fps=fps) for rendition in (av1_rendition, h264_rendition)]
    if scores[0] < scores[1] - QUALITY_MARGIN:
        return f"{rung.name} scores VMAF {scores[0]:.1f} against H.264's {scores[1]:.1f} on the lead segment"
    return None


def _store(video_id: str, outdir: Path, rungs: list[Rung], *, chunk: int) -> list[hls.Segment]:
    """Upload each rung's initialisation segment (as `init-<chunk>.mp4`) and segments; the
    segments, which every rung has alike."""
    playlists = {rung.name: (outdir / rung.name / "index.m3u8").read_text() for rung in rungs}
    listed = {name: hls.finished_segments(playlist) for name, playlist in playlists.items()}
    if len({tuple(segments) for segments in listed.values()}) != 1:
        raise transcode.EncoderInterrupted(f"the AV1 renditions of chunk {chunk} are out of step")
    for rung in rungs:
        init = outdir / rung.name / hls.initialisation_segment(playlists[rung.name])
        storage.upload(init, storage.hls_key(video_id, hls.init_uri(rung.name, chunk)), content_type=MIME_TYPES[".mp4"])
        for segment in listed[rung.name]:
            uri = hls.segment_uri(rung.name, segment.number)
            storage.upload(outdir / uri, storage.hls_key(video_id, uri), content_type=MIME_TYPES[".m4s"])
    return listed[rungs[0].name]


def _publish(video: Video) -> None:
    """Write the AV1 rungs' VOD playlists (each chunk's segments after its own initialisation
    segment) and offer the rungs, with the CODECS read from their first segment."""
    rungs = rungs_for(ladder.rungs_from_json(video.rungs))
    jobs = [f"{PREFIX}{index}" for index in range(_chunk_count(video))]
    found = {job: made.segments for job, made in encoding_jobs.made_by(video.id, attempt=video.attempts, jobs=jobs).items()}
    segments, firsts = [], []
    for job in jobs:
        firsts.append(found[job][0][0])
        segments += [hls.Segment(number, duration) for number, duration in found[job]]
    codecs = {}
    for rung in rungs:
        maps = {first: hls.init_uri(rung.name, chunk) for chunk, first in enumerate(firsts)}
        storage.put_text(storage.hls_key(video.id, f"{rung.name}.m3u8"),
                         hls.media_playlist(rung.name, segments, complete=True, maps=maps), content_type=hls.MIME_TYPE)
        codecs[rung.name] = _codecs(video.id, rung.name, segments[0])
    offered = repository.add_av1(video.id, attempt=video.attempts, rungs=ladder.rungs_to_json(rungs),
                                 codecs=json.dumps(codecs))
    if offered is None:
        raise transcode.EncoderStopped("the video was deleted or published again")
    delivery.republish(offered)
    storage.delete(storage.upload_key(video.owner_id, video.id))
    log.info("AV1 renditions added", extra={"video_id": video.id, "rungs": len(rungs)})


def _codecs(video_id: str, folder: str, first: hls.Segment) -> str:
    """The rung's CODECS, read from its first segment as stored."""
    playlist = hls.media_playlist(folder, [first], complete=True, maps={first.number: hls.init_uri(folder, 0)})
    with tempfile.TemporaryDirectory(prefix=f"pettube-{video_id}-codecs-") as workdir:
        path = Path(workdir) / "first.m3u8"
        path.write_text(hls.signed(playlist, lambda uri: storage.presigned_get(storage.hls_key(video_id, uri))))
        return transcode.codecs_of(path)


def _give_up(video: Video) -> None:
    """End the video's AV1 renditions: remove what they stored, and the source."""
    try:
        storage.delete_prefix(storage.hls_key(video.id, PREFIX))
        storage.delete(storage.upload_key(video.owner_id, video.id))
    except Exception:
        log.exception("AV1 leftovers not removed", extra={"video_id": video.id})
