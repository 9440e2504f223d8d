"""The fixed ladder against PetTube's per-title ladder, scored with VMAF, on clips of different
difficulty made with ffmpeg (nothing binary in the repository).

Every clip is 1920x1080 at 30 fps (rungs 360p, 720p and 1080p, the ladder of a phone's upload),
CLIP_SECONDS long (the lead segment and one more), stored as a phone would (H.264 at a high
quality within a phone's bitrate), and is encoded with the worker's own ladder command
(`transcode.ladder_command`): with the fixed ladder (`ladder.choose_rungs`: CRF 23 and a cap per
rung) as PetTube encoded it before per-title ladders (x264 without trellis, BEFORE_X264_PARAMS),
the same with today's x264 options, and with the per-title ladder (`per_title.fit` on the
probe's sample). Each rung's segments
are scored with VMAF (ffmpeg's libvmaf, model v0.6.1) against the source scaled to the rung's
size, as bench/transcode.py does. Then the per-title ladder is encoded in AV1 (`transcode.av1_ladder_command`,
the worker's command for the AV1 renditions) and scored the same way.

    .venv/bin/python bench/ladder_quality.py [--clips still,flat]
Last line: bytes_saved=… vmaf_min=… av1_saved=… av1_extra_cpu=…
- bytes_saved: 1 - per-title bytes / fixed bytes (as before), every rung of every clip; the line
  before the last splits it into the x264 options' share and the per-title choice's;
- vmaf_min: the lowest per-title rung's VMAF;
- av1_saved: 1 - AV1 bytes / H.264 bytes (per-title) over the rungs where AV1 scores at least
  the H.264 rung's VMAF (less AV1_TOLERANCE); the rungs where it does not are listed, and each
  clip's line says whether the worker's check on the lead segment would offer its AV1 rungs;
- av1_extra_cpu: CPU seconds of the AV1 encodes / CPU seconds of the per-title H.264 encodes.
"""

import argparse
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import _setup

_setup.django_on_local_aws()

from videos import av1, hls, ladder, per_title, transcode  # noqa: E402

CLIP_SECONDS = 3
SIZE = "1920x1080"
# name: the lavfi source of 1280x720 frames at 30 fps, from easy to hard.
CLIPS = {
    # flat colours with moving shapes and sharp edges, as in a cartoon or a screen recording
    "flat": f"testsrc2=s={SIZE}:r=30",
    # a quiet scene: one frame held still, soft, with a little sensor noise (a cat on a sofa)
    "still": f"testsrc2=s={SIZE}:r=30,trim=end_frame=1,loop=loop=-1:size=1,gblur=sigma=2,noise=alls=5:allf=t:all_seed=1",
    # a detailed picture panning slowly
    "slow": "mandelbrot=s=960x540:r=30,trim=end_frame=1,loop=loop=-1:size=1,scale=3840:2160,"
            "scroll=h=0.0008:v=0.0004,crop=1920:1080",
    # grain over motion: a moving test card with film grain
    "grain": f"testsrc2=s={SIZE}:r=30,noise=alls=8:allf=t:all_seed=1",
    # fine texture moving fast (a dog running through grass)
    "fast": "color=0x507030:s=2400x1350:r=30,noise=alls=60:allf=u:all_seed=1,trim=end_frame=1,loop=loop=-1:size=1,"
            "gblur=sigma=0.8,scroll=h=0.01:v=0.004,crop=1920:1080",
}
AV1_TOLERANCE = 0.5
# The fixed ladder as PetTube encoded it before per-title ladders: CRF 23 and a cap per rung, x264
# `veryfast` without trellis quantization (transcode.X264_PARAMS added it). bytes_saved is measured
# against it; the same fixed ladder with today's x264 options is encoded too, and the line before
# the last tells the encoder's share from the per-title choice's.
BEFORE_X264_PARAMS = "scenecut=0"


