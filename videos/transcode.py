"""Probe and encode videos with ffmpeg. Knows nothing of Django or AWS.

The ffmpeg binary comes from the imageio-ffmpeg wheel (or FFMPEG_BINARY, as on Lambda where a
layer provides it). That build has no ffprobe, so probing reads the stream summary ffmpeg
prints for its input. Sources are a local path or an HTTP(S) URL (a presigned GET): ffmpeg
reads what it needs with range requests, so encoding starts without downloading the file.

The encode is an HLS ladder (docs/STREAMING.md): one ffmpeg process decodes the source once and
`split`s every frame into one scaled H.264 rendition per rung, cut into MPEG-TS segments on a
fixed keyframe grid (a lead segment of LEAD_SECONDS, then SEGMENT_SECONDS each), so segment n of
every rung covers the same time.
Audio is encoded once by its own process into its own rendition. A job may cover one time range
(a chunk) of the source; chunks cut on the same grid join into one playlist.
"""

import errno
import math
import os
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from videos.ladder import AUDIO_BITRATE, LEAD_SECONDS, SEGMENT_SECONDS, Rung, segment_at

MAX_FPS = 60
# Every job's timestamps are shifted by this much, so that none starts negative (x264 gives the
# first frames a decoding time before zero, which the muxer would shift for the first chunk only
# and so put it out of step with the others).
TIMELINE_OFFSET = 10
IMAGE_FORMATS = {"image2", "gif", "apng", "webp"}
PRESET = "veryfast"
# x264's options over PRESET: no scene cuts (keyframes only on the segment grid), and trellis
# quantization on each macroblock's final encode, which `veryfast` turns off and x264's `medium`
# and slower keep. Measured on bench/ladder_quality.py's clips: one CRF step higher with it gives
# the same VMAF or better for 7-48 % fewer bytes, for 6-10 % more CPU (0.06 s on the lead segment).
X264_PARAMS = "scenecut=0:trellis=1"
# The compressibility sample (probe(sample=True), videos/per_title.py): the video's first half
# second at each ladder size.
SAMPLE_SECONDS = 0.5
SAMPLE_SIDES = (360, 720, 1080)
SAMPLE_CRF = 26
# Frames on which each sample size is compared with the next smaller one scaled up (Sample.upscaled_ssim_db).
COMPARED_FRAMES = 3
# The storyboard sprites' WebP quality (the tiles are 160 px previews under a moving pointer).
SPRITE_QUALITY = 60
# SVT-AV1's speed (0 slowest … 13): 8 is its own default for video on demand at a sensible cost.
AV1_PRESET = 8
# What ffmpeg says when it could not read a URL source: the storage's fault, not the file's.
_NETWORK_TROUBLE = ("Server returned", "Connection refused", "Connection timed out", "Connection reset",
                    "Network is unreachable", "Failed to resolve", "I/O error")


class TranscodeError(Exception):
    """The input is not a video we can publish. The message is for the uploader to read."""


class EncoderInterrupted(Exception):
    """ffmpeg ran out of time, was killed or could not read its source. Not the input's fault:
    the work can be retried."""


class EncoderStopped(Exception):
    """The caller stopped ffmpeg on purpose (the video was deleted, or another attempt owns it)."""


@dataclass(frozen=True)
class Probe:
    container: str
    duration: float | None
    codec: str
    pixel_format: str
    width: int  # as displayed, after rotation
    height: int
    rotation: int
    has_audio: bool
    fps: float | None = None
    # A fast encode of the start at short sides 360, 720 and 1080, never above the source's
    # (probe(sample=True)); empty when not asked for or when nothing could be encoded.
    samples: tuple["Sample", ...] = ()


@dataclass(frozen=True)
class Sample:
    """The probe's sample encode at one size: the bits per second it took, and the SSIM (dB)
    x264 measured on what it made; and (`upscaled_ssim_db`, None for the smallest size) the SSIM
    of the picture at this size against the next smaller size's scaled up to it: high (inf for
    a flat picture) when this size shows no detail the smaller one lacks."""

    bitrate: float
    ssim_db: float
    upscaled_ssim_db: float | None = None


def ffmpeg_binary() -> str:
    if binary := os.environ.get("FFMPEG_BINARY"):
        return binary
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


# --- probing ------------------------------------------------------------------------------------

