"""The cost and latency model of docs/DEPLOY.md ("Media through CloudFront: what it costs and
gains"), computed from the ladder and AWS's list prices, and the one thing here that can be
measured: what the web function spends answering a long video's playlist, with every segment
presigned (no media domain) and with plain URLs (PETTUBE_MEDIA_DOMAIN).

    .venv/bin/python bench/delivery.py [--hit-ratio 0.95] [--rtt-ms 200] [--runs 7]
Last line: presigned_ms=<ms> plain_ms=<ms> ratio=<presigned/plain> (one 15-minute rung playlist)
"""

import argparse
import statistics
import time

import _setup

_setup.django_on_local_aws(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")

from django.test import override_settings  # noqa: E402

from videos import delivery, hls, ladder  # noqa: E402
from videos.domain import READY, Video  # noqa: E402

MINUTES = 1000
# AWS list prices, us-east-1, USD, first tier, as published in 2025 (check before relying on them).
S3_EGRESS_PER_GB = 0.09  # S3 to the internet, first 10 TB a month
S3_GET_PER_1000 = 0.0004
CLOUDFRONT_EGRESS_PER_GB = 0.085  # North America and Europe, first 10 TB a month
CLOUDFRONT_HTTPS_PER_10000 = 0.0100  # North America and Europe
# S3 to CloudFront: no transfer charge. Other CloudFront regions cost more per GB (for example
# India 0.109, South America 0.110, Australia 0.114); S3 charges 0.09 wherever the viewer is.


def average_bitrate() -> float:
    """The ladder's average: the mean of its rungs' peak rates (capped CRF averages below its
    cap, so this is an upper bound), plus the audio."""
    return statistics.mean(rate for _, rate, *_ in ladder.LADDER) + ladder.AUDIO_BITRATE


def costs(hit_ratio: float) -> dict[str, float]:
    seconds = MINUTES * 60
    gigabytes = average_bitrate() * seconds / 8 / 1e9
    requests = 2 * seconds / ladder.SEGMENT_SECONDS  # a video and an audio segment per 4 s
    s3 = gigabytes * S3_EGRESS_PER_GB + requests / 1000 * S3_GET_PER_1000
    cloudfront = (gigabytes * CLOUDFRONT_EGRESS_PER_GB + requests / 10000 * CLOUDFRONT_HTTPS_PER_10000
                  + (1 - hit_ratio) * requests / 1000 * S3_GET_PER_1000)
    return {"gigabytes": gigabytes, "requests": requests, "s3": s3, "cloudfront": cloudfront}


def round_trips() -> dict[str, int]:
    """Round trips to the bucket's region from the moment the watch page is parsed to the first
    frame (the page itself comes from the region either way). Before: master, then the rung's and
    the audio's playlists at once (one connection to the web function, kept open); then a new
    TLS 1.3 connection to S3 (TCP, TLS: 2) and the first segment, whose ~250 KB (2 s at 1 Mbit/s)
    leave a fresh TCP window of 10 packets in 1 + 4 round trips of slow start. After, for a public
    video: all of it from the nearby edge over one HTTP/2 or HTTP/3 connection, none to the region
    when the edge has it; on a miss each object is one round trip from the edge to the region over
    AWS's network and CloudFront's kept-open origin connections."""
    before = 1 + 1 + 2 + 5
    return {"before": before, "after_hit": 0, "after_miss": 3}  # master, playlists, segment (each a miss)


def playlist_ms(runs: int, *, media_domain: str) -> float:
    segments = [hls.Segment(number, 4.0) for number in range(226)]  # 15 minutes of 4 s segments
    text = hls.media_playlist("720p", segments, complete=True)
    video = Video(id="abcdefghijk", owner_id="7", owner_name="a", title="t", description="", species="dog",
                  status=READY, created_at=None, updated_at=None)
    timings = []
    with override_settings(PETTUBE_MEDIA_DOMAIN=media_domain):
        for _ in range(runs):
            start = time.perf_counter()
            hls.signed(text, delivery.segment_urls(video))
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hit-ratio", type=float, default=0.95)
    parser.add_argument("--rtt-ms", type=float, default=200)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    print(f"ladder average {average_bitrate() / 1e6:.3f} Mbit/s; per {MINUTES} minutes watched:")
    for hit_ratio in sorted({0.0, 0.5, 0.9, 0.95, 0.99, arguments.hit_ratio}):
        cost = costs(hit_ratio)
        print(f"  hit ratio {hit_ratio:4.2f}: {cost['gigabytes']:.2f} GB, {cost['requests']:.0f} segment requests; "
              f"S3 ${cost['s3']:.3f}, CloudFront ${cost['cloudfront']:.3f}")
    trips = round_trips()
    print(f"round trips to the region before the first frame: before {trips['before']} "
          f"(~{trips['before'] * arguments.rtt_ms:.0f} ms at {arguments.rtt_ms:.0f} ms), after {trips['after_hit']} "
          f"on an edge hit, {trips['after_miss']} on a miss")
    playlist_ms(2, media_domain="")  # warm up: the S3 client, imports
    presigned, plain = [], []
    for _ in range(arguments.runs):  # interleaved, so both see the same machine load
        presigned.append(playlist_ms(1, media_domain=""))
        plain.append(playlist_ms(1, media_domain="media.pettube.example.com"))
    presigned_ms, plain_ms = statistics.median(presigned), statistics.median(plain)
    print(f"presigned_ms={presigned_ms:.2f} plain_ms={plain_ms:.2f} ratio={presigned_ms / plain_ms:.1f}")


if __name__ == "__main__":
    main()
