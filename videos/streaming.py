"""The HLS pipeline of one processing attempt (docs/STREAMING.md), run by the worker.

`encode` plans the ladder, starts the jobs (one per chunk of the video, one for the audio) and
runs the first chunk and the audio itself, publishing each segment to S3 as ffmpeg finishes it
and listing it in the video's item (from which the EVENT playlists are made), so the owner can
watch the start while the rest is encoding. Longer videos are cut into chunks on the segment grid
that run beside it (`videos/workers.py`: other Lambda invocations on AWS, threads driving their
own ffmpeg locally). Every job records its segments in
DynamoDB; the job that finishes last publishes the VOD playlists, the download MP4 and the
candidate posters (videos/thumbnails.py), and marks the video ready and listed
(videos/listings.py). A job notices within PROGRESS_EVERY seconds that its video was deleted (or
taken over by a newer attempt) and stops its ffmpeg.
"""

import logging
import math
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from videos import (av1, encoding_jobs, hls, ladder, listings, per_title, repository, signals, storage, storyboard,
                    thumbnails, transcode, webvtt, workers)
from videos.domain import EncodingPlan, Rendition, Video

log = logging.getLogger("pettube.videos")

# Videos longer than this are encoded in chunks of CHUNK_SECONDS in parallel (a multiple of the
# segment length, so chunk boundaries are segment boundaries).
CHUNKED_ABOVE_SECONDS = 120
CHUNK_SECONDS = 15 * ladder.SEGMENT_SECONDS
PROGRESS_EVERY = 2.0
# How often a job looks for segments ffmpeg has finished (a few file reads: the first one is
# published at most this long after it is written).
SCAN_EVERY = 0.05
AUDIO = hls.AUDIO
# What a job keeps back from its time budget to publish what it made.
FINISHING_SECONDS = 30
# S3 writes in flight at once: a job's new segments (every rung's), and the publish step's (the
# MP4, the VOD playlists, the posters).
UPLOADS_AT_ONCE = 8


@dataclass
class Job:
    """One ffmpeg process of the attempt and what of its output is already in S3."""

    name: str  # "v<chunk index>" or "audio"
    folders: list[str]  # the rungs it encodes, or ["audio"]
    outdir: Path
    encoder: transcode.Encoder
    live: bool  # players can fetch its segments while it runs (the first chunk and the audio)
    tiles: storyboard.Tiles | None = None  # a video job's storyboard tiles
    published: dict[str, list[hls.Segment]] = field(default_factory=dict)

    @property
    def is_video(self) -> bool:
        return self.name != AUDIO

    def has_segments(self) -> bool:
        return all(self.published.get(folder) for folder in self.folders)


def plan(probe: transcode.Probe, *, source_size: int) -> EncodingPlan:
    """The ladder (per title, from the probe's sample: videos/per_title.py) and the chunks for a source."""
    rungs = per_title.fit(ladder.choose_rungs(probe.width, probe.height, probe.fps), list(probe.samples))
    chunk_seconds = CHUNK_SECONDS if probe.duration > CHUNKED_ABOVE_SECONDS else _whole(probe.duration)
    chunks = max(1, math.ceil(probe.duration / chunk_seconds))
    return EncodingPlan(
        duration=round(probe.duration, 3),
        source_fps=probe.fps,
        rungs=ladder.rungs_to_json(rungs),
        has_audio=probe.has_audio,
        chunk_seconds=chunk_seconds,
        jobs=chunks + (1 if probe.has_audio else 0),
        source_size=source_size,
    )


def _whole(duration: float) -> int:
    """One chunk for the whole video: its length in segments, rounded up, plus slack so that the
    duration limit is enforced on what is decoded, not on what the header says."""
    return math.ceil(max(duration, settings.PETTUBE_MAX_DURATION_SECONDS + 1) / ladder.SEGMENT_SECONDS) * (
        ladder.SEGMENT_SECONDS
    )


def encode(video: Video, plan_: EncodingPlan, *, source: str, time_left: Callable[[], float],
           run_chunk: Callable[[int], None]) -> None:
    """Run an attempt: record its plan, start the other chunks beside this job, encode the first
    chunk and the audio here while publishing them live, and publish the video when the last job
    is done (here or elsewhere). `run_chunk(index)` runs a chunk where chunks run in this process
    (off Lambda; videos/workers.py). Returns once this worker's jobs are done (locally, once all are)."""
    if repository.start_encoding(video.id, attempt=video.attempts, plan=plan_) is None:
        raise transcode.EncoderStopped("the video was deleted or another attempt owns it")
    gate, wait_for_others = workers.Gate(), lambda: None
    try:
        wait_for_others = workers.dispatch_chunks(video.id, attempt=video.attempts,
                                                  indexes=range(1, _chunk_count(plan_)), run_here=run_chunk, gate=gate)
        with tempfile.TemporaryDirectory(prefix=f"pettube-{video.id}-") as workdir:
            jobs = [_video_job(video, plan_, 0, source=source, workdir=Path(workdir), time_left=time_left, live=True)]
            if plan_.has_audio:
                jobs.append(_audio_job(source, plan_, Path(workdir), time_left=time_left))
            _run(video.id, video.attempts, jobs, duration=plan_.duration, on_playable=gate.open)
            for job in jobs:
                _finish(video.id, video.attempts, job, here=jobs)
    except BaseException:
        gate.close()  # the attempt ends here: chunks that have not begun never will
        raise
    finally:
        gate.open()
        wait_for_others()


