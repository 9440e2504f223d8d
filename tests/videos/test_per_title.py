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
    assert rungs[2].crf == ladder.CRF  # its ceiling binds at the fixed CRF already: a lower one buys nothing
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


def test_a_rung_whose_sample_took_about_the_bits_of_the_rung_below_is_dropped():
    soft = [Sample(400_000, 20.0), Sample(440_000, 24.0), Sample(900_000, 22.0)]

    assert [rung.name for rung in per_title.fit(FIXED, soft)] == ["360p", "1080p"]


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