_INPUT = re.compile(r"^Input #0, ([^ ]+), from", re.M)
_DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_VIDEO = re.compile(
    r"^\s*Stream #0:\d+\S*: Video: (?P<codec>\w+)[^,\n]*, (?:(?P<pixels>\w+)(?:\([^)]*\))?, )?"
    r"(?P<width>\d{1,5})x(?P<height>\d{1,5})(?P<rest>[^\n]*)",
    re.M,
)
_FPS = re.compile(r", (\d+(?:\.\d+)?k?) (?:fps|tbr)")
_AUDIO = re.compile(r"^\s*Stream #0:\d+\S*: Audio: ", re.M)
_SSIM = re.compile(r"\] SSIM Mean Y:[0-9.]+ \(\s*([0-9.]+|inf)db\)")
_UPSCALED_SSIM = re.compile(r"\[ssim@up(\d+) @ [^\]]+\] SSIM .*All:[0-9.]+ \(([0-9.]+|inf)\)")
_TRACED = re.compile(r"^\[trace_headers @ [^\]]+\] +\d+ +(\S+) +[01]+ = (\d+)$", re.M)
_ROTATION = re.compile(r"[Dd]isplay ?[Mm]atrix: rotation of (-?\d+(?:\.\d+)?) degrees")


def probe(source: Path | str, *, timeout: float = 60, sample: bool = False) -> Probe:
    """Read container, duration, first video stream, frame rate and rotation; raise
    TranscodeError when the source holds no video a person could watch. With `sample`, the same
    process (one read of the source's header, no second connection) also measures how hard the
    video is to compress at each ladder size (`Probe.samples`, videos/per_title.py)."""
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", *_input(source)]
    with tempfile.TemporaryDirectory(prefix="pettube-sample-") as samples:
        if sample:
            command += _sample_outputs(Path(samples))
        result = _run(command, timeout=timeout)
        measured = _samples(Path(samples), result.stderr) if sample else ()
    if result.returncode < 0:
        raise EncoderInterrupted(f"ffmpeg was killed by signal {-result.returncode}")
    if "No space left on device" in result.stderr:
        raise OSError(errno.ENOSPC, "ffmpeg: no space left on device")
    summary = result.stderr.partition("\nOutput #0")[0]
    container = _INPUT.search(summary)
    if not container:
        if _is_url(source) and any(marker in summary for marker in _NETWORK_TROUBLE):
            raise EncoderInterrupted(f"could not read the source: {_last_line(summary)}")
        if not _is_url(source) and Path(source).stat().st_size == 0:
            raise TranscodeError("The file is empty.")
        raise TranscodeError("This file is not a video we can read (it may be damaged or incomplete).")
    video = _VIDEO.search(summary)
    if not video:
        raise TranscodeError("This file has no video in it.")
    container_name = container.group(1)
    if container_name in IMAGE_FORMATS or container_name.endswith("_pipe"):
        raise TranscodeError("This is a still image, not a video.")
    duration = _DURATION.search(summary)
    seconds = int(duration[1]) * 3600 + int(duration[2]) * 60 + float(duration[3]) if duration else None
    rotation = _ROTATION.search(summary[video.start():])
    degrees = round(float(rotation[1])) % 360 if rotation else 0
    width, height = int(video["width"]), int(video["height"])
    if degrees in (90, 270):
        width, height = height, width
    return Probe(
        container=container_name,
        duration=seconds,
        codec=video["codec"],
        pixel_format=video["pixels"] or "",
        width=width,
        height=height,
        rotation=degrees,
        has_audio=bool(_AUDIO.search(summary)),
        fps=_frame_rate(video["rest"]),
        samples=measured,
    )