def encode_chunk(video: Video, *, index: int, time_left: Callable[[], float]) -> None:
    """Run chunk `index` of the video's current attempt (dispatched by `encode`), and publish
    the video if it is the last job to finish."""
    attempt = video.attempts
    plan_ = video.plan
    source = storage.presigned_source(storage.upload_key(video.owner_id, video.id))
    with tempfile.TemporaryDirectory(prefix=f"pettube-{video.id}-{index}-") as workdir:
        job = _video_job(video, plan_, index, source=source, workdir=Path(workdir), time_left=time_left, live=False,
                         background=True)
        _run(video.id, attempt, [job], duration=plan_.duration)
        _finish(video.id, attempt, job, here=[job])


def _chunk_count(plan_: EncodingPlan) -> int:
    return plan_.jobs - (1 if plan_.has_audio else 0)


def _video_job(video: Video, plan_: EncodingPlan, index: int, *, source: str, workdir: Path,
               time_left: Callable[[], float], live: bool, background: bool = False) -> Job:
    rungs = ladder.rungs_from_json(plan_.rungs)
    start = index * plan_.chunk_seconds
    length = plan_.chunk_seconds
    if index == _chunk_count(plan_) - 1:  # the last chunk stops where the duration limit does
        length = max(length, settings.PETTUBE_MAX_DURATION_SECONDS + 1 - start)
    outdir = workdir / f"v{index}"
    for rung in rungs:
        (outdir / rung.name).mkdir(parents=True)
    width, height = storyboard.tile_size(rungs[0].width, rungs[0].height)
    tiles = storyboard.Tiles(outdir / storyboard.FOLDER, start=start, interval=storyboard.interval(plan_.duration),
                             width=width, height=height)
    tiles.folder.mkdir()
    command = transcode.ladder_command(source, outdir, rungs, start=start, length=length, fps=plan_.source_fps,
                                       tap=tiles)
    return Job(name=f"v{index}", folders=[rung.name for rung in rungs], outdir=outdir, live=live, tiles=tiles,
               encoder=transcode.Encoder(command, timeout=_budget(time_left), background=background))


def _audio_job(source: str, plan_: EncodingPlan, workdir: Path, *, time_left: Callable[[], float]) -> Job:
    outdir = workdir / AUDIO
    (outdir / AUDIO).mkdir(parents=True)
    command = transcode.audio_command(source, outdir, length=settings.PETTUBE_MAX_DURATION_SECONDS + 1)
    return Job(name=AUDIO, folders=[AUDIO], outdir=outdir, live=True,
               encoder=transcode.Encoder(command, timeout=_budget(time_left), background=True))


def _budget(time_left: Callable[[], float]) -> float:
    budget = time_left() - FINISHING_SECONDS
    if budget <= 0:
        raise transcode.EncoderInterrupted("no time left in this worker")
    return budget


def _run(video_id: str, attempt: int, jobs: list[Job], *, duration: float,
         on_playable: Callable[[], None] = lambda: None) -> None:
    """Drive the jobs to their end: publish segments as they are finished, report progress and
    what a player can fetch (at once when it grew; `on_playable` once the start is watchable),
    and stop every ffmpeg when the video is gone."""
    reported, last_report, shown = 0.0, time.monotonic(), None
    live = [job for job in jobs if job.live]

    def report(final: bool = False) -> None:
        nonlocal reported, last_report, shown
        encoded = sum(job.encoder.encoded_seconds for job in jobs if job.is_video)
        watchable = _watchable(live)
        if final or watchable != shown or time.monotonic() - last_report >= PROGRESS_EVERY:
            playable = bool(live) and all(job.has_segments() for job in live)
            if not repository.record_progress(
                video_id, attempt=attempt, encoded_seconds=encoded - reported, playable=playable,
                live_segments=watchable if watchable != shown else None,
            ):
                for job in jobs:
                    job.encoder.stop()
            elif playable:
                on_playable()
            reported, last_report, shown = encoded, time.monotonic(), watchable

    uploads = ThreadPoolExecutor(UPLOADS_AT_ONCE, thread_name_prefix=f"live-{video_id}")
    try:
        while any(job.encoder.running() for job in jobs):
            for job in jobs:  # each job's new segments are reported before the next job's are uploaded
                _publish_new_segments(video_id, job, uploads)
                report()
            time.sleep(SCAN_EVERY)
        for job in jobs:
            job.encoder.wait()
        for job in jobs:
            _publish_new_segments(video_id, job, uploads)
        report(final=True)
        for job in jobs:
            job.encoder.wait()  # raises EncoderStopped if the last report found the video gone
    finally:
        uploads.shutdown()
        for job in jobs:
            job.encoder.stop()