@dataclass
class Scored:
    rung: ladder.Rung
    bytes: int
    vmaf: float


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", default=",".join(CLIPS))
    names = parser.parse_args().clips.split(",")
    workdir = Path(tempfile.mkdtemp(prefix="pettube-ladder-"))
    try:
        totals = {"fixed": 0, "fixed_now": 0, "per_title": 0, "av1": 0, "h264_matched": 0, "h264_cpu": 0.0, "av1_cpu": 0.0,
                  "fixed_kept": 0, "dropped": []}
        lowest, short_of_h264, below_90 = 100.0, [], []
        for name in names:
            source = make_clip(name, workdir)
            probe = transcode.probe(source, sample=True)
            fixed_rungs = ladder.choose_rungs(probe.width, probe.height, probe.fps)
            fixed, _ = encode_h264(source, fixed_rungs, workdir / f"{name}-fixed", probe, before=True)
            fixed_now, _ = encode_h264(source, fixed_rungs, workdir / f"{name}-fixed-now", probe)
            fitted, h264_cpu = encode_h264(source, per_title.fit(fixed_rungs, list(probe.samples)),
                                           workdir / f"{name}-per-title", probe)
            encoded, av1_cpu = encode_av1(source, [scored.rung for scored in fitted], workdir / f"{name}-av1", probe)
            report(name, fixed, fixed_now, fitted, encoded)
            print(f"{name}: AV1 {offered(source, fitted, encoded, workdir / f'{name}-per-title', workdir / f'{name}-av1', probe)}")
            totals["fixed"] += sum(scored.bytes for scored in fixed)
            totals["fixed_now"] += sum(scored.bytes for scored in fixed_now)
            totals["per_title"] += sum(scored.bytes for scored in fitted)
            totals["h264_cpu"] += h264_cpu
            totals["av1_cpu"] += av1_cpu
            lowest = min([lowest, *(scored.vmaf for scored in fitted)])
            fixed_of = {scored.rung.name: scored for scored in fixed}
            kept = {scored.rung.name for scored in fitted}
            totals["fixed_kept"] += sum(scored.bytes for scored in fixed if scored.rung.name in kept)
            totals["dropped"] += [f"{name} {scored.rung.name}" for scored in fixed if scored.rung.name not in kept]
            below_90 += [f"{name} {scored.rung.name}: {scored.vmaf:.1f} (fixed {fixed_of[scored.rung.name].vmaf:.1f})"
                         for scored in fitted if scored.vmaf < 90 and scored.rung.name in fixed_of]
            for h264, other in zip(fitted, encoded, strict=True):
                if other.vmaf >= h264.vmaf - AV1_TOLERANCE:
                    totals["av1"] += other.bytes
                    totals["h264_matched"] += h264.bytes
                else:
                    short_of_h264.append(f"{name} {h264.rung.name}: {other.vmaf:.1f} < {h264.vmaf:.1f}")
        print(f"per-title rungs below VMAF 90, against the fixed ladder's same rung: {below_90 or 'none'}")
        print(f"rungs the per-title ladder dropped (adding nothing to the rung below): {totals['dropped'] or 'none'}; "
              f"bytes saved on the rungs both ladders have: {1 - totals['per_title'] / totals['fixed_kept']:.3f}")
        print(f"AV1 rungs below the H.264 rung's VMAF (left out of av1_saved): {short_of_h264 or 'none'}")
        print(f"the encoder's share and the per-title choice's: the fixed ladder with today's x264 options "
              f"saves {1 - totals['fixed_now'] / totals['fixed']:.3f}; the per-title ladder saves "
              f"{1 - totals['per_title'] / totals['fixed_now']:.3f} against it")
        av1_saved = 1 - totals["av1"] / totals["h264_matched"] if totals["h264_matched"] else float("nan")
        print(f"bytes_saved={1 - totals['per_title'] / totals['fixed']:.3f} vmaf_min={lowest:.1f} "
              f"av1_saved={av1_saved:.3f} av1_extra_cpu={totals['av1_cpu'] / totals['h264_cpu']:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def make_clip(name: str, workdir: Path) -> Path:
    """The clip as a phone stores it: H.264 at a high quality (CRF 16) within 16 Mbit/s (a phone's 1080p)."""
    path = workdir / f"{name}.mp4"
    subprocess.run(
        [transcode.ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", CLIPS[name],
         "-t", str(CLIP_SECONDS), "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-maxrate", "16M",
         "-bufsize", "32M", "-pix_fmt", "yuv420p",
         str(path)],
        check=True,
    )
    return path


def encode_h264(source: Path, rungs: list[ladder.Rung], outdir: Path, probe: transcode.Probe, *,
                before: bool = False) -> tuple[list[Scored], float]:
    """The worker's ladder command on `rungs` (with the x264 options of before per-title ladders if `before`)."""
    for rung in rungs:
        (outdir / rung.name).mkdir(parents=True)
    command = transcode.ladder_command(source, outdir, rungs, start=0, length=CLIP_SECONDS, fps=probe.fps)
    if before:
        command[command.index(transcode.X264_PARAMS)] = BEFORE_X264_PARAMS
    cpu = run(command)
    return [score(source, rung, outdir / rung.name) for rung in rungs], cpu


def encode_av1(source: Path, rungs: list[ladder.Rung], outdir: Path, probe: transcode.Probe) -> tuple[list[Scored], float]:
    av1_rungs = av1.rungs_for(rungs)
    for rung in av1_rungs:
        (outdir / rung.name).mkdir(parents=True)
    command = transcode.av1_ladder_command(source, outdir, av1_rungs, start=0, length=CLIP_SECONDS, fps=probe.fps)
    cpu = run(command)
    return [score(source, rung, outdir / rung.name) for rung in av1_rungs], cpu


def offered(source: Path, h264: list[Scored], encoded: list[Scored], h264_dir: Path, av1_dir: Path,
            probe: transcode.Probe) -> str:
    """Whether the worker would offer these AV1 rungs: its check (videos/av1.py) on the lead segment."""
    for ours, other in zip(h264, encoded, strict=True):
        reason = av1.shortfall(av1_dir / other.rung.name / "index.m3u8", h264_dir / ours.rung.name / "index.m3u8",
                               source=source, rung=other.rung, fps=probe.fps)
        if reason:
            return f"not offered: {reason}"
    return "offered"


def run(command: list[str]) -> float:
    """Run an encode; the CPU seconds it took (user and system, every thread)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    transcode.Encoder(command, timeout=1800).wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def score(source: Path, rung: ladder.Rung, folder: Path) -> Scored:
    """The rung's bytes (its segments, and its initialisation segment if it has one) and its
    VMAF against the source scaled to its size."""
    size = sum(path.stat().st_size for path in folder.iterdir() if path.suffix in {".ts", ".m4s", ".mp4"})
    return Scored(rung=rung, bytes=size, vmaf=transcode.vmaf(folder / "index.m3u8", source, width=rung.width,
                                                            height=rung.height, fps=30, timeout=1800))


def report(name: str, fixed: list[Scored], fixed_now: list[Scored], fitted: list[Scored], encoded: list[Scored]) -> None:
    def rungs(scored: list[Scored]) -> str:
        return ", ".join(f"{item.rung.name} {item.bytes / 1e3:.0f} KB VMAF {item.vmaf:.1f}" for item in scored)

    print(f"{name}: fixed [{rungs(fixed)}]")
    print(f"{name}: fixed, today's x264 options [{rungs(fixed_now)}]")
    print(f"{name}: per-title [{rungs(fitted)}] "
          f"(CRF {'/'.join(str(item.rung.crf) for item in fitted)}, caps "
          f"{'/'.join(f'{item.rung.maxrate / 1e6:.2f}' for item in fitted)} Mbit/s)")
    print(f"{name}: AV1 [{rungs(encoded)}]", flush=True)


if __name__ == "__main__":
    main()