def _sample_outputs(directory: Path) -> list[str]:
    """Outputs encoding the first SAMPLE_SECONDS at each ladder size (short side 360, 720 and
    1080, never above the source's) with a fast constant quality, one file each: the bytes each
    takes say how hard the video is to compress at that size (fine texture and noise cost bits
    at 1080 lines and little at 360; flat colour costs little at any size)."""
    graph = f"[0:v:0]split={len(SAMPLE_SIDES)}" + "".join(f"[s{side}]" for side in SAMPLE_SIDES)
    for side in SAMPLE_SIDES:
        graph += (f";[s{side}]scale=w='if(gte(iw,ih),-2,min({side},iw))':h='if(gte(iw,ih),min({side},ih),-2)'"
                  f":flags=bilinear,split=3[o{side}][lo{side}][hi{side}]")
    # Each size against the next smaller one scaled up to it (as a player would show it).
    compared = []
    for smaller, side in zip(SAMPLE_SIDES, SAMPLE_SIDES[1:], strict=False):
        graph += (f";[lo{smaller}]trim=end_frame={COMPARED_FRAMES}[lt{side}];[hi{side}]trim=end_frame={COMPARED_FRAMES}[ht{side}]"
                  f";[lt{side}][ht{side}]scale2ref=flags=bicubic[up{side}][at{side}]"
                  f";[up{side}][at{side}]ssim@up{side}[q{side}]")
        compared.append(side)
    graph += f";[hi{SAMPLE_SIDES[0]}]nullsink;[lo{SAMPLE_SIDES[-1]}]nullsink"
    outputs = ["-filter_complex", graph]
    for side in SAMPLE_SIDES:
        outputs += ["-map", f"[o{side}]", "-t", str(SAMPLE_SECONDS), "-c:v", "libx264", "-preset", "ultrafast",
                    "-crf", str(SAMPLE_CRF), "-ssim", "1", "-threads", "1", "-f", "h264", "-y",
                    str(directory / f"{side}.h264")]
    for side in compared:  # whether a size shows more detail is a property of a frame, not of motion: a few will do
        outputs += ["-map", f"[q{side}]", "-f", "null", "-"]
    return outputs


def _samples(directory: Path, log: str) -> tuple[Sample, ...]:
    """What each sample output measured. x264 prints its SSIM when it closes, and ffmpeg closes
    the encoders in the order of their outputs."""
    files = [directory / f"{side}.h264" for side in SAMPLE_SIDES]
    scores = _SSIM.findall(log)
    if len(scores) != len(files) or not all(file.exists() and file.stat().st_size for file in files):
        return ()
    upscaled = {int(side): float(score) for side, score in _UPSCALED_SSIM.findall(log)}
    return tuple(Sample(bitrate=file.stat().st_size * 8 / SAMPLE_SECONDS, ssim_db=float(score),
                        upscaled_ssim_db=upscaled.get(side))
                 for side, file, score in zip(SAMPLE_SIDES, files, scores, strict=True))


def _frame_rate(stream_line: str) -> float | None:
    match = _FPS.search(stream_line)
    if not match:
        return None
    value = match[1]
    return float(value[:-1]) * 1000 if value.endswith("k") else float(value)


# --- the ladder -----------------------------------------------------------------------------------


class Tap(Protocol):
    """Another output made from the smallest rung's frames, in the same process (the storyboard's
    tiles, videos/storyboard.py)."""

    def branch(self, label: str) -> str: ...

    def output(self) -> list[str]: ...


def ladder_command(source: Path | str, outdir: Path, rungs: list[Rung], *, start: float, length: float,
                   fps: float | None, tap: Tap | None = None) -> list[str]:
    """ffmpeg encoding `length` seconds of the source's video from `start` (0 or a multiple of
    SEGMENT_SECONDS) into every rung at once (`rungs` smallest first): one decode, then a cascade
    of fixed-size `scale`s, top rung first, each rung scaled from the one above it (every frame is
    capped to the rung's size, whatever the stream's headers said), frame rate capped at
    MAX_FPS, keyframes on the segment grid and nowhere else, segments numbered and timestamped as
    that part of the whole video's. Writes `<outdir>/<rung>/index.m3u8` and its segments, and
    what `tap` makes of the smallest rung's frames."""
    command = _decode_and_scale(source, rungs, start=start, length=length, fps=fps, tap=tap)
    threads = encoder_threads(rungs)
    for i, rung in enumerate(rungs):
        command += ["-map", f"[v{i}]", f"-crf:v:{i}", str(rung.crf),
                    f"-maxrate:v:{i}", str(rung.maxrate), f"-bufsize:v:{i}", str(2 * rung.maxrate),
                    f"-level:v:{i}", rung.level,
                    f"-threads:v:{i}", str(threads[i])]
    return command + [
        "-c:v", "libx264", "-preset", PRESET, "-profile:v", "high",
        "-force_key_frames", _keyframes(lead=start == 0), "-sc_threshold", "0",
        "-x264-params", X264_PARAMS,
        *_rungs_output(outdir, rungs, start=start, segment_type="mpegts"),
    ] + (tap.output() if tap else [])