def _publish_new_segments(video_id: str, job: Job, uploads: ThreadPoolExecutor) -> None:
    """Upload the segments ffmpeg finished since the last look, every rung's at once (the first
    segment of each is what the owner waits for)."""
    new = []
    for folder in job.folders:
        playlist = job.outdir / folder / "index.m3u8"
        if playlist.exists():
            done = job.published.setdefault(folder, [])
            new += [(folder, segment) for segment in hls.finished_segments(playlist.read_text())[len(done):]]

    def upload(found: tuple[str, hls.Segment]) -> None:
        folder, segment = found
        storage.upload(job.outdir / folder / f"{segment.number:05d}.ts",
                       storage.hls_key(video_id, hls.segment_uri(folder, segment.number)), content_type="video/mp2t")

    list(uploads.map(upload, new))  # all in S3 (or the first error raised) before any is listed
    for folder, segment in new:
        job.published[folder].append(segment)


def _watchable(live: list[Job]) -> dict[str, list[float]] | None:
    """What of the live jobs' output is in S3 for a player (repository.record_progress's
    `live_segments`): the durations of the segments every rung has, and of the audio's."""
    if not live:
        return None
    watchable = {}
    for job in live:
        count = min(len(job.published.get(folder, [])) for folder in job.folders)
        watchable[hls.VIDEO if job.is_video else AUDIO] = [
            segment.duration for segment in job.published.get(job.folders[0], [])[:count]
        ]
    return watchable


def _finish(video_id: str, attempt: int, job: Job, *, here: list[Job]) -> None:
    """Record what the job made; the job that finishes last publishes the video (`here`: the
    jobs of this worker, whose segments are still on its disk)."""
    counts = {len(job.published.get(folder, [])) for folder in job.folders}
    if len(counts) != 1:
        raise transcode.EncoderInterrupted(f"the renditions of {job.name} are out of step: {sorted(counts)}")
    segments = [(segment.number, segment.duration) for segment in job.published.get(job.folders[0], [])]
    encoding_jobs.record(video_id, attempt=attempt, job=job.name, segments=segments, tiles=_publish_tiles(video_id, job))
    video = repository.count_job_done(video_id, attempt=attempt)
    if video is None:
        raise transcode.EncoderStopped("the video was deleted or another attempt owns it")
    if video.jobs_done == video.jobs:
        publish(video, here=here)


def _publish_tiles(video_id: str, job: Job) -> int:
    """Store the job's storyboard sprite; returns how many tiles it holds."""
    if job.tiles is None:
        return 0
    if count := job.tiles.count():
        sprite = job.outdir / f"{job.name}.webp"
        transcode.join_tiles(job.tiles.folder, sprite, count=count, columns=storyboard.columns(count))
        storage.upload(sprite, storage.media_key(video_id, storyboard.image_uri(job.name)),
                       content_type=storyboard.SPRITE_TYPE)
    return count


def _storyboard(plan_: EncodingPlan, made: dict[str, encoding_jobs.Made], chunks: list[str], *,
                duration: float) -> str | None:
    """The storyboard's WebVTT from the tiles every video job made (None when none made any)."""
    rungs = ladder.rungs_from_json(plan_.rungs)
    width, height = storyboard.tile_size(rungs[0].width, rungs[0].height)
    sheets = [storyboard.Sheet(uri=storyboard.image_uri(chunk), start=index * plan_.chunk_seconds,
                               count=made[chunk].tiles) for index, chunk in enumerate(chunks) if chunk in made]
    if not any(sheet.count for sheet in sheets):
        return None
    return storyboard.vtt(sheets, interval=storyboard.interval(plan_.duration), width=width, height=height,
                          duration=duration)


