"""Per-title ladders (videos/per_title.py): the probe's sample decides each rung's CRF and cap,
and drops a rung that adds nothing."""

import subprocess

import pytest

from videos import hls, ladder, per_title, transcode
from videos.transcode import Sample

FIXED = ladder.choose_rungs(1920, 1080, 30)
# What the probe's sample measured (bits per second at CRF 26, x264's SSIM in dB) at 360, 720, 1080
# lines, on bench/ladder_quality.py's flat-colour clip and its fine texture moving fast.
EASY = [Sample(331_000, 28.5), Sample(1_103_000, 32.0), Sample(2_263_000, 34.9)]
HARD = [Sample(610_000, 9.8), Sample(3_043_000, 10.0), Sample(31_812_000, 6.2)]
# The same clips' successors at 1080p (bench/ladder_quality.py, 2026-12-02): the still scene with
# slight sensor noise and the test card under film grain, and the fine texture moving fast.
NOISY_STILL = [Sample(314_000, 21.70), Sample(944_000, 18.72), Sample(8_109_000, 13.80)]
GRAIN = [Sample(790_000, 18.82), Sample(3_113_000, 15.41), Sample(19_663_000, 11.06)]
TEXTURE = [Sample(563_000, 9.96), Sample(2_970_000, 10.03), Sample(12_929_000, 11.73)]


def test_an_easy_title_gets_a_higher_crf_and_lower_caps_than_the_fixed_ladder():
    rungs = per_title.fit(FIXED, EASY)

    assert [rung.name for rung in rungs] == ["360p", "720p", "1080p"]
    assert all(rung.crf > ladder.CRF for rung in rungs)
    assert all(rung.maxrate < fixed.maxrate for rung, fixed in zip(rungs, FIXED, strict=True))


def test_a_hard_title_gets_a_lower_crf_and_caps_that_do_not_starve_the_lower_rungs():
    rungs = per_title.fit(FIXED, HARD)

    assert all(rung.crf < ladder.CRF for rung in rungs[:2])
    assert rungs[2].crf == per_title.TARGET_CRF  # its ceiling binds at the usual CRF already: a lower one buys nothing
    assert [rung.maxrate for rung in rungs[:2]] > [fixed.maxrate for fixed in FIXED[:2]]
    assert all(rung.maxrate <= per_title.CAPS[side][1] for rung, side in zip(rungs, (360, 720, 1080), strict=True))


@pytest.mark.parametrize("noisy", [NOISY_STILL, GRAIN])
def test_noise_gets_no_more_bits_than_the_fixed_ladder_however_low_its_ssim(noisy):
    """Noise scores a low SSIM at the large sizes, as texture does, but keeping it buys no VMAF:
    it is told from texture by its SSIM rising as the picture is scaled down."""
    rungs = per_title.fit(FIXED, noisy)

    assert per_title.noise_db(noisy) >= per_title.NOISE_DB > per_title.noise_db(TEXTURE)
    assert [rung.crf for rung in rungs] == [per_title.NOISY_CRF] * 3
    assert all(rung.crf > ladder.CRF for rung in rungs)
    assert all(rung.crf < ladder.CRF for rung in per_title.fit(FIXED, TEXTURE)[:2])


def test_a_rung_whose_picture_is_the_rung_below_scaled_up_is_dropped():
    """As the probe measured them: a 720p source that is a 2x upscale (its 720-line picture
    28 dB from the 360-line one scaled up), and one with its own detail at every size."""
    upscaled = [Sample(586_000, 21.1), Sample(1_514_000, 22.9, 28.2), Sample(1_514_000, 22.9, float("inf"))]
    native = [Sample(886_000, 25.1), Sample(3_858_000, 25.6, 19.2), Sample(11_873_000, 26.1, 15.8)]

    assert [rung.name for rung in per_title.fit(FIXED, upscaled)] == ["360p"]
    assert [rung.name for rung in per_title.fit(FIXED, native)] == ["360p", "720p", "1080p"]


def test_without_a_sample_for_every_rung_the_fixed_ladder_is_kept():
    assert per_title.fit(FIXED, []) == FIXED
    assert per_title.fit(FIXED, EASY[:2]) == FIXED


def test_the_rungs_json_keeps_the_crf_and_reads_a_ladder_stored_before_it():
    rungs = per_title.fit(FIXED, HARD)

    assert ladder.rungs_from_json(ladder.rungs_to_json(rungs)) == rungs
    assert ladder.rungs_from_json('[["720p", 1280, 720, 3000000, "3.1"]]')[0].crf == ladder.CRF