def av1_ladder_command(source: Path | str, outdir: Path, rungs: list[Rung], *, start: float, length: float,
                       fps: float | None) -> list[str]:
    """The same ladder in AV1 (SVT-AV1 at AV1_PRESET, each rung's `crf` on AV1's scale and
    `maxrate` as its cap) in fMP4 segments on the same grid: `<outdir>/<rung>/index.m3u8`, its
    `init.mp4` and its `.m4s` segments."""
    command = _decode_and_scale(source, rungs, start=start, length=length, fps=fps)
    for i, rung in enumerate(rungs):
        command += ["-map", f"[v{i}]", f"-crf:v:{i}", str(rung.crf),
                    f"-svtav1-params:v:{i}", f"mbr={rung.maxrate // 1000}:lp={encoder_threads(rungs)[i]}"]
    return command + [
        "-c:v", "libsvtav1", "-preset", str(AV1_PRESET), "-force_key_frames", _keyframes(lead=start == 0),
        *_rungs_output(outdir, rungs, start=start, segment_type="fmp4"),
    ]


def _decode_and_scale(source: Path | str, rungs: list[Rung], *, start: float, length: float,
                      fps: float | None, tap: Tap | None = None) -> list[str]:
    """ffmpeg's input and the cascade of scales (one output `[v<i>]` per rung, and `[tap]` for
    `tap` from the smallest rung's frames)."""
    chain = "format=yuv420p"
    if fps is None or fps > MAX_FPS:
        chain = f"fps={MAX_FPS}," + chain
    graph, below = [], f"[0:v:0]{chain},"
    for i in reversed(range(len(rungs))):
        rung = rungs[i]
        fanout = f",split=2[v{i}][from{i}]" if i else (",split=2[v0][tap]" if tap else "[v0]")
        graph.append(f"{below}scale={rung.width}:{rung.height}:flags=bicubic,setsar=1{fanout}")
        below = f"[from{i}]"
    if tap:
        graph.append(tap.branch("[tap]"))
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
               "-progress", "pipe:1"]
    if start:
        command += ["-ss", f"{start:.3f}"]
    return command + ["-t", f"{length:.3f}", *_input(source), "-filter_complex", ";".join(graph)]


def _rungs_output(outdir: Path, rungs: list[Rung], *, start: float, segment_type: str) -> list[str]:
    return [
        "-map_metadata", "-1",
        # The muxer cuts at the first keyframe once a segment is LEAD_SECONDS long: at every keyframe.
        *_hls_output(outdir, first_segment=segment_at(start), start=start, segment_seconds=LEAD_SECONDS,
                     segment_type=segment_type),
        "-var_stream_map", " ".join(f"v:{i},name:{rung.name}" for i, rung in enumerate(rungs)),
        str(outdir / "%v" / "index.m3u8"),
    ]


def encoder_threads(rungs: list[Rung], cores: int | None = None) -> list[int]:
    """Threads for each rung's x264: its share of the cores, by pixels, at least one. The rungs'
    encoders run side by side in one process, so each needs only its share; a lone rung gets
    every core. Left to x264 (1.5 threads a core, as if each encoder were alone) they
    oversubscribe the cores: 9 frame threads and 3 look-ahead threads on 2 cores for the 1080p
    ladder, measured slower here (docs/STREAMING.md)."""
    cores = cores or _cores()
    pixels = [rung.width * rung.height for rung in rungs]
    return [max(1, math.ceil(cores * share / sum(pixels))) for share in pixels]


