"""Per-title ladders: each rung's rate control chosen from how hard this video is to compress,
so that every rung lands near the same quality (VMAF about 93-95 against the source scaled to the
rung) instead of one CRF and one cap for every video. Pure; docs/STREAMING.md explains the
numbers, `bench/ladder_quality.py` measures them.

The measure is the probe's sample (transcode.probe(sample=True)): the video's first half second
encoded at each rung's size by x264 `ultrafast` at a fixed CRF, in the probe's own ffmpeg process
(the header is read anyway; decoding 15 more frames and encoding them small costs a fraction of a
second). For each size it gives the bits that quality took and the SSIM x264 measured on what it
made. A high SSIM means the picture survives a coarse quantizer (flat colour, soft focus, a
quiet cat): the rung can take a higher CRF and a lower cap. A low SSIM means detail the quantizer
destroys (grass, fur in motion): the rung gets a lower CRF and a cap high enough that the bits it
needs are not starved, up to the level's limit. Sensor noise and film grain also have a low SSIM,
but spending bits on them buys no VMAF: they are told from texture by how the SSIM changes with
the size. Noise is finer than any detail and new in every frame, so scaling down averages it away
and the small sample scores far better than the large one; texture and edges resolve at the
larger sizes, so there the large sample scores as well or better. A noisy title gets NOISY_CRF on
every rung. A rung whose picture is the rung below's scaled up (a soft or upscaled source: the
probe compares them, `Sample.upscaled_ssim_db`) adds pixels without detail, and is dropped.
"""

import math
from dataclasses import replace

from videos.ladder import CRF, Rung
from videos.transcode import SAMPLE_CRF, Sample

# A sample scoring SSIM_AT_TARGET_CRF (dB) lands in the target band at TARGET_CRF; each dB more (an
# easier picture) moves the CRF up by CRF_PER_DB, each dB less down. TARGET_CRF is one step above
# the fixed ladder's CRF: the ladder's trellis quantization (transcode.X264_PARAMS) gives at one
# step higher the VMAF that CRF 23 gave without it (bench/ladder_quality.py, docs/STREAMING.md).
TARGET_CRF = CRF + 1
SSIM_AT_TARGET_CRF = 18.0
CRF_PER_DB = 0.3
LOWEST_CRF, HIGHEST_CRF = 21, 27
# A title whose smallest sample's SSIM is at least NOISE_DB above its largest's is noisy (measured
# on bench/ladder_quality.py's 1080p clips: the still noisy scene +7.9 dB, grain +7.8; the clean
# ones from -3.0 to -1.1). At NOISY_CRF its rungs scored VMAF 92-95 for a third to a quarter of the
# fixed ladder's bytes at 720p and 1080p.
NOISE_DB = 4.0
NOISY_CRF = 27
# x264 `veryfast` with its look-ahead spends this share of what the `ultrafast` sample spent at
# the same CRF (measured on bench/ladder_quality.py's clips); a cap leaves HEADROOM over it for
# the scenes harder than the first half second.
EFFICIENCY = 0.6
HEADROOM = 2.0
# Caps, bits per second, by the rung's short side: never below the floor (a scene change must not
# starve), never above the ceiling (the H.264 level's limits are far higher; the ceiling is what a
# viewer's connection is asked for).
CAPS = {360: (250_000, 1_600_000), 720: (600_000, 4_000_000), 1080: (1_000_000, 6_000_000)}
# A rung whose picture, at its size, is the rung below's scaled up to within this SSIM (dB; 25 is
# 0.9968) adds nothing but pixels: a source filmed or exported smaller than it is stored, or soft.
# Measured on 1080p frames: a 2x upscale 27-28 dB, a 6x upscale 31, a flat picture inf; native
# 1080p detail 15-16, a 1.5x upscale (720p stored as 1080p) 21: that one keeps its rung.
ADDS_NOTHING_DB = 25.0


def fit(rungs: list[Rung], samples: list[Sample]) -> list[Rung]:
    """The fixed ladder's `rungs` (smallest first) with each rung's CRF and cap chosen from its
    sample (`samples[i]` measured at `rungs[i]`'s size), and the rungs that add nothing dropped.
    Returned unchanged without a sample for every rung."""
    if len(samples) < len(rungs):
        return rungs
    noisy = noise_db(samples) >= NOISE_DB
    fitted, below = [], None
    for rung, sample in zip(rungs, samples, strict=False):
        if below is not None and (sample.upscaled_ssim_db or 0) >= ADDS_NOTHING_DB:
            continue
        crf = NOISY_CRF if noisy else _crf(sample)
        if crf < TARGET_CRF and _expected(sample, TARGET_CRF) >= CAPS[_side(rung)][1]:
            crf = TARGET_CRF  # the ceiling binds already at the usual CRF: a lower one buys nothing under it
        fitted.append(replace(rung, crf=crf, maxrate=_cap(rung, sample, crf)))
        below = sample
    return fitted


def noise_db(samples: list[Sample]) -> float:
    """How much better the smallest sample's SSIM is than the largest's (dB): large for noise."""
    return samples[0].ssim_db - samples[-1].ssim_db


def _crf(sample: Sample) -> int:
    return max(LOWEST_CRF, min(HIGHEST_CRF, round(TARGET_CRF + (sample.ssim_db - SSIM_AT_TARGET_CRF) * CRF_PER_DB)))


def _cap(rung: Rung, sample: Sample, crf: int) -> int:
    """The peak rate: what the ladder's encoder is expected to spend at `crf` (x264 doubles the
    bits every 6 CRF steps down), with headroom, within the rung's floor and ceiling."""
    floor, ceiling = CAPS[_side(rung)]
    return int(max(floor, min(ceiling, math.ceil(_expected(sample, crf) * HEADROOM / 1000) * 1000)))


def _expected(sample: Sample, crf: int) -> float:
    """The bits per second x264 `veryfast` is expected to spend at `crf` on what the sample showed."""
    return sample.bitrate * EFFICIENCY * 2 ** ((SAMPLE_CRF - crf) / 6)


def _side(rung: Rung) -> int:
    """The ladder step a rung belongs to (a small source's single rung counts as 360)."""
    short = min(rung.width, rung.height)
    return max((side for side in CAPS if side <= short), default=min(CAPS))