@pytest.mark.parametrize("clip", ["portrait", "small"])
def test_the_probe_samples_every_ladder_size_in_its_own_process(make_clip, clip):
    probe = transcode.probe(make_clip(clip), sample=True)

    assert len(probe.samples) == len(transcode.SAMPLE_SIDES)
    assert all(sample.bitrate > 0 and sample.ssim_db > 0 for sample in probe.samples)
    assert probe.samples[0].upscaled_ssim_db is None
    assert all(sample.upscaled_ssim_db > 0 for sample in probe.samples[1:])
    if clip == "portrait":  # more pixels, more bits
        assert [sample.bitrate for sample in probe.samples] == sorted(sample.bitrate for sample in probe.samples)
    assert transcode.probe(make_clip(clip)).samples == ()  # only when asked for


@pytest.mark.parametrize("clip", ["html", "image", "truncated", "empty"])
def test_a_sampled_probe_rejects_what_is_not_a_video_as_the_plain_one_does(make_clip, clip):
    with pytest.raises(transcode.TranscodeError) as plain:
        transcode.probe(make_clip(clip))
    with pytest.raises(transcode.TranscodeError) as sampled:
        transcode.probe(make_clip(clip), sample=True)
    assert str(sampled.value) == str(plain.value)


# --- encoded and scored -----------------------------------------------------------------------

# 2 s at 1280x720 (rungs 360p and 720p), made as a phone stores a clip: easy (flat colours in
# motion), detailed (a slow pan over fine detail), noisy (a still scene with sensor noise), and
# soft (a small picture scaled up: its 720p rung would add pixels without detail).
SCORED_CLIPS = {
    "easy": "testsrc2=s=1280x720:r=30",
    "detailed": "mandelbrot=s=640x360:r=30,trim=end_frame=1,loop=loop=-1:size=1,scale=2560:1440,"
                "scroll=h=0.0008:v=0.0004,crop=1280:720",
    "noisy": "testsrc2=s=1280x720:r=30,trim=end_frame=1,loop=loop=-1:size=1,gblur=sigma=2,noise=alls=5:allf=t",
    "soft": "testsrc2=s=320x180:r=30,gblur=sigma=2,scale=1280:720:flags=bilinear",
}
# What "near the target" means on 2 s: the band of docs/STREAMING.md (about 93-95), give or take a point.
BAND = (92.0, 96.5)


def encode_and_score(name: str, tmp_path, *, fitted: bool) -> dict[str, tuple[int, float]]:
    """{rung name: (bytes, VMAF against the source scaled to the rung)} of the worker's ladder
    command run with the fixed or the per-title ladder."""
    source = tmp_path / f"{name}.mp4"
    if not source.exists():
        subprocess.run([transcode.ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
                        "-i", SCORED_CLIPS[name], "-t", "2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "16",
                        "-pix_fmt", "yuv420p", str(source)], check=True)
    probe = transcode.probe(source, sample=True)
    rungs = ladder.choose_rungs(probe.width, probe.height, probe.fps)
    if fitted:
        rungs = per_title.fit(rungs, list(probe.samples))
    outdir = tmp_path / f"{name}-{'per-title' if fitted else 'fixed'}"
    for rung in rungs:
        (outdir / rung.name).mkdir(parents=True)
    transcode.Encoder(transcode.ladder_command(source, outdir, rungs, start=0, length=2, fps=probe.fps),
                      timeout=300).wait()
    scored = {}
    for rung in rungs:
        folder = outdir / rung.name
        vmaf = transcode.vmaf(folder / "index.m3u8", source, width=rung.width, height=rung.height, fps=probe.fps)
        scored[rung.name] = (sum(path.stat().st_size for path in folder.glob("*.ts")), vmaf)
    return scored


def total(scored: dict[str, tuple[int, float]]) -> int:
    return sum(size for size, _ in scored.values())


@pytest.mark.slow
@pytest.mark.parametrize("name", ["easy", "noisy"])
def test_an_easy_or_noisy_title_costs_fewer_bytes_than_the_fixed_ladder_and_stays_in_the_band(name, tmp_path):
    fixed = encode_and_score(name, tmp_path, fitted=False)
    fitted = encode_and_score(name, tmp_path, fitted=True)

    assert list(fitted) == list(fixed) == ["360p", "720p"]
    assert total(fitted) < (0.9 if name == "easy" else 0.6) * total(fixed)
    assert all(BAND[0] <= vmaf <= BAND[1] for _, vmaf in fitted.values()), fitted


@pytest.mark.slow
def test_a_detailed_title_keeps_what_it_needs_in_the_band(tmp_path):
    fixed = encode_and_score("detailed", tmp_path, fitted=False)
    fitted = encode_and_score("detailed", tmp_path, fitted=True)

    assert all(BAND[0] <= vmaf <= BAND[1] for _, vmaf in fitted.values()), fitted
    assert total(fitted) <= 1.1 * total(fixed)  # no more than it needs either


@pytest.mark.slow
def test_a_soft_source_loses_the_rung_that_adds_nothing(tmp_path):
    fitted = encode_and_score("soft", tmp_path, fitted=True)

    assert list(fitted) == ["360p"]
    assert BAND[0] <= fitted["360p"][1]