def publish(video: Video, *, here: list[Job]) -> Video:
    """Join what every job of the video's attempt made (`video` as the last job to finish left
    it; `here`, the jobs of this worker): VOD playlists per rung, the download MP4 (a remux of one
    rung and the audio, no second encode, from this worker's disk where it can), the poster and
    the storyboard's WebVTT;
    then mark the video ready. Raises TranscodeError when what was decoded breaks the limits or
    is mostly missing."""
    video_id, attempt, plan_ = video.id, video.attempts, video.plan
    rungs = ladder.rungs_from_json(plan_.rungs)
    chunks = [f"v{index}" for index in range(_chunk_count(plan_))]
    made = encoding_jobs.made_by(video_id, attempt=attempt, jobs=chunks + ([AUDIO] if plan_.has_audio else []))
    found = {job: made[job].segments for job in made}
    segments = [hls.Segment(number, duration) for chunk in chunks for number, duration in found.get(chunk, [])]
    duration = sum(segment.duration for segment in segments)
    _check_decoded(duration, expected=plan_.duration)
    playlists = {rung.name: hls.media_playlist(rung.name, segments, complete=True) for rung in rungs}
    if plan_.has_audio:
        audio = [hls.Segment(number, length) for number, length in found.get(AUDIO, [])]
        playlists[AUDIO] = hls.media_playlist(AUDIO, audio, complete=True)

    def locate(uri: str) -> str:
        """Where ffmpeg reads a segment: from this worker's disk, or from S3."""
        for job in here:
            if (job.outdir / uri).is_file():
                return str(job.outdir / uri)
        return storage.presigned_get(storage.hls_key(video_id, uri))

    with tempfile.TemporaryDirectory(prefix=f"pettube-{video_id}-publish-") as workdir, \
            ThreadPoolExecutor(UPLOADS_AT_ONCE, thread_name_prefix=f"publish-{video_id}") as uploads:
        workdir = Path(workdir)
        video_path = workdir / "video.mp4"
        mp4_rung, joined = ladder.mp4_rung(rungs).name, {}
        for name in [mp4_rung, *([AUDIO] if plan_.has_audio else [])]:
            joined[name] = workdir / f"{name}.m3u8"
            joined[name].write_text(hls.signed(playlists[name], locate))
        transcode.remux_mp4(joined[mp4_rung], joined.get(AUDIO), video_path, timeout=300)
        video_key = storage.media_key(video_id, "video.mp4")
        stored = [uploads.submit(storage.upload, video_path, video_key, content_type="video/mp4")]
        stored += [uploads.submit(storage.put_text, storage.hls_key(video_id, f"{name}.m3u8"), text,
                                  content_type=hls.MIME_TYPE) for name, text in playlists.items()]
        seek_previews = _storyboard(plan_, made, chunks, duration=duration)
        storyboard_key = storage.media_key(video_id, storyboard.VTT_NAME) if seek_previews else None
        if seek_previews:
            stored.append(uploads.submit(storage.put_text, storyboard_key, seek_previews, content_type=webvtt.MIME_TYPE))
        frames = thumbnails.candidates(video_path, workdir, ladder.just_after_keyframes(thumbnails.spread(duration)))
        stored += [uploads.submit(storage.upload, image, storage.media_key(video_id, image.name),
                                  content_type=thumbnails.MIME_TYPE)
                   for frame in frames for image in (frame.poster, frame.card, frame.wide_card)]
        for upload in stored:
            upload.result()
        poster = frames[thumbnails.sharpest(frames)]
        top = rungs[-1]
        rendition = Rendition(
            duration=round(duration, 3), width=top.width, height=top.height, source_size=plan_.source_size,
            video_size=video_path.stat().st_size, poster_size=poster.poster.stat().st_size,
            video_key=video_key, poster_key=storage.media_key(video_id, poster.poster.name),
            card_key=storage.media_key(video_id, poster.card.name), thumbnails=len(frames),
            storyboard_key=storyboard_key, wide_card_width=thumbnails.WIDE_CARD_WIDTH,
        )
    ready = listings.mark_ready(video_id, rendition=rendition, read=video)
    if ready is None:
        raise transcode.EncoderStopped("the video was deleted while it was published")
    signals.video_ready.send(sender=publish, video=ready)
    av1.after_ready(ready)  # then deletes the source
    log.info("ready", extra={"video_id": video_id, "duration": rendition.duration, "rungs": len(rungs),
                             "chunks": len(chunks)})
    return ready


def too_long() -> transcode.TranscodeError:
    limit = settings.PETTUBE_MAX_DURATION_SECONDS
    words = f"{limit // 60} minutes" if limit % 60 == 0 else f"{limit} seconds"
    return transcode.TranscodeError(f"The video is longer than {words}.")


def _check_decoded(duration: float, *, expected: float) -> None:
    if duration > settings.PETTUBE_MAX_DURATION_SECONDS + 0.5:
        raise too_long()
    if duration <= 0:
        raise transcode.TranscodeError("We could not decode this video (it may be damaged or incomplete).")
    if duration < 0.5 * expected:
        raise transcode.TranscodeError("The file seems to be incomplete: part of the video is missing.")