def _cores() -> int:
    """The cores this process may run on (all of the machine's where Python cannot tell, as on macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def audio_command(source: Path | str, outdir: Path, *, length: float) -> list[str]:
    """ffmpeg encoding the source's first audio stream once, to stereo AAC segments in
    `<outdir>/audio/`."""
    return [
        ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
        "-t", f"{length:.3f}", *_input(source),
        "-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", str(AUDIO_BITRATE), "-ac", "2", "-map_metadata", "-1",
        *_hls_output(outdir, first_segment=0, start=0, segment_seconds=SEGMENT_SECONDS, name="audio"),
        str(outdir / "audio" / "index.m3u8"),
    ]


def _keyframes(*, lead: bool) -> str:
    """ffmpeg's -force_key_frames for the segment grid: every SEGMENT_SECONDS of the part
    encoded, and at LEAD_SECONDS too when it is the start of the video."""
    if not lead:
        return f"expr:gte(t,n_forced*{SEGMENT_SECONDS})"
    return f"expr:if(eq(n_forced,1),gte(t,{LEAD_SECONDS}),gte(t,max(n_forced-1,0)*{SEGMENT_SECONDS}))"


def _hls_output(outdir: Path, *, first_segment: int, start: float, segment_seconds: int,
                name: str = "%v", segment_type: str = "mpegts") -> list[str]:
    extension = "ts" if segment_type == "mpegts" else "m4s"
    return [
        "-output_ts_offset", f"{start + TIMELINE_OFFSET:.3f}",
        "-f", "hls", "-hls_time", str(segment_seconds), "-hls_playlist_type", "event", "-hls_list_size", "0",
        "-hls_segment_type", segment_type, "-hls_flags", "temp_file+independent_segments",
        *(["-hls_fmp4_init_filename", "init.mp4"] if segment_type == "fmp4" else []),
        "-start_number", str(first_segment),
        "-hls_segment_filename", str(outdir / name / f"%05d.{extension}"),
    ]


class Encoder:
    """One running ffmpeg process. Reads its `-progress` output in the background (how many
    seconds of output are encoded), can be stopped, and turns its end into an exception that
    says whose fault it was."""

    def __init__(self, command: list[str], *, timeout: float, background: bool = False):
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.encoded_seconds = 0.0
        self._stopped = False
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._errors, stdin=subprocess.DEVNULL)
        if background:
            # Before ffmpeg starts its threads (they inherit it): the job a viewer waits for,
            # running beside this one on the same machine, comes first.
            os.setpriority(os.PRIO_PROCESS, self._process.pid, 10)
        self._reader = threading.Thread(target=self._read_progress, daemon=True)
        self._reader.start()

    def _read_progress(self) -> None:
        for line in self._process.stdout:
            if line.startswith(b"out_time_us="):
                value = line.split(b"=", 1)[1].strip()
                if value.lstrip(b"-").isdigit():
                    self.encoded_seconds = max(self.encoded_seconds, int(value) / 1e6)

    def running(self) -> bool:
        if self._process.poll() is None and time.monotonic() > self.deadline:
            self._process.kill()
        return self._process.poll() is None

    def stop(self) -> None:
        self._stopped = True
        if self._process.poll() is None:
            self._process.kill()

    def wait(self) -> None:
        """Wait for the end; raise EncoderStopped, EncoderInterrupted or TranscodeError unless
        ffmpeg finished its work."""
        while self.running():
            time.sleep(0.1)
        self._reader.join(timeout=5)
        code = self._process.returncode
        if self._stopped:
            raise EncoderStopped("stopped")
        if time.monotonic() > self.deadline and code != 0:
            raise EncoderInterrupted(f"ffmpeg did not finish within {self.timeout:.0f} s")
        if code < 0:
            raise EncoderInterrupted(f"ffmpeg was killed by signal {-code}")
        if code != 0:
            self._errors.seek(0)
            errors = self._errors.read().decode(errors="replace")
            if "No space left on device" in errors:
                raise OSError(errno.ENOSPC, "ffmpeg: no space left on device")
            if any(marker in errors for marker in _NETWORK_TROUBLE):
                raise EncoderInterrupted(f"could not read the source: {_last_line(errors)}")
            raise TranscodeError("We could not decode this video (it may be damaged or incomplete).")


def remux_mp4(video_playlist: Path, audio_playlist: Path | None, output: Path, *, timeout: float) -> None:
    """Join a rung's segments (and the audio's) into one MP4 with faststart, without re-encoding.
    The playlists may point at local files or at URLs."""
    inputs = ["-protocol_whitelist", "file,http,https,tcp,tls,crypto", "-i", str(video_playlist)]
    maps = ["-map", "0:v:0"]
    if audio_playlist:
        inputs += ["-protocol_whitelist", "file,http,https,tcp,tls,crypto", "-i", str(audio_playlist)]
        maps += ["-map", "1:a:0"]
    result = _run(
        [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *inputs, *maps,
         "-c", "copy", "-movflags", "+faststart", str(output)],
        timeout=timeout,
    )
    if result.returncode != 0 or not output.exists():
        raise EncoderInterrupted(f"could not join the segments: {_last_line(result.stderr)}")


def codecs_of(source: Path | str, *, timeout: float = 60) -> str:
    """The video's CODECS for a master playlist (RFC 6381: `avc1.PPCCLL`, `av01.P.LLT.DD`), read
    from the bitstream's own headers (the H.264 SPS, the AV1 sequence header) of its first frame.
    `source` may be a media playlist (an fMP4 rendition with its initialisation segment)."""
    result = _run([ffmpeg_binary(), "-hide_banner", "-nostdin", "-protocol_whitelist", "file,http,https,tcp,tls,crypto",
                   "-i", str(source), "-map", "0:v:0", "-c", "copy", "-bsf:v", "trace_headers", "-frames:v", "1",
                   "-f", "null", "-"], timeout=timeout)
    fields = {}
    for name, value in _TRACED.findall(result.stderr):
        fields.setdefault(name, int(value))
    if "seq_profile" in fields:
        depth = 12 if fields.get("twelve_bit") else 10 if fields.get("high_bitdepth") else 8
        tier = "H" if fields.get("seq_tier[0]") else "M"
        return f"av01.{fields['seq_profile']}.{fields['seq_level_idx[0]']:02d}{tier}.{depth:02d}"
    if "profile_idc" in fields:
        constraints = sum(fields.get(f"constraint_set{bit}_flag", 0) << (7 - bit) for bit in range(6))
        return f"avc1.{fields['profile_idc']:02x}{constraints:02x}{fields['level_idc']:02x}"
    raise EncoderInterrupted(f"could not read the codec of {source}: {_last_line(result.stderr)}")


def vmaf(encoded: Path | str, source: Path | str, *, width: int, height: int, fps: float | None,
         seconds: float | None = None, timeout: float = 120) -> float:
    """VMAF (libvmaf's built-in model, every third frame) of `encoded` (a segment, or a media
    playlist), or of its first `seconds`, against the source's scaled to its size as the ladder
    scales them (frame rate capped at MAX_FPS)."""
    reference = f"scale={width}:{height}:flags=bicubic,setsar=1,setpts=PTS-STARTPTS"
    if fps is None or fps > MAX_FPS:
        reference = f"fps={MAX_FPS},{reference}"
    first = ["-t", f"{seconds:.3f}"] if seconds else []
    result = _run([ffmpeg_binary(), "-hide_banner", "-nostdin", "-protocol_whitelist", "file,http,https,tcp,tls,crypto",
                   *first, *_input(encoded), *first, *_input(source),
                   "-lavfi", f"[0:v]setpts=PTS-STARTPTS[encoded];[1:v]{reference}[reference];"
                             "[encoded][reference]libvmaf=n_threads=2:n_subsample=3",
                   "-f", "null", "-"], timeout=timeout)
    found = re.search(r"VMAF score: ([0-9.]+)", result.stderr)
    if found is None:
        raise EncoderInterrupted(f"could not score {encoded}: {_last_line(result.stderr)}")
    return float(found[1])


def join_tiles(folder: Path, output: Path, *, count: int, columns: int, timeout: float = 60) -> None:
    """Join the `count` JPEGs `<folder>/0000.jpg`… into one WebP image, `columns` across, row by row."""
    result = _run(
        [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-framerate", "1",
         "-start_number", "0", "-i", str(folder / "%04d.jpg"), "-vf", f"tile={columns}x{math.ceil(count / columns)}",
         "-frames:v", "1", "-c:v", "libwebp", "-quality", str(SPRITE_QUALITY), "-f", "webp", str(output)],
        timeout=timeout,
    )
    if result.returncode != 0 or not output.exists():
        raise EncoderInterrupted(f"could not join the tiles: {_last_line(result.stderr)}")


def _is_url(source: Path | str) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def _input(source: Path | str) -> list[str]:
    if _is_url(source):
        # S3 may drop a connection or answer 503 now and then: reconnect rather than fail.
        return ["-reconnect", "1", "-reconnect_on_network_error", "1", "-reconnect_on_http_error", "5xx",
                "-reconnect_delay_max", "4", "-rw_timeout", "30000000", "-i", source]
    return ["-i", str(source)]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _run(command: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise EncoderInterrupted(f"ffmpeg did not finish within {timeout:.0f} s") from error
